// The single-table layout of the case store: key names, index names and the key of every item
// kind. CDK imports this file to define the table, so it must stay free of runtime dependencies
// (the one SDK import below is type-only and erased).
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';

/** The coordinator queue: cases of one phase, earliest next deadline first, no deadline last. */
export const BY_PHASE_DEADLINE_INDEX = 'ByPhaseDeadline';
export const BY_PHASE_DEADLINE_PARTITION_KEY = 'GSI1PK';
export const BY_PHASE_DEADLINE_SORT_KEY = 'GSI1SK';

/** The public feed: published notes only (they alone carry GSI2PK), newest first by GSI2SK. */
export const BY_PUBLISHED_DATE_INDEX = 'ByPublishedDate';
export const BY_PUBLISHED_DATE_PARTITION_KEY = 'GSI2PK';
export const BY_PUBLISHED_DATE_SORT_KEY = 'GSI2SK';

/** Sorts after every ISO timestamp ('~' is above the digits), so cases without a deadline come last. */
export const NO_DEADLINE = '~';

/** Sequence numbers are zero-padded so that the sort key order is the numeric order. */
export const SEQ_DIGITS = 10;
export const MAX_SEQ = 10 ** SEQ_DIGITS - 1;

const CASE_PREFIX = 'CASE#';
const EVENT_PREFIX = 'EVENT#';
const PHASE_PREFIX = 'PHASE#';

export interface ItemKey {
  PK: string;
  SK: string;
}

export function padSeq(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ) {
    throw new RangeError(`sequence number out of range: ${seq}`);
  }
  return String(seq).padStart(SEQ_DIGITS, '0');
}

export function casePartition(caseId: string): string {
  return `${CASE_PREFIX}${caseId}`;
}

/** Every item of a case's snapshot sorts from 'CASE': the core, then its parts. */
export const SNAPSHOT_SORT_KEY_PREFIX = 'CASE';
const SNAPSHOT_PART_PREFIX = 'CASE#P#';

export function caseSnapshotKey(caseId: string): ItemKey {
  return { PK: casePartition(caseId), SK: SNAPSHOT_SORT_KEY_PREFIX };
}

/** Where a large case's snapshot keeps one of its parts (functions/adapters/snapshot-items.ts); the core stays at caseSnapshotKey. */
export function casePartKey(caseId: string, part: string): ItemKey {
  return { PK: casePartition(caseId), SK: `${SNAPSHOT_PART_PREFIX}${part}` };
}

/** What a part held before its last write, for a reader whose core is older (outside the snapshot's sort keys). */
export function casePreviousPartKey(caseId: string, part: string): ItemKey {
  return { PK: casePartition(caseId), SK: `PARTPREV#${part}` };
}

/** What the coordinator queue lists of a case: the one item of a case that carries the index keys. */
export function caseSummaryKey(caseId: string): ItemKey {
  return { PK: casePartition(caseId), SK: 'SUMMARY' };
}

/** A commit item holds one append (events firstSeq..lastSeq); it is keyed by its first seq. */
export function caseCommitKey(caseId: string, firstSeq: number): ItemKey {
  return { PK: casePartition(caseId), SK: commitSortKey(firstSeq) };
}

export function commitSortKey(firstSeq: number): string {
  return `${EVENT_PREFIX}${padSeq(firstSeq)}`;
}

/** Inclusive sort-key bounds of the commits of a case, for BETWEEN in key conditions. */
export const FIRST_COMMIT_SORT_KEY = commitSortKey(0);
export const LAST_COMMIT_SORT_KEY = commitSortKey(MAX_SEQ);

export function caseWaitKey(caseId: string): ItemKey {
  return { PK: casePartition(caseId), SK: 'WAIT' };
}

export function grantKey(tokenHash: string): ItemKey {
  return { PK: `GRANT#${tokenHash}`, SK: 'GRANT' };
}

export function idempotencyKey(keyHash: string): ItemKey {
  return { PK: `IDEMPOTENCY#${keyHash}`, SK: 'IDEMPOTENCY' };
}

export function phasePartition(phase: string): string {
  return `${PHASE_PREFIX}${phase}`;
}

/** The caseId suffix makes the sort key unique and gives cases with equal deadlines a stable order. */
export function phaseSortKey(nextDeadlineAt: string | null, caseId: string): string {
  return `${nextDeadlineAt ?? NO_DEADLINE}#${caseId}`;
}

/** Inverse of phaseSortKey; neither an ISO timestamp nor '~' contains '#', so the first '#' splits. */
export function parsePhaseSortKey(sortKey: string): { nextDeadlineAt: string | null; caseId: string } | null {
  const at = sortKey.indexOf('#');
  if (at <= 0 || at === sortKey.length - 1) return null;
  const deadline = sortKey.slice(0, at);
  return { nextDeadlineAt: deadline === NO_DEADLINE ? null : deadline, caseId: sortKey.slice(at + 1) };
}

/**
 * The CreateTable input for tests and the local runtime; the CDK table declares the same keys.
 * The index projects ALL: it is sparse (only a case's summary item carries GSI1PK, a few hundred
 * bytes, never the state) and the queue returns that item's entry.
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
      { AttributeName: BY_PHASE_DEADLINE_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: BY_PHASE_DEADLINE_SORT_KEY, AttributeType: 'S' },
      { AttributeName: BY_PUBLISHED_DATE_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: BY_PUBLISHED_DATE_SORT_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_PHASE_DEADLINE_INDEX,
        KeySchema: [
          { AttributeName: BY_PHASE_DEADLINE_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: BY_PHASE_DEADLINE_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: BY_PUBLISHED_DATE_INDEX,
        KeySchema: [
          { AttributeName: BY_PUBLISHED_DATE_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: BY_PUBLISHED_DATE_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
