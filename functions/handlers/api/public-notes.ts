// GET /notes, /notes/{id} (JSON, or the HTML page for `Accept: text/html` or `/notes/{id}.html`),
// /notes/{id}/csaf.json, /notes/{id}/cve/{cveId}(.json), /feed.json, /feed.atom and
// /.well-known/security.txt and /pgp-key.asc. Reads only the published NOTE# items and the team's
// public key, never a case.
import { parsePublicNotesEnv } from '../../environment.js';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type PublicDeps, servePublic } from '../../app/public-notes.js';
import { envPart } from '../env.js';
import { type Parts, envPartsOf } from '../parts.js';
import { deps } from '../runtime.js';
import { dynamoNotes } from '../stores-from-env.js';
import { secretOrNull } from '../secret-or-null.js';
import { instrumented } from '../telemetry-from-env.js';

const parts: Parts = { notes: dynamoNotes };
// No CORS: the public documents are served on the site's own origin, like every page.
export const reads = envPartsOf(parts, 'publicNotes');

let publicKey: { arn: string; read: () => Promise<string | null> } | undefined;

/** The public routes' view of the dependencies: the note store, the publication settings and security.txt's. */
function publicDeps(): PublicDeps {
  const d = deps(parts);
  const { securityPolicyUrl, preferredLanguages, pgpPublicKeySecretArn } = envPart('publicNotes', parsePublicNotesEnv);
  if (pgpPublicKeySecretArn && publicKey?.arn !== pgpPublicKeySecretArn)
    publicKey = { arn: pgpPublicKeySecretArn, read: secretOrNull(pgpPublicKeySecretArn, 'the team OpenPGP public key') };
  return {
    notes: d.notes,
    config: {
      publicBaseUrl: d.publication.publicBaseUrl,
      coordinatorName: d.publication.coordinatorName,
      coordinatorEmails: d.config.coordinatorEmails,
      ...(securityPolicyUrl === undefined ? {} : { securityPolicyUrl }),
      preferredLanguages,
    },
    ...(pgpPublicKeySecretArn && publicKey ? { pgpPublicKey: publicKey.read } : {}),
    now: d.now,
  };
}

export const handler = instrumented('public-notes', serve);

async function serve(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  if (event.httpMethod && event.httpMethod !== 'GET' && event.httpMethod !== 'HEAD')
    return {
      statusCode: 405,
      headers: { 'content-type': 'application/problem+json', allow: 'GET' },
      body: JSON.stringify({ type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: 'only GET', errors: [] }),
    };
  const r = await servePublic(publicDeps(), {
    route: event.resource || event.path,
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers,
  });
  return { statusCode: r.status, headers: r.headers, body: r.body };
}
