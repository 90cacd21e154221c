// The handler environment, each part parsed once per container with the contract's parser
// (functions/environment.ts). Free of SDK clients, so service-info's bundle stays without any.
import { type EnvPart, type PartEnv, parseEnvPart } from '../environment.js';

const parsed = new Map<EnvPart, PartEnv[EnvPart]>();

/** A part of process.env, parsed on first use; a bad value throws EnvError naming the variable, every time. */
export function envPart<P extends EnvPart>(part: P): PartEnv[P] {
  if (!parsed.has(part)) parsed.set(part, parseEnvPart[part](process.env));
  return parsed.get(part) as PartEnv[P];
}

/** Forgets what was parsed (the local runtime and tests change process.env, then rebuild). */
export function forgetEnv(): void {
  parsed.clear();
}
