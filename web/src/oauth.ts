// OAuth 2.0 authorization code with PKCE (RFC 7636), the pure parts: URLs, the challenge, and
// reading the return. No DOM: the console uses them (signin.ts) and the unit tests run them in Node.
import type { HostedSignIn } from '../../lib/web-routes.js';

const base64url = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** A fresh random string for the verifier and the state: 32 bytes, base64url. */
export const randomToken = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** The S256 code challenge of a verifier. */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export function authorizeUrl(cfg: HostedSignIn, state: string, challenge: string): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: cfg.redirectUri,
    scope: cfg.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${cfg.authorizeUrl}?${q.toString()}`;
}

/** The token request body for a returned code (application/x-www-form-urlencoded). */
export function tokenRequestBody(cfg: HostedSignIn, code: string, verifier: string): string {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: cfg.clientId,
    code,
    redirect_uri: cfg.redirectUri,
    code_verifier: verifier,
  }).toString();
}

export function signOutUrl(cfg: HostedSignIn): string {
  return `${cfg.logoutUrl}?${new URLSearchParams({ client_id: cfg.clientId, logout_uri: cfg.redirectUri }).toString()}`;
}

export type Return = { kind: 'none' } | { kind: 'code'; code: string; state: string } | { kind: 'error'; message: string };

/** What the sign-in service sent back in the console's query string, if anything. */
export function readReturn(search: string): Return {
  const q = new URLSearchParams(search);
  const error = q.get('error');
  if (error) return { kind: 'error', message: `Sign-in failed: ${q.get('error_description') || error}` };
  const code = q.get('code');
  const state = q.get('state');
  if (code && state) return { kind: 'code', code, state };
  return { kind: 'none' };
}
