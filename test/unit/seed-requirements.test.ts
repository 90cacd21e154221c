// Scenario tests for each rule of the two CERT/CC pages that lives in the domain (docs/domain.md names the rule and its source).
import { describe, expect, it } from 'vitest';
import { DomainError, dueDeadlines, nextDeadline, caseStateString, DEFAULT_POLICY } from '../../functions/domain/index.js';
import { COORDINATOR, REPORTER, SYSTEM, T0, aCase, aReport, vendorActor } from '../builders/case.js';

const rejects = (fn: () => unknown, code: string, text?: RegExp) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    if (text) expect((e as DomainError).message).toMatch(text);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
};

describe('the coordinator accepts or declines', () => {
  it('accepts a credible report and makes the report the first vulnerability with its vendors', () => {
    const c = aCase().accepted();
    expect(c.state.rm).toBe('ACCEPTED');
    expect(c.state.phase).toBe('outreach');
    expect(c.state.vulnerabilities).toHaveLength(1);
    expect(c.state.vulnerabilities[0]).toMatchObject({ vulnerabilityId: 'vul-1', title: 'Unauthenticated RCE in the upload handler' });
    expect(c.state.vendors.map((v) => v.name)).toEqual(['Acme']);
    // The reporter's address for Acme is a suggestion until a coordinator confirms it.
    expect(c.state.vendors[0]?.contacts).toEqual([]);
    expect(c.state.vendors[0]?.suggestedContacts.map((x) => x.email)).toEqual(['psirt@acme.example']);
  });

  it('declines through VALID, DEFERRED and CLOSED, recording every seed reason given', () => {
    const c = aCase().prescreened('decline');
    c.run({ type: 'decide-triage', decision: 'decline', reasons: ['low-cvss-v2-environmental', 'resources'] }, COORDINATOR);
    expect(c.state.phase).toBe('declined');
    expect(c.state.rm).toBe('CLOSED');
    expect(c.state.triage.decision?.reasons).toEqual(['low-cvss-v2-environmental', 'resources']);
  });

  it('refuses a decline without a reason', () => {
    rejects(
      () => aCase().prescreened('decline').run({ type: 'decide-triage', decision: 'decline' }, COORDINATOR),
      'InvalidCommand',
      /at least one reason/,
    );
  });

  it('lets a coordinator override the recommendation only with a comment saying why', () => {
    rejects(
      () => aCase().prescreened('decline').run({ type: 'decide-triage', decision: 'accept' }, COORDINATOR),
      'InvalidCommand',
      /overriding/,
    );
    const c = aCase()
      .prescreened('decline')
      .run({ type: 'decide-triage', decision: 'accept', comment: 'critical infrastructure vendor' }, COORDINATOR);
    expect(c.state.triage.decision?.overridesRecommendation).toBe(true);
  });

  it('asks the reporter for information, re-opens triage when it arrives, and closes as invalid when it does not', () => {
    const asked = aCase().prescreened().run({ type: 'decide-triage', decision: 'request-info' }, COORDINATOR);
    asked.run({ type: 'request-information', questions: ['affected version'] }, SYSTEM);
    expect(nextDeadline(asked.state, DEFAULT_POLICY)).toEqual({ kind: 'information-request', at: '2026-11-15T09:00:00.000Z' });

    const answered = aCase().prescreened().run({ type: 'decide-triage', decision: 'request-info' }, COORDINATOR);
    answered
      .run({ type: 'request-information', questions: [] }, SYSTEM)
      .later(24)
      .run({ type: 'provide-information', body: 'version 4.2.1', messageId: 'm-1' }, REPORTER);
    expect(answered.state.triage.decision).toBeNull();
    answered.run({ type: 'decide-triage', decision: 'accept' }, COORDINATOR);
    expect(answered.state.phase).toBe('outreach');

    rejects(() => asked.run({ type: 'close-as-invalid' }, SYSTEM), 'InvalidTransition', /not overdue/);
    asked.laterDays(14).run({ type: 'close-as-invalid' }, SYSTEM);
    expect(asked.state.phase).toBe('closed');
    expect(asked.state.rm).toBe('CLOSED');
    expect(asked.state.closed?.closure).toBe('invalid');
  });

  it('says which phase forbids a second triage decision and what is allowed instead', () => {
    const e = rejects(
      () =>
        aCase()
          .accepted()
          .run({ type: 'decide-triage', decision: 'decline', reasons: ['resources'] }, COORDINATOR),
      'InvalidTransition',
    );
    expect(e.message).toMatch(/phase "outreach"/);
    expect(e.state?.phase).toBe('outreach');
    expect(e.allowed).toContain('add-vendors');
  });
});

describe('first response within 24 to 48 hours', () => {
  it('plans a triage escalation 48 hours after receipt, and again every 48 hours until decided', () => {
    const c = aCase().prescreened();
    expect(nextDeadline(c.state, DEFAULT_POLICY)).toEqual({ kind: 'triage-sla', at: '2026-11-03T09:00:00.000Z' });
    c.at('2026-11-03T09:00:00.000Z').run({ type: 'escalate-triage' }, SYSTEM);
    expect(nextDeadline(c.state, DEFAULT_POLICY)).toEqual({ kind: 'triage-sla', at: '2026-11-05T09:00:00.000Z' });
    c.run({ type: 'decide-triage', decision: 'accept' }, COORDINATOR);
    expect(c.state.phase).toBe('outreach');
  });
});

describe('publication after a 45-day embargo from the first attempted contact', () => {
  it('ends the embargo 45 days after the first contact attempt, at 12:00 UTC', () => {
    const c = aCase().accepted().at('2026-11-02T17:30:00.000Z').contacted().run({ type: 'open-embargo' }, SYSTEM);
    expect(c.state.embargo.state).toBe('ACTIVE');
    expect(c.state.embargo.firstContactAt).toBe('2026-11-02T17:30:00.000Z');
    expect(c.state.embargo.endsAt).toBe('2026-12-17T12:00:00.000Z');
  });

  it("keeps the reporter's earlier vendor contact as history without starting the clock", () => {
    const report = aReport({
      vendors: [
        {
          name: 'Acme',
          contactEmail: 'psirt@acme.example',
          contacted: true,
          firstContactAt: '2026-09-01T00:00:00Z',
          communication: 'no reply',
        },
      ],
    });
    const c = aCase().submitted(report).accepted().at('2026-11-02T10:00:00.000Z').embargoed();
    expect(c.state.report?.vendors[0]?.firstContactAt).toBe('2026-09-01T00:00:00Z');
    expect(c.state.embargo.endsAt).toBe('2026-12-17T12:00:00.000Z');
  });

  it('takes the earliest proposal when it is earlier than the default', () => {
    const c = aCase()
      .accepted()
      .run({ type: 'set-embargo', endsAt: '2026-12-01T12:00:00Z', reason: 'vendor fix ships Dec 1' }, COORDINATOR);
    expect(c.state.embargo.state).toBe('PROPOSED');
    c.embargoed();
    expect(c.state.embargo.endsAt).toBe('2026-12-01T12:00:00.000Z');
  });

  it('keeps the default when a later date was proposed, then revises the active embargo either way', () => {
    const c = aCase()
      .accepted()
      .run({ type: 'set-embargo', endsAt: '2027-03-01T12:00:00Z', reason: 'vendor asks for more time' }, COORDINATOR)
      .embargoed();
    expect(c.state.embargo.endsAt).toBe('2026-12-16T12:00:00.000Z');
    c.run({ type: 'set-embargo', endsAt: '2027-01-15T12:00:00Z', reason: 'negotiated extension' }, COORDINATOR);
    expect(c.state.embargo).toMatchObject({ state: 'ACTIVE', endsAt: '2027-01-15T12:00:00.000Z' });
    c.run({ type: 'set-embargo', endsAt: '2026-12-10T12:00:00Z', reason: 'patch released early' }, COORDINATOR);
    expect(c.state.embargo.endsAt).toBe('2026-12-10T12:00:00.000Z');
    expect(c.state.embargo.revisions.map((r) => r.to)).toEqual(['2027-01-15T12:00:00.000Z', '2026-12-10T12:00:00.000Z']);
  });

  it('refuses an embargo end in the past', () => {
    rejects(
      () => aCase().embargoed().run({ type: 'set-embargo', endsAt: '2026-10-01T00:00:00Z', reason: 'x' }, COORDINATOR),
      'InvalidCommand',
      /future/,
    );
  });

  it('refuses publication while the embargo is active', () => {
    const c = aCase().drafted();
    const e = rejects(
      () => c.run({ type: 'decide-publication', decision: 'approve', publishAt: '2026-11-20T12:00:00Z' }, COORDINATOR),
      'EmbargoActive',
    );
    expect(e.message).toMatch(/active until 2026-12-16T12:00:00.000Z/);
  });

  it('publishes on the embargo end and records the embargo as exited', () => {
    const c = aCase().published();
    expect(c.state.phase).toBe('published');
    expect(c.state.published?.at).toBe('2026-12-16T12:00:00.000Z');
    expect(c.state.embargo.state).toBe('EXITED');
    expect(c.state.flags.p).toBe(true);
  });
});

describe('vendor replies or stays silent', () => {
  it('reminds a silent vendor every 7 days, then marks it unresponsive 14 days after the last attempt', () => {
    const c = aCase().embargoed();
    const v = 'vendor-1';
    expect(nextDeadline(c.state, DEFAULT_POLICY)).toEqual({ kind: 'vendor-reminder', at: '2026-11-08T09:00:00.000Z', vendorId: v });
    c.at('2026-11-08T09:00:00.000Z').run({ type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: v }, SYSTEM);
    c.at('2026-11-15T09:00:00.000Z').run({ type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: v }, SYSTEM);
    expect(nextDeadline(c.state, DEFAULT_POLICY)).toEqual({ kind: 'vendor-unresponsive', at: '2026-11-29T09:00:00.000Z', vendorId: v });
    rejects(() => c.run({ type: 'send-reminder', kind: 'vendor-acknowledgement', vendorId: v }, SYSTEM), 'InvalidTransition', /3 attempts/);
    c.at('2026-11-29T09:00:00.000Z')
      .run({ type: 'mark-unresponsive', vendorId: v }, SYSTEM)
      .run({ type: 'send-reminder', kind: 'final-notice', vendorId: v }, SYSTEM);
    expect(c.state.vendors[0]).toMatchObject({ unresponsiveAt: '2026-11-29T09:00:00.000Z', finalNoticeAt: '2026-11-29T09:00:00.000Z' });
    // Silence does not stop publication: the draft still comes due on time.
    expect(nextDeadline(c.state, DEFAULT_POLICY)).toEqual({ kind: 'draft-due', at: '2026-12-02T12:00:00.000Z' });
  });

  it('works with a vendor that replies: acknowledgement, status per vulnerability, fix ready and deployed, statement', () => {
    const c = aCase().embargoed().later(30);
    c.run({ type: 'acknowledge' }, vendorActor('vendor-1'));
    c.run(
      {
        type: 'update-vendor-status',
        statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
        fixReady: true,
        statement: 'Fixed in 4.2.2.',
      },
      vendorActor('vendor-1'),
    );
    const v = c.state.vendors[0]!;
    expect(v).toMatchObject({
      acknowledgedAt: '2026-11-02T15:00:00.000Z',
      statement: 'Fixed in 4.2.2.',
      statuses: { 'vul-1': 'affected' },
      rm: 'ACCEPTED',
    });
    expect(caseStateString(c.state)).toBe('VFdpxa');
    c.run({ type: 'update-vendor-status', statuses: [], fixDeployed: true }, vendorActor('vendor-1'));
    expect(caseStateString(c.state)).toBe('VFDpxa');
    expect(nextDeadline(c.state, DEFAULT_POLICY)?.kind).toBe('draft-due');
  });

  it('keeps downstream vendors out of the first outreach and reminds only contacted vendors', () => {
    const c = aCase().accepted().withVendors({ name: 'Distro', downstream: true }).contacted().run({ type: 'open-embargo' }, SYSTEM);
    expect(c.state.vendors.find((v) => v.name === 'Distro')?.firstContactAt).toBeNull();
    expect(dueDeadlines(c.state, DEFAULT_POLICY, '2026-11-08T09:00:00.000Z').map((d) => d.vendorId)).toEqual(['vendor-1']);
    c.run({ type: 'record-vendor-contact', vendorId: 'vendor-2', purpose: 'downstream-alert' }, SYSTEM);
    expect(c.state.vendors[1]?.attempts[0]?.purpose).toBe('downstream-alert');
  });

  it('reminds vendors without a statement 6 days before publication', () => {
    const c = aCase().drafted().run({ type: 'acknowledge' }, vendorActor('vendor-1'));
    expect(nextDeadline(c.state, DEFAULT_POLICY)).toEqual({
      kind: 'statement-reminder',
      at: '2026-12-10T12:00:00.000Z',
      vendorId: 'vendor-1',
    });
  });
});

describe('CVE IDs before publication, by the vendor when it is a CNA', () => {
  it('takes a CNA vendor’s CVE ID as a proposal that a coordinator accepts', () => {
    const c = aCase().embargoed();
    c.run(
      {
        type: 'update-vendor-status',
        statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
        isCna: true,
        cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2026-12345' }],
      },
      vendorActor('vendor-1'),
    );
    // Proposed, not assigned: neither the ID nor the CNA status is the vendor's to set.
    expect(c.state.vulnerabilities[0]).toMatchObject({ cveId: null });
    expect(c.state.vendors[0]).toMatchObject({
      isCna: false,
      proposals: { isCna: true, cveIds: { 'vul-1': { cveId: 'CVE-2026-12345' } } },
    });
    c.run({ type: 'set-cve', vulnerabilityId: 'vul-1', acceptProposalFrom: 'vendor-1' }, COORDINATOR);
    expect(c.state.vulnerabilities[0]).toMatchObject({ cveId: 'CVE-2026-12345', cveSource: 'vendor', cveVendorId: 'vendor-1' });
  });

  it('refuses a proposed CVE ID for a vulnerability the vendor is not affected by, and malformed IDs', () => {
    rejects(
      () =>
        aCase()
          .embargoed()
          .run(
            { type: 'update-vendor-status', statuses: [], cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2026-1234' }] },
            vendorActor('vendor-1'),
          ),
      'InvalidCommand',
      /affected by/,
    );
    rejects(
      () =>
        aCase()
          .embargoed()
          .run(
            {
              type: 'update-vendor-status',
              statuses: [{ vulnerabilityId: 'vul-1', status: 'not-affected' }],
              cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-2021-44228' }],
            },
            vendorActor('vendor-1'),
          ),
      'InvalidCommand',
      /affected by/,
    );
    rejects(
      () =>
        aCase()
          .embargoed()
          .run(
            {
              type: 'update-vendor-status',
              statuses: [{ vulnerabilityId: 'vul-1', status: 'affected' }],
              cveIds: [{ vulnerabilityId: 'vul-1', cveId: 'CVE-26-1' }],
            },
            vendorActor('vendor-1'),
          ),
      'InvalidCommand',
      /not a CVE ID/,
    );
  });

  it('assigns a coordinator CVE ID once and refuses a different second one', () => {
    const c = aCase().inDraftReview().run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-0001', source: 'pool' }, SYSTEM);
    expect(c.state.vulnerabilities[0]?.cveId).toBe('CVE-2026-0001');
    expect(
      c
        .run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-0001', source: 'pool' }, SYSTEM)
        .events.filter((e) => e.type === 'cve-assigned'),
    ).toHaveLength(1);
    rejects(
      () => c.run({ type: 'assign-cve', vulnerabilityId: 'vul-1', cveId: 'CVE-2026-0002', source: 'pool' }, SYSTEM),
      'InvalidTransition',
      /already has/,
    );
  });
});

describe('the draft is shared 1-2 weeks before publication; the coordinator may decide not to publish', () => {
  it('comes due 14 days before the embargo end and is shared announcing the publication date', () => {
    const c = aCase().embargoed();
    expect(dueDeadlines(c.state, DEFAULT_POLICY, '2026-12-02T12:00:00.000Z').map((d) => d.kind)).toContain('draft-due');
    rejects(() => c.at('2026-12-01T12:00:00.000Z').run({ type: 'start-draft-review' }, SYSTEM), 'InvalidTransition', /not due/);
    c.drafted();
    expect(c.state.draft.shared).toMatchObject({ revision: 1, at: '2026-12-02T12:00:00.000Z', publishAt: '2026-12-16T12:00:00.000Z' });
  });

  it('needs the latest revision shared before approval', () => {
    const c = aCase().drafted().run({ type: 'revise-draft', markdown: '# Draft 2' }, COORDINATOR);
    rejects(
      () => c.run({ type: 'decide-publication', decision: 'approve' }, COORDINATOR),
      'InvalidTransition',
      /revision \(2\) has not been shared/,
    );
  });

  it('lets vendors and the reporter comment on the shared draft', () => {
    const c = aCase()
      .drafted()
      .run({ type: 'add-comment', body: 'Please credit our team', messageId: 'm-2', onDraft: true }, vendorActor('vendor-1'))
      .run({ type: 'add-comment', body: 'Looks right', messageId: 'm-3', onDraft: true }, REPORTER);
    expect(c.state.comments.map((x) => x.by.role)).toEqual(['vendor', 'reporter']);
  });

  it('closes without publishing when the coordinator so decides, with a reason, ending the embargo first', () => {
    const c = aCase()
      .drafted()
      .run({ type: 'decide-publication', decision: 'do-not-publish', reason: 'vendor advisory covers it' }, COORDINATOR);
    expect(c.state).toMatchObject({ phase: 'closed', rm: 'CLOSED' });
    expect(c.state.embargo.state).toBe('EXITED');
    expect(c.state.published).toBeNull();
  });
});

describe('the reporter owns the information; the coordinator has final authority', () => {
  it('ends the embargo at once when the reporter discloses now', () => {
    const c = aCase()
      .embargoed()
      .later(48)
      .run({ type: 'announce-self-disclosure', disclosureAt: '2026-11-03T09:00:00Z', body: 'blog post is up' }, REPORTER);
    expect(c.state.embargo).toMatchObject({ state: 'EXITED', exitReason: 'reporter disclosed' });
    expect(c.state.flags.p).toBe(true);
    c.run({ type: 'start-draft-review' }, SYSTEM);
    expect(c.state.draft.reviewCause).toBe('early-release');
  });

  it("shortens the embargo to the reporter's announced future disclosure date", () => {
    const c = aCase()
      .embargoed()
      .run({ type: 'announce-self-disclosure', disclosureAt: '2026-12-01T15:00:00Z', body: 'talk at a conference' }, REPORTER);
    expect(c.state.embargo).toMatchObject({ state: 'ACTIVE', endsAt: '2026-12-01T15:00:00.000Z' });
  });

  it("opens the embargo no later than the reporter's planned disclosure date from the report", () => {
    const report = aReport({ disclosurePlans: { intendsToDisclose: true, date: '2026-12-05T00:00:00Z', details: 'conference talk' } });
    const c = aCase().submitted(report).embargoed();
    expect(c.state.embargo.endsAt).toBe('2026-12-05T00:00:00.000Z');
  });

  it('never refuses a reporter disclosure, even during draft review', () => {
    const c = aCase()
      .drafted()
      .run({ type: 'announce-self-disclosure', disclosureAt: '2026-12-03T00:00:00Z', body: 'published' }, REPORTER);
    expect(c.state.selfDisclosure?.disclosureAt).toBe('2026-12-03T00:00:00.000Z');
  });

  it('ends the embargo early on a public exploit and forces P with X', () => {
    const c = aCase().embargoed().run({ type: 'raise-signal', kind: 'exploit-public', evidence: 'https://exploit.example/1' }, COORDINATOR);
    expect(c.state.embargo.state).toBe('EXITED');
    expect(caseStateString(c.state)).toBe('vfdPXa');
  });

  it('keeps coordinator-only actions from reporters and vendors', () => {
    rejects(() => aCase().prescreened().run({ type: 'decide-triage', decision: 'accept' }, REPORTER), 'NotAllowed');
    rejects(() => aCase().drafted().run({ type: 'decide-publication', decision: 'approve' }, vendorActor('vendor-1')), 'NotAllowed');
  });
});

describe('closing', () => {
  it('closes a case under an active embargo by ending the embargo first', () => {
    const c = aCase().embargoed().run({ type: 'close-case', reason: 'duplicate of VU#1' }, COORDINATOR);
    expect(c.state).toMatchObject({ phase: 'closed', rm: 'CLOSED' });
    expect(c.state.embargo.state).toBe('EXITED');
  });
  it('refuses to act on a finished case and says so', () => {
    rejects(
      () => aCase().published().run({ type: 'set-embargo', endsAt: '2027-06-01T00:00:00Z', reason: 'x' }, COORDINATOR),
      'InvalidTransition',
      /finished case/,
    );
  });
  it('does not accept a vendor command from a vendor that is not on the case', () => {
    rejects(() => aCase().embargoed().run({ type: 'acknowledge' }, vendorActor('vendor-9')), 'NotFound');
  });
  it('starts at the default time', () => expect(aCase().now).toBe(T0));
});
