// The vendor directory's use cases (docs/api.md "Vendor directory"): coordinators keep organisations
// across cases, find them by name or alias, and add them to cases, where the case keeps its own copy.
import { randomBytes } from 'node:crypto';
import { DirectoryNameTakenError, DirectoryVersionError } from '../adapters/vendor-directory.js';
import { loadCase } from './commands.js';
import type { Command } from '../domain/decide.js';
import { decide } from '../domain/decide.js';
import {
  type DirectoryEntry,
  type DirectorySummary,
  type VendorHistory,
  cleanAliases,
  matches,
  sortKeyOf,
  vendorHistory,
} from '../domain/directory.js';
import { DomainError } from '../domain/errors.js';
import type { Actor, ContactInput } from '../domain/events.js';
import type { AppDeps } from './deps.js';

/** What a coordinator sends for an organisation (the API's body, validated). */
export interface DirectoryFields {
  name: string;
  aliases: string[];
  contacts: ContactInput[];
  isCna: boolean;
  cnaShortName?: string | undefined;
  advisoryUrl?: string | undefined;
  securityTxtUrl?: string | undefined;
}

/** How many of an organisation's cases its history reads (newest first): one case read each. */
export const HISTORY_CASES = 50;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `v-` and a ULID: time-ordered, 80 random bits. */
export function newVendorRef(now: string, random: (n: number) => Uint8Array = (n) => randomBytes(n)): string {
  let t = Date.parse(now);
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = (CROCKFORD[t % 32] ?? '0') + time;
    t = Math.floor(t / 32);
  }
  const bits = [...random(10)].map((b) => b.toString(2).padStart(8, '0')).join('');
  let rand = '';
  for (let i = 0; i < 80; i += 5) rand += CROCKFORD[Number.parseInt(bits.slice(i, i + 5), 2)];
  return `v-${time}${rand}`;
}

/** The adapters' refusals as the domain's: a name taken or a stale version is a 409. */
function asConflict(e: unknown): never {
  if (e instanceof DirectoryNameTakenError)
    throw new DomainError('InvalidTransition', `another organisation (${e.owner}) already goes by one of these names or aliases`);
  if (e instanceof DirectoryVersionError)
    throw new DomainError('InvalidTransition', `the entry changed since it was read: it is at version ${e.current}; read it again`);
  throw e;
}

const entryFields = (f: DirectoryFields) => ({
  name: f.name,
  aliases: cleanAliases(f.name, f.aliases),
  contacts: uniqueByEmail(f.contacts),
  isCna: f.isCna,
  ...(f.cnaShortName ? { cnaShortName: f.cnaShortName } : {}),
  ...(f.advisoryUrl ? { advisoryUrl: f.advisoryUrl } : {}),
  ...(f.securityTxtUrl ? { securityTxtUrl: f.securityTxtUrl } : {}),
});

function uniqueByEmail(contacts: readonly ContactInput[]): ContactInput[] {
  const seen = new Set<string>();
  return contacts.filter((c) => {
    const k = c.email.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export async function createDirectoryVendor(deps: AppDeps, actor: Actor, f: DirectoryFields): Promise<DirectoryEntry> {
  const now = deps.now();
  const entry: DirectoryEntry = {
    vendorRef: newVendorRef(now),
    ...entryFields(f),
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor.participant ?? actor.role,
  };
  await deps.directory.create(entry).catch(asConflict);
  return entry;
}

export async function updateDirectoryVendor(
  deps: AppDeps,
  actor: Actor,
  vendorRef: string,
  f: DirectoryFields,
  version: number,
): Promise<DirectoryEntry> {
  const current = await directoryVendor(deps, vendorRef);
  const entry: DirectoryEntry = {
    vendorRef,
    ...entryFields(f),
    version: version + 1,
    createdAt: current.createdAt,
    updatedAt: deps.now(),
    updatedBy: actor.participant ?? actor.role,
  };
  await deps.directory.update(entry, version).catch(asConflict);
  return entry;
}

export async function directoryVendor(deps: Pick<AppDeps, 'directory'>, vendorRef: string): Promise<DirectoryEntry> {
  const entry = await deps.directory.get(vendorRef);
  if (!entry) throw new DomainError('NotFound', `no directory vendor ${vendorRef}`);
  return entry;
}

/** The organisation's cases, read from the cases themselves (the newest HISTORY_CASES). */
export async function historyOf(deps: AppDeps, vendorRef: string): Promise<VendorHistory> {
  const links = await deps.directory.casesOf(vendorRef, HISTORY_CASES);
  const loaded = await Promise.all(links.map((l) => deps.store.load(l.caseId)));
  return vendorHistory(
    vendorRef,
    loaded.flatMap((x) => (x ? [x.state] : [])),
  );
}

/** One page of the directory, sorted by name, matching `q` when given; the cursor is the last sort key. */
export async function searchDirectory(
  deps: Pick<AppDeps, 'directory'>,
  opts: { q?: string; limit: number; after?: string },
): Promise<{ vendors: DirectorySummary[]; next: string | null }> {
  const all = (await deps.directory.summaries())
    .filter((s) => opts.q === undefined || matches(s, opts.q))
    .map((s) => ({ s, key: sortKeyOf(s) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = opts.after === undefined ? all : all.filter((x) => x.key > (opts.after as string));
  const page = rest.slice(0, opts.limit);
  return { vendors: page.map((x) => x.s), next: rest.length > opts.limit ? (page.at(-1)?.key ?? null) : null };
}

/** A directory organisation as a vendor of a case: its name, CNA standing and contacts, confirmed by the coordinator who adds it. */
export const caseVendorOf = (e: DirectoryEntry) => ({
  name: e.name,
  contacts: e.contacts.map((c) => ({ ...c })),
  isCna: e.isCna,
  ...(e.cnaShortName ? { cnaShortName: e.cnaShortName } : {}),
  vendorRef: e.vendorRef,
});

/**
 * Before a command that puts directory organisations on a case: the decision is tried on the case
 * as it is (so a refusal writes nothing), then each organisation's link to the case is written.
 * A link whose addition loses a race to a refusal is harmless: the history reads the case itself.
 */
export async function linkDirectoryVendors(deps: AppDeps, caseId: string, command: Command, actor: Actor, refs: readonly string[]) {
  if (refs.length === 0) return;
  const { state } = await loadCase(deps, caseId);
  decide(state, command, { now: deps.now(), actor, policy: deps.policy });
  const at = deps.now();
  await Promise.all(refs.map((ref) => deps.directory.linkCase(ref, { caseId, at })));
}
