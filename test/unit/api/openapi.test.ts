// GET /openapi.json: a valid OpenAPI 3.1 document generated from the zod schemas, listing every
// route of docs/api.md with its security and its problem responses; GET /health.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/handlers/api/service-info.js';
import { apiRoutes } from '../../../lib/api-routes.js';
import { anEvent } from '../../builders/http.js';

async function document() {
  const r = await handler(anEvent('GET', '/openapi.json'));
  expect(r.statusCode).toBe(200);
  return JSON.parse(r.body) as {
    openapi: string;
    paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
    components: {
      schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
      securitySchemes: Record<string, unknown>;
    };
  };
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const doc = await document();
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every route of the API, public notes, feeds and health included', async () => {
    const doc = await document();
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(listed.sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('says who may call each route, and answers errors as problem+json', async () => {
    const doc = await document();
    for (const r of apiRoutes) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      const expected = r.auth === 'public' ? [] : r.auth === 'token' ? [{ capabilityToken: [] }] : [{ coordinatorJwt: [] }];
      expect(op?.security, `${r.method} ${r.path}`).toEqual(expected);
      expect(Object.keys(op?.responses ?? {}).some((c) => c.startsWith('4') || c.startsWith('5'))).toBe(true);
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['capabilityToken', 'coordinatorJwt']);
  });

  it('describes the report from the same schema the handler parses with', async () => {
    const doc = await document();
    const report = doc.components.schemas.Report!;
    expect(report.required?.sort()).toEqual(['description', 'product', 'reporter', 'requestedService', 'title', 'vendors']);
    expect(Object.keys(doc.components.schemas.Problem!.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'errors']),
    );
    expect(doc.paths['/reports']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } } },
    });
  });

  it('answers /health without any table or workflow', async () => {
    const r = await handler(anEvent('GET', '/health'));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ status: 'ok' });
  });
});
