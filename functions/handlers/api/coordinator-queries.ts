// GET /cases, /cases/{caseId}, /cases/{caseId}/events. Thin: functions/app/api/coordinator.ts.
import { coordinatorQueriesApi } from '../../app/api/coordinator.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { dynamoDirectory, dynamoHeldMail } from '../directory-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { directory: dynamoDirectory, heldMail: dynamoHeldMail };
export const reads = envPartsOf(parts, 'http');

export const handler = apiHandler('coordinator-queries', coordinatorQueriesApi, () => deps(parts));
