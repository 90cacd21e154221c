// Least privilege on the case table: each function's role allows only the actions and partition
// keys (dynamodb:LeadingKeys) its handler uses. The template is checked against the one table in
// lib/table-access.ts, against a literal list written out here, and request by request.
import { beforeAll, describe, expect, it } from 'vitest';
import { CVE_ASSIGNMENT_PARTITION, CVE_POOL_PARTITION } from '../../functions/adapters/cve-pool.js';
import { NOTES_PARTITION, noteKey } from '../../functions/adapters/note-store.js';
import { directoryEntryKey, directoryListKey, vendorCaseKey, vendorNameKey } from '../../functions/adapters/vendor-directory.js';
import {
  caseCommitKey,
  caseSnapshotKey,
  caseWaitKey,
  grantKey,
  idempotencyKey,
  phasePartition,
} from '../../functions/adapters/table-layout.js';
import { ALL_HANDLERS } from '../../lib/handlers.js';
import { PartitionKey, tableAccess, tableStatements, type HandlerName, type TableAction } from '../../lib/table-access.js';
import { permits, stringLike, tableStatementsOf, type TableRequest, type TemplateTableStatement } from '../builders/table-permissions.js';
import { synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const HANDLERS: HandlerName[] = [...ALL_HANDLERS];
const statementsOf = (name: HandlerName): TemplateTableStatement[] => tableStatementsOf(synth.json, name);
const can = (name: HandlerName, action: TableRequest['action'], partitionKey: string | null, index: string | null = null) =>
  permits(statementsOf(name), { action, index, partitionKey });

/** One line per partition key pattern: `<table or index> <pattern>: <actions>`, however statements are merged. */
function summary(statements: readonly { index: string | null; keys: readonly string[]; actions: readonly string[] }[]): string[] {
  const lines = new Map<string, Set<string>>();
  for (const s of statements) {
    for (const key of s.keys) {
      const id = `${s.index ?? 'table'} ${key}`;
      const actions = lines.get(id) ?? new Set<string>();
      for (const a of s.actions) actions.add(a);
      lines.set(id, actions);
    }
  }
  return [...lines].map(([id, actions]) => `${id}: ${[...actions].sort().join(' ')}`).sort();
}

const CASE_READ = 'table CASE#*: GetItem Query';
const CASE_WRITE = 'table CASE#*: GetItem PutItem Query';
const CASE_WRITE_WAKE = 'table CASE#*: DeleteItem GetItem PutItem Query';
const GRANT_MINT = 'table GRANT#*: PutItem';
// Participants' messages count against quota items in the case's partition.
const CASE_WRITE_WAKE_QUOTA = 'table CASE#*: DeleteItem GetItem PutItem Query UpdateItem';

// Written out by hand from the handlers' code, so a change to the table shows up here as a diff.
const EXPECTED: Record<HandlerName, string[]> = {
  'submit-report': [CASE_WRITE, GRANT_MINT, 'table IDEMPOTENCY#*: DeleteItem GetItem PutItem UpdateItem'],
  'reporter-case': [CASE_WRITE_WAKE_QUOTA, 'table GRANT#*: GetItem'],
  'vendor-case': [CASE_WRITE_WAKE_QUOTA, 'table GRANT#*: GetItem'],
  // The directory: entries and their case links, and the list the search reads.
  'coordinator-queries': [
    'ByPhaseDeadline PHASE#*: Query',
    CASE_READ,
    'table INBOUNDHELD: Query',
    'table VENDOR#*: GetItem Query',
    'table VENDORS: Query',
  ],
  // The directory: entries, name claims (given back on rename) and the list's summaries.
  'coordinator-commands': [
    CASE_WRITE_WAKE,
    'table VENDOR#*: GetItem PutItem',
    'table VENDORNAME#*: DeleteItem GetItem PutItem',
    'table VENDORS: PutItem',
  ],
  // Messages and files: quotas, read markers, and file records put at upload, checked and granted when a message names them.
  'case-conversations': [CASE_WRITE_WAKE_QUOTA, 'table GRANT#*: GetItem'],
  'public-notes': ['ByPublishedDate NOTES: Query', 'table NOTE#*: GetItem'],
  'service-info': [],
  'locate-case': [CASE_READ],
  'register-case': [CASE_WRITE, GRANT_MINT, 'table MAILQUOTA#*: UpdateItem'],
  'pre-screen': [CASE_WRITE],
  'await-signal': [CASE_WRITE_WAKE],
  'advance-case': [CASE_WRITE, GRANT_MINT],
  'request-information': [CASE_WRITE, GRANT_MINT],
  'notify-declined': [CASE_WRITE, GRANT_MINT],
  'prepare-outreach': [CASE_READ],
  'notify-vendor': [CASE_WRITE, GRANT_MINT],
  'open-embargo': [CASE_WRITE, GRANT_MINT],
  'plan-next-deadline': [CASE_READ],
  'assign-cve-ids': [CASE_WRITE, 'table CVEPOOL#ASSIGNED: DeleteItem GetItem PutItem', 'table CVEPOOL: Query UpdateItem'],
  'draft-note': [CASE_WRITE],
  'share-draft': [CASE_WRITE, GRANT_MINT],
  'publish-note': [CASE_WRITE, 'table NOTE#*: PutItem'],
  'publish-cve-records': [CASE_READ, 'table NOTE#*: GetItem'],
  // The retention rule marks each removed file's record.
  'notify-published': ['table CASE#*: GetItem PutItem Query UpdateItem', GRANT_MINT],
  'close-unanswered': [CASE_WRITE, GRANT_MINT],
  'report-blocked': [CASE_WRITE],
  'mail-feedback': [CASE_WRITE_WAKE],
  // A report opens a case (its rate limit on MAILQUOTA#), a reply posts a message with files
  // (quotas and file records in the case's partition), anything else is held (INBOUNDHELD).
  'inbound-mail': [CASE_WRITE_WAKE_QUOTA, 'table INBOUNDHELD: PutItem', 'table MAILQUOTA#*: UpdateItem'],
};

describe('the case table, least privilege per function', () => {
  it('covers every function', () => {
    expect(Object.keys(tableAccess).sort()).toEqual([...HANDLERS].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...HANDLERS].sort());
  });

  it('gives each role exactly the statements lib/table-access.ts lists for its function', () => {
    for (const name of HANDLERS) {
      const inTemplate = statementsOf(name);
      expect(
        inTemplate.flatMap((s) => s.unexpected),
        name,
      ).toEqual([]);
      const fromTable = tableStatements(tableAccess[name]);
      const normalise = (s: { index: string | null; keys: readonly string[]; actions: readonly string[] }) => ({
        index: s.index,
        keys: [...s.keys].sort(),
        actions: [...s.actions].sort(),
      });
      expect(inTemplate.map(normalise), name).toEqual(expect.arrayContaining(fromTable.map(normalise)));
      expect(inTemplate.length, name).toBe(fromTable.length);
      // The Null guard on the table: a request without a leading key (a Scan) is never allowed.
      for (const s of inTemplate) expect(s.requiresKey, `${name} ${s.index ?? 'table'}`).toBe(s.index === null);
    }
  });

  it('allows each function exactly these actions on these partition keys', () => {
    const actual = Object.fromEntries(HANDLERS.map((name) => [name, summary(statementsOf(name))]));
    expect(actual).toEqual(Object.fromEntries(HANDLERS.map((name) => [name, [...EXPECTED[name]].sort()])));
  });

  it('keeps the public intake away from grants: submit-report mints them and can neither read nor change one', () => {
    const hash = 'a'.repeat(64);
    expect(can('submit-report', 'PutItem', grantKey(hash).PK)).toBe(true);
    for (const action of ['GetItem', 'UpdateItem', 'DeleteItem', 'Query'] as const)
      expect(can('submit-report', action, grantKey(hash).PK), action).toBe(false);
    expect(can('submit-report', 'GetItem', noteKey('VU-1').PK)).toBe(false);
    expect(can('submit-report', 'Query', phasePartition('triage'), 'ByPhaseDeadline')).toBe(false);
    expect(can('submit-report', 'Query', CVE_POOL_PARTITION)).toBe(false);
  });

  it('lets the public notes read published notes and their feed, and no case, grant or queue', () => {
    expect(can('public-notes', 'GetItem', noteKey('VU-ABCDEFGH').PK)).toBe(true);
    expect(can('public-notes', 'Query', NOTES_PARTITION, 'ByPublishedDate')).toBe(true);
    const caseKey = caseSnapshotKey('VU-ABCDEFGH').PK;
    for (const action of ['GetItem', 'Query', 'PutItem'] as const) expect(can('public-notes', action, caseKey), action).toBe(false);
    expect(can('public-notes', 'Query', phasePartition('embargo'), 'ByPhaseDeadline')).toBe(false);
    expect(can('public-notes', 'Query', caseKey, 'ByPublishedDate')).toBe(false);
    expect(can('public-notes', 'GetItem', grantKey('b'.repeat(64)).PK)).toBe(false);
    expect(can('public-notes', 'PutItem', noteKey('VU-ABCDEFGH').PK)).toBe(false);
  });

  it('gives coordinator queries the cases and the queue, read-only, and no grants', () => {
    expect(can('coordinator-queries', 'Query', phasePartition('triage'), 'ByPhaseDeadline')).toBe(true);
    expect(can('coordinator-queries', 'GetItem', caseWaitKey('VU-ABCDEFGH').PK)).toBe(true);
    for (const action of ['PutItem', 'UpdateItem', 'DeleteItem'] as const)
      expect(can('coordinator-queries', action, caseSnapshotKey('VU-ABCDEFGH').PK), action).toBe(false);
    expect(can('coordinator-queries', 'GetItem', grantKey('c'.repeat(64)).PK)).toBe(false);
    expect(can('coordinator-queries', 'Query', NOTES_PARTITION, 'ByPublishedDate')).toBe(false);
  });

  it('keeps the CVE pool, idempotency records and note writes to the one function each', () => {
    const only = (request: TableRequest) => HANDLERS.filter((name) => permits(statementsOf(name), request));
    expect(only({ action: 'UpdateItem', index: null, partitionKey: CVE_POOL_PARTITION })).toEqual(['assign-cve-ids']);
    expect(only({ action: 'PutItem', index: null, partitionKey: CVE_ASSIGNMENT_PARTITION })).toEqual(['assign-cve-ids']);
    expect(only({ action: 'PutItem', index: null, partitionKey: idempotencyKey('d'.repeat(64)).PK })).toEqual(['submit-report']);
    expect(only({ action: 'PutItem', index: null, partitionKey: noteKey('VU-1').PK })).toEqual(['publish-note']);
    expect(only({ action: 'GetItem', index: null, partitionKey: grantKey('e'.repeat(64)).PK }).sort()).toEqual([
      'case-conversations',
      'reporter-case',
      'vendor-case',
    ]);
    expect(only({ action: 'DeleteItem', index: null, partitionKey: caseWaitKey('VU-1').PK }).sort()).toEqual([
      'await-signal',
      'case-conversations',
      'coordinator-commands',
      'inbound-mail',
      'mail-feedback',
      'reporter-case',
      'vendor-case',
    ]);
  });

  it('allows no Scan, no request without a leading key, and no other index, to anyone', () => {
    for (const name of HANDLERS) {
      expect(can(name, 'Scan', null), name).toBe(false);
      for (const action of ['GetItem', 'PutItem', 'Query'] as const satisfies readonly TableAction[])
        expect(can(name, action, null), `${name} ${action}`).toBe(false);
      expect(can(name, 'Query', caseSnapshotKey('VU-1').PK, 'SomeOtherIndex'), name).toBe(false);
    }
    // Only item actions, never a batch, transaction, Scan, or table-level action.
    const actions = HANDLERS.flatMap((name) => statementsOf(name).flatMap((s) => s.actions));
    expect([...new Set(actions)].sort()).toEqual(['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
  });
});

describe('the partition key patterns', () => {
  // The keys the adapters write, each with the one pattern that must cover it.
  const keys: Array<[string, string]> = [
    [caseSnapshotKey('VU-ABCDEFGH').PK, PartitionKey.Case],
    [caseCommitKey('VU-ABCDEFGH', 1).PK, PartitionKey.Case],
    [caseWaitKey('VU-ABCDEFGH').PK, PartitionKey.Case],
    [grantKey('f'.repeat(64)).PK, PartitionKey.Grant],
    [idempotencyKey('0'.repeat(64)).PK, PartitionKey.Idempotency],
    [noteKey('VU-ABCDEFGH').PK, PartitionKey.Note],
    [CVE_POOL_PARTITION, PartitionKey.CvePool],
    [CVE_ASSIGNMENT_PARTITION, PartitionKey.CveAssignment],
    [phasePartition('draft-review'), PartitionKey.Phase],
    [NOTES_PARTITION, PartitionKey.NoteFeed],
    [directoryEntryKey('v-01J0000000000000000000000A').PK, PartitionKey.DirectoryVendor],
    [vendorCaseKey('v-01J0000000000000000000000A', 'VU-ABCDEFGH').PK, PartitionKey.DirectoryVendor],
    [vendorNameKey('acme').PK, PartitionKey.DirectoryName],
    [directoryListKey('v-01J0000000000000000000000A').PK, PartitionKey.DirectoryList],
  ];

  it('match the keys the adapters build, each key by exactly one pattern', () => {
    for (const [key, pattern] of keys) {
      expect(
        Object.values(PartitionKey).filter((p) => stringLike(p, key)),
        key,
      ).toEqual([pattern]);
    }
  });
});
