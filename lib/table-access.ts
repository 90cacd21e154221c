// Least privilege on the single table: what each function may do to which items, by partition key
// (IAM's dynamodb:LeadingKeys). The CDK turns each function's uses into its role's statements
// (bindCaseTable) and the infra and e2e tests check the template and the running code against
// this one table. It is plain data, free of CDK imports, so tests read it as it is.
import { BY_PHASE_DEADLINE_INDEX, BY_PUBLISHED_DATE_INDEX } from '../functions/adapters/table-layout.js';
import type { ApiHandlerName } from './api-routes.js';
import type { EventHandlerName } from './event-handlers.js';
import type { WorkflowHandlerName } from './workflow-states.js';

/**
 * Item actions only. Never Scan (it has no leading key, so a LeadingKeys condition would not
 * limit it), nor the batch and transaction actions, which no adapter uses.
 */
export type TableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query';

export type TableIndexName = typeof BY_PHASE_DEADLINE_INDEX | typeof BY_PUBLISHED_DATE_INDEX;

/**
 * Partition keys as IAM StringLike patterns: `CASE#*` is every key with that prefix, `CVEPOOL` that
 * one key. LeadingKeys sees the partition key only, so a new item kind stored under a case's
 * partition (a MSG# or FILE# sort key) is covered by Case, while a new partition (VENDOR#, QUOTA, a
 * link secret) gets its own entry here, a use below, and that use in the functions that touch it.
 * test/infra/table-access.test.ts checks each pattern against the adapters' own key functions.
 */
export const PartitionKey = {
  /** Snapshots, commits and the parked task token of a case (functions/adapters/dynamodb-event-store.ts). */
  Case: 'CASE#*',
  /** Reporter and vendor access grants, by token hash. */
  Grant: 'GRANT#*',
  /** Idempotency-Key records of POST /reports. */
  Idempotency: 'IDEMPOTENCY#*',
  /** Published notes (functions/adapters/note-store.ts). */
  Note: 'NOTE#*',
  /** The CNA's reserved CVE IDs, and their assignments to vulnerabilities (functions/adapters/cve-pool.ts). */
  CvePool: 'CVEPOOL',
  CveAssignment: 'CVEPOOL#ASSIGNED',
  /** The coordinator queue's partitions: GSI1PK of case summaries in ByPhaseDeadline. */
  Phase: 'PHASE#*',
  /** Report acknowledgements mailed per address per day (functions/adapters/case-content.ts). */
  MailQuota: 'MAILQUOTA#*',
  /** The public feed's one partition: GSI2PK of published notes in ByPublishedDate. */
  NoteFeed: 'NOTES',
  /** A directory organisation and its links to the cases it was added to (functions/adapters/vendor-directory.ts). */
  DirectoryVendor: 'VENDOR#*',
  /** The claim on one name or alias of a directory organisation (unique across the directory). */
  DirectoryName: 'VENDORNAME#*',
  /** The directory's list: one summary per organisation, what the search reads. */
  DirectoryList: 'VENDORS',
  /** Received mail kept for a coordinator (functions/adapters/inbound-mail-store.ts). */
  InboundHeld: 'INBOUNDHELD',
} as const;

export type PartitionKeyPattern = (typeof PartitionKey)[keyof typeof PartitionKey];

/**
 * One way of using the table. A Query on an index names the index's partition key, and that value
 * is what LeadingKeys holds for it, so index uses list the index's own partitions.
 */
export interface TableUse {
  readonly actions: readonly TableAction[];
  readonly keys: readonly PartitionKeyPattern[];
  /** A Query on this index instead of the table. */
  readonly index?: TableIndexName;
}

/** Each use, with the store methods it serves; the actions are the calls those methods make. */
export const tableUses = {
  /** load, readEvents and summary: the snapshot or the summary, then the commits (a role that cannot write skips load's snapshot repair). */
  readCase: { keys: [PartitionKey.Case], actions: ['GetItem', 'Query'] },
  /** append: the conditional commit and snapshot puts, the re-read of a commit whose put answer was lost, and load. */
  writeCase: { keys: [PartitionKey.Case], actions: ['GetItem', 'PutItem', 'Query'] },
  /** putWait, getWait, clearWait: the task token parked on a case by await-signal. */
  parkTaskToken: { keys: [PartitionKey.Case], actions: ['PutItem', 'GetItem', 'DeleteItem'] },
  /** getWait and clearWait: waking the execution that waits on a case (the durable inbox). */
  wakeCase: { keys: [PartitionKey.Case], actions: ['GetItem', 'DeleteItem'] },
  /** CaseContent.consumeQuota: what a participant may still write (QUOTA# items in the case's partition). */
  messageQuota: { keys: [PartitionKey.Case], actions: ['GetItem', 'UpdateItem'] },
  /** CaseContent.markRead: how far a reporter or vendor has read their list (a READ# item in the case's partition). */
  readMarker: { keys: [PartitionKey.Case], actions: ['UpdateItem'] },
  /** AttachmentRecords: a file's record put at upload, checked and granted (UpdateItem) when a message names it, marked removed by the retention rule; the uploader's bytes (FILEQUOTA#) and the case's FILERETENTION. */
  fileRecords: { keys: [PartitionKey.Case], actions: ['GetItem', 'PutItem', 'UpdateItem'] },
  /** CaseContent.consumeMailQuota: a report acknowledgement counted against its address's day. */
  mailQuota: { keys: [PartitionKey.MailQuota], actions: ['UpdateItem'] },
  /** putGrant: a new reporter or vendor link. */
  mintGrant: { keys: [PartitionKey.Grant], actions: ['PutItem'] },
  /** getGrant: checking a bearer token. */
  checkGrant: { keys: [PartitionKey.Grant], actions: ['GetItem'] },
  /** claimIdempotency, completeIdempotency, releaseIdempotency. */
  idempotency: { keys: [PartitionKey.Idempotency], actions: ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem'] },
  /** queue: cases of one phase, next deadline first. */
  caseQueue: { index: BY_PHASE_DEADLINE_INDEX, keys: [PartitionKey.Phase], actions: ['Query'] },
  /** NoteStore.get. */
  readNote: { keys: [PartitionKey.Note], actions: ['GetItem'] },
  /** NoteStore.list: the public feed. */
  listNotes: { index: BY_PUBLISHED_DATE_INDEX, keys: [PartitionKey.NoteFeed], actions: ['Query'] },
  /** NoteStore.put: the public copy, written at publication. */
  publishNote: { keys: [PartitionKey.Note], actions: ['PutItem'] },
  /** CvePool.take: the lowest available ID (Query), claimed with a conditional update. */
  takeCveId: { keys: [PartitionKey.CvePool], actions: ['Query', 'UpdateItem'] },
  /** CvePool.take and assignmentOf: the assignment item, put first and dropped when another case won the ID. */
  assignCveId: { keys: [PartitionKey.CveAssignment], actions: ['GetItem', 'PutItem', 'DeleteItem'] },
  /** VendorDirectory.get and casesOf: an organisation and the cases it was added to. */
  readDirectory: { keys: [PartitionKey.DirectoryVendor], actions: ['GetItem', 'Query'] },
  /** VendorDirectory.summaries: the list the search filters. */
  listDirectory: { keys: [PartitionKey.DirectoryList], actions: ['Query'] },
  /** VendorDirectory.create, update and linkCase: the entry (conditional puts) and a case's link. */
  writeDirectory: { keys: [PartitionKey.DirectoryVendor], actions: ['GetItem', 'PutItem'] },
  /** Claims on names and aliases: taken with a conditional put, read to name the holder, given back on rename. */
  claimVendorNames: { keys: [PartitionKey.DirectoryName], actions: ['GetItem', 'PutItem', 'DeleteItem'] },
  /** HeldMailStore.list: GET /inbound/held. */
  listHeldMail: { keys: [PartitionKey.InboundHeld], actions: ['Query'] },
  /** HeldMailStore.put: a received message kept for a coordinator, never applied. */
  holdMail: { keys: [PartitionKey.InboundHeld], actions: ['PutItem'] },
  /** The summary put after each write of an entry. */
  writeDirectoryList: { keys: [PartitionKey.DirectoryList], actions: ['PutItem'] },
} as const satisfies Record<string, TableUse>;

export type TableUseName = keyof typeof tableUses;

export type HandlerName = ApiHandlerName | WorkflowHandlerName | EventHandlerName;

/**
 * Every function and its uses, from what its handler calls (functions/handlers/**, functions/app/**).
 * Workflow steps that only read a case get readCase; steps that mail a participant their link mint
 * its grant (and so read the link secret: mintsLinks).
 */
export const tableAccess: Readonly<Record<HandlerName, readonly TableUseName[]>> = {
  // API: anyone may call submit-report and public-notes, so they get the least.
  'submit-report': ['writeCase', 'idempotency', 'mintGrant'],
  // Embargo proposals and update requests count against the participant's quota.
  'reporter-case': ['checkGrant', 'writeCase', 'wakeCase', 'messageQuota'],
  'vendor-case': ['checkGrant', 'writeCase', 'wakeCase', 'messageQuota'],
  'coordinator-queries': ['readCase', 'caseQueue', 'readDirectory', 'listDirectory', 'listHeldMail'],
  'coordinator-commands': ['writeCase', 'wakeCase', 'writeDirectory', 'claimVendorNames', 'writeDirectoryList'],
  // Messages and files of every caller: its own list read (readMarker), quotas, file records.
  'case-conversations': ['checkGrant', 'writeCase', 'wakeCase', 'messageQuota', 'readMarker', 'fileRecords'],
  'public-notes': ['readNote', 'listNotes'],
  'service-info': [],

  // Workflow steps (functions/app/workflow.ts unless noted).
  'locate-case': ['readCase'],
  'register-case': ['writeCase', 'mintGrant', 'mailQuota'],
  'pre-screen': ['writeCase'],
  'await-signal': ['readCase', 'parkTaskToken'],
  // functions/app/event-loop.ts: reacting to an event or a due deadline mails participants their links.
  'advance-case': ['writeCase', 'mintGrant'],
  'request-information': ['writeCase', 'mintGrant'],
  'notify-declined': ['writeCase', 'mintGrant'],
  'prepare-outreach': ['readCase'],
  'notify-vendor': ['writeCase', 'mintGrant'],
  'open-embargo': ['writeCase', 'mintGrant'],
  'plan-next-deadline': ['readCase'],
  // functions/app/cve-ids.ts
  'assign-cve-ids': ['writeCase', 'takeCveId', 'assignCveId'],
  'draft-note': ['writeCase'],
  'share-draft': ['writeCase', 'mintGrant'],
  // functions/app/publication-steps.ts
  'publish-note': ['writeCase', 'publishNote'],
  // functions/app/cve-ids.ts: reads the stored note to send its CVE records.
  'publish-cve-records': ['readCase', 'readNote'],
  'notify-published': ['writeCase', 'mintGrant', 'fileRecords'],
  // closeAsInvalid falls back to advance when the reporter's answer won the race.
  'close-unanswered': ['writeCase', 'mintGrant'],
  'report-blocked': ['writeCase'],

  // Event handlers (lib/event-handlers.ts). functions/app/mail-feedback.ts: marks a contact on the
  // case SES's notification names, then wakes its execution (the durable inbox).
  'mail-feedback': ['writeCase', 'wakeCase'],
  // functions/app/inbound-mail.ts: opens a case (as POST /reports, its rate limit on MAILQUOTA#), or
  // posts a participant's message with files (as the conversations function), or holds the mail.
  'inbound-mail': ['writeCase', 'wakeCase', 'messageQuota', 'fileRecords', 'mailQuota', 'holdMail'],
};

/**
 * Minting a grant is handing out a link, whose token is derived from the link secret: the functions
 * that mint are exactly those that read it.
 */
export const mintsLinks = (name: HandlerName): boolean => tableAccess[name].includes('mintGrant');

/** Functions that read the link secret without minting: they recognise reply addresses (functions/app/inbound-routes.ts). */
export const READS_REPLY_ROUTES: readonly HandlerName[] = ['inbound-mail'];

/** Who reads the link secret: those that mint links, and those that recognise reply addresses. */
export const readsLinkSecret = (name: HandlerName): boolean => mintsLinks(name) || READS_REPLY_ROUTES.includes(name);

/** One policy statement's worth: these actions on the table (or one index) for these partition keys. */
export interface TableStatement {
  readonly index: TableIndexName | null;
  readonly actions: readonly TableAction[];
  readonly keys: readonly PartitionKeyPattern[];
}

const ACTION_ORDER: readonly TableAction[] = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'];

/**
 * The statements for a set of uses: the actions on each partition key are merged, then keys with
 * the same actions share a statement. Sorted, so the template is stable.
 */
export function tableStatements(uses: readonly TableUseName[]): TableStatement[] {
  const byKey = new Map<string, { index: TableIndexName | null; key: PartitionKeyPattern; actions: Set<TableAction> }>();
  for (const name of uses) {
    const use: TableUse = tableUses[name];
    for (const key of use.keys) {
      const index = use.index ?? null;
      const id = `${index ?? ''}\u0000${key}`;
      const entry = byKey.get(id) ?? { index, key, actions: new Set<TableAction>() };
      for (const action of use.actions) entry.actions.add(action);
      byKey.set(id, entry);
    }
  }
  const byActions = new Map<string, { index: TableIndexName | null; actions: TableAction[]; keys: PartitionKeyPattern[] }>();
  for (const { index, key, actions } of byKey.values()) {
    const sorted = ACTION_ORDER.filter((action) => actions.has(action));
    const id = `${index ?? ''}\u0000${sorted.join(',')}`;
    const entry = byActions.get(id) ?? { index, actions: sorted, keys: [] };
    entry.keys.push(key);
    byActions.set(id, entry);
  }
  return [...byActions.values()]
    .map((s) => ({ ...s, keys: [...s.keys].sort() }))
    .sort(
      (a, b) =>
        (a.index ?? '').localeCompare(b.index ?? '') ||
        a.keys.join().localeCompare(b.keys.join()) ||
        a.actions.join().localeCompare(b.actions.join()),
    );
}
