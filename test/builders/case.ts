// Test data builders: a case driven through the real decide/fold, so every built case is one the
// product could reach. `aCase().accepted().contacted().embargoed()` reads like the timeline.
import {
  type Actor,
  type CaseState,
  type Command,
  type Policy,
  type Report,
  type ReportInput,
  type StoredEvent,
  DEFAULT_POLICY,
  ReportSchema,
  addDays,
  addHours,
  apply,
  decide,
  emptyCase,
} from '../../functions/domain/index.js';

export const REPORTER: Actor = { role: 'reporter', participant: 'reporter' };
export const COORDINATOR: Actor = { role: 'coordinator', participant: 'coord@cert.example' };
export const SYSTEM: Actor = { role: 'system' };
export const vendorActor = (vendorId: string): Actor => ({ role: 'vendor', participant: vendorId });

export const T0 = '2026-11-01T09:00:00.000Z';

export function aReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    reporter: { name: 'Ada L.', email: 'ada@example.org', credit: 'named', shareContactWithVendors: true },
    product: { name: 'Widget Server', version: '4.2.1' },
    vendors: [{ name: 'Acme', contactEmail: 'psirt@acme.example', contacted: false }],
    title: 'Unauthenticated RCE in the upload handler',
    description: 'A crafted multipart upload writes outside the upload directory.',
    exploitation: 'POST a file named ../../etc/cron.d/x',
    impact: 'Remote code execution as the service user',
    evidence: { proofOfConcept: 'curl -F "f=@x;filename=../../x" http://host/upload', patch: '' },
    cvss: { v2: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    requestedService: 'coordination',
    ...overrides,
  };
}

export const aReport = (overrides: Partial<ReportInput> = {}): Report => ReportSchema.parse(aReportInput(overrides));

export class CaseBuilder {
  state: CaseState;
  events: StoredEvent[] = [];
  now: string;

  constructor(
    readonly caseId = 'VU#100001',
    readonly policy: Policy = DEFAULT_POLICY,
    start = T0,
  ) {
    this.state = emptyCase(caseId);
    this.now = start;
  }

  /** Runs a command through decide and folds the result, as the store would. */
  run(command: Command, actor: Actor, at?: string): this {
    if (at) this.now = at;
    for (const e of decide(this.state, command, { now: this.now, actor, policy: this.policy })) {
      const stored = { ...e, seq: this.events.length + 1 } as StoredEvent;
      this.events.push(stored);
      this.state = apply(this.state, stored);
    }
    return this;
  }

  at(instant: string): this {
    this.now = instant;
    return this;
  }
  later(hours: number): this {
    this.now = addHours(this.now, hours);
    return this;
  }
  laterDays(days: number): this {
    this.now = addDays(this.now, days);
    return this;
  }

  submitted(report: Report = aReport()): this {
    return this.run({ type: 'submit-report', caseId: this.caseId, report }, REPORTER);
  }
  registered(): this {
    if (this.state.version === 0) this.submitted();
    return this.run({ type: 'register' }, SYSTEM);
  }
  prescreened(recommendation: 'decline' | 'track' | 'coordinate' = 'coordinate'): this {
    if (!this.state.registeredAt) this.registered();
    return this.run(
      {
        type: 'record-prescreen',
        scores: {},
        scoreErrors: [],
        triage: {
          recommendation,
          ssvcOutcome: recommendation,
          ssvcInputs: {},
          suggestedReasons: [],
          requestInformation: { suggested: false, missing: [] },
        },
      },
      SYSTEM,
    );
  }
  accepted(): this {
    if (!this.state.prescreen) this.prescreened();
    return this.run({ type: 'decide-triage', decision: 'accept' }, COORDINATOR);
  }
  withVendors(...vendors: { name: string; contacts?: string[]; isCna?: boolean; downstream?: boolean }[]): this {
    return this.run(
      {
        type: 'add-vendors',
        vendors: vendors.map(({ contacts, ...v }) => ({
          ...v,
          contacts: (contacts ?? [`psirt@${v.name.toLowerCase()}.example`]).map((email) => ({ email })),
        })),
      },
      COORDINATOR,
    );
  }
  /** A coordinator confirms every address a reporter suggested for a vendor that has none confirmed. */
  contactsConfirmed(): this {
    for (const v of this.state.vendors)
      if (v.contacts.length === 0 && v.suggestedContacts.length > 0)
        this.run(
          { type: 'update-vendor', vendorId: v.vendorId, contacts: v.suggestedContacts.map((x) => ({ email: x.email })) },
          COORDINATOR,
        );
    return this;
  }
  contacted(): this {
    if (this.state.phase === 'triage' || this.state.phase === 'intake') this.accepted();
    this.contactsConfirmed();
    for (const v of this.state.vendors)
      if (!v.downstream && v.contacts.length > 0)
        this.run({ type: 'record-vendor-contact', vendorId: v.vendorId, purpose: 'report' }, SYSTEM);
    return this;
  }
  embargoed(): this {
    if (this.state.phase !== 'outreach' || !this.state.embargo.firstContactAt) this.contacted();
    return this.run({ type: 'open-embargo' }, SYSTEM);
  }
  inDraftReview(): this {
    if (this.state.phase !== 'embargo') this.embargoed();
    if (this.state.embargo.endsAt && this.state.embargo.state === 'ACTIVE')
      this.at(addDays(this.state.embargo.endsAt, -this.policy.draftLeadDays));
    return this.run({ type: 'start-draft-review' }, SYSTEM);
  }
  drafted(markdown = '# Draft\n\nOverview'): this {
    if (this.state.phase !== 'draft-review') this.inDraftReview();
    this.run({ type: 'revise-draft', markdown }, COORDINATOR);
    return this.run({ type: 'share-draft' }, SYSTEM);
  }
  approved(publishAt?: string): this {
    if (!this.state.draft.shared) this.drafted();
    return this.run({ type: 'decide-publication', decision: 'approve', ...(publishAt ? { publishAt } : {}) }, COORDINATOR);
  }
  published(noteId = 'VU#100001'): this {
    if (this.state.phase !== 'publication') this.approved();
    if (this.state.publication.publishAt) this.at(this.state.publication.publishAt);
    return this.run({ type: 'publish', noteId }, SYSTEM);
  }
}

export const aCase = (caseId?: string, policy?: Policy, start?: string) => new CaseBuilder(caseId, policy, start);
