// POST /reports. Thin: the use case is submitReport in functions/app/api/reports.ts.
import { submitReportApi } from '../../app/api/reports.js';
import { apiHandler } from '../http-entry.js';
import { deps } from '../runtime.js';
import { secretLinks } from '../links-from-env.js';
import { sfnSignals } from '../signals-from-env.js';
import { type Parts, envPartsOf } from '../parts.js';

const parts: Parts = { signals: sfnSignals, links: secretLinks };
export const reads = envPartsOf(parts, 'http');

export const handler = apiHandler('submit-report', submitReportApi, () => deps(parts));
