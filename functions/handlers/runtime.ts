// Builds the use cases' dependencies from the environment, once per Lambda container (module
// scope, reused across invocations). Locally the SDK's AWS_ENDPOINT_URL_* variables point the
// same clients at the emulators: no local-only code here. Each entry passes only the parts it
// uses (mailer, signals, notes, CVE sources), so its bundle carries only those clients and adapters.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCaseContent } from '../adapters/case-content.js';
import { DynamoDbCaseStore } from '../adapters/dynamodb-event-store.js';
import type { LinkKeys } from '../adapters/link-keys.js';
import type { Mailer } from '../adapters/mailer.js';
import type { NoteStore } from '../adapters/note-store.js';
import type { WorkflowSignals } from '../adapters/signals.js';
import { type AppDeps, caseProjection } from '../app/deps.js';
import { publicationConfigFromEnv } from '../app/publication-config.js';
import { MAIL_DETAILS, type MailDetail } from '../domain/messages.js';
import { loadPolicy } from '../domain/policy.js';

export type Env = Readonly<Record<string, string | undefined>>;

const CVE_MODES = ['pool', 'cve-services', 'manual'] as const;

function required(env: Env, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`invalid handler environment: ${name} is not set`);
  return v;
}

/** A part this function was not given: using it is a wiring bug, reported as such. */
function absent<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => () => Promise.reject(new Error(`this function has no ${what} (asked for ${String(prop)})`)),
  });
}

/** What a part is built from: the environment and the container's one DynamoDB client. */
export interface PartContext {
  env: Env;
  client: DynamoDBClient;
  tableName: string;
  cveMode: AppDeps['config']['cveMode'];
}

export interface Parts {
  mailer?: (env: Env) => Mailer;
  links?: (env: Env) => LinkKeys;
  signals?: (env: Env) => WorkflowSignals;
  notes?: (ctx: PartContext) => NoteStore;
  cve?: (ctx: PartContext) => Pick<AppDeps, 'pool' | 'cveServices'>;
}

type Base = Omit<AppDeps, 'mailer' | 'links' | 'signals' | 'notes' | 'pool' | 'cveServices'> & { ctx: PartContext };
let base: Base | undefined;
// One entry per combination of parts: the local runtime runs every handler in one process, so a
// handler that asked for no mailer must not hand its mailer-less dependencies to one that did.
const built = new Map<string, AppDeps>();

function buildBase(env: Env): Base {
  const cveMode = env.CVE_MODE ?? 'manual';
  if (!(CVE_MODES as readonly string[]).includes(cveMode)) throw new Error(`invalid handler environment: CVE_MODE must be one of ${CVE_MODES.join(', ')}`);
  const mailDetail = env.MAIL_DETAIL || 'minimal';
  if (!(MAIL_DETAILS as readonly string[]).includes(mailDetail)) throw new Error(`invalid handler environment: MAIL_DETAIL must be one of ${MAIL_DETAILS.join(', ')}`);
  const policy = loadPolicy(env);
  const client = new DynamoDBClient({});
  const tableName = required(env, 'CASE_TABLE_NAME');
  return {
    ctx: { env, client, tableName, cveMode: cveMode as PartContext['cveMode'] },
    store: new DynamoDbCaseStore({ client, tableName, projection: caseProjection(policy) }),
    content: new DynamoDbCaseContent(client, tableName),
    publication: publicationConfigFromEnv(env),
    policy,
    config: {
      publicBaseUrl: (env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, ''),
      coordinatorEmails: (env.COORDINATOR_EMAILS ?? '').split(',').map((x) => x.trim()).filter(Boolean),
      cveMode: cveMode as AppDeps['config']['cveMode'],
      mailDetail: mailDetail as MailDetail,
    },
    now: () => clock(),
  };
}

/** The dependencies for this container. */
export function deps(parts: Parts = {}, env: Env = process.env): AppDeps {
  const key = (['mailer', 'links', 'signals', 'notes', 'cve'] as const).filter((p) => parts[p]).join('+');
  const hit = built.get(key);
  if (hit) return hit;
  base ??= buildBase(env);
  const { ctx, ...shared } = base;
  const out: AppDeps = {
    ...shared,
    mailer: parts.mailer ? parts.mailer(env) : absent<Mailer>('mailer'),
    links: parts.links ? parts.links(env) : absent<LinkKeys>('link secret'),
    signals: parts.signals ? parts.signals(env) : absent<WorkflowSignals>('workflow signals'),
    notes: parts.notes ? parts.notes(ctx) : absent<NoteStore>('note store'),
    ...(parts.cve ? parts.cve(ctx) : {}),
  };
  built.set(key, out);
  return out;
}

let clock: () => string = () => new Date().toISOString();

/** Lets an embedding process (the local runtime) drive time; Lambda never calls it. */
export function setClock(now: () => string): void {
  clock = now;
}

/** Forgets the built dependencies (the local runtime rebuilds them after changing the environment). */
export function resetDeps(): void {
  base = undefined;
  built.clear();
}
