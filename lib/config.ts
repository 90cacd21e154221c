// Deployment configuration, read from CDK context (cdk.json "context" or `cdk synth -c key=value`).
// One schema holds every key and its default, so a wrong value fails the synth, not a case.
import type { Construct } from 'constructs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod/mini';
import {
  CVE_MODES,
  CVE_ORG_ID_PATTERN,
  DEFAULT_COORDINATOR_NAME,
  DEFAULT_LOG_LEVEL,
  DEFAULT_PREFERRED_LANGUAGES,
  type EnvVars,
  LANGUAGE_TAG_PATTERN,
  LOG_LEVELS,
  MAIL_DETAILS,
  METRICS_NAMESPACE,
  OSV_PREFIX_PATTERN,
  SERVICE_NAME,
  defaultRequireCveIds,
} from '../functions/environment.js';

// `-c key=value` gives strings, cdk.json gives JSON values: accept both.
const integer = (min: number, max: number, fallback: number) =>
  z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(min), z.maximum(max))), fallback);

const list = <T extends z.core.$ZodType<unknown, string>>(item: T) =>
  z.pipe(
    z.transform((value: unknown) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part.length > 0)
        : value,
    ),
    z.array(item),
  );

// An Origin header is scheme, host and port; anything more never matches it, and a wildcard would
// hand embargoed reports to any site.
const origin = z.pipe(
  z.url().check(
    z.refine((value) => {
      if (!URL.canParse(value)) return false; // z.url() has said so already
      const u = new URL(value);
      return (
        !value.includes('*') &&
        /^https?:$/.test(u.protocol) &&
        u.pathname === '/' &&
        u.search === '' &&
        u.hash === '' &&
        u.username === '' &&
        u.password === ''
      );
    }, 'must be an origin such as https://cvd.example.org: scheme, host and port only, no wildcard or path'),
  ),
  z.transform((value: string) => new URL(value).origin),
);

// `-c key=false` gives the string 'false', which z.coerce.boolean would read as true.
const boolean = z.pipe(
  z.transform((value: unknown) => (value === 'true' ? true : value === 'false' ? false : value)),
  z.boolean(),
);
const flag = (fallback: boolean) => z._default(boolean, fallback);

const retentionDays = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

export const ConfigSchema = z
  .object({
    /** The From address of every e-mail; an SES identity is created for it. */
    senderEmail: z._default(z.email(), 'cvd@example.org'),
    /** Verify this whole domain (Easy DKIM) instead of the single sender address. */
    senderDomain: z.optional(z.string().check(z.regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i))),
    /**
     * Receive mail on this domain (SES receiving, lib/inbound-mail.ts): reports to intakeAddress
     * and replies to case+…@ addresses. Its MX must point at SES's inbound endpoint. Unset: no
     * receiving resources, and outbound mail carries no Reply-To.
     */
    inboundDomain: z.optional(z.string().check(z.regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i))),
    /** The address reports are mailed to; default security@<inboundDomain>. Must be on inboundDomain. */
    intakeAddress: z.optional(z.email()),
    /** Who gets triage requests, escalations and blocked-case reports. */
    coordinatorEmails: z._default(list(z.email()), []),
    /**
     * Where reporters, vendors and coordinators open their pages; links in e-mails start here.
     * Default: the stack's own site (the CloudFront distribution, or siteDomainName).
     */
    publicBaseUrl: z.optional(z.url()),
    /** CORS origins of the API, for pages served elsewhere; default: the origin of publicBaseUrl, if set. */
    allowedOrigins: z.optional(list(origin)),
    /** A custom domain for the site, with its ACM certificate (in us-east-1, as CloudFront requires). */
    siteDomainName: z.optional(z.string().check(z.regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i))),
    siteCertificateArn: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/))),
    /**
     * An existing WAFv2 web ACL of CLOUDFRONT scope for the site, instead of the one the stack
     * creates (which it can only create when deployed to us-east-1 or region-agnostic).
     */
    siteWebAclArn: z.optional(z.string().check(z.startsWith('arn:'))),
    /** The Cognito hosted sign-in domain prefix (<prefix>.auth.<region>.amazoncognito.com); default cvd-<account id>. */
    signInDomainPrefix: z.optional(z.string().check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/))),
    embargoDays: integer(1, 365, 45),
    embargoHourUtc: integer(0, 23, 12),
    triageSlaHours: integer(1, 24 * 30, 48),
    informationRequestDays: integer(1, 90, 14),
    reminderDays: integer(1, 90, 7),
    maxContactAttempts: integer(1, 20, 3),
    unresponsiveDays: integer(1, 90, 14),
    /** Draft shared this many days before publication; the seeds ask for one to two weeks. */
    draftLeadDays: integer(7, 60, 14),
    statementReminderDays: integer(1, 60, 6),
    /** What one reporter or vendor may write to a case: messages and bytes per UTC day, bytes in all. */
    messagesPerDay: integer(1, 1000, 20),
    messageBytesPerDay: integer(1024, 16 * 1024 * 1024, 128 * 1024),
    messageBytesPerCase: integer(1024, 64 * 1024 * 1024, 1024 * 1024),
    /** Report acknowledgements mailed to one address per UTC day; further reports still open a case. */
    acknowledgementsPerAddressPerDay: integer(1, 1000, 5),
    /** The largest file anyone may upload, and what one reporter or vendor may upload to a case in all. */
    fileBytesMax: integer(1024, 5 * 1024 * 1024 * 1024, 25 * 1024 * 1024),
    fileBytesPerCase: integer(1024, 50 * 1024 * 1024 * 1024, 100 * 1024 * 1024),
    /** Where CVE IDs come from: the CNA's pool in the table, CVE Services, or coordinators by hand. */
    cveMode: z._default(z.enum(CVE_MODES), 'pool'),
    /** CVE Services' API (cveMode cve-services); https://cveawg-test.mitre.org/api is the test instance. */
    cveServicesUrl: z._default(z.url({ protocol: /^https?$/ }), 'https://cveawg.mitre.org/api'),
    /** The CNA's short name: CVE records name it, and CVE Services knows the organisation by it (CVE-API-ORG). */
    cnaShortName: z.optional(z.string().check(z.minLength(1), z.regex(/^\S+$/))),
    /** The CVE Services user whose API key the stack's secret holds (CVE-API-USER); required with cve-services. */
    cveApiUser: z.optional(z.string().check(z.minLength(1), z.regex(/^\S+$/))),
    /** The CNA's CVE Services organisation UUID, which every CVE record names as its provider. */
    cveOrgId: z.optional(z.string().check(z.regex(CVE_ORG_ID_PATTERN))),
    /** Refuse to publish while a vulnerability has no CVE ID; default: unless cveMode is manual. */
    requireCveIds: z.optional(boolean),
    /** The disclosure policy's page, named in /.well-known/security.txt (Policy:); none by default. */
    securityPolicyUrl: z.optional(z.url({ protocol: /^https$/ })),
    /** Languages reports may be written in, for security.txt's Preferred-Languages. */
    preferredLanguages: z._default(list(z.string().check(z.regex(LANGUAGE_TAG_PATTERN))), [DEFAULT_PREFERRED_LANGUAGES]),
    /**
     * How much a reporter's or vendor's e-mail says: 'minimal' (default) says there is news on the
     * case and gives the reader's private link, nothing embargoed; 'full' adds the title, product
     * and dates to the body. Subjects never carry case text either way.
     */
    mailDetail: z._default(z.enum(MAIL_DETAILS), 'minimal'),
    /** Who publishes: the name on notes, CSAF documents and credits. */
    coordinatorName: z._default(z.string().check(z.minLength(1)), DEFAULT_COORDINATOR_NAME),
    osvPrefix: z.optional(z.string().check(z.regex(OSV_PREFIX_PATTERN))),
    /** The handlers' log level (Powertools Logger): DEBUG, INFO (default), WARN, ERROR or SILENT. */
    logLevel: z._default(z.enum(LOG_LEVELS), DEFAULT_LOG_LEVEL),
    logRetentionDays: z._default(
      z.pipe(
        z.coerce.number(),
        z.number().check(z.refine((days) => retentionDays.includes(days), 'must be a CloudWatch Logs retention value')),
      ),
      90,
    ),
    /** Stage-wide API throttling (requests per second, and burst). */
    apiRateLimit: integer(1, 10_000, 50),
    apiBurstLimit: integer(1, 5_000, 100),
    /**
     * An existing WAFv2 web ACL (REGIONAL) for the API stage, instead of the one the stack creates.
     * It replaces the origin lock and the intake rate limit too, so it must carry its own.
     */
    webAclArn: z.optional(z.string().check(z.startsWith('arn:'))),
    /**
     * Create and attach the stack's WAF web ACLs (API stage, and the site where the region allows):
     * the origin lock, the per-address limit on POST /reports and AWS managed rules.
     */
    wafEnabled: flag(true),
    /** POST /reports accepted per client IP address in any 5 minutes (WAF's minimum is 10); more get 429. */
    reportRateLimitPer5Min: integer(10, 2_000_000_000, 10),
  })
  .check(
    z.refine((config) => config.cveMode !== 'cve-services' || config.cnaShortName !== undefined, {
      message: 'cnaShortName is required when cveMode is cve-services',
      path: ['cnaShortName'],
    }),
    z.refine((config) => config.cveMode !== 'cve-services' || config.cveApiUser !== undefined, {
      message: 'cveApiUser is required when cveMode is cve-services',
      path: ['cveApiUser'],
    }),
    z.refine(
      (config) =>
        config.intakeAddress === undefined ||
        (config.inboundDomain !== undefined && config.intakeAddress.toLowerCase().endsWith(`@${config.inboundDomain.toLowerCase()}`)),
      { message: 'intakeAddress must be an address on inboundDomain', path: ['intakeAddress'] },
    ),
    z.refine((config) => (config.siteDomainName === undefined) === (config.siteCertificateArn === undefined), {
      message: 'siteDomainName and siteCertificateArn go together',
      path: ['siteCertificateArn'],
    }),
  );

export type Config = z.output<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

export const configKeys = Object.keys(ConfigSchema.def.shape) as ConfigKey[];

/** Reads every key from the construct tree's context (app-wide) and validates it. */
export function readConfig(scope: Construct): Config {
  const raw = Object.fromEntries(configKeys.map((key) => [key, scope.node.tryGetContext(key) as unknown]));
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid CDK context:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Origins that may call the API from another site; none when the pages are the stack's own (same origin). */
export function allowedOriginsOf(config: Config): string[] {
  return config.allowedOrigins ?? (config.publicBaseUrl === undefined ? [] : [new URL(config.publicBaseUrl).origin]);
}

/**
 * The core of every handler's environment (functions/environment.ts): the policy, the CVE mode,
 * mail and publication settings. CASE_TABLE_NAME comes with bindCaseTable, and PUBLIC_BASE_URL,
 * when not configured, with the site (CvdStack). Unset optional keys are left out, not set to ''.
 */
export function coreEnvironment(config: Config): EnvVars<'core'> {
  return {
    CVE_MODE: config.cveMode,
    MAIL_DETAIL: config.mailDetail,
    COORDINATOR_EMAILS: config.coordinatorEmails.join(','),
    COORDINATOR_NAME: config.coordinatorName,
    ...(config.publicBaseUrl === undefined ? {} : { PUBLIC_BASE_URL: config.publicBaseUrl }),
    ...(config.cveOrgId === undefined ? {} : { CVE_ORG_ID: config.cveOrgId }),
    ...(config.cnaShortName === undefined ? {} : { CNA_SHORT_NAME: config.cnaShortName }),
    ...(config.osvPrefix === undefined ? {} : { OSV_PREFIX: config.osvPrefix }),
    ...(config.inboundDomain === undefined ? {} : { INBOUND_DOMAIN: config.inboundDomain.toLowerCase() }),
    REQUIRE_CVE_IDS: String(config.requireCveIds ?? defaultRequireCveIds(config.cveMode)),
    EMBARGO_DAYS: String(config.embargoDays),
    EMBARGO_HOUR_UTC: String(config.embargoHourUtc),
    TRIAGE_SLA_HOURS: String(config.triageSlaHours),
    INFORMATION_REQUEST_DAYS: String(config.informationRequestDays),
    REMINDER_DAYS: String(config.reminderDays),
    MAX_CONTACT_ATTEMPTS: String(config.maxContactAttempts),
    UNRESPONSIVE_DAYS: String(config.unresponsiveDays),
    DRAFT_LEAD_DAYS: String(config.draftLeadDays),
    STATEMENT_REMINDER_DAYS: String(config.statementReminderDays),
    MESSAGES_PER_DAY: String(config.messagesPerDay),
    MESSAGE_BYTES_PER_DAY: String(config.messageBytesPerDay),
    MESSAGE_BYTES_PER_CASE: String(config.messageBytesPerCase),
    ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY: String(config.acknowledgementsPerAddressPerDay),
    FILE_BYTES_MAX: String(config.fileBytesMax),
    FILE_BYTES_PER_CASE: String(config.fileBytesPerCase),
  };
}

/** The CORS origins of API handlers: none when the pages are the stack's own (same origin). */
export const httpEnvironment = (config: Config): EnvVars<'http'> => ({ ALLOWED_ORIGINS: allowedOriginsOf(config).join(',') });

/** security.txt's settings, for public-notes. */
export const publicNotesEnvironment = (config: Config): EnvVars<'publicNotes'> => ({
  ...(config.securityPolicyUrl === undefined ? {} : { SECURITY_POLICY_URL: config.securityPolicyUrl }),
  PREFERRED_LANGUAGES: config.preferredLanguages.join(', '),
});

/** CVE Services' endpoint and user, for the functions that call it; the key's secret comes with CveServicesKey.bind. */
export function cveServicesEnvironment(config: Config): EnvVars<'cveServices'> {
  if (config.cveApiUser === undefined) throw new Error('cveApiUser is required when cveMode is cve-services');
  return { CVE_SERVICES_URL: config.cveServicesUrl, CVE_API_USER: config.cveApiUser };
}

/** The intake address: configured, or security@ the inbound domain. */
export const intakeAddressOf = (config: Config & { inboundDomain: string }): string =>
  (config.intakeAddress ?? `security@${config.inboundDomain}`).toLowerCase();

/** Logs and metrics, for every handler: one service name and EMF namespace, the configured log level. */
export const telemetryEnvironment = (config: Config): EnvVars<'telemetry'> => ({
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: config.logLevel,
});
