// CORS on the handlers' replies: only for an origin configured by name (pages served elsewhere),
// never a wildcard, even when one slips into the list: the replies hold embargoed reports.
import { describe, expect, it } from 'vitest';
import { json, withCors } from '../../../functions/app/api/http.js';
import { anEvent } from '../../builders/http.js';

const SITE = 'https://cvd.example.org';
const reply = json(200, { ok: true });
const from = (origin?: string) => anEvent('GET', '/health', origin === undefined ? {} : { headers: { Origin: origin } });

describe('withCors', () => {
  it('echoes a configured origin, and says the reply varies by Origin', () => {
    const r = withCors(reply, from(SITE), [SITE, 'https://console.example.org']);
    expect(r.headers).toMatchObject({ 'Access-Control-Allow-Origin': SITE, Vary: 'Origin' });
    expect(r.body).toBe(reply.body);
  });

  it('adds nothing for another origin, no origin, or no configured origin', () => {
    for (const [origin, allowed] of [
      ['https://evil.example', [SITE]],
      [`${SITE}.evil.example`, [SITE]],
      [undefined, [SITE]],
      [SITE, []],
    ] as const) {
      expect(withCors(reply, from(origin), allowed).headers, String(origin)).not.toHaveProperty('Access-Control-Allow-Origin');
    }
  });

  it('never answers with a wildcard, nor treats one in the list as "any origin"', () => {
    expect(withCors(reply, from('https://evil.example'), ['*']).headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(withCors(reply, from('*'), ['*']).headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(withCors(reply, from(SITE), ['*', SITE]).headers).toMatchObject({ 'Access-Control-Allow-Origin': SITE });
  });
});
