// GET /openapi.json and GET /health: no table, no SDK client. Thin: functions/app/api/openapi.ts.
import { serviceInfoApi } from '../../app/api/openapi.js';
import type { EnvPart } from '../../environment.js';
import { apiHandler } from '../http-entry.js';

// CORS only: no table, no other settings.
export const reads: EnvPart[] = ['http'];

export const handler = apiHandler(serviceInfoApi, () => null);
