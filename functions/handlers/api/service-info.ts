// GET /openapi.json and GET /health: no table, no SDK client. Thin: functions/app/api/openapi.ts.
import { serviceInfoApi } from '../../app/api/openapi.js';
import type { EnvPart } from '../../environment.js';
import { apiHandler } from '../http-entry.js';

// CORS and telemetry only: no table, no other settings.
export const reads: EnvPart[] = ['http', 'telemetry'];

export const handler = apiHandler('service-info', serviceInfoApi, () => null);
