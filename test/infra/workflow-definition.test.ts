import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allStates,
  logicalIdOfFunctionArn,
  resolveDefinition,
  templateFunctions,
  type AslDefinition,
  type AslState,
} from '../../lib/asl.js';
import { BlockingError, Phase, State, TransientError, WaitKind } from '../../lib/workflow-states.js';
import { asArray, isRecord, synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
let definition: AslDefinition;
let states: Map<string, AslState>;

beforeAll(() => {
  synth = synthesize();
  definition = resolveDefinition(synth.json);
  states = new Map(allStates(definition));
});

const state = (name: string): AslState => {
  const found = states.get(name);
  if (found === undefined) throw new Error(`no state ${name}`);
  return found;
};

const tasks = (): Array<[string, AslState]> => [...states].filter(([, s]) => s.Type === 'Task');

/** The handler name (cvd:handler-name) of the function a Task state invokes. */
const handlerOf = (task: AslState): string | undefined => {
  const parameters = isRecord(task.Parameters) ? task.Parameters : {};
  const arn = typeof parameters.FunctionName === 'string' ? parameters.FunctionName : task.Resource;
  const logicalId = typeof arn === 'string' ? logicalIdOfFunctionArn(arn) : undefined;
  return templateFunctions(synth.json).find((fn) => fn.logicalId === logicalId)?.handlerName;
};

const isWaitForTaskToken = (task: AslState): boolean => typeof task.Resource === 'string' && task.Resource.endsWith('.waitForTaskToken');

interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}
const catchers = (s: AslState): Catcher[] => asArray(s.Catch as Catcher[] | undefined);

interface ChoiceRule {
  Next: string;
  [key: string]: unknown;
}
/** Choice state: the values compared with StringEquals in each rule, mapped to its Next. */
const choiceTargets = (name: string): Record<string, string> => {
  const choice = state(name);
  const targets: Record<string, string> = {};
  const collect = (rule: unknown, next: string): void => {
    if (!isRecord(rule)) return;
    if (typeof rule.StringEquals === 'string') targets[rule.StringEquals] = next;
    for (const key of ['And', 'Or']) for (const inner of asArray(rule[key] as unknown[])) collect(inner, next);
  };
  for (const rule of asArray(choice.Choices as ChoiceRule[] | undefined)) collect(rule, rule.Next);
  if (typeof choice.Default === 'string') targets['(default)'] = choice.Default;
  return targets;
};

describe('the case workflow definition', () => {
  it('resolves to plain ASL that asl-validator accepts', () => {
    // asl-validator writes QueryLanguage into every state: give it a copy.
    const result = aslValidator(structuredClone(definition));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    expect(definition.StartAt).toBe(State.LocateCase);
  });

  it('uses JSONPath only: no JSONata, no Assign, no Arguments or Output fields', () => {
    expect(definition.QueryLanguage).toBeUndefined();
    for (const [name, s] of states) {
      expect(s.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
      for (const field of ['Assign', 'Arguments', 'Output']) expect(s[field], `${name}.${field}`).toBeUndefined();
    }
    expect(JSON.stringify(definition)).not.toMatch(/\{%|"Assign"|JSONata/);
  });

  it('names every state uniquely across the whole definition, Map item processor included', () => {
    const names = allStates(definition).map(([name]) => name);
    expect(names.length).toBe(new Set(names).size);
  });

  it('has exactly the states named in the State constants', () => {
    expect([...states.keys()].sort()).toEqual([...new Set(Object.values(State))].sort());
  });

  it('gives every task that waits for a token an explicit timeout', () => {
    const waits = tasks().filter(([, s]) => isWaitForTaskToken(s));
    expect(waits.map(([name]) => name).sort()).toEqual(
      [
        State.AwaitTriageDecision,
        State.AwaitInformation,
        State.AwaitCaseEvent,
        State.AwaitPublicationDecision,
        State.AwaitPublicationDate,
        State.AwaitUnblock,
      ].sort(),
    );
    for (const [name, s] of waits) {
      expect(s.TimeoutSeconds !== undefined || s.TimeoutSecondsPath !== undefined, name).toBe(true);
    }
  });

  it('waits with the configured default durations, or for the seconds a handler computed', () => {
    expect(state(State.AwaitTriageDecision).TimeoutSeconds).toBe(48 * 3600);
    expect(state(State.AwaitInformation).TimeoutSeconds).toBe(14 * 86400);
    expect(state(State.AwaitUnblock).TimeoutSeconds).toBe(86400);
    for (const name of [State.AwaitCaseEvent, State.AwaitPublicationDecision, State.AwaitPublicationDate]) {
      expect(state(name).TimeoutSecondsPath, name).toBe('$.waitSeconds');
    }
  });

  it('passes await-signal the case, the kind of wait and the task token, and keeps the Step', () => {
    const kinds: Record<string, string> = {
      [State.AwaitTriageDecision]: WaitKind.Triage,
      [State.AwaitInformation]: WaitKind.Information,
      [State.AwaitCaseEvent]: WaitKind.CaseEvent,
      [State.AwaitPublicationDecision]: WaitKind.PublicationDecision,
      [State.AwaitPublicationDate]: WaitKind.PublicationDate,
      [State.AwaitUnblock]: WaitKind.Unblock,
    };
    for (const [name, kind] of Object.entries(kinds)) {
      const s = state(name);
      expect(handlerOf(s), name).toBe('await-signal');
      expect(s.Parameters, name).toMatchObject({
        Payload: { 'caseId.$': '$.caseId', kind, 'taskToken.$': '$$.Task.Token' },
      });
      expect(s.ResultPath, name).toBeNull();
    }
  });

  it('invokes each workflow handler from the states that need it, with the function ARN as Resource', () => {
    const expected: Record<string, string> = {
      [State.LocateCase]: 'locate-case',
      [State.RegisterCase]: 'register-case',
      [State.PreScreen]: 'pre-screen',
      [State.EscalateTriage]: 'advance-case',
      [State.ApplyTriageDecision]: 'advance-case',
      [State.RequestInformation]: 'request-information',
      [State.CloseAsInvalid]: 'close-unanswered',
      [State.ApplyInformation]: 'advance-case',
      [State.NotifyDeclined]: 'notify-declined',
      [State.PrepareOutreach]: 'prepare-outreach',
      [State.NotifyVendor]: 'notify-vendor',
      [State.OpenEmbargo]: 'open-embargo',
      [State.PlanNextDeadline]: 'plan-next-deadline',
      [State.DeadlineReached]: 'advance-case',
      [State.ApplyCaseEvents]: 'advance-case',
      [State.AssignCveIds]: 'assign-cve-ids',
      [State.DraftNote]: 'draft-note',
      [State.ShareDraft]: 'share-draft',
      [State.RemindPublicationDecision]: 'advance-case',
      [State.ApplyPublicationDecision]: 'advance-case',
      [State.ApplyPublicationEvents]: 'advance-case',
      [State.PublishNote]: 'publish-note',
      [State.PublishCveRecords]: 'publish-cve-records',
      [State.NotifyPublished]: 'notify-published',
      [State.ReportBlocked]: 'report-blocked',
    };
    for (const [name, handler] of Object.entries(expected)) {
      const s = state(name);
      expect(handlerOf(s), name).toBe(handler);
      // payloadResponseOnly: the output is the handler's return, not Lambda's envelope.
      expect(s.Resource, name).toMatch(/^arn:aws:lambda:/);
    }
    expect(state(State.CloseAsInvalid).Parameters).toEqual({ 'caseId.$': '$.caseId' });
    expect(state(State.ApplyCaseEvents).Parameters).toEqual({ 'caseId.$': '$.caseId' });
  });

  it('retries transient Lambda errors and our own with jittered backoff on every task', () => {
    for (const [name, s] of tasks()) {
      const retriers = asArray(s.Retry as Array<Record<string, unknown>> | undefined);
      expect(retriers, name).toContainEqual({
        ErrorEquals: expect.arrayContaining([
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
          'Lambda.Unknown',
          ...TransientError,
        ]) as unknown,
        IntervalSeconds: 2,
        BackoffRate: 2,
        MaxAttempts: 6,
        JitterStrategy: 'FULL',
      });
    }
  });

  it('runs a step that stopped with mail left again at once, many times, before any other retrier (functions/app/turn-budget.ts)', () => {
    for (const [name, s] of tasks()) {
      // The waits (lambda:invoke.waitForTaskToken) only park a token: they send no mail.
      if (!String(s.Resource).startsWith('arn:aws:lambda:')) continue;
      const retriers = asArray(s.Retry as Array<Record<string, unknown>> | undefined);
      expect(retriers[0], name).toEqual({ ErrorEquals: ['WorkRemains'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 60 });
    }
  });

  it('routes a resumed case by its phase, and a published note whose update is not out yet to PublishNote', () => {
    const { 'update-note': update, ...targets } = choiceTargets(State.ResumeRouter);
    expect(update).toBe(State.PublishNote);
    // The update's rule comes first, checked on $.route before the phase.
    const first = asArray(state(State.ResumeRouter).Choices as ChoiceRule[] | undefined)[0];
    expect(JSON.stringify(first)).toContain('"Variable":"$.route","IsPresent":true');
    expect(targets).toEqual({
      intake: State.RegisterCase,
      triage: State.PreScreen,
      outreach: State.PrepareOutreach,
      embargo: State.PlanNextDeadline,
      'draft-review': State.AssignCveIds,
      publication: State.AwaitPublicationDate,
      published: State.Published,
      declined: State.Declined,
      closed: State.Closed,
      '(default)': State.RegisterCase,
    });
    expect(
      Object.keys(targets)
        .filter((key) => key !== '(default)')
        .sort(),
    ).toEqual([...Phase].sort());
    expect(state(State.LocateCase).Next).toBe(State.ResumeRouter);
  });

  it('routes triage decisions, information replies, the embargo loop and publication decisions', () => {
    expect(choiceTargets(State.TriageRoute)).toEqual({
      accept: State.PrepareOutreach,
      decline: State.NotifyDeclined,
      'request-info': State.RequestInformation,
      prescreen: State.PreScreen,
      wait: State.AwaitTriageDecision,
      closed: State.Closed,
      '(default)': State.LocateCase,
    });
    expect(choiceTargets(State.InformationRoute)).toEqual({
      closed: State.Closed,
      prescreen: State.PreScreen,
      wait: State.AwaitInformation,
      'request-info': State.AwaitInformation,
      '(default)': State.LocateCase,
    });
    expect(choiceTargets(State.EmbargoRoute)).toEqual({
      // The turn's own Step carries the wait (waitSeconds), so no second read of the case.
      embargo: State.AwaitCaseEvent,
      // Still in outreach (no vendor reachable yet): back through PrepareOutreach once one is.
      accept: State.PrepareOutreach,
      'draft-review': State.AssignCveIds,
      closed: State.Closed,
      published: State.Published,
      '(default)': State.LocateCase,
    });
    expect(choiceTargets(State.PublicationRoute)).toEqual({
      approve: State.AwaitPublicationDate,
      publish: State.PublishNote,
      revise: State.DraftNote,
      'draft-review': State.AssignCveIds,
      wait: State.AwaitPublicationDecision,
      closed: State.Closed,
      '(default)': State.LocateCase,
    });
    expect(choiceTargets(State.PublicationDateRoute)).toEqual({
      publish: State.PublishNote,
      approve: State.AwaitPublicationDate,
      revise: State.DraftNote,
      wait: State.AwaitPublicationDecision,
      closed: State.Closed,
      '(default)': State.LocateCase,
    });
  });

  it('checks that a route is present before comparing it, so a Step without one takes the default', () => {
    for (const name of [State.TriageRoute, State.EmbargoRoute, State.PublicationRoute]) {
      for (const rule of asArray(state(name).Choices as Array<Record<string, unknown>> | undefined)) {
        expect(rule.And, name).toContainEqual({ Variable: '$.route', IsPresent: true });
      }
    }
  });

  it('follows the happy path from registration to publication', () => {
    const next = (name: string): unknown => state(name).Next;
    expect(next(State.RegisterCase)).toBe(State.PreScreen);
    expect(next(State.PreScreen)).toBe(State.AwaitTriageDecision);
    expect(next(State.AwaitTriageDecision)).toBe(State.ApplyTriageDecision);
    expect(next(State.ApplyTriageDecision)).toBe(State.TriageRoute);
    expect(next(State.PrepareOutreach)).toBe(State.ContactVendors);
    expect(next(State.ContactVendors)).toBe(State.OpenEmbargo);
    expect(next(State.OpenEmbargo)).toBe(State.PlanNextDeadline);
    expect(next(State.PlanNextDeadline)).toBe(State.AwaitCaseEvent);
    expect(next(State.AwaitCaseEvent)).toBe(State.ApplyCaseEvents);
    expect(next(State.ApplyCaseEvents)).toBe(State.EmbargoRoute);
    expect(next(State.AssignCveIds)).toBe(State.DraftNote);
    expect(next(State.DraftNote)).toBe(State.ShareDraft);
    expect(next(State.ShareDraft)).toBe(State.AwaitPublicationDecision);
    expect(next(State.AwaitPublicationDecision)).toBe(State.ApplyPublicationDecision);
    expect(next(State.AwaitPublicationDate)).toBe(State.ApplyPublicationEvents);
    expect(next(State.PublishNote)).toBe(State.PublishCveRecords);
    expect(next(State.PublishCveRecords)).toBe(State.NotifyPublished);
    expect(next(State.NotifyPublished)).toBe(State.Published);
    expect(next(State.RequestInformation)).toBe(State.AwaitInformation);
    expect(next(State.AwaitInformation)).toBe(State.ApplyInformation);
    expect(next(State.NotifyDeclined)).toBe(State.Declined);
    for (const end of [State.Published, State.Declined, State.Closed]) expect(state(end).Type).toBe('Succeed');
  });

  it('handles each timeout where the workflow can act on it, keeping the Step that waited', () => {
    const onTimeout: Record<string, string> = {
      [State.AwaitTriageDecision]: State.EscalateTriage,
      [State.AwaitInformation]: State.CloseAsInvalid,
      [State.AwaitCaseEvent]: State.DeadlineReached,
      [State.AwaitPublicationDecision]: State.RemindPublicationDecision,
      [State.AwaitPublicationDate]: State.ApplyPublicationEvents,
    };
    for (const [name, target] of Object.entries(onTimeout)) {
      const [first] = catchers(state(name));
      expect(first, name).toEqual({ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: target });
    }
    expect(state(State.EscalateTriage).Next).toBe(State.TriageRoute);
    expect(state(State.CloseAsInvalid).Next).toBe(State.InformationRoute);
    expect(state(State.DeadlineReached).Next).toBe(State.EmbargoRoute);
    expect(state(State.RemindPublicationDecision).Next).toBe(State.PublicationRoute);
  });

  it('parks a case whose step a coordinator must fix in ReportBlocked, then re-routes it', () => {
    const mustCatch = [
      State.AssignCveIds,
      State.PublishNote,
      State.PublishCveRecords,
      State.ContactVendors,
      State.RegisterCase,
      State.NotifyDeclined,
      State.ShareDraft,
      State.NotifyPublished,
      State.EscalateTriage,
      State.DeadlineReached,
    ];
    for (const name of mustCatch) {
      expect(catchers(state(name)), name).toContainEqual({
        ErrorEquals: [...BlockingError],
        ResultPath: '$.error',
        Next: State.ReportBlocked,
      });
    }
    // The blocked loop itself must not catch into itself on a blocking error.
    for (const name of [State.ReportBlocked, State.AwaitUnblock, State.LocateCase]) {
      expect(
        catchers(state(name)).some((c) => c.ErrorEquals.includes('MailRejected')),
        name,
      ).toBe(false);
    }
    expect(state(State.ReportBlocked).Next).toBe(State.AwaitUnblock);
    expect(state(State.AwaitUnblock).Next).toBe(State.LocateCase);
    expect(catchers(state(State.AwaitUnblock))).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: State.ReportBlocked },
    ]);
  });

  it('contacts vendors in a bounded Map that hands each iteration the case and one vendor', () => {
    const map = state(State.ContactVendors);
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.vendors',
      MaxConcurrency: 10,
      ItemSelector: { 'caseId.$': '$.caseId', 'vendorId.$': '$$.Map.Item.Value.vendorId' },
      ResultPath: null,
      ItemProcessor: { StartAt: State.NotifyVendor },
    });
  });
});
