// DynamoDB attribute values for the store's own items: JSON-shaped data (strings, finite numbers,
// booleans, null, lists, maps) and binary (a deflated snapshot); undefined is left out, in maps and in lists. Ours instead of @aws-sdk/util-dynamodb, which carries sets
// and big-number support we never store and adds 5 KB to every bundle; a test holds the two equal.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/** One value as DynamoDB stores it; undefined map entries are dropped, as `removeUndefinedValues` does. */
export function toAttribute(value: unknown, path = 'item'): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}: DynamoDB stores only finite numbers`);
      return { N: String(value) };
    case 'object':
      if (Array.isArray(value)) return { L: value.flatMap((v, i) => (v === undefined ? [] : [toAttribute(v, `${path}[${i}]`)])) };
      // A deflated snapshot: binary is billed by its bytes, base64 by a third more.
      if (value instanceof Uint8Array) return { B: value };
      if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
        return { M: toAttributes(value, path) };
      break;
  }
  throw new TypeError(
    `${path} is a ${typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value}, which the store does not write`,
  );
}

export function toAttributes(item: object, path = 'item'): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[k] = toAttribute(v, `${path}.${k}`);
  return out;
}

export function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.M !== undefined) return fromAttributes(value.M);
  if (value.B !== undefined) return value.B;
  throw new TypeError(`an attribute of a type the store never writes: ${Object.keys(value).join(', ')}`);
}

/** Items are only ever ones this store wrote, in the shapes of event-store.ts. */
export function fromAttributes<T>(item: Item): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromAttribute(v);
  return out as T;
}
