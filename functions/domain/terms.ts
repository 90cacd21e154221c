// The terms a reporter agrees to before reporting (docs/domain.md "Terms shown to the reporter"):
// the coordinator's final authority, the default disclosure policy, and the seeds' warnings to
// try the vendor first and to check any Non-Disclosure Agreement. Shown on the form, in the API
// description and behind security.txt's Policy line; one text for all of them.

/** Raised whenever the wording changes, so a recorded agreement names the terms it was given to. */
export const TERMS_VERSION = '2026-11-30';

export interface TermsSection {
  id: 'authority' | 'disclosure-policy' | 'vendor-first' | 'nda';
  heading: string;
  text: string;
}

export const REPORTER_TERMS: readonly TermsSection[] = [
  {
    id: 'vendor-first',
    heading: 'Try the vendor first',
    text:
      'Before asking us to coordinate, please try to report the vulnerability to the vendor directly. If you cannot reach ' +
      'them, they do not answer, or you need help with several vendors, we can step in; tell us what you tried.',
  },
  {
    id: 'nda',
    heading: 'Non-Disclosure Agreements',
    text:
      'You or your company may be bound by a Non-Disclosure Agreement (for example with the vendor or a client) about what ' +
      'you found. Please check this before you report: we cannot advise on it, and you remain responsible for honouring it.',
  },
  {
    id: 'disclosure-policy',
    heading: 'Our disclosure policy',
    text:
      'We contact the vendors and plan to publish a Vulnerability Note 45 days after our first attempt to reach a vendor, ' +
      'or on another date agreed with the participants; it ends sooner if the information becomes public or is exploited. ' +
      'The draft note is shared with you and the vendors before publication. You own the vulnerability information and ' +
      'may disclose it yourself at any time; please tell us if you plan to.',
  },
  {
    id: 'authority',
    heading: 'Our final decision authority',
    text:
      'We decide whether to coordinate the report, the vendors to involve, the publication date, and what our note says, ' +
      'and we may decide not to publish. Reporters and vendors propose; the coordinators decide.',
  },
];

/** What a report records of the reporter's agreement: the terms' version, or null when the client sent none. */
export type TermsAgreement = { version: string } | null;

/** The agreement to record for a report: `acceptsTerms: true` means the current terms; absence is "not recorded". */
export const termsAgreementOf = (acceptsTerms: true | undefined): TermsAgreement =>
  acceptsTerms === true ? { version: TERMS_VERSION } : null;

/** The terms as one Markdown text, for the API description of POST /reports. */
export const termsDescription = (): string =>
  [
    'By sending `acceptsTerms: true` the reporter accepts these terms (recorded with the report and their version; a report ' +
      'without the field is recorded as "not recorded"):',
    ...REPORTER_TERMS.map((t) => `**${t.heading}.** ${t.text}`),
  ].join('\n\n');
