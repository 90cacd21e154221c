// A stand-in for Cognito's hosted sign-in, enough to prove the console's PKCE flow in a browser:
// /oauth2/authorize shows a sign-in page and returns a one-time code to the registered redirect
// URI; /oauth2/token checks the verifier against the challenge (S256) and answers with an ID token;
// /logout returns to the sign-out URI. The ID token it hands out is the local stack's dev token,
// which the local API stand-in takes as a coordinator's.
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostedSignIn } from '../../lib/web-routes.js';

export interface FakeSignIn {
  /** The settings the console gets, but for its redirect URI (the stack fills that in). */
  settings: Omit<HostedSignIn, 'redirectUri'>;
  /** What happened, in order: 'authorize', 'sign-in', 'token', 'token-refused: …', 'logout'. */
  log: string[];
  close(): Promise<void>;
}

const CLIENT_ID = 'fake-console-client';

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startFakeSignIn(opts: { idToken: string; redirectUri: () => string }): Promise<FakeSignIn> {
  const log: string[] = [];
  const codes = new Map<string, { challenge: string; redirectUri: string }>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Only the console (the registered redirect URI's origin) may read the token endpoint.
    const cors = { 'access-control-allow-origin': new URL(opts.redirectUri()).origin, vary: 'Origin' };
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      const problems = [
        q.get('response_type') !== 'code' && 'response_type must be code',
        q.get('client_id') !== CLIENT_ID && 'unknown client',
        q.get('redirect_uri') !== opts.redirectUri() && `redirect_uri ${q.get('redirect_uri')} is not registered`,
        q.get('code_challenge_method') !== 'S256' && 'PKCE S256 required',
        !q.get('code_challenge') && 'no code_challenge',
        !q.get('state') && 'no state',
      ].filter(Boolean);
      log.push(problems.length ? `authorize-refused: ${problems.join('; ')}` : 'authorize');
      if (problems.length) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(problems.join('\n'));
        return;
      }
      // The sign-in page: one button, posting the request on.
      const hidden = [...q].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><title>Sign in</title><link rel="icon" href="data:,"><h1>Fake hosted sign-in</h1><form method="post" action="/login">${hidden}<label>Username <input name="username" value="coordinator@cert.example"></label><button>Sign in</button></form>`,
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const f = new URLSearchParams(await readBody(req));
      const code = randomBytes(16).toString('hex');
      codes.set(code, { challenge: f.get('code_challenge') ?? '', redirectUri: f.get('redirect_uri') ?? '' });
      log.push('sign-in');
      const back = new URL(f.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', f.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (req.method === 'OPTIONS' && url.pathname === '/oauth2/token') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      const f = new URLSearchParams(await readBody(req));
      const code = f.get('code') ?? '';
      const issued = codes.get(code);
      codes.delete(code); // one use only
      const problem =
        f.get('grant_type') !== 'authorization_code'
          ? 'unsupported_grant_type'
          : f.get('client_id') !== CLIENT_ID
            ? 'invalid_client'
            : !issued || issued.redirectUri !== f.get('redirect_uri')
              ? 'invalid_grant'
              : s256(f.get('code_verifier') ?? '') !== issued.challenge
                ? 'invalid_grant'
                : null;
      if (problem) {
        log.push(`token-refused: ${problem}`);
        json(400, { error: problem });
        return;
      }
      log.push('token');
      json(200, { id_token: opts.idToken, access_token: 'fake-access-token', token_type: 'Bearer', expires_in: 3600 });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/logout') {
      log.push('logout');
      res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' });
      res.end();
      return;
    }
    res.writeHead(404);
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    settings: {
      authorizeUrl: `${origin}/oauth2/authorize`,
      tokenUrl: `${origin}/oauth2/token`,
      logoutUrl: `${origin}/logout`,
      clientId: CLIENT_ID,
      scope: 'openid email profile',
    },
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
