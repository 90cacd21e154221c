// The zod/mini check of a CVSS vector, apart from text-checks.ts: the vector grammars' tables are
// built when their module loads, so only the schemas that take a vector should import them.
import * as z from 'zod/mini';
import { isValidVector } from './scores/valid-vector.js';

const VECTOR_EXAMPLE = {
  v2: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
  v3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  v4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
} as const;
const VERSION_NAME = { v2: 'CVSS v2', v3: 'CVSS v3.0 or v3.1', v4: 'CVSS v4.0' } as const;

/** A CVSS vector of one version, checked against that version's grammar; empty means none. */
export function cvssVector(version: 'v2' | 'v3' | 'v4', label: string, max: number) {
  return z.string(`${label} must be text`).check(
    z.trim(),
    z.maxLength(max, `${label} must be at most ${max} characters`),
    z.refine<string>((s) => s === '' || isValidVector(version, s), {
      message: `${label} must be a valid ${VERSION_NAME[version]} vector such as ${VECTOR_EXAMPLE[version]}`,
    }),
  );
}
