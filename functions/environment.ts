// The contract between the stack and the handlers: every environment variable a Lambda function is
// given, the part of a handler that reads it, whether it may be missing, and the one parser. lib/
// builds each function's environment with these names; functions/handlers parse it with these
// functions, once per container. Plain TypeScript with no CDK and no zod: every bundle carries it.
import { MAIL_DETAILS, type MailDetail } from './domain/mail-render.js';
import { type Policy, loadPolicy } from './domain/policy.js';
import { DEFAULT_OSV_PREFIX } from './domain/publication/osv-prefix.js';
import { ARN_PATTERN, type Env, EnvError, arn, flag, got, list, matching, oneOf, raw, required, url } from './environment-parse.js';

export { EnvError };

export { MAIL_DETAILS };

export type { Env } from './environment-parse.js';

export const CVE_MODES = ['pool', 'cve-services', 'manual'] as const;
export type CveMode = (typeof CVE_MODES)[number];

/**
 * The Cognito group of coordinators: the stack creates it and the API handlers require it. A fixed
 * name shared at build time rather than a variable, so the two cannot disagree.
 */
export const COORDINATOR_GROUP = 'coordinators';

/**
 * What a handler builds, each from its own variables: `core` is every handler with dependencies
 * (the case table, the policy, publication settings), `telemetry` every handler (logs and metrics),
 * the others come with one adapter each.
 */
export const ENV_PARTS = [
  'core',
  'http',
  'mail',
  'links',
  'signals',
  'files',
  'publicNotes',
  'cveServices',
  'inbound',
  'telemetry',
] as const;
export type EnvPart = (typeof ENV_PARTS)[number];

// Shapes both sides check: the CDK context schema (lib/config.ts) uses them too.
export const CVE_ORG_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const OSV_PREFIX_PATTERN = /^[A-Z][A-Z0-9-]*$/;
export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const EMAIL_PATTERN = /^[^\s@<>,]+@[^\s@<>,]+$/;
export const DOMAIN_PATTERN = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost:3000';
/** The CloudWatch namespace of the business metrics (EMF); the stack's alarms and dashboard read it. */
export const METRICS_NAMESPACE = 'CvdCoordinator';
export const SERVICE_NAME = 'cvd-coordinator';
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'INFO';
export const DEFAULT_COORDINATOR_NAME = 'CVD Coordinator';
export const DEFAULT_PREFERRED_LANGUAGES = 'en';
/** Publication waits for a CVE ID on every vulnerability unless IDs are entered by hand. */
export const defaultRequireCveIds = (cveMode: CveMode): boolean => cveMode !== 'manual';

/**
 * One variable. `required`: the handler refuses to start without it (`cve-services`: only in that
 * mode, and in other modes nobody reads it). `stack`: the stack sets it always, only when its
 * context key is given, or never (the handler default is then the only value, on purpose).
 */
export interface EnvVarSpec {
  readonly part: EnvPart;
  readonly required: boolean | 'cve-services';
  readonly stack: 'always' | 'configured' | 'never';
  /** The CDK context key it is made from (lib/config.ts), if any. */
  readonly context?: string;
  /** The value when unset; for the README and the tests. */
  readonly fallback?: string;
}

export const ENV_VARS = {
  // core: every handler with dependencies (functions/handlers/runtime.ts)
  CASE_TABLE_NAME: { part: 'core', required: true, stack: 'always' },
  CVE_MODE: { part: 'core', required: false, stack: 'always', context: 'cveMode', fallback: 'manual' },
  MAIL_DETAIL: { part: 'core', required: false, stack: 'always', context: 'mailDetail', fallback: 'minimal' },
  PUBLIC_BASE_URL: { part: 'core', required: false, stack: 'always', context: 'publicBaseUrl', fallback: DEFAULT_PUBLIC_BASE_URL },
  COORDINATOR_EMAILS: { part: 'core', required: false, stack: 'always', context: 'coordinatorEmails', fallback: '(none)' },
  COORDINATOR_NAME: { part: 'core', required: false, stack: 'always', context: 'coordinatorName', fallback: DEFAULT_COORDINATOR_NAME },
  CVE_ORG_ID: { part: 'core', required: false, stack: 'configured', context: 'cveOrgId', fallback: '(none: CVE records are refused)' },
  CNA_SHORT_NAME: {
    part: 'core',
    required: false,
    stack: 'configured',
    context: 'cnaShortName',
    fallback: '(none; required with CVE_MODE=cve-services)',
  },
  OSV_PREFIX: { part: 'core', required: false, stack: 'configured', context: 'osvPrefix', fallback: DEFAULT_OSV_PREFIX },
  REQUIRE_CVE_IDS: { part: 'core', required: false, stack: 'always', context: 'requireCveIds', fallback: 'true unless CVE_MODE is manual' },
  // Reply addresses case+…@INBOUND_DOMAIN on participants' mail; unset: inbound mail is off.
  INBOUND_DOMAIN: { part: 'core', required: false, stack: 'configured', context: 'inboundDomain', fallback: '(none: inbound mail off)' },
  // core: the policy (functions/domain/policy.ts, DEFAULT_POLICY for each fallback)
  EMBARGO_DAYS: { part: 'core', required: false, stack: 'always', context: 'embargoDays' },
  EMBARGO_HOUR_UTC: { part: 'core', required: false, stack: 'always', context: 'embargoHourUtc' },
  TRIAGE_SLA_HOURS: { part: 'core', required: false, stack: 'always', context: 'triageSlaHours' },
  INFORMATION_REQUEST_DAYS: { part: 'core', required: false, stack: 'always', context: 'informationRequestDays' },
  REMINDER_DAYS: { part: 'core', required: false, stack: 'always', context: 'reminderDays' },
  MAX_CONTACT_ATTEMPTS: { part: 'core', required: false, stack: 'always', context: 'maxContactAttempts' },
  UNRESPONSIVE_DAYS: { part: 'core', required: false, stack: 'always', context: 'unresponsiveDays' },
  STATEMENT_REMINDER_DAYS: { part: 'core', required: false, stack: 'always', context: 'statementReminderDays' },
  DRAFT_LEAD_DAYS: { part: 'core', required: false, stack: 'always', context: 'draftLeadDays' },
  MESSAGES_PER_DAY: { part: 'core', required: false, stack: 'always', context: 'messagesPerDay' },
  MESSAGE_BYTES_PER_DAY: { part: 'core', required: false, stack: 'always', context: 'messageBytesPerDay' },
  MESSAGE_BYTES_PER_CASE: { part: 'core', required: false, stack: 'always', context: 'messageBytesPerCase' },
  ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY: { part: 'core', required: false, stack: 'always', context: 'acknowledgementsPerAddressPerDay' },
  FILE_BYTES_MAX: { part: 'core', required: false, stack: 'always', context: 'fileBytesMax' },
  FILE_BYTES_PER_CASE: { part: 'core', required: false, stack: 'always', context: 'fileBytesPerCase' },
  // Policy values that are not deployment settings (no context key): tests may set them. The
  // last is policyEnvName's spelling of lowV2EnvironmentalScore.
  MESSAGE_DIGEST_MINUTES: { part: 'core', required: false, stack: 'never' },
  PUBLICATION_REMINDER_HOURS: { part: 'core', required: false, stack: 'never' },
  FINAL_NOTICE_LEAD_DAYS: { part: 'core', required: false, stack: 'never' },
  LOW_V2ENVIRONMENTAL_SCORE: { part: 'core', required: false, stack: 'never' },
  // http: the API handlers behind functions/handlers/http-entry.ts (CORS)
  ALLOWED_ORIGINS: { part: 'http', required: false, stack: 'always', context: 'allowedOrigins', fallback: '(none: same origin only)' },
  // mail: the SES mailer, and the team's OpenPGP key that signs and encrypts its mail (lib/pgp-key.ts)
  MAIL_FROM: { part: 'mail', required: true, stack: 'always', context: 'senderEmail' },
  MAIL_CONFIGURATION_SET: { part: 'mail', required: false, stack: 'always', fallback: '(none)' },
  PGP_KEY_SECRET_ARN: { part: 'mail', required: false, stack: 'always', fallback: '(none: no mail is encrypted)' },
  // links: the link secret's ARN
  LINK_SECRET_ARN: { part: 'links', required: true, stack: 'always' },
  // signals: starting executions of the case workflow
  STATE_MACHINE_ARN: { part: 'signals', required: true, stack: 'always' },
  // files: the private bucket of case files (presigned uploads and downloads)
  FILES_BUCKET: { part: 'files', required: true, stack: 'always' },
  // publicNotes: /.well-known/security.txt, and the team's OpenPGP public key (/pgp-key.asc)
  SECURITY_POLICY_URL: {
    part: 'publicNotes',
    required: false,
    stack: 'configured',
    context: 'securityPolicyUrl',
    fallback: "(none: Policy is the report form's terms, PUBLIC_BASE_URL/#terms)",
  },
  PREFERRED_LANGUAGES: {
    part: 'publicNotes',
    required: false,
    stack: 'always',
    context: 'preferredLanguages',
    fallback: DEFAULT_PREFERRED_LANGUAGES,
  },
  PGP_PUBLIC_KEY_SECRET_ARN: { part: 'publicNotes', required: false, stack: 'always', fallback: '(none: no public key is served)' },
  // cveServices: the CVE Services client; the org is CNA_SHORT_NAME
  CVE_SERVICES_URL: { part: 'cveServices', required: 'cve-services', stack: 'always', context: 'cveServicesUrl' },
  CVE_API_USER: { part: 'cveServices', required: 'cve-services', stack: 'always', context: 'cveApiUser' },
  CVE_API_KEY_SECRET_ARN: { part: 'cveServices', required: 'cve-services', stack: 'always' },
  // inbound: the received-mail function (lib/inbound-mail.ts): where SES stores each message, and the intake address
  INBOUND_BUCKET: { part: 'inbound', required: true, stack: 'always' },
  INTAKE_ADDRESS: { part: 'inbound', required: true, stack: 'always', context: 'intakeAddress', fallback: 'security@INBOUND_DOMAIN' },
  // The team's private key, to open encrypted mail (the same secret the mail part signs with).
  INBOUND_PGP_KEY_SECRET_ARN: { part: 'inbound', required: false, stack: 'always', fallback: '(none: encrypted mail is held)' },
  // telemetry: every handler (functions/handlers/telemetry-from-env.ts); Powertools reads the same names
  POWERTOOLS_SERVICE_NAME: { part: 'telemetry', required: false, stack: 'always', fallback: SERVICE_NAME },
  POWERTOOLS_METRICS_NAMESPACE: { part: 'telemetry', required: false, stack: 'always', fallback: METRICS_NAMESPACE },
  POWERTOOLS_LOG_LEVEL: { part: 'telemetry', required: false, stack: 'always', context: 'logLevel', fallback: DEFAULT_LOG_LEVEL },
  // The local runtime writes no EMF: nothing there reads it, and it would bury the console.
  POWERTOOLS_METRICS_DISABLED: { part: 'telemetry', required: false, stack: 'never', fallback: 'false' },
} as const satisfies Record<string, EnvVarSpec>;

export type EnvVarName = keyof typeof ENV_VARS;
export type EnvVarOf<P extends EnvPart> = { [K in EnvVarName]: (typeof ENV_VARS)[K]['part'] extends P ? K : never }[EnvVarName];
/** An environment the stack builds: contract names only. */
export type EnvVars<P extends EnvPart = EnvPart> = Partial<Record<EnvVarOf<P>, string>>;

export const envVarNames = Object.keys(ENV_VARS) as EnvVarName[];

/** The variables a handler reading `parts` reads in `cveMode`: CVE Services' only in that mode. */
export function envVarsRead(parts: readonly EnvPart[], cveMode: CveMode): EnvVarName[] {
  return envVarNames.filter((name) => {
    const spec: EnvVarSpec = ENV_VARS[name];
    return parts.includes(spec.part) && (spec.required !== 'cve-services' || cveMode === 'cve-services');
  });
}

// ---- the parser ---------------------------------------------------------------------------------

const isOrigin = (value: string): boolean =>
  URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;

export interface CoreEnv {
  caseTableName: string;
  cveMode: CveMode;
  mailDetail: MailDetail;
  /** No trailing slash. */
  publicBaseUrl: string;
  coordinatorEmails: string[];
  coordinatorName: string;
  /** '' when unset: CVE records are then refused at publication. */
  cveOrgId: string;
  cnaShortName?: string;
  osvPrefix: string;
  requireCveIds: boolean;
  policy: Policy;
  /** The domain of reply addresses; absent: inbound mail is off. */
  inboundDomain?: string;
}

export interface InboundEnv {
  bucket: string;
  intakeAddress: string;
  pgpKeySecretArn?: string | undefined;
}

export interface HttpEnv {
  allowedOrigins: string[];
}

export interface MailEnv {
  mailFrom: string;
  mailConfigurationSet?: string | undefined;
  pgpKeySecretArn?: string | undefined;
}

export interface LinksEnv {
  linkSecretArn: string;
}

export interface SignalsEnv {
  stateMachineArn: string;
}

export interface FilesEnv {
  bucket: string;
}

export interface PublicNotesEnv {
  securityPolicyUrl?: string | undefined;
  preferredLanguages: string;
  pgpPublicKeySecretArn?: string | undefined;
}

export interface CveServicesEnv {
  url: string;
  user: string;
  apiKeySecretArn: string;
}

export interface TelemetryEnv {
  serviceName: string;
  metricsNamespace: string;
  logLevel: LogLevel;
  metricsDisabled: boolean;
}

export interface PartEnv {
  core: CoreEnv;
  http: HttpEnv;
  mail: MailEnv;
  links: LinksEnv;
  signals: SignalsEnv;
  files: FilesEnv;
  publicNotes: PublicNotesEnv;
  /** null unless CVE_MODE is cve-services. */
  cveServices: CveServicesEnv | null;
  inbound: InboundEnv;
  telemetry: TelemetryEnv;
}

const cveModeOf = (env: Env): CveMode => oneOf(env, 'CVE_MODE', CVE_MODES, 'manual');

function policyOf(env: Env): Policy {
  try {
    return loadPolicy(env);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const name = envVarNames.find((n) => message.startsWith(`${n} `));
    if (name === undefined) throw e;
    throw new EnvError(name, message.slice(name.length + 1));
  }
}

export function parseCoreEnv(env: Env): CoreEnv {
  const cveMode = cveModeOf(env);
  const cnaShortName = raw(env, 'CNA_SHORT_NAME');
  if (cveMode === 'cve-services' && cnaShortName === undefined)
    throw new EnvError('CNA_SHORT_NAME', 'must be set when CVE_MODE is cve-services (it is the CVE-API-ORG)');
  const requireCveIds = flag(env, 'REQUIRE_CVE_IDS');
  const inboundDomain = matching(env, 'INBOUND_DOMAIN', DOMAIN_PATTERN, 'a domain name');
  return {
    caseTableName: required(env, 'CASE_TABLE_NAME'),
    cveMode,
    mailDetail: oneOf(env, 'MAIL_DETAIL', MAIL_DETAILS, 'minimal'),
    publicBaseUrl: (url(env, 'PUBLIC_BASE_URL', ['https:', 'http:']) ?? DEFAULT_PUBLIC_BASE_URL).replace(/\/+$/, ''),
    coordinatorEmails: list(env, 'COORDINATOR_EMAILS', (x) => EMAIL_PATTERN.test(x), 'e-mail addresses'),
    coordinatorName: raw(env, 'COORDINATOR_NAME') ?? DEFAULT_COORDINATOR_NAME,
    cveOrgId: matching(env, 'CVE_ORG_ID', CVE_ORG_ID_PATTERN, 'a UUID') ?? '',
    ...(cnaShortName === undefined ? {} : { cnaShortName }),
    osvPrefix: matching(env, 'OSV_PREFIX', OSV_PREFIX_PATTERN, 'capital letters, digits and dashes') ?? DEFAULT_OSV_PREFIX,
    requireCveIds: requireCveIds ?? defaultRequireCveIds(cveMode),
    policy: policyOf(env),
    ...(inboundDomain === undefined ? {} : { inboundDomain: inboundDomain.toLowerCase() }),
  };
}

export const parseHttpEnv = (env: Env): HttpEnv => ({
  allowedOrigins: list(env, 'ALLOWED_ORIGINS', isOrigin, 'origins (scheme://host[:port])'),
});

export function parseMailEnv(env: Env): MailEnv {
  const mailFrom = required(env, 'MAIL_FROM');
  if (!EMAIL_PATTERN.test(mailFrom)) throw new EnvError('MAIL_FROM', `must be an e-mail address${got(mailFrom)}`);
  const pgpKeySecretArn = matching(env, 'PGP_KEY_SECRET_ARN', ARN_PATTERN, 'an ARN');
  return { mailFrom, pgpKeySecretArn, mailConfigurationSet: raw(env, 'MAIL_CONFIGURATION_SET') };
}

export const parseLinksEnv = (env: Env): LinksEnv => ({ linkSecretArn: arn(env, 'LINK_SECRET_ARN') });

export const parseSignalsEnv = (env: Env): SignalsEnv => ({ stateMachineArn: arn(env, 'STATE_MACHINE_ARN') });

export function parseFilesEnv(env: Env): FilesEnv {
  const bucket = required(env, 'FILES_BUCKET');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new EnvError('FILES_BUCKET', `must be an S3 bucket name${got(bucket)}`);
  return { bucket };
}

export function parsePublicNotesEnv(env: Env): PublicNotesEnv {
  const languages = list(env, 'PREFERRED_LANGUAGES', (x) => LANGUAGE_TAG_PATTERN.test(x), 'language tags');
  return {
    securityPolicyUrl: url(env, 'SECURITY_POLICY_URL', ['https:']),
    preferredLanguages: languages.length > 0 ? languages.join(', ') : DEFAULT_PREFERRED_LANGUAGES,
    pgpPublicKeySecretArn: matching(env, 'PGP_PUBLIC_KEY_SECRET_ARN', ARN_PATTERN, 'an ARN'),
  };
}

export function parseCveServicesEnv(env: Env): CveServicesEnv | null {
  if (cveModeOf(env) !== 'cve-services') return null;
  const endpoint = url(env, 'CVE_SERVICES_URL', ['https:', 'http:']);
  if (endpoint === undefined) throw new EnvError('CVE_SERVICES_URL', 'is not set');
  return { url: endpoint, user: required(env, 'CVE_API_USER'), apiKeySecretArn: arn(env, 'CVE_API_KEY_SECRET_ARN') };
}

export function parseInboundEnv(env: Env): InboundEnv {
  const bucket = required(env, 'INBOUND_BUCKET');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new EnvError('INBOUND_BUCKET', `must be an S3 bucket name${got(bucket)}`);
  const intakeAddress = required(env, 'INTAKE_ADDRESS');
  if (!EMAIL_PATTERN.test(intakeAddress)) throw new EnvError('INTAKE_ADDRESS', `must be an e-mail address${got(intakeAddress)}`);
  const pgpKeySecretArn = matching(env, 'INBOUND_PGP_KEY_SECRET_ARN', ARN_PATTERN, 'an ARN');
  return { bucket, intakeAddress: intakeAddress.toLowerCase(), pgpKeySecretArn };
}

export const parseTelemetryEnv = (env: Env): TelemetryEnv => ({
  serviceName: raw(env, 'POWERTOOLS_SERVICE_NAME') ?? SERVICE_NAME,
  metricsNamespace:
    matching(env, 'POWERTOOLS_METRICS_NAMESPACE', /^[A-Za-z0-9._#:/-]{1,255}$/, 'a CloudWatch namespace') ?? METRICS_NAMESPACE,
  logLevel: oneOf(env, 'POWERTOOLS_LOG_LEVEL', LOG_LEVELS, DEFAULT_LOG_LEVEL),
  metricsDisabled: flag(env, 'POWERTOOLS_METRICS_DISABLED') ?? false,
});

export const parseEnvPart: { readonly [P in EnvPart]: (env: Env) => PartEnv[P] } = {
  core: parseCoreEnv,
  http: parseHttpEnv,
  mail: parseMailEnv,
  links: parseLinksEnv,
  signals: parseSignalsEnv,
  files: parseFilesEnv,
  publicNotes: parsePublicNotesEnv,
  cveServices: parseCveServicesEnv,
  inbound: parseInboundEnv,
  telemetry: parseTelemetryEnv,
};

/** Every part a handler reads, parsed: throws EnvError on the first missing or malformed variable. */
export function parseEnv<P extends EnvPart>(env: Env, parts: readonly P[]): Pick<PartEnv, P> {
  const out: Partial<PartEnv> = {};
  for (const part of parts) (out as Record<EnvPart, unknown>)[part] = parseEnvPart[part](env);
  return out as Pick<PartEnv, P>;
}
