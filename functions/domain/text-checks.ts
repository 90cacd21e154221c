// The zod/mini checks every participant text goes through (safe-text.ts has the rules): CRLF made
// LF, then no control characters (newline and tab only in multi-line fields) and no bidi
// controls. Shared by the report schema and every API body, so one rule guards them all.
import * as z from 'zod/mini';
import { normalizeNewlines, textProblem } from './safe-text.js';

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
