// The handler environment, each part parsed once per container with the contract's parser
// (functions/environment.ts). Free of SDK clients, so service-info's bundle stays without any.
import type { Env, EnvPart, PartEnv } from '../environment.js';

const parsed = new Map<EnvPart, PartEnv[EnvPart]>();

/**
 * A part of process.env, parsed on first use with that part's parser (passed in, so a bundle holds
 * only the parsers of the parts it reads); a bad value throws EnvError naming the variable, every time.
 */
export function envPart<P extends EnvPart>(part: P, parse: (env: Env) => PartEnv[P]): PartEnv[P] {
  if (!parsed.has(part)) parsed.set(part, parse(process.env));
  return parsed.get(part) as PartEnv[P];
}

/** Forgets what was parsed (the local runtime and tests change process.env, then rebuild). */
export function forgetEnv(): void {
  parsed.clear();
}
