// /.well-known/security.txt for the deployment's own intake (RFC 9116): Contact (one or more),
// Expires (exactly once, under a year ahead), Policy, Preferred-Languages, Encryption (when the
// team's OpenPGP key is served), Canonical.
export interface SecurityTxtOptions {
  publicBaseUrl: string;
  /** mailto: contacts; the coordinators' addresses. */
  contacts: readonly string[];
  /** The disclosure policy's URL; when not configured, the terms on the report form (`/#terms`). */
  policyUrl?: string;
  /** Comma-separated language tags, e.g. "en, de". */
  preferredLanguages?: string;
  now: string;
  /** How long the file stays valid; RFC 9116 recommends less than a year. */
  validDays?: number;
  /** Whether the team's OpenPGP public key is served (/pgp-key.asc): then named as Encryption. */
  encryption?: boolean;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

/** The file's text, or null when there is no contact to name (a security.txt must have one). */
export function renderSecurityTxt(o: SecurityTxtOptions): string | null {
  const contacts = o.contacts.map(oneLine).filter((c) => /^[^\s@<>]+@[^\s@<>]+$/.test(c));
  if (contacts.length === 0) return null;
  const base = o.publicBaseUrl.replace(/\/+$/, '');
  const days = Math.min(Math.max(o.validDays ?? 180, 1), 364);
  const expires = new Date(Date.parse(o.now) + days * 86_400_000);
  expires.setUTCHours(0, 0, 0, 0);
  const lines = [
    ...contacts.map((c) => `Contact: mailto:${c}`),
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    // Without a configured page the policy is the terms on the report form, which every deployment has.
    `Policy: ${o.policyUrl && /^https:\/\//.test(o.policyUrl) ? oneLine(o.policyUrl) : `${base}/#terms`}`,
    `Preferred-Languages: ${oneLine(o.preferredLanguages ?? 'en') || 'en'}`,
    ...(o.encryption ? [`Encryption: ${base}/pgp-key.asc`] : []),
    `Canonical: ${base}/.well-known/security.txt`,
    `Acknowledgments: ${base}/notes`,
  ];
  return `${lines.join('\n')}\n`;
}
