// GET /openapi.json and GET /health: no table, no SDK client. Thin: functions/app/api/openapi.ts.
import { serviceInfoApi } from '../../app/api/openapi.js';
import { apiHandler } from '../http-entry.js';

export const handler = apiHandler(serviceInfoApi, () => null);
