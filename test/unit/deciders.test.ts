// The access table is the one place that says who may run each command and where: the
// coordinator's allowed-per-phase list is derived from it, so what a 409 says is allowed is
// exactly what decide lets through, phase by phase; and a narrower decide (one function's
// commands) refuses and allows exactly as the whole one does.
import { describe, expect, it } from 'vitest';
import {
  COORDINATOR_COMMANDS_BY_PHASE,
  type Actor,
  type Command,
  type CommandType,
  DEFAULT_POLICY,
  DomainError,
  type Phase,
  decide,
} from '../../functions/domain/index.js';
import { decideConversation, decidePublish } from '../../functions/domain/decide.js';
import { COORDINATOR, REPORTER, aCase, aReport, vendorActor } from '../builders/case.js';

const VENDOR_1 = vendorActor('vendor-1');

/** A well-formed example of every coordinator command, so only the phase can refuse it. */
const EXAMPLES: Partial<Record<CommandType, Command>> = {
  'decide-triage': { type: 'decide-triage', decision: 'request-info' },
  'add-vendors': { type: 'add-vendors', vendors: [{ name: 'Zeta', contacts: [{ email: 'z@zeta.example' }] }] },
  'update-vendor': { type: 'update-vendor', vendorId: 'vendor-1', downstream: false },
  'manage-links': { type: 'manage-links', action: 'revoke' },
  'set-cve': { type: 'set-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-1234' },
  'add-vulnerability': { type: 'add-vulnerability', vulnerability: { title: 'x', description: '', cvss: {}, affected: [] } },
  'update-vulnerability': { type: 'update-vulnerability', vulnerabilityId: 'vul-1', changes: { description: 'd' } },
  'set-embargo': { type: 'set-embargo', endsAt: '2028-01-01T12:00:00Z', reason: 'r' },
  'answer-embargo-request': { type: 'answer-embargo-request', proposalId: 'EP-1', answer: 'decline' },
  'raise-signal': { type: 'raise-signal', kind: 'public', evidence: 'e' },
  'revise-draft': { type: 'revise-draft', markdown: '# n' },
  'decide-publication': { type: 'decide-publication', decision: 'revise' },
  'add-comment': { type: 'add-comment', body: 'b', messageId: 'm' },
  'close-case': { type: 'close-case', reason: 'r' },
  'set-priority': { type: 'set-priority', level: 'high', reason: 'critical infrastructure' },
  'set-vendor-csaf-tlp': { type: 'set-vendor-csaf-tlp', tlp: 'RED' },
};

/** A case in each phase, built through the real rules. */
function inPhase(phase: Phase) {
  switch (phase) {
    case 'intake':
      return aCase().submitted(aReport());
    case 'triage':
      return aCase().prescreened();
    case 'declined':
      return aCase()
        .prescreened('decline')
        .run({ type: 'decide-triage', decision: 'decline', reasons: ['resources'] }, COORDINATOR);
    case 'outreach':
      return aCase().accepted();
    case 'embargo':
      return aCase().embargoed();
    case 'draft-review':
      return aCase().drafted();
    case 'publication':
      return aCase().approved();
    case 'published':
      return aCase().published();
    case 'closed':
      return aCase().embargoed().run({ type: 'close-case', reason: 'done' }, COORDINATOR);
  }
}

const PHASE_REFUSAL = /is possible only in phase|is not possible on a finished case/;

describe('each command’s rule in one place', () => {
  it('has an example for every coordinator command', () => {
    const coordinatorCommands = new Set(Object.values(COORDINATOR_COMMANDS_BY_PHASE).flat());
    expect([...coordinatorCommands].filter((t) => !EXAMPLES[t])).toEqual([]);
  });

  for (const phase of Object.keys(COORDINATOR_COMMANDS_BY_PHASE) as Phase[]) {
    it(`lets through in phase ${phase} exactly the commands the 409s list as allowed there`, () => {
      const b = inPhase(phase);
      expect(b.state.phase).toBe(phase);
      for (const [type, command] of Object.entries(EXAMPLES) as [CommandType, Command][]) {
        let refusedForPhase = false;
        try {
          decide(b.state, command, { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY });
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
          refusedForPhase = PHASE_REFUSAL.test((e as DomainError).message);
        }
        expect(!refusedForPhase, `${type} in ${phase}`).toBe(COORDINATOR_COMMANDS_BY_PHASE[phase].includes(type));
      }
    });
  }

  it('lists signals and embargo changes where they are accepted, from intake on (they once drifted apart)', () => {
    expect(COORDINATOR_COMMANDS_BY_PHASE.intake).toEqual(
      expect.arrayContaining(['set-embargo', 'raise-signal', 'add-comment', 'close-case']),
    );
    // After publication: links, and the note's next revision (edit the draft, approve it as an update).
    expect(COORDINATOR_COMMANDS_BY_PHASE.published).toEqual(['manage-links', 'revise-draft', 'decide-publication']);
  });
});

describe('a narrower decide', () => {
  const outcome = (f: () => unknown) => {
    try {
      return { events: f() };
    } catch (e) {
      return { error: e instanceof DomainError ? { code: e.code, message: e.message, allowed: e.allowed } : String(e) };
    }
  };
  const phases = Object.keys(COORDINATOR_COMMANDS_BY_PHASE) as Phase[];
  const commands: [Command, Actor][] = [
    [{ type: 'add-comment', body: 'b', messageId: 'm' }, COORDINATOR],
    [{ type: 'add-comment', body: 'b', messageId: 'm' }, VENDOR_1],
    [{ type: 'add-comment', body: 'b', messageId: 'm', onDraft: true }, REPORTER],
    [{ type: 'add-comment', body: ' ', messageId: 'm' }, REPORTER],
    [{ type: 'provide-information', body: 'more', messageId: 'm' }, REPORTER],
    [{ type: 'provide-information', body: 'more', messageId: 'm' }, VENDOR_1],
    [{ type: 'announce-self-disclosure', body: 'blog', disclosureAt: '2030-01-01T00:00:00Z' }, REPORTER],
  ];

  for (const phase of phases) {
    it(`answers the conversation commands in phase ${phase} exactly as decide does, 409s and their allowed lists included`, () => {
      const b = inPhase(phase);
      for (const [command, actor] of commands) {
        const ctx = { now: b.now, actor, policy: DEFAULT_POLICY };
        expect(
          outcome(() => decideConversation(b.state, command as never, ctx)),
          `${command.type} by ${actor.role}`,
        ).toEqual(outcome(() => decide(b.state, command, ctx)));
      }
    });
  }

  it('refuses a command it has no decision for, rather than letting it through', () => {
    const b = inPhase('embargo');
    const ctx = { now: b.now, actor: COORDINATOR, policy: DEFAULT_POLICY };
    expect(() => decideConversation(b.state, { type: 'close-case', reason: 'r' } as never, ctx)).toThrow(/no decision for close-case/);
    expect(() => decidePublish(b.state, { type: 'add-comment', body: 'b', messageId: 'm' } as never, ctx)).toThrow(/no decision/);
  });
});
