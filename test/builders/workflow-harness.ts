// The synthesized state machine running on the local engine, its tasks backed by the use cases
// on in-memory twins, and a clock the test moves. Synthesis is shared across a file's tests.
import { type AslDefinition, logicalIdOfFunctionArn, resolveDefinition, templateFunctions } from '../../lib/asl.js';
import { createCvdApp } from '../../lib/cvd-stack.js';
import { Clock } from '../../lib/local/clock.js';
import { LocalWorkflowEngine } from '../../lib/local/engine.js';
import type { WorkflowSignals } from '../../functions/adapters/signals.js';
import type { AppDeps } from '../../functions/app/deps.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import * as pub from '../../functions/app/publication-steps.js';
import * as cve from '../../functions/app/cve-ids.js';
import { Template } from 'aws-cdk-lib/assertions';
import { type TestApp, aTestApp } from './app.js';
import { T0 } from './case.js';
import { cachedSync } from './template-cache.js';

type StepFn = (deps: AppDeps, input: wf.StepInput) => Promise<wf.Step>;

/** The use case behind each workflow function, as its entry file wires it (functions/handlers/workflow). */
export const WORKFLOW_STEPS: Record<string, StepFn> = {
  'locate-case': wf.locateCase,
  'register-case': wf.registerCase,
  'pre-screen': preScreen,
  'await-signal': wf.awaitSignal,
  'request-information': wf.requestInformation,
  'notify-declined': wf.notifyDeclined,
  'prepare-outreach': wf.prepareOutreach,
  'notify-vendor': wf.notifyVendor,
  'open-embargo': wf.openEmbargo,
  'plan-next-deadline': wf.planNextDeadline,
  'advance-case': wf.advance,
  'assign-cve-ids': cve.assignCveIds,
  'draft-note': wf.draftNote,
  'share-draft': wf.shareDraft,
  'publish-note': pub.publishNote,
  'publish-cve-records': cve.publishCveRecords,
  'notify-published': wf.notifyPublished,
  'close-unanswered': wf.closeAsInvalid,
  'report-blocked': wf.reportBlocked,
};

let synthesized: { definition: AslDefinition; handlerByArn: Map<string, string> } | undefined;

export function synthesizedWorkflow() {
  if (synthesized) return synthesized;
  const template = cachedSync('workflow', {}, () => {
    const { stack } = createCvdApp({ context: { 'aws:cdk:bundling-stacks': [] }, templateValidation: false });
    return Template.fromStack(stack).toJSON();
  });
  const definition = resolveDefinition(template);
  const handlerByArn = new Map(templateFunctions(template).map((f) => [f.arn, f.handlerName]));
  synthesized = { definition, handlerByArn };
  return synthesized;
}

export interface WorkflowHarness extends TestApp {
  engine: LocalWorkflowEngine;
  time: Clock;
  /** Moves the clock to `at`, firing every timer that falls due, and lets the workflow run. */
  advanceTo(at: string): Promise<void>;
  settle(): Promise<void>;
  /** The waiting state of the case's execution, if it waits. */
  waitingState(): string | undefined;
}

export function aWorkflowHarness(opts: { failStep?: (handler: string, input: unknown) => Error | undefined } = {}): WorkflowHarness {
  const { definition, handlerByArn } = synthesizedWorkflow();
  const app = aTestApp();
  const time = new Clock({ manualStart: T0 });
  app.deps.now = () => time.now();
  let engine!: LocalWorkflowEngine;
  const signals: WorkflowSignals = {
    succeed: async (token, output) => engine.succeed(token, output),
    fail: async (token, error, cause) => engine.fail(token, error, cause),
    start: async (name, input) => engine.start(name, input),
  };
  app.deps.signals = signals;
  engine = new LocalWorkflowEngine({
    definition,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:CaseWorkflow',
    clock: time,
    resolveFunction: (arn) => {
      const handler = handlerByArn.get(arn) ?? (logicalIdOfFunctionArn(arn) ? undefined : undefined);
      const step = handler ? WORKFLOW_STEPS[handler] : undefined;
      if (!handler || !step) throw new Error(`no workflow step for ${arn}`);
      return async (input) => {
        const injected = opts.failStep?.(handler, input);
        if (injected) throw injected;
        return step(app.deps, wf.parseStepInput(input));
      };
    },
  });
  const settle = () => engine.settle();
  return {
    ...app,
    engine,
    time,
    settle,
    advanceTo: (at) => time.advanceTo(Date.parse(at), settle),
    waitingState: () => engine.waiting()[0]?.state,
  };
}
