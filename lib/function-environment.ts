// Which parts of the handler environment (functions/environment.ts) each function is given, and
// with each part the grant it needs (bindEnvironment in lib/function-defaults.ts): core is the case
// table and the settings, mail the SES identity, links the link secret, signals the state machine,
// cveServices the CVE Services key, telemetry the log level and the metrics' namespace (every
// function). Plain data, free of CDK imports: test/infra/
// function-environment.test.ts holds it to what each handler reads (its exported `reads`).
import type { EnvPart } from '../functions/environment.js';
import type { HandlerName } from './table-access.js';

export const functionEnvParts: Readonly<Record<HandlerName, readonly EnvPart[]>> = {
  // API. submit-report starts the case's execution and derives the reporter's link; register-case
  // mails it. No API handler sends mail.
  'submit-report': ['core', 'http', 'signals', 'links', 'telemetry'],
  'reporter-case': ['core', 'http', 'signals', 'telemetry'],
  'vendor-case': ['core', 'http', 'signals', 'telemetry'],
  'coordinator-queries': ['core', 'http', 'telemetry'],
  'coordinator-commands': ['core', 'http', 'signals', 'telemetry'],
  // Messages and files on every prefix: the only API function with the files.
  'case-conversations': ['core', 'http', 'signals', 'files', 'telemetry'],
  // Public documents on the site's own origin: no CORS.
  'public-notes': ['core', 'publicNotes', 'telemetry'],
  'service-info': ['http', 'telemetry'],

  // Workflow steps: those that mail participants their link mint its grant (lib/table-access.ts).
  'locate-case': ['core', 'telemetry'],
  'register-case': ['core', 'mail', 'links', 'telemetry'],
  'pre-screen': ['core', 'mail', 'telemetry'],
  // Completes its own task when the awaited event came first: task signals need no ARN.
  'await-signal': ['core', 'telemetry'],
  'request-information': ['core', 'mail', 'links', 'telemetry'],
  'notify-declined': ['core', 'mail', 'links', 'telemetry'],
  'prepare-outreach': ['core', 'telemetry'],
  'notify-vendor': ['core', 'mail', 'links', 'telemetry'],
  'open-embargo': ['core', 'mail', 'links', 'telemetry'],
  'plan-next-deadline': ['core', 'telemetry'],
  'advance-case': ['core', 'mail', 'links', 'telemetry'],
  'assign-cve-ids': ['core', 'cveServices', 'telemetry'],
  'draft-note': ['core', 'telemetry'],
  'share-draft': ['core', 'mail', 'links', 'telemetry'],
  'publish-note': ['core', 'telemetry'],
  'publish-cve-records': ['core', 'cveServices', 'telemetry'],
  // Applies the retention rule to the case's files once the note is out.
  'notify-published': ['core', 'mail', 'links', 'files', 'telemetry'],
  'close-unanswered': ['core', 'mail', 'links', 'telemetry'],
  'report-blocked': ['core', 'mail', 'telemetry'],

  // Event handlers. mail-feedback wakes a waiting execution (task signals need no ARN) and mails
  // nobody itself: the workflow tells the coordinators.
  'mail-feedback': ['core', 'telemetry'],
  // Opens cases (starts their execution), tells reply addresses (the link secret), stores files.
  'inbound-mail': ['core', 'signals', 'links', 'files', 'inbound', 'telemetry'],
};

/** What each function given the files part does with the files (lib/case-files.ts grants exactly that). */
export type FileAccess = 'read' | 'write' | 'remove';
export const fileAccess: Readonly<Partial<Record<HandlerName, FileAccess>>> = {
  // Uploads are presigned PUTs; a message's files are checked (and a mismatch discarded) on the
  // way in; downloads are presigned GETs.
  'case-conversations': 'write',
  // The retention rule: every file of a published case (the bucket expires earlier versions).
  'notify-published': 'remove',
  // A received mail's attachments are written to the bucket as an upload would be.
  'inbound-mail': 'write',
};
