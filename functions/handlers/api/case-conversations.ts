// Messages and files on every caller's prefix (/cases, /reports, /vendor/cases …/messages,
// …/attachments) and the files' retention. Thin: functions/app/api/case-conversations.ts.
import { caseConversationsApi } from '../../app/api/case-conversations.js';
import { s3Files } from '../files-from-env.js';
import { apiHandler } from '../http-entry.js';
import { type Parts, envPartsOf } from '../parts.js';
import { deps } from '../runtime.js';
import { sfnSignals } from '../signals-from-env.js';

const parts: Parts = { signals: sfnSignals, files: s3Files };
export const reads = envPartsOf(parts, 'http');

export const handler = apiHandler('case-conversations', caseConversationsApi, () => deps(parts));
