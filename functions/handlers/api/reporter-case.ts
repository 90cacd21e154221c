// GET /reports/{caseId}, POST /reports/{caseId}/messages. Thin: functions/app/api/reports.ts.
import { reporterCaseApi } from '../../app/api/reports.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { sfnSignals } from '../signals-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { signals: sfnSignals };
export const reads = envPartsOf(parts, 'http');

export const handler = apiHandler('reporter-case', reporterCaseApi, () => deps(parts));
