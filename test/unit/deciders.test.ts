// The rule per command is the one place that says who may run it and where: the coordinator's
// allowed-per-phase list is derived from it, so what a 409 says is allowed is exactly what decide
// lets through, phase by phase.
import { describe, expect, it } from 'vitest';
import {
  COORDINATOR_COMMANDS_BY_PHASE,
  type Command,
  type CommandType,
  DEFAULT_POLICY,
  DomainError,
  type Phase,
  decide,
} from '../../functions/domain/index.js';
import { COORDINATOR, aCase, aReport } from '../builders/case.js';

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
