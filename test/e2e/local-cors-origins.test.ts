// CORS for pages served elsewhere (the `allowedOrigins` setting) works on `npm start` as on AWS:
// each configured origin by name, never a wildcard, and never on the /_local routes.
import { describe, expect, it } from 'vitest';
import { readTemplate, synthesizeTemplate } from '../../lib/local/template.js';
import { startLocalStack } from '../../lib/local/runtime.js';

const EVIL = 'https://evil.example';

describe('with CORS origins configured for a site elsewhere', () => {
  it('answers those origins by name, and still no other', async () => {
    const SITE = 'https://cvd.example.org';
    const template = readTemplate(await synthesizeTemplate({ allowedOrigins: [SITE] }));
    const stack = await startLocalStack({ port: 0, inMemory: true, template, devToken: 'cors-dev-token', quiet: true });
    try {
      const preflight = (origin: string) =>
        fetch(`${stack.apiUrl}/reports`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      const allowed = await preflight(SITE);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
      expect((await preflight(EVIL)).headers.get('access-control-allow-origin')).toBeNull();

      const health = (origin: string) => fetch(`${stack.apiUrl}/health`, { headers: { origin } });
      const fromSite = await health(SITE);
      expect(fromSite.headers.get('access-control-allow-origin')).toBe(SITE);
      expect(fromSite.headers.get('vary')).toMatch(/Origin/);
      expect((await health(EVIL)).headers.get('access-control-allow-origin')).toBeNull();
      // The local routes stay closed to the configured site too.
      const mail = await fetch(`${stack.apiUrl}/_local/mail`, { headers: { origin: SITE, authorization: 'Bearer cors-dev-token' } });
      expect(mail.status).toBe(200);
      expect(mail.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await stack.stop();
    }
  });
});
