// /vendor/cases/{caseId}[/acknowledge|/status|/messages]. Thin: functions/app/api/vendor.ts.
import { vendorCaseApi } from '../../app/api/vendor.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { sfnSignals } from '../signals-from-env.js';

export const handler = apiHandler(vendorCaseApi, () => deps({ signals: sfnSignals }));
