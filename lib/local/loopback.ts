// The emulators behind `npm start` (DynamoDB, SES, Step Functions) check no credentials, and
// dynalite answers any Origin with `Access-Control-Allow-Origin: *`: a web page the developer
// visits could read or change every case. They serve this process's SDK clients, which send no
// Origin and name 127.0.0.1 as the host; anything else is refused before the emulator sees it.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackGuard {
  /** The emulator serves pages of its own (the SES inbox), which may call it from its origin. */
  ownPages?: boolean;
  /** Pages elsewhere that may call it (the S3 stand-in: the product's pages upload there). Read per request. */
  pageOrigins?: () => readonly string[];
}

/** Why a request is refused, or null to let the emulator answer it. */
export function refusal(req: IncomingMessage, port: number, opts: LoopbackGuard = {}): string | null {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  // A page of another site reaching this port through DNS rebinding names that site as the host.
  if (!hosts.includes(String(req.headers.host ?? '').toLowerCase())) return 'this emulator answers only requests to 127.0.0.1';
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (opts.ownPages && hosts.some((h) => origin.toLowerCase() === `http://${h}`)) return null;
  if (opts.pageOrigins?.().includes(origin)) return null;
  return 'this emulator answers only this machine’s SDK clients, not web pages';
}

/** Puts the check in front of every request listener the server already has (call after listen). */
export function loopbackOnly(server: Server, opts: LoopbackGuard = {}): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const why = refusal(req, (server.address() as AddressInfo).port, opts);
    if (why === null) {
      for (const listener of listeners) listener.call(server, req, res);
      return;
    }
    req.resume();
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${why}\n`);
  });
}
