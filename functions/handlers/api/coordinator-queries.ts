// GET /cases, /cases/{caseId}, /cases/{caseId}/events. Thin: functions/app/api/coordinator.ts.
import { coordinatorQueriesApi } from '../../app/api/coordinator.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { envPartsOf } from '../parts.js';

export const reads = envPartsOf({}, 'http');

export const handler = apiHandler('coordinator-queries', coordinatorQueriesApi, () => deps());
