// Every route of the HTTP API as data: method, path, who may call it, its request and response
// schemas and the problems it answers. openapi.ts turns this list into the OpenAPI document.
import { termsDescription } from '../../domain/terms.js';

export type Json = Record<string, unknown>;
type Auth = 'public' | 'token' | 'coordinator';

export interface Operation {
  method: 'get' | 'post' | 'put';
  path: string;
  auth: Auth;
  operationId: string;
  summary: string;
  description?: string;
  request?: string;
  requestOptional?: boolean;
  status: number;
  response?: string;
  /** Responses that are not one of our schemas (public notes, feeds). */
  content?: Json;
  query?: { name: string; description: string; schema: Json }[];
  headers?: { name: string; description: string }[];
  problems: number[];
}

const CASE_READ = [401, 404, 429, 500];
const TOKEN_WRITE = [400, 401, 404, 409, 413, 415, 429, 500];
const COORD_READ = [401, 403, 404, 429, 500];
const COORD_WRITE = [400, 401, 403, 404, 409, 413, 415, 429, 500];
const PUBLIC_READ = [404, 429, 500];
const LIMIT = { name: 'limit', description: 'page size', schema: { type: 'integer', minimum: 1, maximum: 200 } };
const CURSOR = { name: 'cursor', description: 'from the previous page', schema: { type: 'string' } };
const NOTE = { type: 'object', description: 'a published note (see the public notes handler)', additionalProperties: true };

const cmd = (path: string, method: 'post' | 'put', operationId: string, summary: string, request: string): Operation => ({
  method,
  path,
  auth: 'coordinator',
  operationId,
  summary,
  request,
  status: 202,
  response: 'Accepted',
  problems: COORD_WRITE,
});

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/reports',
    auth: 'public',
    operationId: 'submitReport',
    summary:
      'Submit a vulnerability report. A replay with the same Idempotency-Key answers the case id and status only, without a token: the reporter’s link goes by e-mail',
    description: termsDescription(),
    request: 'Report',
    status: 201,
    response: 'SubmitReportResponse',
    headers: [
      {
        name: 'Idempotency-Key',
        description:
          'A retry with the same key and report answers 201 with the same caseId and status, Idempotent-Replayed: true and no reporter token (the link went by e-mail); another report with the same key is 422; a retry while the first runs is 409.',
      },
    ],
    problems: [400, 409, 413, 415, 422, 429, 500],
  },
  {
    method: 'get',
    path: '/reports/{caseId}',
    auth: 'token',
    operationId: 'getReporterCase',
    summary: "The reporter's view of their case",
    status: 200,
    response: 'ReporterCase',
    problems: CASE_READ,
  },
  {
    method: 'post',
    path: '/reports/{caseId}/messages',
    auth: 'token',
    operationId: 'postReporterMessage',
    summary: 'Add information, comment (also on the draft) or announce self-disclosure',
    request: 'ReporterMessage',
    status: 202,
    response: 'Accepted',
    problems: TOKEN_WRITE,
  },
  {
    method: 'put',
    path: '/reports/{caseId}/embargo',
    auth: 'token',
    operationId: 'proposeReporterEmbargo',
    summary: 'Propose an embargo end with a reason; a coordinator accepts it or sets another date',
    request: 'EmbargoProposal',
    status: 202,
    response: 'Accepted',
    problems: TOKEN_WRITE,
  },
  {
    method: 'get',
    path: '/cases',
    auth: 'coordinator',
    operationId: 'listCases',
    summary: 'The queue, by next deadline (or by priority, then deadline); without phase, every open phase merged',
    status: 200,
    response: 'QueuePage',
    query: [
      {
        name: 'phase',
        description: 'one phase; omitted: intake, triage, outreach, embargo, draft-review and publication merged',
        schema: { type: 'string' },
      },
      LIMIT,
      CURSOR,
      { name: 'priority', description: 'only cases of this priority', schema: { type: 'string', enum: ['high', 'medium', 'low'] } },
      {
        name: 'sort',
        description: 'deadline (default) or priority: high, then medium, then low',
        schema: { type: 'string', enum: ['deadline', 'priority'] },
      },
    ],
    problems: [400, 401, 403, 429, 500],
  },
  {
    method: 'get',
    path: '/cases/{caseId}',
    auth: 'coordinator',
    operationId: 'getCase',
    summary: 'Everything about a case',
    status: 200,
    response: 'CoordinatorCase',
    problems: COORD_READ,
  },
  {
    method: 'get',
    path: '/cases/{caseId}/events',
    auth: 'coordinator',
    operationId: 'listCaseEvents',
    summary: 'The event log, paginated (cursor = the last seq read)',
    status: 200,
    response: 'EventsPage',
    query: [LIMIT, CURSOR],
    problems: [400, ...COORD_READ],
  },
  cmd('/cases/{caseId}/triage', 'post', 'decideTriage', 'Accept, decline or request information', 'TriageDecision'),
  cmd('/cases/{caseId}/vendors', 'post', 'addVendors', 'Add vendors', 'AddVendors'),
  cmd(
    '/cases/{caseId}/vendors/{vendorId}',
    'put',
    'updateVendor',
    'Edit a vendor: the contacts given are its confirmed contacts (a reporter-suggested address becomes one only here); a contact left out loses its link at once',
    'UpdateVendor',
  ),
  cmd(
    '/cases/{caseId}/vendors/{vendorId}/links',
    'post',
    'manageVendorLinks',
    "Revoke or reissue a vendor contact's private link (every contact's without email); a revoked link answers 404",
    'Links',
  ),
  cmd('/cases/{caseId}/reporter/links', 'post', 'manageReporterLink', "Revoke or reissue the reporter's private link", 'Links'),
  cmd(
    '/cases/{caseId}/vulnerabilities',
    'post',
    'addOrEditVulnerability',
    'Add a vulnerability, or edit one (with vulnerabilityId)',
    'Vulnerability',
  ),
  cmd(
    '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve',
    'put',
    'setCveId',
    "Set a CVE ID, clear it (null), or accept a vendor's proposed ID (acceptProposalFrom)",
    'CveId',
  ),
  cmd(
    '/cases/{caseId}/embargo',
    'put',
    'setEmbargo',
    'Propose or change the embargo end { endsAt, reason }, or answer a participant’s proposal { acceptProposal | declineProposal, reason? }',
    'Embargo',
  ),
  cmd('/cases/{caseId}/signals', 'post', 'raiseSignal', 'Public, exploit public, attacks observed', 'Signal'),
  cmd('/cases/{caseId}/draft', 'put', 'reviseDraft', 'Edit the note draft (a new revision)', 'Draft'),
  cmd('/cases/{caseId}/publication', 'post', 'decidePublication', 'Approve, revise or do not publish', 'PublicationDecision'),
  cmd('/cases/{caseId}/close', 'post', 'closeCase', 'Close with a reason', 'Close'),
  cmd(
    '/cases/{caseId}/priority',
    'put',
    'setPriority',
    'Override the computed priority with a reason (level null: computed again)',
    'Priority',
  ),
  {
    method: 'get',
    path: '/vendor/cases/{caseId}',
    auth: 'token',
    operationId: 'getVendorCase',
    summary: "The vendor's view",
    status: 200,
    response: 'VendorCase',
    problems: CASE_READ,
  },
  {
    method: 'post',
    path: '/vendor/cases/{caseId}/acknowledge',
    auth: 'token',
    operationId: 'acknowledge',
    summary: 'Acknowledge receipt',
    request: 'Acknowledge',
    requestOptional: true,
    status: 202,
    response: 'Accepted',
    problems: TOKEN_WRITE,
  },
  {
    method: 'put',
    path: '/vendor/cases/{caseId}/status',
    auth: 'token',
    operationId: 'updateVendorStatus',
    summary: 'Status per vulnerability, fix, statement; isCna and cveIds are proposals a coordinator decides on',
    request: 'VendorStatus',
    status: 202,
    response: 'Accepted',
    problems: TOKEN_WRITE,
  },
  {
    method: 'put',
    path: '/vendor/cases/{caseId}/embargo',
    auth: 'token',
    operationId: 'proposeVendorEmbargo',
    summary: 'Propose an embargo end with a reason; a coordinator accepts it or sets another date',
    request: 'EmbargoProposal',
    status: 202,
    response: 'Accepted',
    problems: TOKEN_WRITE,
  },
  {
    method: 'post',
    path: '/vendor/cases/{caseId}/messages',
    auth: 'token',
    operationId: 'postVendorMessage',
    summary: 'Comment, also on the draft',
    request: 'VendorMessage',
    status: 202,
    response: 'Accepted',
    problems: TOKEN_WRITE,
  },
  {
    method: 'get',
    path: '/notes',
    auth: 'public',
    operationId: 'listNotes',
    summary: 'Published notes',
    status: 200,
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
    query: [LIMIT, CURSOR],
    problems: [400, 429, 500],
  },
  {
    method: 'get',
    path: '/notes/{id}',
    auth: 'public',
    operationId: 'getNote',
    summary: 'A published note: JSON, or HTML with Accept: text/html or an id ending in .html',
    status: 200,
    content: { 'application/json': { schema: NOTE }, 'text/html': { schema: { type: 'string' } } },
    problems: PUBLIC_READ,
  },
  {
    method: 'get',
    path: '/notes/{id}/csaf.json',
    auth: 'public',
    operationId: 'getNoteCsaf',
    summary: 'The CSAF 2.0 advisory',
    status: 200,
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
    problems: PUBLIC_READ,
  },
  {
    method: 'get',
    path: '/notes/{id}/csaf-vex.json',
    auth: 'public',
    operationId: 'getNoteCsafVex',
    summary: 'The CSAF 2.0 VEX document: the per-product statuses of the advisory',
    status: 200,
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
    problems: PUBLIC_READ,
  },
  {
    method: 'get',
    path: '/notes/{id}/cve/{cveId}',
    auth: 'public',
    operationId: 'getNoteCveRecord',
    summary: 'A CVE JSON 5.1 record (cveId ends in .json)',
    status: 200,
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
    problems: PUBLIC_READ,
  },
  {
    method: 'get',
    path: '/feed.json',
    auth: 'public',
    operationId: 'getJsonFeed',
    summary: 'Newest published notes (JSON Feed)',
    status: 200,
    content: {
      'application/feed+json': { schema: { type: 'object', additionalProperties: true } },
      'application/json': { schema: { type: 'object', additionalProperties: true } },
    },
    problems: [429, 500],
  },
  {
    method: 'get',
    path: '/feed.atom',
    auth: 'public',
    operationId: 'getAtomFeed',
    summary: 'Newest published notes (Atom)',
    status: 200,
    content: { 'application/atom+xml': { schema: { type: 'string' } } },
    problems: [429, 500],
  },
  {
    method: 'get',
    path: '/.well-known/security.txt',
    auth: 'public',
    operationId: 'getSecurityTxt',
    summary: 'RFC 9116 security.txt: how to report a vulnerability here',
    status: 200,
    content: { 'text/plain': { schema: { type: 'string' } } },
    problems: [429, 500],
  },
  {
    method: 'get',
    path: '/openapi.json',
    auth: 'public',
    operationId: 'getOpenApi',
    summary: 'This document',
    status: 200,
    content: { 'application/json': { schema: { type: 'object' } } },
    problems: [429, 500],
  },
  {
    method: 'get',
    path: '/health',
    auth: 'public',
    operationId: 'getHealth',
    summary: 'Liveness',
    status: 200,
    response: 'Health',
    problems: [429, 500],
  },
];
