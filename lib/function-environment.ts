// Which parts of the handler environment (functions/environment.ts) each function is given, and
// with each part the grant it needs (bindEnvironment in lib/function-defaults.ts): core is the case
// table and the settings, mail the SES identity, links the link secret, signals the state machine,
// cveServices the CVE Services key. Plain data, free of CDK imports: test/infra/
// function-environment.test.ts holds it to what each handler reads (its exported `reads`).
import type { EnvPart } from '../functions/environment.js';
import type { HandlerName } from './table-access.js';

export const functionEnvParts: Readonly<Record<HandlerName, readonly EnvPart[]>> = {
  // API. submit-report starts the case's execution and derives the reporter's link; register-case
  // mails it. No API handler sends mail.
  'submit-report': ['core', 'http', 'signals', 'links'],
  'reporter-case': ['core', 'http', 'signals'],
  'vendor-case': ['core', 'http', 'signals'],
  'coordinator-queries': ['core', 'http'],
  'coordinator-commands': ['core', 'http', 'signals'],
  // Public documents on the site's own origin: no CORS.
  'public-notes': ['core', 'publicNotes'],
  'service-info': ['http'],

  // Workflow steps: those that mail participants their link mint its grant (lib/table-access.ts).
  'locate-case': ['core'],
  'register-case': ['core', 'mail', 'links'],
  'pre-screen': ['core', 'mail'],
  // Completes its own task when the awaited event came first: task signals need no ARN.
  'await-signal': ['core'],
  'request-information': ['core', 'mail', 'links'],
  'notify-declined': ['core', 'mail', 'links'],
  'prepare-outreach': ['core'],
  'notify-vendor': ['core', 'mail', 'links'],
  'open-embargo': ['core', 'mail', 'links'],
  'plan-next-deadline': ['core'],
  'advance-case': ['core', 'mail', 'links'],
  'assign-cve-ids': ['core', 'cveServices'],
  'draft-note': ['core'],
  'share-draft': ['core', 'mail', 'links'],
  'publish-note': ['core'],
  'publish-cve-records': ['core', 'cveServices'],
  'notify-published': ['core', 'mail', 'links'],
  'close-unanswered': ['core', 'mail', 'links'],
  'report-blocked': ['core', 'mail'],
};
