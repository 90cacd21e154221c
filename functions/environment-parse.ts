// The handler environment's parsing helpers (functions/environment.ts holds the variables): each
// reads one variable, and a missing or malformed one throws EnvError naming it. Apart so that the
// contract file stays readable; generic in the variable's name so it needs nothing from there.
/** The process environment, or any map of its variables. */
export type Env = Readonly<Record<string, string | undefined>>;

export const ARN_PATTERN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+$/;

/** A variable missing or malformed: the message names it and what it must be. */
export class EnvError<N extends string = string> extends Error {
  override readonly name = 'EnvError';
  constructor(
    readonly variable: N,
    problem: string,
  ) {
    super(`invalid handler environment: ${variable} ${problem}`);
  }
}

/** Unset and empty are the same: the local runtime and tests clear a variable with ''. */
export const raw = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

export const got = (value: string) => `, got "${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;

export function required(env: Env, name: string): string {
  const v = raw(env, name);
  if (v === undefined) throw new EnvError(name, 'is not set');
  return v;
}

export function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (!(values as readonly string[]).includes(v)) throw new EnvError(name, `must be one of ${values.join(', ')}${got(v)}`);
  return v as T;
}

export function matching(env: Env, name: string, pattern: RegExp, what: string): string | undefined {
  const v = raw(env, name);
  if (v !== undefined && !pattern.test(v)) throw new EnvError(name, `must be ${what}${got(v)}`);
  return v;
}

export function url(env: Env, name: string, schemes: readonly string[]): string | undefined {
  const v = raw(env, name);
  if (v === undefined) return undefined;
  if (!URL.canParse(v) || !schemes.includes(new URL(v).protocol))
    throw new EnvError(name, `must be an ${schemes.map((s) => s.slice(0, -1)).join(' or ')} URL${got(v)}`);
  return v;
}

export function list(env: Env, name: string, valid: (item: string) => boolean, what: string): string[] {
  const items = (raw(env, name) ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = items.find((item) => !valid(item));
  if (bad !== undefined) throw new EnvError(name, `must be a comma-separated list of ${what}${got(bad)}`);
  return items;
}

export function flag(env: Env, name: string): boolean | undefined {
  const v = raw(env, name);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw new EnvError(name, `must be true or false${got(v)}`);
  return v === 'true';
}

export const arn = (env: Env, name: string): string => {
  const v = required(env, name);
  if (!ARN_PATTERN.test(v)) throw new EnvError(name, `must be an ARN${got(v)}`);
  return v;
};
