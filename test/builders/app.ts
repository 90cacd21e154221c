// An application wired to the in-memory twins, with a clock the test moves by hand.
import { MemoryCaseStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryMailer } from '../../functions/adapters/mailer.js';
import { teamKeySource } from '../../functions/adapters/team-key.js';
import { MemorySignals } from '../../functions/adapters/signals.js';
import { MemoryNoteStore } from '../../functions/adapters/note-store.js';
import { MemoryCvePool } from '../../functions/adapters/cve-pool.js';
import { hmacLinkKeys } from '../../functions/adapters/link-keys.js';
import { MemoryCaseContent } from '../../functions/adapters/case-content.js';
import { MemoryAttachmentRecords } from '../../functions/adapters/attachment-records.js';
import { MemoryFileStore } from '../../functions/adapters/file-store.js';
import { MemoryHeldMail } from '../../functions/adapters/inbound-mail-store.js';
import { MemoryVendorDirectory } from '../../functions/adapters/vendor-directory.js';
import { type AppDeps, caseProjection } from '../../functions/app/deps.js';
import { MemoryTelemetry } from '../../functions/app/telemetry.js';
import { type CaseEvent, type CaseState, DEFAULT_POLICY, type Policy, addDays, addHours } from '../../functions/domain/index.js';
import type { QueueFacts } from '../../functions/domain/queue-entry.js';
import { T0 } from './case.js';

export interface TestApp {
  deps: AppDeps;
  store: MemoryCaseStore<CaseState, CaseEvent, QueueFacts>;
  content: MemoryCaseContent;
  mailer: MemoryMailer;
  signals: MemorySignals;
  clock: { now: string; advanceHours(h: number): void; advanceDays(d: number): void; set(at: string): void };
  tokens: string[];
  notes: MemoryNoteStore;
  pool: MemoryCvePool;
  telemetry: MemoryTelemetry;
  files: { records: MemoryAttachmentRecords; store: MemoryFileStore };
  directory: MemoryVendorDirectory;
}

/** opts.teamKey: the team's armored OpenPGP private key; mail to a recipient with a key is then sealed. */
export function aTestApp(policy: Policy = DEFAULT_POLICY, opts: { teamKey?: string } = {}): TestApp {
  const store = new MemoryCaseStore<CaseState, CaseEvent, QueueFacts>({ projection: caseProjection(policy) });
  const { teamKey } = opts;
  const mailer = new MemoryMailer(teamKey ? teamKeySource(async () => teamKey) : undefined);
  const signals = new MemorySignals();
  const clock = {
    now: T0,
    advanceHours(h: number) {
      this.now = addHours(this.now, h);
    },
    advanceDays(d: number) {
      this.now = addDays(this.now, d);
    },
    set(at: string) {
      this.now = at;
    },
  };
  const tokens: string[] = [];
  const notes = new MemoryNoteStore();
  const pool = new MemoryCvePool();
  const keys = hmacLinkKeys(async () => 'test-link-secret-0123456789abcdef0123456789abcdef');
  const content = new MemoryCaseContent();
  const telemetry = new MemoryTelemetry();
  const files = { records: new MemoryAttachmentRecords(), store: new MemoryFileStore() };
  const directory = new MemoryVendorDirectory();
  const deps: AppDeps = {
    store,
    content,
    mailer,
    signals,
    policy,
    config: { publicBaseUrl: 'https://cvd.example', coordinatorEmails: ['coord@cert.example'], cveMode: 'manual', mailDetail: 'minimal' },
    now: () => clock.now,
    // Every distinct token handed out, in order: the reporter's first, as a mail would carry them.
    links: {
      async token(caseId, holder, generation) {
        const t = await keys.token(caseId, holder, generation);
        if (!tokens.includes(t)) tokens.push(t);
        return t;
      },
      routingId: (caseId, holder, generation) => keys.routingId(caseId, holder, generation),
    },
    notes,
    files,
    heldMail: new MemoryHeldMail(),
    directory,
    pool,
    telemetry,
    publication: {
      publicBaseUrl: 'https://cvd.example',
      coordinatorName: 'Example CERT',
      cveOrgId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      osvPrefix: 'CVD',
      cveMode: 'manual',
      requireCveIds: false,
    },
  };
  return { deps, store, content, mailer, signals, clock, tokens, notes, pool, telemetry, files, directory };
}
