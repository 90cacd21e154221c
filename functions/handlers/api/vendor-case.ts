// /vendor/cases/{caseId}[/acknowledge|/status|/messages]. Thin: functions/app/api/vendor.ts.
import { vendorCaseApi } from '../../app/api/vendor.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { sfnSignals } from '../signals-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { signals: sfnSignals };
export const reads = envPartsOf(parts, 'http');

export const handler = apiHandler('vendor-case', vendorCaseApi, () => deps(parts));
