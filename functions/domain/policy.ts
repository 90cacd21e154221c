// Deployment-wide defaults for deadlines and the embargo (docs/workflow.md "Deadlines"). Every
// value is configurable per deployment (CDK context → environment → loadPolicy).

export interface Policy {
  embargoDays: number; // publication = first contact attempt + this many days
  embargoHourUtc: number; // ... at this hour, UTC
  triageSlaHours: number; // escalate an undecided report after this long, repeatedly
  informationRequestDays: number; // close as invalid when the reporter does not answer
  reminderDays: number; // vendor acknowledgement reminder spacing
  maxContactAttempts: number; // initial contact + reminders
  unresponsiveDays: number; // silence after the last attempt before a vendor is unresponsive
  finalNoticeLeadDays: number; // a silent vendor's final notice (and downstream alert) at the latest this long before publication
  statementReminderDays: number; // days before publication to remind vendors without a statement
  draftLeadDays: number; // share the draft this many days before publication
  publicationReminderHours: number; // re-remind coordinators to decide on a shared draft
  lowV2EnvironmentalScore: number; // below this, suggest declining (small user base)
  messagesPerDay: number; // what one reporter or vendor may write to a case per UTC day ...
  messageBytesPerDay: number; // ... in bytes ...
  messageBytesPerCase: number; // ... and in all, so nobody can flood a case
  acknowledgementsPerAddressPerDay: number; // report acknowledgements mailed to one address per UTC day
  messageDigestMinutes: number; // within this long of a message notice to an address, more messages wait for one digest
  fileBytesMax: number; // the largest file anyone may upload
  fileBytesPerCase: number; // what one reporter or vendor may upload to a case in all
}

export const DEFAULT_POLICY: Policy = {
  embargoDays: 45,
  embargoHourUtc: 12,
  triageSlaHours: 48,
  informationRequestDays: 14,
  reminderDays: 7,
  maxContactAttempts: 3,
  unresponsiveDays: 14,
  finalNoticeLeadDays: 7,
  statementReminderDays: 6,
  draftLeadDays: 14,
  publicationReminderHours: 24,
  lowV2EnvironmentalScore: 4.0,
  messagesPerDay: 20,
  messageBytesPerDay: 128 * 1024,
  messageBytesPerCase: 1024 * 1024,
  acknowledgementsPerAddressPerDay: 5,
  messageDigestMinutes: 10,
  fileBytesMax: 25 * 1024 * 1024,
  fileBytesPerCase: 100 * 1024 * 1024,
};

/** Reads overrides from an environment-like record (EMBARGO_DAYS=30 …); bad values are errors, not silent defaults. */
export function loadPolicy(env: Readonly<Record<string, string | undefined>>): Policy {
  const out: Policy = { ...DEFAULT_POLICY };
  for (const key of Object.keys(DEFAULT_POLICY) as (keyof Policy)[]) {
    const name = policyEnvName(key);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name} must be a non-negative number, got "${raw}"`);
    out[key] = n;
  }
  if (out.embargoHourUtc > 23) throw new RangeError('EMBARGO_HOUR_UTC must be 0..23');
  if (out.messageDigestMinutes > 1440) throw new RangeError('MESSAGE_DIGEST_MINUTES must be at most 1440 (a day)');
  if (out.maxContactAttempts < 1) throw new RangeError('MAX_CONTACT_ATTEMPTS must be at least 1');
  return out;
}

/** The environment variable of a policy key: embargoHourUtc → EMBARGO_HOUR_UTC. */
export const policyEnvName = (key: keyof Policy): string => key.replace(/[A-Z0-9]+/g, (m) => `_${m}`).toUpperCase();
