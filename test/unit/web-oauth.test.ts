// The console's PKCE sign-in, the parts that need no browser (web/src/oauth.ts).
import { describe, expect, it } from 'vitest';
import { authorizeUrl, codeChallenge, randomToken, readReturn, signOutUrl, tokenRequestBody } from '../../web/src/oauth.js';
import type { HostedSignIn } from '../../lib/web-routes.js';

const cfg: HostedSignIn = {
  authorizeUrl: 'https://cvd-1.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
  tokenUrl: 'https://cvd-1.auth.eu-west-1.amazoncognito.com/oauth2/token',
  logoutUrl: 'https://cvd-1.auth.eu-west-1.amazoncognito.com/logout',
  clientId: 'client123',
  redirectUri: 'https://d111.cloudfront.net/console/',
  scope: 'openid email profile',
};

describe('the console sign-in', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers and states of 256 random bits, base64url', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });

  it('asks for a code with the challenge, back to the console', () => {
    const u = new URL(authorizeUrl(cfg, 'st', 'ch'));
    expect(`${u.origin}${u.pathname}`).toBe(cfg.authorizeUrl);
    expect(Object.fromEntries(u.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d111.cloudfront.net/console/',
      scope: 'openid email profile',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('trades the code with its verifier, and signs out back to the console', () => {
    expect(Object.fromEntries(new URLSearchParams(tokenRequestBody(cfg, 'c0de', 'v3r')))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'c0de',
      redirect_uri: 'https://d111.cloudfront.net/console/',
      code_verifier: 'v3r',
    });
    expect(new URL(signOutUrl(cfg)).searchParams.get('logout_uri')).toBe('https://d111.cloudfront.net/console/');
  });

  it('reads what came back: a code with its state, an error in words, or nothing', () => {
    expect(readReturn('?code=abc&state=xyz')).toEqual({ kind: 'code', code: 'abc', state: 'xyz' });
    expect(readReturn('?error=access_denied&error_description=User+is+disabled')).toEqual({
      kind: 'error',
      message: 'Sign-in failed: User is disabled',
    });
    expect(readReturn('?code=abc')).toEqual({ kind: 'none' });
    expect(readReturn('')).toEqual({ kind: 'none' });
  });
});
