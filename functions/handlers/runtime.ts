// Builds the use cases' dependencies from the environment, once per Lambda container (module
// scope, reused across invocations). Locally the SDK's AWS_ENDPOINT_URL_* variables point the
// same clients at the emulators: no local-only code here. Each entry passes only the parts it
// uses (mailer, signals, notes, CVE sources), so its bundle carries only those clients and adapters.
import { parseCoreEnv } from '../environment.js';
import type { HeldMailStore } from '../adapters/inbound-mail-store.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCaseContent } from '../adapters/case-content.js';
import { DynamoDbCaseStore } from '../adapters/dynamodb-event-store.js';
import type { LinkKeys } from '../adapters/link-keys.js';
import type { Mailer } from '../adapters/mailer.js';
import type { NoteStore } from '../adapters/note-store.js';
import type { VendorDirectory } from '../adapters/vendor-directory.js';
import type { WorkflowSignals } from '../adapters/signals.js';
import { type AppDeps, caseProjection } from '../app/deps.js';
import type { PublicationConfig } from '../app/publication-config.js';
import type { CoreEnv } from '../environment.js';
import { envPart, forgetEnv } from './env.js';
import { forgetTelemetry, telemetry } from './telemetry-from-env.js';
import type { PartContext, Parts } from './parts.js';

/** A part this function was not given: using it is a wiring bug, reported as such. */
function absent<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => () => Promise.reject(new Error(`this function has no ${what} (asked for ${String(prop)})`)),
  });
}

export const publicationConfigOf = (core: CoreEnv): PublicationConfig => ({
  publicBaseUrl: core.publicBaseUrl,
  coordinatorName: core.coordinatorName,
  cveOrgId: core.cveOrgId,
  ...(core.cnaShortName === undefined ? {} : { cveShortName: core.cnaShortName }),
  osvPrefix: core.osvPrefix,
  cveMode: core.cveMode,
  requireCveIds: core.requireCveIds,
});

type Base = Omit<AppDeps, 'mailer' | 'links' | 'signals' | 'notes' | 'files' | 'pool' | 'cveServices' | 'directory' | 'heldMail'> & {
  ctx: PartContext;
};
let base: Base | undefined;
// One entry per combination of part builders: the local runtime runs every handler in one process,
// so a handler that asked for no mailer (or for task signals only) must not hand its dependencies
// to one that asked for more.
const built = new Map<string, AppDeps>();
const builderIds = new WeakMap<object, number>();
let nextBuilderId = 0;
const idOf = (builder: object): number => {
  let id = builderIds.get(builder);
  if (id === undefined) {
    id = nextBuilderId++;
    builderIds.set(builder, id);
  }
  return id;
};

function buildBase(): Base {
  const core = envPart('core', parseCoreEnv);
  const client = new DynamoDBClient({});
  return {
    ctx: { core, client },
    store: new DynamoDbCaseStore({ client, tableName: core.caseTableName, projection: caseProjection(core.policy) }),
    content: new DynamoDbCaseContent(client, core.caseTableName),
    publication: publicationConfigOf(core),
    policy: core.policy,
    config: {
      publicBaseUrl: core.publicBaseUrl,
      coordinatorEmails: core.coordinatorEmails,
      cveMode: core.cveMode,
      mailDetail: core.mailDetail,
      ...(core.inboundDomain ? { replyDomain: core.inboundDomain } : {}),
    },
    now: () => clock(),
    telemetry: telemetry(),
  };
}

/** The dependencies for this container. */
export function deps(parts: Parts = {}): AppDeps {
  const names = (['mailer', 'links', 'signals', 'notes', 'files', 'cve', 'directory', 'heldMail'] as const).filter((p) => parts[p]);
  const key = names.map((p) => `${p}:${idOf(parts[p] as object)}`).join('+');
  const hit = built.get(key);
  if (hit) return hit;
  base ??= buildBase();
  const { ctx, ...shared } = base;
  const out: AppDeps = {
    ...shared,
    mailer: parts.mailer ? parts.mailer(ctx) : absent<Mailer>('mailer'),
    links: parts.links ? parts.links(ctx) : absent<LinkKeys>('link secret'),
    signals: parts.signals ? parts.signals(ctx) : absent<WorkflowSignals>('workflow signals'),
    notes: parts.notes ? parts.notes(ctx) : absent<NoteStore>('note store'),
    files: parts.files ? parts.files(ctx) : { records: absent('file records'), store: absent('file bucket') },
    ...(parts.cve ? parts.cve(ctx) : {}),
    directory: parts.directory ? parts.directory(ctx) : absent<VendorDirectory>('vendor directory'),
    heldMail: parts.heldMail ? parts.heldMail(ctx) : absent<HeldMailStore>('held mail'),
  };
  built.set(key, out);
  return out;
}

let clock: () => string = () => new Date().toISOString();

/** Lets an embedding process (the local runtime) drive time; Lambda never calls it. */
export function setClock(now: () => string): void {
  clock = now;
}

/** Forgets the parsed environment and the built dependencies (the local runtime changes the environment, then rebuilds). */
export function resetDeps(): void {
  forgetEnv();
  forgetTelemetry();
  base = undefined;
  built.clear();
}
