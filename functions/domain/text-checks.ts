// The zod/mini checks every participant text goes through (safe-text.ts has the rules): CRLF made
// LF, then no control characters (newline and tab only in multi-line fields) and no bidi
// controls. Shared by the report schema and every API body, so one rule guards them all.
import * as z from 'zod/mini';
import { normalizeNewlines, textProblem } from './safe-text.js';
import { isValidVector } from './scores/valid-vector.js';

export type Lines = 'single' | 'multi';

/** The checks for a text field: newlines normalised, then refused if it holds control or bidi characters. */
export function plainText(label: string, lines: Lines) {
  const multi = lines === 'multi';
  return [
    z.overwrite<string>((s) => (multi ? normalizeNewlines(s) : s)),
    z.refine<string>((s) => textProblem(s, multi) === null, {
      message: `${label} ${multi ? 'must not contain control characters (newline and tab are fine)' : 'must be one line without control characters'}, nor bidirectional control characters`,
    }),
  ] as const;
}

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
