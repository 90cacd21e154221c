// GET /notes, /notes/{id} (JSON, or the HTML page for `Accept: text/html` or `/notes/{id}.html`),
// /notes/{id}/csaf.json, /notes/{id}/cve/{cveId}(.json), /feed.json, /feed.atom and
// /.well-known/security.txt. Reads only the published NOTE# items, never a case.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoDbNoteStore } from '../../adapters/note-store.js';
import { type PublicDeps, publicationConfigFromEnv, servePublic } from '../../app/publication.js';

let deps: PublicDeps | undefined;

function depsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): PublicDeps {
  const tableName = env.CASE_TABLE_NAME;
  if (!tableName) throw new Error('invalid handler environment: CASE_TABLE_NAME is not set');
  const c = publicationConfigFromEnv(env);
  return {
    notes: new DynamoDbNoteStore({ client: new DynamoDBClient({}), tableName }),
    config: {
      publicBaseUrl: c.publicBaseUrl,
      coordinatorName: c.coordinatorName,
      coordinatorEmails: (env.COORDINATOR_EMAILS ?? '').split(',').map((x) => x.trim()).filter(Boolean),
      ...(env.SECURITY_POLICY_URL ? { securityPolicyUrl: env.SECURITY_POLICY_URL } : {}),
      ...(env.PREFERRED_LANGUAGES ? { preferredLanguages: env.PREFERRED_LANGUAGES } : {}),
    },
    now: () => new Date().toISOString(),
  };
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  deps ??= depsFromEnv();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  if (event.httpMethod && event.httpMethod !== 'GET' && event.httpMethod !== 'HEAD')
    return { statusCode: 405, headers: { 'content-type': 'application/problem+json', allow: 'GET' }, body: JSON.stringify({ type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: 'only GET', errors: [] }) };
  const r = await servePublic(deps, {
    route: event.resource || event.path,
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers,
  });
  return { statusCode: r.status, headers: r.headers, body: r.body };
}
