// What the use cases need from the outside world, as interfaces: handlers build the real ones
// from the environment once per container; tests pass the in-memory twins.
import type { CaseStore, Projection } from '../adapters/event-store.js';
import type { CaseContent } from '../adapters/case-content.js';
import type { CvePool } from '../adapters/cve-pool.js';
import type { LinkKeys } from '../adapters/link-keys.js';
import type { CveServices } from '../adapters/cve-services.js';
import type { Mailer } from '../adapters/mailer.js';
import type { NoteStore } from '../adapters/note-store.js';
import type { WorkflowSignals } from '../adapters/signals.js';
import { type CaseState, apply, emptyCase } from '../domain/case.js';
import { nextDeadline } from '../domain/deadlines.js';
import { VENDOR_PART_DICTIONARY, joinCase, splitCase, splitSlice } from '../domain/case-parts.js';
import { type QueueFacts, queueFacts } from '../domain/queue-entry.js';
import type { TurnBudget } from './turn-budget.js';
import type { TurnWrites } from './turn-writes.js';
import type { CaseEvent } from '../domain/events.js';
import type { MailDetail } from '../domain/messages.js';
import type { Policy } from '../domain/policy.js';
import type { AttachmentRecords } from '../adapters/attachment-records.js';
import type { FileStore } from '../adapters/file-store.js';
import type { HeldMailStore } from '../adapters/inbound-mail-store.js';
import type { VendorDirectory } from '../adapters/vendor-directory.js';
import type { PublicationConfig } from './publication-config.js';
import type { Telemetry } from './telemetry.js';

export type CaseStoreT = CaseStore<CaseState, CaseEvent, QueueFacts>;

/** What the functions that handle files are given: the records in the case table, the files in the bucket. */
export interface CaseFiles {
  records: AttachmentRecords;
  store: FileStore;
}

export interface AppConfig {
  publicBaseUrl: string;
  coordinatorEmails: string[];
  cveMode: 'pool' | 'cve-services' | 'manual';
  /** How much of a case mail to reporters and vendors carries: nothing embargoed ('minimal') unless asked. */
  mailDetail: MailDetail;
  /** The domain of reply addresses (INBOUND_DOMAIN); unset: inbound mail is off and mail carries no Reply-To. */
  replyDomain?: string;
}

export interface AppDeps {
  store: CaseStoreT;
  /** Message bodies and participants' quotas: what can grow lives outside the snapshot. */
  content: CaseContent;
  mailer: Mailer;
  signals: WorkflowSignals;
  policy: Policy;
  config: AppConfig;
  /** The current instant, ISO-8601. Injected so tests and the local runtime control time. */
  now: () => string;
  /** Derives the tokens of private links (one live link per holder). */
  links: LinkKeys;
  /** Files on cases: their records and the private bucket. */
  files: CaseFiles;
  /** Received mail kept for a coordinator (functions/app/inbound-mail.ts writes, GET /inbound/held reads). */
  heldMail: HeldMailStore;
  /** Vendor organisations kept across cases (coordinators' functions only). */
  directory: VendorDirectory;
  /** Published notes: the only items public routes read. */
  notes: NoteStore;
  /** Where coordinator-assigned CVE IDs come from (cveMode pool / cve-services). */
  pool?: CvePool;
  cveServices?: CveServices;
  publication: PublicationConfig;
  /** Business metrics and log lines (Powertools in Lambda, in memory in tests). */
  telemetry: Telemetry;
  /** Starts the budget of one workflow turn (functions/app/turn-budget.ts); tests count sends instead of time. */
  turnBudget?: () => TurnBudget;
  /** The budget of the turn running now, set by the step that runs it. */
  budget?: TurnBudget;
  /** The records the turn running now holds back for one write (functions/app/turn-writes.ts). */
  writes?: TurnWrites;
  /** How old the turn's copy of the case may be when it addresses mail (FRESH_WITHIN_MS); tests pass 0. */
  turnFreshWithinMs?: number;
}

/** The domain fold as the store sees it, with the queue keys (phase, next deadline) lifted out. */
export function caseProjection(policy: Policy): Projection<CaseState, CaseEvent, QueueFacts> {
  return {
    initial: emptyCase,
    apply,
    indexKeys: (s) => ({ phase: s.phase, nextDeadlineAt: nextDeadline(s, policy)?.at ?? null }),
    queueEntry: (s) => queueFacts(s, policy),
    parts: {
      split: (s) => splitCase(s, policy),
      join: joinCase,
      splitSlice: (s, held) => splitSlice(s, held, policy),
      dictionaries: [VENDOR_PART_DICTIONARY],
    },
  };
}
