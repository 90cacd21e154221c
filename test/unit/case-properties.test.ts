// Property tests on the fold: any sequence of commands, by any actor, at any pace, leaves the
// case in legal Vultron states, flags never go back, and nothing publishes under an embargo.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type CaseState,
  type Command,
  type StoredEvent,
  DEFAULT_POLICY,
  DomainError,
  EM_STATES,
  RM_STATES,
  addHours,
  apply,
  decide,
  decidePublish,
  emAllows,
  emptyCase,
  fold,
  ms,
  rmAllows,
} from '../../functions/domain/index.js';
import { COORDINATOR, REPORTER, SYSTEM, T0, aCase, aReport, vendorActor } from '../builders/case.js';
import type { VendorReference } from '../../functions/domain/vendor-references.js';

const reachable = <S extends string>(from: S, to: S, allows: (a: S, b: S) => boolean, all: readonly S[]): boolean => {
  const seen = new Set<S>([from]);
  const queue = [from];
  while (queue.length) {
    const cur = queue.shift()!;
    if (cur === to) return true;
    for (const n of all) {
      if (!allows(cur, n) || seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return false;
};

const vulnId = fc.constantFrom('vul-1', 'vul-2');
const vendorId = fc.constantFrom('vendor-1', 'vendor-2', 'vendor-3');
const future = fc.integer({ min: -5, max: 80 }).map((d) => new Date(ms(T0) + d * 86_400_000).toISOString());

type Pick = { command: Command | 'progress'; actor: Actor; advanceHours: number };

/** The next command on the happy path from this state, so random runs also reach publication. */
function progress(s: CaseState, now: string): { command: Command; actor: Actor; now: string } | null {
  if (!s.registeredAt) return { command: { type: 'register' }, actor: SYSTEM, now };
  if (!s.prescreen)
    return {
      command: {
        type: 'record-prescreen',
        scores: {},
        scoreErrors: [],
        triage: {
          recommendation: 'coordinate',
          ssvcOutcome: 'coordinate',
          ssvcInputs: {},
          suggestedReasons: [],
          requestInformation: { suggested: false, missing: [] },
        },
      },
      actor: SYSTEM,
      now,
    };
  if (s.phase === 'triage') return { command: { type: 'decide-triage', decision: 'accept', comment: 'ok' }, actor: COORDINATOR, now };
  if (s.phase === 'outreach') {
    const unconfirmed = s.vendors.find((x) => x.contacts.length === 0 && !x.downstream);
    if (unconfirmed)
      return {
        command: { type: 'update-vendor', vendorId: unconfirmed.vendorId, contacts: [{ email: `psirt@${unconfirmed.vendorId}.example` }] },
        actor: COORDINATOR,
        now,
      };
    const v = s.vendors.find((x) => !x.firstContactAt && !x.downstream);
    return v
      ? { command: { type: 'record-vendor-contact', vendorId: v.vendorId, purpose: 'report' }, actor: SYSTEM, now }
      : { command: { type: 'open-embargo' }, actor: SYSTEM, now };
  }
  if (s.phase === 'embargo') {
    const due =
      s.embargo.state === 'ACTIVE' && s.embargo.endsAt
        ? new Date(Math.max(ms(now), ms(s.embargo.endsAt) - 14 * 86_400_000)).toISOString()
        : now;
    return { command: { type: 'start-draft-review' }, actor: SYSTEM, now: due };
  }
  if (s.phase === 'draft-review') {
    if (s.draft.revisions.length === 0) return { command: { type: 'revise-draft', markdown: '# note' }, actor: COORDINATOR, now };
    if (s.draft.shared?.revision !== s.draft.revisions.at(-1)?.revision) return { command: { type: 'share-draft' }, actor: SYSTEM, now };
    return { command: { type: 'decide-publication', decision: 'approve' }, actor: COORDINATOR, now };
  }
  if (s.phase === 'publication' && s.publication.publishAt)
    return {
      command: { type: 'publish', noteId: 'VU#1' },
      actor: SYSTEM,
      now: new Date(Math.max(ms(now), ms(s.publication.publishAt))).toISOString(),
    };
  return null;
}

// The happy path takes a dozen steps; progress comes twice as often as a random command so runs reach publication.
const commandArb: fc.Arbitrary<Pick> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Pick>({ command: 'progress', actor: SYSTEM, advanceHours: 0 }) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        advanceHours: fc.integer({ min: 0, max: 24 * 20 }),
        pick: fc.oneof(
          fc.record({ command: fc.constant<Command>({ type: 'register' }), actor: fc.constant(SYSTEM) }),
          fc.record({
            command: fc.constantFrom<'decline' | 'track' | 'coordinate'>('decline', 'track', 'coordinate').map(
              (r): Command => ({
                type: 'record-prescreen',
                scores: {},
                scoreErrors: [],
                triage: {
                  recommendation: r,
                  ssvcOutcome: r,
                  ssvcInputs: {},
                  suggestedReasons: [],
                  requestInformation: { suggested: false, missing: [] },
                },
              }),
            ),
            actor: fc.constant(SYSTEM),
          }),
          fc.record({
            command: fc.oneof(
              fc.constant<Command>({ type: 'decide-triage', decision: 'accept', comment: 'ok' }),
              fc.constant<Command>({ type: 'decide-triage', decision: 'decline', reasons: ['resources'], comment: 'no capacity' }),
              fc.constant<Command>({ type: 'decide-triage', decision: 'request-info' }),
              fc.constant<Command>({
                type: 'add-vendors',
                vendors: [
                  { name: 'Beta', contacts: [{ email: 'b@beta.example' }] },
                  { name: 'Gamma', contacts: [], downstream: true },
                ],
              }),
              future.map((endsAt): Command => ({ type: 'set-embargo', endsAt, reason: 'negotiated' })),
              fc
                .constantFrom('public', 'exploit-public', 'attacks-observed')
                .map((kind): Command => ({ type: 'raise-signal', kind, evidence: 'seen' })),
              fc.constant<Command>({ type: 'revise-draft', markdown: '# note' }),
              fc.oneof(
                fc.constant<Command>({ type: 'decide-publication', decision: 'approve' }),
                future.map((publishAt): Command => ({ type: 'decide-publication', decision: 'approve', publishAt })),
                fc.constant<Command>({ type: 'decide-publication', decision: 'revise' }),
                fc.constant<Command>({ type: 'decide-publication', decision: 'do-not-publish', reason: 'no value' }),
              ),
              fc.constant<Command>({ type: 'close-case', reason: 'withdrawn by reporter' }),
              fc.record({ v: vendorId, n: fc.integer({ min: 0, max: 2 }) }).map(
                ({ v, n }): Command => ({
                  type: 'update-vendor',
                  vendorId: v,
                  contacts: Array.from({ length: n }, (_, i) => ({ email: `c${i}@${v}.example` })),
                }),
              ),
              fc
                .record({ v: fc.option(vendorId, { nil: undefined }), action: fc.constantFrom<'revoke' | 'reissue'>('revoke', 'reissue') })
                .map(({ v, action }): Command => ({ type: 'manage-links', action, ...(v ? { vendorId: v } : {}) })),
              fc
                .record({ vul: vulnId, id: fc.constantFrom('CVE-2026-1111', 'CVE-2026-2222', null) })
                .map(({ vul, id }): Command => ({ type: 'set-cve', vulnerabilityId: vul, cveId: id })),
              fc
                .record({ vul: vulnId, v: vendorId })
                .map(({ vul, v }): Command => ({ type: 'set-cve', vulnerabilityId: vul, acceptProposalFrom: v })),
            ),
            actor: fc.constant(COORDINATOR),
          }),
          fc.record({
            command: fc.oneof(
              fc.constant<Command>({ type: 'provide-information', body: 'more', messageId: 'm-info' }),
              future.map((disclosureAt): Command => ({ type: 'announce-self-disclosure', disclosureAt, body: 'mine' })),
              fc.constant<Command>({ type: 'add-comment', body: 'hi', messageId: 'm-hi', onDraft: true }),
            ),
            actor: fc.constant(REPORTER),
          }),
          fc.record({
            command: fc.oneof(
              fc.constant<Command>({ type: 'acknowledge' }),
              fc
                .record({
                  v: vulnId,
                  st: fc.constantFrom('affected', 'not-affected', 'unknown'),
                  fr: fc.boolean(),
                  fd: fc.boolean(),
                  refs: fc.constantFrom<VendorReference[] | undefined>(undefined, [], [{ url: 'https://v.example/sa', kind: 'advisory' }]),
                })
                .map(
                  ({ v, st, fr, fd, refs }): Command => ({
                    type: 'update-vendor-status',
                    statuses: [{ vulnerabilityId: v, status: st }],
                    fixReady: fr,
                    fixDeployed: fd,
                    statement: 'stmt',
                    ...(refs ? { references: refs } : {}),
                  }),
                ),
              fc.record({ v: vulnId, cna: fc.boolean() }).map(
                ({ v, cna }): Command => ({
                  type: 'update-vendor-status',
                  statuses: [{ vulnerabilityId: v, status: 'affected' }],
                  isCna: cna,
                  cveIds: [{ vulnerabilityId: v, cveId: 'CVE-2026-3333' }],
                }),
              ),
            ),
            actor: vendorId.map(vendorActor),
          }),
          fc.record({
            command: fc.oneof(
              vendorId.map((v): Command => ({ type: 'record-vendor-contact', vendorId: v, purpose: 'report' })),
              fc.constant<Command>({ type: 'open-embargo' }),
              fc.constant<Command>({ type: 'escalate-triage' }),
              fc.constant<Command>({ type: 'request-information', questions: [] }),
              fc.constant<Command>({ type: 'close-as-invalid' }),
              vendorId.map((v): Command => ({ type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: v })),
              vendorId.map((v): Command => ({ type: 'mark-unresponsive', vendorId: v })),
              vendorId.map((v): Command => ({ type: 'escalate-vendor-contact', vendorId: v })),
              // SES's word on a contact the generators confirm, on the report's suggestion, or on a stranger.
              fc
                .record({
                  v: vendorId,
                  who: fc.constantFrom('psirt@', 'PSIRT@', 'eve@attacker.'),
                  kind: fc.constantFrom('bounce', 'complaint'),
                })
                .map(
                  ({ v, who, kind }): Command => ({
                    type: 'record-bounce',
                    email: who === 'eve@attacker.' ? 'eve@attacker.example' : `${who}${v}.example`,
                    kind: kind as 'bounce' | 'complaint',
                  }),
                ),
              vendorId.map((v): Command => ({ type: 'send-reminder', kind: 'final-notice', vendorId: v })),
              fc.constant<Command>({ type: 'start-draft-review' }),
              fc.constant<Command>({ type: 'share-draft' }),
              fc.constant<Command>({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-0001', source: 'pool' }),
              fc.constant<Command>({ type: 'publish', noteId: 'VU#1' }),
            ),
            actor: fc.constant(SYSTEM),
          }),
        ),
      })
      .map(({ advanceHours, pick }): Pick => ({ ...pick, advanceHours })),
  },
);

interface Step {
  before: CaseState;
  after: CaseState;
  events: StoredEvent[];
}

/** Runs commands, skipping those the domain refuses (a refusal must be a DomainError and change nothing). */
function run(commands: Pick[]): { steps: Step[]; log: StoredEvent[]; final: CaseState } {
  let state = decideAndApply(emptyCase('VU#1'), { type: 'submit-report', caseId: 'VU#1', report: aReport() }, REPORTER, T0).state;
  const log: StoredEvent[] = [
    {
      ...decide(
        emptyCase('VU#1'),
        { type: 'submit-report', caseId: 'VU#1', report: aReport() },
        { now: T0, actor: REPORTER, policy: DEFAULT_POLICY },
      )[0]!,
      seq: 1,
    } as StoredEvent,
  ];
  let now = T0;
  const steps: Step[] = [];
  for (const pick of commands) {
    now = addHours(now, pick.advanceHours);
    const c = pick.command === 'progress' ? progress(state, now) : { command: pick.command, actor: pick.actor, now };
    if (!c) continue;
    now = c.now;
    let produced: ReturnType<typeof decide>;
    try {
      produced = decide(state, c.command, { now, actor: c.actor, policy: DEFAULT_POLICY });
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      continue;
    }
    const before = state;
    const events = produced.map((e, i) => ({ ...e, seq: log.length + i + 1 }) as StoredEvent);
    for (const e of events) state = apply(state, e);
    log.push(...events);
    steps.push({ before, after: state, events });
  }
  return { steps, log, final: state };

  function decideAndApply(s: CaseState, command: Command, actor: Actor, at: string) {
    const evs = decide(s, command, { now: at, actor, policy: DEFAULT_POLICY }).map((e, i) => ({ ...e, seq: i + 1 }) as StoredEvent);
    return { state: evs.reduce(apply, s) };
  }
}

const runs = fc.array(commandArb, { minLength: 1, maxLength: 60 });

describe('the case fold under any sequence of commands', () => {
  it('only ever takes legal Vultron transitions', () => {
    fc.assert(
      fc.property(runs, (cmds) => {
        for (const { before, after } of run(cmds).steps) {
          expect(RM_STATES).toContain(after.rm);
          expect(EM_STATES).toContain(after.embargo.state);
          expect(reachable(before.rm, after.rm, rmAllows, RM_STATES)).toBe(true);
          expect(reachable(before.embargo.state, after.embargo.state, emAllows, EM_STATES)).toBe(true);
          for (const v of after.vendors) {
            const prev = before.vendors.find((x) => x.vendorId === v.vendorId);
            if (prev) expect(reachable(prev.rm, v.rm, rmAllows, RM_STATES)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers a case-state flag, and keeps D ⇒ F ⇒ V and X ⇒ P', () => {
    fc.assert(
      fc.property(runs, (cmds) => {
        for (const { before, after } of run(cmds).steps) {
          for (const k of ['p', 'x', 'a'] as const) if (before.flags[k]) expect(after.flags[k]).toBe(true);
          if (after.flags.x) expect(after.flags.p).toBe(true);
          for (const v of after.vendors) {
            const prev = before.vendors.find((x) => x.vendorId === v.vendorId);
            for (const k of ['v', 'f', 'd'] as const) if (prev?.flags[k]) expect(v.flags[k]).toBe(true);
            if (v.flags.d) expect(v.flags.f).toBe(true);
            if (v.flags.f) expect(v.flags.v).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never publishes while the embargo is active, and never closes report management under one', () => {
    fc.assert(
      fc.property(runs, (cmds) => {
        for (const { before, after, events } of run(cmds).steps) {
          for (const e of events) {
            if (e.type !== 'note-published') continue;
            const active = before.embargo.state === 'ACTIVE' || before.embargo.state === 'REVISE';
            if (active) expect(ms(e.at)).toBeGreaterThanOrEqual(ms(before.embargo.endsAt!));
            expect(after.embargo.state === 'NONE' || after.embargo.state === 'EXITED').toBe(true);
          }
          if (after.rm === 'CLOSED') expect(after.embargo.state).not.toBe('ACTIVE');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reaches every phase, publication included, so the properties above are exercised', () => {
    const phases = new Set<string>();
    fc.assert(
      fc.property(runs, (cmds) => {
        for (const s of run(cmds).steps) phases.add(s.after.phase);
      }),
      { numRuns: 300, seed: 42 },
    );
    expect([...phases].sort()).toEqual([
      'closed',
      'declined',
      'draft-review',
      'embargo',
      'intake',
      'outreach',
      'publication',
      'published',
      'triage',
    ]);
  });

  it('publishes through decidePublish exactly as through decide, refusals included', () => {
    const outcome = (f: () => unknown) => {
      try {
        return { events: f() };
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return { refused: (e as DomainError).code, message: (e as DomainError).message };
      }
    };
    let published = 0;
    fc.assert(
      fc.property(runs, fc.constantFrom(SYSTEM, COORDINATOR, REPORTER), fc.integer({ min: 0, max: 60 * 24 }), (cmds, actor, laterHours) => {
        for (const { after } of run(cmds).steps) {
          const now = addHours(after.publication.publishAt ?? T0, laterHours - 24);
          const ctx = { now, actor, policy: DEFAULT_POLICY };
          const command = { type: 'publish', noteId: 'VU#1' } as const;
          const viaDecide = outcome(() => decide(after, command, ctx));
          expect(outcome(() => decidePublish(after, command, ctx))).toEqual(viaDecide);
          if ('events' in viaDecide) published += 1;
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(published).toBeGreaterThan(0);
  });

  it("updates a vulnerability with exactly the fields changed, not the event's log position", () => {
    const b = aCase().accepted();
    const before = b.state.vulnerabilities.find((v) => v.vulnerabilityId === 'vul-1');
    b.run({ type: 'update-vulnerability', vulnerabilityId: 'vul-1', changes: { cwe: 'CWE-22' } }, COORDINATOR);
    expect(b.state.vulnerabilities.find((v) => v.vulnerabilityId === 'vul-1')).toEqual({ ...before, cwe: 'CWE-22' });
  });

  it('keeps the snapshot equal to the fold of the log', () => {
    fc.assert(
      fc.property(runs, (cmds) => {
        const { log, final } = run(cmds);
        expect(fold('VU#1', log)).toEqual(final);
        expect(final.version).toBe(log.length);
      }),
      { numRuns: 200 },
    );
  });
});
