// Every mutating /cases/{caseId}/... route. Thin: functions/app/api/coordinator.ts.
import { coordinatorCommandsApi } from '../../app/api/coordinator.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { dynamoDirectory } from '../directory-from-env.js';
import { sfnSignals } from '../signals-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { signals: sfnSignals, directory: dynamoDirectory };
export const reads = envPartsOf(parts, 'http');

export const handler = apiHandler('coordinator-commands', coordinatorCommandsApi, () => deps(parts));
