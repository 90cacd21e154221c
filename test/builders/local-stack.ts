// Boots the whole local stack (in memory, random ports, a clock moved by hand) and talks to it
// over HTTP only, as a reporter, a vendor or a coordinator would.
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../lib/local/runtime.js';
import { readTemplate, synthesizeTemplate, type LocalTemplate } from '../../lib/local/template.js';
import { T0 } from './case.js';
import { cached } from './template-cache.js';

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface Mail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** The parts the SES stand-in did not take for the body (a PGP/MIME mail's encrypted part), base64. */
  attachments?: { content: string; contentType: string; filename?: string }[];
  at: number;
}

export interface E2E {
  stack: LocalStack;
  coordinator: string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<HttpReply>;
  /** The /_local routes, with the dev token they require. */
  mail(): Promise<Mail[]>;
  now(): Promise<string>;
  advance(duration: string): Promise<void>;
  to(at: string): Promise<void>;
  stop(): Promise<void>;
}

// One template per CDK context, shared by the stacks of a test file.
const templates = new Map<string, Promise<LocalTemplate>>();

export async function bootStack(
  opts: {
    dataDir?: string;
    start?: string;
    realTime?: boolean;
    keepMail?: boolean;
    consoleSignIn?: LocalStackOptions['consoleSignIn'];
    context?: Record<string, unknown>;
    cveApiKey?: string;
  } = {},
): Promise<E2E> {
  const key = JSON.stringify(opts.context ?? {});
  let template = templates.get(key);
  if (!template) {
    template = cached('local-stack', opts.context ?? {}, () => synthesizeTemplate(opts.context)).then(readTemplate);
    templates.set(key, template);
  }
  const stack = await startLocalStack({
    port: 0,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : { inMemory: true }),
    // realTime: the clock runs as under `npm start` (moved only forward by POST /_local/clock).
    ...(opts.realTime ? {} : { manualClockStart: opts.start ?? T0 }),
    template: await template,
    ...(opts.cveApiKey === undefined ? {} : { cveApiKey: opts.cveApiKey }),
    devToken: 'e2e-dev-token',
    coordinatorEmail: 'coord@cert.example',
    ...(opts.consoleSignIn ? { consoleSignIn: opts.consoleSignIn } : {}),
  });
  // The SES emulator keeps its inbox in module state, shared by every stack of this process.
  if (!opts.keepMail) await fetch(`${stack.mailUrl}/clear-store`, { method: 'POST' });
  const call: E2E['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const r = await fetch(`${stack.apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await r.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    await stack.settle();
    return { status: r.status, headers: r.headers, text, json };
  };
  const local = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, { token: stack.devToken, ...(body !== undefined ? { body } : {}) });
    if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  return {
    stack,
    coordinator: stack.devToken,
    call,
    mail: async () => ((await local('GET', '/_local/mail')) as { emails: Mail[] }).emails,
    now: async () => ((await local('GET', '/_local/clock')) as { now: string }).now,
    advance: async (duration) => void (await local('POST', '/_local/clock', { advance: duration })),
    to: async (at) => void (await local('POST', '/_local/clock', { to: at })),
    stop: () => stack.stop(),
  };
}
