// Why a coordinator declines, and what the reporter is told. The reasons and the wording follow the
// CERT/CC page "Requesting Coordination Assistance" (shared seeds), in its order, plus resources.

export const DECLINE_REASONS = [
  'low-cvss-v2-environmental',
  'insufficient-evidence',
  'cve-id-only',
  'publication-only',
  'resources',
] as const;

export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Where a reporter requests a CVE ID when no coordinator or CNA is involved. */
export const CVE_REQUEST_URL = 'https://www.cve.org/ReportRequest/ReportRequestForNonCNAs';

export interface DeclineReasonText {
  /** Short label for coordinators' screens and the e-mail. */
  title: string;
  /** The paragraph for the reporter: why, and what they can do instead. */
  guidance: string;
}

export const DECLINE_REASON_TEXT: Readonly<Record<DeclineReason, DeclineReasonText>> = {
  'low-cvss-v2-environmental': {
    title: 'Low CVSS v2 Environmental score',
    guidance:
      'We evaluate the CVSS v2 Environmental score of every new report and use it to set priorities; reports with low ' +
      'Environmental scores are generally declined. This often happens to software that is not widely distributed and has ' +
      'a small global user base, and it is not a judgement of your work. Please report the vulnerability directly to the ' +
      'vendor or maintainer, who is best placed to fix it.',
  },
  'insufficient-evidence': {
    title: 'Lack of strong evidence',
    guidance:
      'Evidence must be provided before we can act, and this report has neither a proof of concept nor a proposed patch. ' +
      'Please report the vulnerability directly to the vendor or maintainer. If you can later supply a proof of concept or ' +
      'a patch, you are welcome to send us a new request.',
  },
  'cve-id-only': {
    title: 'Only a CVE ID is requested',
    guidance:
      'We typically only provide CVE IDs for vulnerabilities we take an active role in coordinating, so requests for a CVE ' +
      // The URL written out (a test holds it equal to CVE_REQUEST_URL): an object whose text joins
      // a variable is kept by the bundler in every function that imports this module, used or not.
      'ID alone are generally declined. You can request a CVE ID directly from the CVE Program (https://www.cve.org/ReportRequest/ReportRequestForNonCNAs), or ' +
      'from the CVE Numbering Authority (CNA) that covers the product: many vendors are CNAs for their own products.',
  },
  'publication-only': {
    title: 'Only publication is requested',
    guidance:
      'We typically only publish on vulnerabilities we take an active role in coordinating, and generally decline reports ' +
      'on an issue that has already been substantially coordinated. As the reporter you own the vulnerability information ' +
      'and may publish your own advisory, ideally alongside the vendor’s.',
  },
  resources: {
    title: 'Limited resources',
    guidance:
      'Our time and resources are limited, and we balance the number and kinds of vulnerabilities we handle to benefit the ' +
      'global community most. This is not a reflection on you or on the quality of your report. Please report the ' +
      'vulnerability directly to the vendor or maintainer.',
  },
};

/** Closes every decline e-mail, whatever the reasons (seeds: "What if the CERT/CC declines my report?"). */
export const AFTER_DECLINE_GUIDANCE =
  'We still encourage you to contact the vendor or maintainer directly. If that attempt fails despite acting responsibly, ' +
  'you may consider publishing the information yourself, on a personal blog or website or on a security mailing list such ' +
  'as Full Disclosure (https://seclists.org/fulldisclosure/). If you do, please take care over how much you release: ' +
  'ideally only enough for users to understand the issue and mitigate attacks, not a full proof of concept that can be ' +
  'misused. As the reporter you own the vulnerability information and are free to disclose it at any time.';

/** The body of the decline e-mail: one paragraph per distinct reason, in the seeds' order, then the common guidance. */
export function declineGuidance(reasons: readonly DeclineReason[]): string {
  const paragraphs = DECLINE_REASONS.filter((r) => reasons.includes(r)).map(
    (r) => `${DECLINE_REASON_TEXT[r].title}. ${DECLINE_REASON_TEXT[r].guidance}`,
  );
  return [...paragraphs, AFTER_DECLINE_GUIDANCE].join('\n\n');
}
