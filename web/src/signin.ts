// The console's hosted sign-in: OAuth 2.0 authorization code with PKCE (RFC 7636), as Cognito's
// hosted sign-in offers it on AWS. The console asks /console/config.json whether there is one;
// without one (the local stack) it asks for the dev token instead. No secret is involved: the
// code verifier lives in this tab's sessionStorage between the redirect and the return.
import type { ConsoleConfig, HostedSignIn } from '../../lib/web-routes.js';
import { authorizeUrl, codeChallenge, randomToken, readReturn, tokenRequestBody } from './oauth.js';

export { signOutUrl } from './oauth.js';
export type { ConsoleConfig, HostedSignIn };

const PENDING_KEY = 'cvd-sign-in-pending';

/** Reads the console's settings; a missing or unreadable file means the dev-token prompt. */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  try {
    const r = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
    if (!r.ok) return { signIn: null };
    const body = (await r.json()) as Partial<ConsoleConfig>;
    const s = body.signIn;
    const ok =
      s &&
      [s.authorizeUrl, s.tokenUrl, s.logoutUrl, s.clientId, s.redirectUri, s.scope].every((v) => typeof v === 'string' && v.length > 0);
    return { signIn: ok ? s : null };
  } catch {
    return { signIn: null };
  }
}

/** Sends the browser to the sign-in service. */
export async function startSignIn(cfg: HostedSignIn): Promise<void> {
  const state = randomToken();
  const verifier = randomToken();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier }));
  location.assign(authorizeUrl(cfg, state, await codeChallenge(verifier)));
}

/**
 * Completes a return from the sign-in service: checks the state against the one this tab sent,
 * trades the code for tokens, and removes code and state from the address bar. Resolves to the
 * ID token (what the API's Cognito authorizer takes), or null when there was no return to handle.
 */
export async function finishSignIn(cfg: HostedSignIn): Promise<string | null> {
  const back = readReturn(location.search);
  if (back.kind === 'none') return null;
  const pending = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (back.kind === 'error') throw new Error(back.message);
  let sent: { state?: string; verifier?: string } = {};
  try {
    sent = pending ? (JSON.parse(pending) as typeof sent) : {};
  } catch {
    /* unreadable: treated as not started here */
  }
  if (!sent.state || !sent.verifier || sent.state !== back.state)
    throw new Error('This sign-in was not started from this tab. Sign in again.');
  let r: Response;
  try {
    r = await fetch(cfg.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(cfg, back.code, sent.verifier),
    });
  } catch {
    throw new Error('The sign-in service could not be reached. Check your connection and sign in again.');
  }
  const body = (await r.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown; error_description?: unknown };
  if (!r.ok || typeof body.id_token !== 'string') {
    throw new Error(
      `Sign-in failed: ${typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `the sign-in service answered ${r.status}`}`,
    );
  }
  return body.id_token;
}
