// DynamoDB's size limits on key attributes. The in-memory twins refuse the keys DynamoDB refuses,
// with an error of the same name, so a test on them meets the refusal production would.
import type { ItemKey } from './table-layout.js';

/** In UTF-8 bytes; a request naming a longer key fails with ValidationException. */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const over = (s: string, max: number) => Buffer.byteLength(s, 'utf8') > max;

/** Whether DynamoDB would accept this key (and, for an index, its sort key) in a request. */
export const keyFits = (key: ItemKey, indexSortKey?: string): boolean =>
  !over(key.PK, MAX_PARTITION_KEY_BYTES) &&
  !over(key.SK, MAX_SORT_KEY_BYTES) &&
  (indexSortKey === undefined || !over(indexSortKey, MAX_SORT_KEY_BYTES));

/** What DynamoDB does with such a key, whether or not an item has it. */
export function refuseOversizedKey(key: ItemKey, indexSortKey?: string): void {
  if (keyFits(key, indexSortKey)) return;
  const e = new Error('One or more parameter values were invalid: a key exceeds the size limit');
  e.name = 'ValidationException';
  throw Object.assign(e, { $metadata: { httpStatusCode: 400 } });
}
