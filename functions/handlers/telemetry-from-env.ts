// The container's telemetry (Powertools, built from the telemetry part of the environment) and the
// wrapper every entry's handler goes through: one invocation's log lines carry its step (the
// handler's name), its request id and its case id; its metrics are flushed when it ends.
import { parseTelemetryEnv } from '../environment.js';
import { randomUUID } from 'node:crypto';
import { type InvocationKeys, PowertoolsTelemetry } from '../adapters/powertools-telemetry.js';
import { setActiveTelemetry } from '../app/telemetry.js';
import { envPart } from './env.js';

let built: PowertoolsTelemetry | undefined;

export function telemetry(): PowertoolsTelemetry {
  if (!built) {
    built = new PowertoolsTelemetry(envPart('telemetry', parseTelemetryEnv));
    setActiveTelemetry(built);
  }
  return built;
}

/** Forgets the built telemetry (the local runtime changes the environment, then rebuilds). */
export function forgetTelemetry(): void {
  built = undefined;
}

/** The Lambda context's one field read here; the local runtime passes it for API calls. */
export interface InvocationContext {
  awsRequestId?: string;
}

// Ids only: anything else a caller sent (a path of a token route, a body) never reaches a log.
const ID = /^[A-Za-z0-9._-]{1,128}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The case an event is about: a workflow step's input, or an API route's {caseId}. */
export function caseIdOf(event: unknown): string | undefined {
  if (!isRecord(event)) return undefined;
  const params = isRecord(event.pathParameters) ? event.pathParameters : {};
  const id = typeof event.caseId === 'string' ? event.caseId : params.caseId;
  return typeof id === 'string' && ID.test(id) ? id : undefined;
}

// An API route's template (/reports/{caseId}), never its path.
const RESOURCE = /^[A-Za-z0-9/{}._+-]{1,200}$/;

/** An API request as logged: its method and route template. */
function request(event: unknown): { method?: string; resource?: string } {
  if (!isRecord(event) || typeof event.httpMethod !== 'string' || typeof event.resource !== 'string') return {};
  return RESOURCE.test(event.resource) && /^[A-Z]{3,7}$/.test(event.httpMethod)
    ? { method: event.httpMethod, resource: event.resource }
    : {};
}

/** A workflow step's outcome as logged: its phase and route, both enums; an API response's status. */
function outcome(result: unknown): { phase?: string; route?: string; status?: number } {
  if (!isRecord(result)) return {};
  const pick = (k: string) => (typeof result[k] === 'string' && ID.test(result[k] as string) ? (result[k] as string) : undefined);
  const phase = pick('phase');
  const route = pick('route');
  return {
    ...(phase === undefined ? {} : { phase }),
    ...(route === undefined ? {} : { route }),
    ...(typeof result.statusCode === 'number' ? { status: result.statusCode } : {}),
  };
}

export function instrumented<E, R>(step: string, handler: (event: E) => Promise<R>): (event: E, context?: InvocationContext) => Promise<R> {
  return async (event, context) => {
    const t = telemetry();
    const caseId = caseIdOf(event);
    const keys: InvocationKeys = { step, requestId: context?.awsRequestId ?? randomUUID(), ...(caseId ? { caseId } : {}) };
    return t.run(keys, async () => {
      const started = Date.now();
      const req = request(event);
      try {
        const result = await handler(event);
        t.log('info', 'done', { ...req, ...outcome(result), durationMs: Date.now() - started });
        return result;
      } catch (e) {
        // The name only: a message may quote what a participant wrote.
        t.log('error', 'failed', { ...req, errorName: e instanceof Error ? e.name : typeof e, durationMs: Date.now() - started });
        throw e;
      }
    });
  };
}
