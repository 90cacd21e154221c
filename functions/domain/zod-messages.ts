// The fallback wording of zod/mini for the few checks our schemas give no message of their own:
// in practice a value of the wrong type where an object or list was expected. Ours rather than
// zod's English locale (2.6 KB in every API bundle), in the same words; it names the type it
// received, never the value, so no message echoes the input.
import * as z from 'zod/mini';

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

z.config({
  localeError: (issue) =>
    issue.code === 'invalid_type' ? `Invalid input: expected ${issue.expected}, received ${kindOf(issue.input)}` : 'Invalid input',
});
