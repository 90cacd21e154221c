// Every route of docs/api.md (the /_local ones are never deployed), with the handler that
// serves it and who may call it. The API construct and the local API emulator both read this.

export type HttpMethod = 'GET' | 'POST' | 'PUT';

/**
 * public: anyone. token: a reporter or vendor bearer token, checked by the handler against the
 * hashed grants in the table (no API Gateway authorizer). coordinator: a Cognito user-pool JWT
 * checked by API Gateway; the handler checks the `coordinators` group claim.
 */
export type RouteAuth = 'public' | 'token' | 'coordinator';

/** API handlers: one Lambda function each, at functions/handlers/api/<name>.ts. */
export const ApiHandler = {
  SubmitReport: 'submit-report',
  ReporterCase: 'reporter-case',
  CoordinatorQueries: 'coordinator-queries',
  CoordinatorCommands: 'coordinator-commands',
  VendorCase: 'vendor-case',
  CaseConversations: 'case-conversations',
  PublicNotes: 'public-notes',
  ServiceInfo: 'service-info',
} as const;

export type ApiHandlerName = (typeof ApiHandler)[keyof typeof ApiHandler];

export const apiHandlerEntry = (name: ApiHandlerName): string => `functions/handlers/api/${name}.ts`;

export interface ApiRoute {
  readonly method: HttpMethod;
  /** API Gateway resource path. */
  readonly path: string;
  readonly handler: ApiHandlerName;
  readonly auth: RouteAuth;
}

// API Gateway path parameters must fill a whole segment, so `/notes/{id}.html` and
// `/notes/{id}/cve/{cveId}.json` arrive as `/notes/{id}` and `/notes/{id}/cve/{cveId}` with the
// extension inside the parameter; public-notes strips it.
export const apiRoutes: readonly ApiRoute[] = [
  { method: 'POST', path: '/reports', handler: 'submit-report', auth: 'public' },
  { method: 'GET', path: '/reports/{caseId}', handler: 'reporter-case', auth: 'token' },
  { method: 'POST', path: '/reports/{caseId}/messages', handler: 'case-conversations', auth: 'token' },
  { method: 'PUT', path: '/reports/{caseId}/embargo', handler: 'reporter-case', auth: 'token' },
  { method: 'GET', path: '/reports/{caseId}/messages', handler: 'case-conversations', auth: 'token' },
  { method: 'POST', path: '/reports/{caseId}/attachments', handler: 'case-conversations', auth: 'token' },
  { method: 'GET', path: '/reports/{caseId}/attachments/{attachmentId}', handler: 'case-conversations', auth: 'token' },

  { method: 'GET', path: '/cases', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'GET', path: '/cases/{caseId}', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'GET', path: '/cases/{caseId}/events', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'GET', path: '/cases/{caseId}/messages', handler: 'case-conversations', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/messages', handler: 'case-conversations', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/attachments', handler: 'case-conversations', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/file-retention', handler: 'case-conversations', auth: 'coordinator' },
  { method: 'GET', path: '/cases/{caseId}/attachments/{attachmentId}', handler: 'case-conversations', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/triage', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'GET', path: '/cases/{caseId}/vendors', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/vendors', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/vendors/{vendorId}', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/vendors/{vendorId}/links', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/reporter/links', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/vulnerabilities', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/embargo', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/signals', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/draft', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/publication', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'POST', path: '/cases/{caseId}/close', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/priority', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'PUT', path: '/cases/{caseId}/vendor-csaf', handler: 'coordinator-commands', auth: 'coordinator' },

  { method: 'GET', path: '/directory/vendors', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'GET', path: '/inbound/held', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'POST', path: '/directory/vendors', handler: 'coordinator-commands', auth: 'coordinator' },
  { method: 'GET', path: '/directory/vendors/{vendorRef}', handler: 'coordinator-queries', auth: 'coordinator' },
  { method: 'PUT', path: '/directory/vendors/{vendorRef}', handler: 'coordinator-commands', auth: 'coordinator' },

  { method: 'GET', path: '/vendor/cases/{caseId}', handler: 'vendor-case', auth: 'token' },
  { method: 'GET', path: '/vendor/cases/{caseId}/csaf.json', handler: 'vendor-case', auth: 'token' },
  { method: 'POST', path: '/vendor/cases/{caseId}/acknowledge', handler: 'vendor-case', auth: 'token' },
  { method: 'PUT', path: '/vendor/cases/{caseId}/status', handler: 'vendor-case', auth: 'token' },
  { method: 'PUT', path: '/vendor/cases/{caseId}/embargo', handler: 'vendor-case', auth: 'token' },
  { method: 'POST', path: '/vendor/cases/{caseId}/messages', handler: 'case-conversations', auth: 'token' },
  { method: 'GET', path: '/vendor/cases/{caseId}/messages', handler: 'case-conversations', auth: 'token' },
  { method: 'POST', path: '/vendor/cases/{caseId}/attachments', handler: 'case-conversations', auth: 'token' },
  { method: 'GET', path: '/vendor/cases/{caseId}/attachments/{attachmentId}', handler: 'case-conversations', auth: 'token' },

  { method: 'GET', path: '/notes', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/notes/{id}', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/notes/{id}/csaf.json', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/notes/{id}/csaf-vex.json', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/notes/{id}/cve/{cveId}', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/feed.json', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/feed.atom', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/.well-known/security.txt', handler: 'public-notes', auth: 'public' },
  { method: 'GET', path: '/pgp-key.asc', handler: 'public-notes', auth: 'public' },

  { method: 'GET', path: '/openapi.json', handler: 'service-info', auth: 'public' },
  { method: 'GET', path: '/health', handler: 'service-info', auth: 'public' },
];

/** The name of the Cognito group whose members are coordinators (the handlers check the same constant). */
export { COORDINATOR_GROUP } from '../functions/environment.js';
