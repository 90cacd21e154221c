// The public-notes Lambda entry against dynalite: API Gateway events in, NOTE# items only.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbNoteStore } from '../../functions/adapters/note-store.js';
import { publishDocuments } from '../../functions/app/publication.js';
import { OPTIONS, singleVendorFixed } from '../unit/publication/published-cases.js';
import { type LocalDynamo, startDynalite } from './dynalite.js';
import { createPublicationTable } from './publication-tables.js';

let dynamo: LocalDynamo;
let handler: (e: APIGatewayProxyEvent) => Promise<{ statusCode: number; headers?: Record<string, unknown>; body: string }>;

beforeAll(async () => {
  dynamo = await startDynalite();
  const tableName = await createPublicationTable(dynamo);
  Object.assign(process.env, {
    CASE_TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    PUBLIC_BASE_URL: OPTIONS.publicBaseUrl,
    COORDINATOR_NAME: OPTIONS.coordinatorName,
    CVE_ORG_ID: OPTIONS.cveOrgId,
    COORDINATOR_EMAILS: 'cert@cvd.example',
  });
  await publishDocuments({ notes: new DynamoDbNoteStore({ client: dynamo.client, tableName }) }, singleVendorFixed().state, {
    ...OPTIONS,
    osvPrefix: 'CVD',
    cveMode: 'pool',
    requireCveIds: true,
  });
  ({ handler } = await import('../../functions/handlers/api/public-notes.js'));
});
afterAll(async () => {
  await dynamo.close();
});

const event = (
  resource: string,
  pathParameters: Record<string, string> | null = null,
  headers: Record<string, string> = {},
): APIGatewayProxyEvent =>
  ({
    resource,
    path: resource,
    httpMethod: 'GET',
    headers,
    pathParameters,
    queryStringParameters: null,
  }) as unknown as APIGatewayProxyEvent;

describe('public-notes handler', () => {
  it('serves a published note, its page, and 404 for anything else', async () => {
    const json = await handler(event('/notes/{id}', { id: 'VU#100001' }, { Accept: 'application/json' }));
    const page = await handler(event('/notes/{id}', { id: 'VU#100001' }, { Accept: 'text/html' }));
    const missing = await handler(event('/notes/{id}', { id: 'VU#424242' }));
    const list = await handler(event('/notes'));
    const sec = await handler(event('/.well-known/security.txt'));

    expect(json.statusCode).toBe(200);
    expect(JSON.parse(json.body)).toMatchObject({ noteId: 'VU#100001' });
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(list.body).notes).toHaveLength(1);
    expect(sec.body).toContain('Contact: mailto:cert@cvd.example');
  });

  it('answers an id too long for a table key with the same 404, not a DynamoDB error', async () => {
    const missing = await handler(event('/notes/{id}', { id: 'VU#424242' }));
    const long = 'x'.repeat(3000);
    for (const [resource, params] of [
      ['/notes/{id}', { id: long }],
      ['/notes/{id}', { id: `${long}.html` }],
      ['/notes/{id}/csaf.json', { id: long }],
      ['/notes/{id}/cve/{cveId}', { id: long, cveId: 'CVE-2026-10001.json' }],
      ['/notes/{id}/cve/{cveId}', { id: 'VU#100001', cveId: long }],
    ] as const) {
      const r = await handler(event(resource, params));
      expect(r.statusCode, resource).toBe(404);
      expect(r.body, resource).toBe(missing.body);
    }
  });
});
