// Every mutating /cases/{caseId}/... route. Thin: functions/app/api/coordinator.ts.
import { coordinatorCommandsApi } from '../../app/api/coordinator.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { sfnSignals } from '../signals-from-env.js';

export const handler = apiHandler(coordinatorCommandsApi, () => deps({ signals: sfnSignals }));
