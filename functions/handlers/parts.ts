// What a handler is built from: the parts it asks runtime.deps for, each an adapter built from its
// own part of the environment. Every entry exports `reads`, the parts of the environment it reads,
// and test/infra/function-environment.test.ts holds the stack to exactly those. No SDK client here,
// so entries without dependencies (service-info) can import it for free.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CaseFiles } from '../app/deps.js';
import type { CveServices } from '../adapters/cve-services.js';
import type { CvePool } from '../adapters/cve-pool.js';
import type { LinkKeys } from '../adapters/link-keys.js';
import type { Mailer } from '../adapters/mailer.js';
import type { NoteStore } from '../adapters/note-store.js';
import type { VendorDirectory } from '../adapters/vendor-directory.js';
import type { HeldMailStore } from '../adapters/inbound-mail-store.js';
import type { WorkflowSignals } from '../adapters/signals.js';
import type { CoreEnv, EnvPart } from '../environment.js';

/** What a part is built from: the parsed core environment and the container's one DynamoDB client. */
export interface PartContext {
  core: CoreEnv;
  client: DynamoDBClient;
}

/** Builds one adapter; `reads` names the part of the environment it parses besides the core. */
export interface Part<T> {
  (ctx: PartContext): T;
  readonly reads: EnvPart | null;
}

export const part = <T>(reads: EnvPart | null, build: (ctx: PartContext) => T): Part<T> => Object.assign(build, { reads });

export interface Parts {
  mailer?: Part<Mailer>;
  links?: Part<LinkKeys>;
  signals?: Part<WorkflowSignals>;
  notes?: Part<NoteStore>;
  files?: Part<CaseFiles>;
  cve?: Part<{ pool?: CvePool; cveServices?: CveServices }>;
  directory?: Part<VendorDirectory>;
  heldMail?: Part<HeldMailStore>;
}

/** The environment a handler built from `parts` reads: the core, each part's own, `extra` (CORS, …) and telemetry. */
export function envPartsOf(parts: Parts, ...extra: EnvPart[]): EnvPart[] {
  const own = Object.values(parts).flatMap((p: Part<unknown> | undefined) => (p?.reads ? [p.reads] : []));
  return [...new Set<EnvPart>(['core', ...own, ...extra, 'telemetry'])];
}
