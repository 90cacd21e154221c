// Wraps an API use-case router as a Lambda proxy handler: CORS for the allowed origins
// (ALLOWED_ORIGINS, set by the API construct). It imports no SDK client: each entry passes the
// dependencies it needs, so service-info's bundle carries none.
import { parseHttpEnv } from '../environment.js';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ApiEvent, type ApiResult, withCors } from '../app/api/http.js';
import { envPart } from './env.js';
import { type InvocationContext, instrumented } from './telemetry-from-env.js';

type Api<D> = (deps: () => D, event: ApiEvent) => Promise<ApiResult>;

const origins = (): string[] => envPart('http', parseHttpEnv).allowedOrigins;

/**
 * `deps` runs at most once per request, and only for routes that need it (runtime.deps caches per
 * container). `step` names the function in its log lines.
 */
export function apiHandler<D>(
  step: string,
  api: Api<D>,
  deps: () => D,
): (event: APIGatewayProxyEvent, context?: InvocationContext) => Promise<APIGatewayProxyResult> {
  return instrumented(step, async (event: APIGatewayProxyEvent) => withCors(await api(deps, event), event, origins()));
}
