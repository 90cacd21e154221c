// A case driven through the workflow's own steps to an open embargo on the in-memory app: reported,
// accepted, Acme's address confirmed and contacted. For tests of what the workflow mails next.
import { execute } from '../../functions/app/commands.js';
import { submit } from '../../functions/app/inbox.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import type { TestApp } from './app.js';
import { COORDINATOR, REPORTER, aReport } from './case.js';

export async function embargoedThroughSteps(app: TestApp, caseId: string): Promise<void> {
  await execute(app.deps, caseId, { type: 'submit-report', caseId, report: aReport() }, REPORTER);
  await wf.registerCase(app.deps, { caseId });
  await preScreen(app.deps, { caseId });
  await submit(app.deps, caseId, { type: 'decide-triage', decision: 'accept', comment: 'ok' }, COORDINATOR);
  await wf.advance(app.deps, { caseId });
  await execute(
    app.deps,
    caseId,
    { type: 'update-vendor', vendorId: 'vendor-1', contacts: [{ email: 'psirt@acme.example' }] },
    COORDINATOR,
  );
  const out = await wf.prepareOutreach(app.deps, { caseId });
  for (const v of out.vendors ?? []) await wf.notifyVendor(app.deps, { caseId, vendorId: v.vendorId });
  await wf.openEmbargo(app.deps, { caseId });
}
