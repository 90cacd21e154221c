import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../lib/api-routes.js';
import { isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

// docs/api.md, as written there (the /_local routes are never deployed).
const documented: ReadonlyArray<[string, string, 'anyone' | 'reporter' | 'vendor' | 'coordinator']> = [
  ['POST', '/reports', 'anyone'],
  ['GET', '/reports/{caseId}', 'reporter'],
  ['POST', '/reports/{caseId}/messages', 'reporter'],
  ['PUT', '/reports/{caseId}/embargo', 'reporter'],
  // v1.1 additions: conversations.
  ['GET', '/reports/{caseId}/messages', 'reporter'],
  ['POST', '/reports/{caseId}/attachments', 'reporter'],
  ['GET', '/reports/{caseId}/attachments/{attachmentId}', 'reporter'],
  ['POST', '/cases/{caseId}/attachments', 'coordinator'],
  ['PUT', '/cases/{caseId}/file-retention', 'coordinator'],
  ['GET', '/cases/{caseId}/attachments/{attachmentId}', 'coordinator'],
  ['POST', '/vendor/cases/{caseId}/attachments', 'vendor'],
  ['GET', '/vendor/cases/{caseId}/attachments/{attachmentId}', 'vendor'],
  ['GET', '/cases/{caseId}/messages', 'coordinator'],
  ['POST', '/cases/{caseId}/messages', 'coordinator'],
  ['GET', '/vendor/cases/{caseId}/messages', 'vendor'],
  ['GET', '/cases', 'coordinator'],
  ['GET', '/cases/{caseId}', 'coordinator'],
  ['GET', '/cases/{caseId}/events', 'coordinator'],
  ['GET', '/cases/{caseId}/vendors', 'coordinator'], // issue 15: the vendors past the case view's first page
  ['POST', '/cases/{caseId}/triage', 'coordinator'],
  ['POST', '/cases/{caseId}/vendors', 'coordinator'],
  ['POST', '/cases/{caseId}/vulnerabilities', 'coordinator'],
  // v1.1 additions: confirmed contacts, per-contact links, coordinator-owned CVE IDs.
  ['PUT', '/cases/{caseId}/vendors/{vendorId}', 'coordinator'],
  ['POST', '/cases/{caseId}/vendors/{vendorId}/links', 'coordinator'],
  ['POST', '/cases/{caseId}/reporter/links', 'coordinator'],
  ['PUT', '/cases/{caseId}/vulnerabilities/{vulnerabilityId}/cve', 'coordinator'],
  ['PUT', '/cases/{caseId}/embargo', 'coordinator'],
  ['POST', '/cases/{caseId}/signals', 'coordinator'],
  ['PUT', '/cases/{caseId}/draft', 'coordinator'],
  ['POST', '/cases/{caseId}/publication', 'coordinator'],
  ['POST', '/cases/{caseId}/close', 'coordinator'],
  ['PUT', '/cases/{caseId}/priority', 'coordinator'], // issue 16: a coordinator's priority, with a reason
  ['PUT', '/cases/{caseId}/vendor-csaf', 'coordinator'], // issue 16: the TLP of the vendors' own CSAF documents
  // v1.1 additions: the vendor directory (issue 15).
  ['GET', '/directory/vendors', 'coordinator'],
  ['GET', '/inbound/held', 'coordinator'],
  ['POST', '/directory/vendors', 'coordinator'],
  ['GET', '/directory/vendors/{vendorRef}', 'coordinator'],
  ['PUT', '/directory/vendors/{vendorRef}', 'coordinator'],
  ['GET', '/vendor/cases/{caseId}', 'vendor'],
  ['GET', '/vendor/cases/{caseId}/csaf.json', 'vendor'], // issue 16: the vendor's own CSAF before publication
  ['POST', '/vendor/cases/{caseId}/acknowledge', 'vendor'],
  ['PUT', '/vendor/cases/{caseId}/status', 'vendor'],
  ['PUT', '/vendor/cases/{caseId}/embargo', 'vendor'],
  ['POST', '/vendor/cases/{caseId}/messages', 'vendor'],
  ['GET', '/notes', 'anyone'],
  ['GET', '/notes/{id}', 'anyone'],
  ['GET', '/notes/{id}.html', 'anyone'],
  ['GET', '/notes/{id}/csaf.json', 'anyone'],
  ['GET', '/notes/{id}/csaf-vex.json', 'anyone'], // issue 16: the CSAF VEX document
  ['GET', '/notes/{id}/cve/{cveId}.json', 'anyone'],
  ['GET', '/feed.json', 'anyone'],
  ['GET', '/feed.atom', 'anyone'],
  ['GET', '/.well-known/security.txt', 'anyone'], // RFC 9116, for the deployment's own intake (issue 6)
  ['GET', '/pgp-key.asc', 'anyone'], // the team's OpenPGP public key, security.txt's Encryption (issue 19)
  ['GET', '/openapi.json', 'anyone'],
  ['GET', '/health', 'anyone'],
];

// A path parameter fills a whole segment in API Gateway: `{id}.html` is served by `{id}`.
const gatewayPath = (documentedPath: string): string => documentedPath.replace(/\}\.[a-z]+$/, '}');

let synth: Synthesized;
/** "METHOD /path" → the synthesized method's properties. */
let methods: Map<string, Record<string, unknown>>;

beforeAll(() => {
  synth = synthesize();
  const resources = synth.json.Resources ?? {};
  const pathOf = (resourceId: unknown): string => {
    if (!isRecord(resourceId)) return '';
    if (typeof resourceId.Ref !== 'string') return ''; // the root: Fn::GetAtt Api.RootResourceId
    const resource = resources[resourceId.Ref]?.Properties ?? {};
    return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
  };
  methods = new Map(
    resourcesOfType(synth.json, 'AWS::ApiGateway::Method').map(([, method]) => {
      const props = method.Properties ?? {};
      return [`${String(props.HttpMethod)} ${pathOf(props.ResourceId) || '/'}`, props];
    }),
  );
});

const functionHandlerName = (integration: unknown): string | undefined => {
  // Uri: Fn::Join of the apigateway:lambda path and Fn::GetAtt <function>.Arn.
  const text = JSON.stringify(integration);
  const logicalId = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(text)?.[1];
  const handler = logicalId === undefined ? undefined : synth.json.Resources?.[logicalId]?.Metadata?.['cvd:handler-name'];
  return typeof handler === 'string' ? handler : undefined;
};

describe('the API', () => {
  it('serves every route of docs/api.md, and no other', () => {
    const expected = [...new Set(documented.map(([method, path]) => `${method} ${gatewayPath(path)}`))].sort();
    const deployed = [...methods.keys()].filter((key) => !key.startsWith('OPTIONS ')).sort();
    expect(deployed).toEqual(expected);
    expect(apiRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(expected);
  });

  it('puts the Cognito authorizer on coordinator routes and none on the others', () => {
    for (const [method, documentedPath, who] of documented) {
      const key = `${method} ${gatewayPath(documentedPath)}`;
      const props = methods.get(key);
      if (who === 'coordinator') {
        expect(props?.AuthorizationType, key).toBe('COGNITO_USER_POOLS');
        const authorizerId = props?.AuthorizerId;
        const authorizer = isRecord(authorizerId) ? synth.json.Resources?.[String(authorizerId.Ref)] : undefined;
        expect(authorizer?.Type, key).toBe('AWS::ApiGateway::Authorizer');
        expect(authorizer?.Properties?.Type, key).toBe('COGNITO_USER_POOLS');
      } else {
        expect(props?.AuthorizationType, key).toBe('NONE');
        expect(props?.AuthorizerId, key).toBeUndefined();
      }
    }
  });

  it('sends each route to the Lambda handler the route table names, by proxy', () => {
    for (const route of apiRoutes) {
      const key = `${route.method} ${route.path}`;
      const integration = methods.get(key)?.Integration;
      expect(integration, key).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      expect(functionHandlerName(integration), key).toBe(route.handler);
    }
  });

  it('validates requests and requires the path parameters of each route', () => {
    for (const route of apiRoutes) {
      const key = `${route.method} ${route.path}`;
      const props = methods.get(key);
      expect(props?.RequestValidatorId, key).toBeDefined();
      for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
        expect(props?.RequestParameters, key).toMatchObject({ [`method.request.path.${String(name)}`]: true });
      }
    }
  });

  it('needs no CORS for its own pages, and answers preflight for a site elsewhere', () => {
    expect(methods.get('OPTIONS /reports')).toBeUndefined();
    const other = synthesize({ context: { publicBaseUrl: 'https://cvd.example.org' } });
    const preflight = Object.values(other.json.Resources ?? {}).find(
      (r) =>
        r.Type === 'AWS::ApiGateway::Method' &&
        r.Properties?.HttpMethod === 'OPTIONS' &&
        JSON.stringify(r.Properties?.Integration).includes('https://cvd.example.org'),
    );
    expect(preflight?.Properties?.AuthorizationType).toBe('NONE');
  });

  it('answers its own errors as problem+json, unknown routes with 404', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
    });
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
    });
  });
});
