// Invalid input as problem+json lists it: every invalid field, by path (docs/api.md).

export interface FieldError {
  path: string;
  message: string;
}

/** Formats zod issues as the `errors` list of a problem+json body: every invalid field, by path. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
