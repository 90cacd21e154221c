// Markdown written to make a renderer rescan the same characters, each input as large as a draft may
// be (MAX_MARKDOWN): the unit tests render them and count the scanning, `npm run bench` times them.
// Most were quadratic (or worse) in the note renderer before its scans were bounded.
import { MAX_MARKDOWN } from '../../functions/app/api/schema-kit.js';

/** `prefix`, then `unit` repeated, `size` characters in all. */
export const fill = (unit: string, prefix: string, size: number): string =>
  prefix + unit.repeat(Math.ceil((size - prefix.length) / unit.length)).slice(0, size - prefix.length);

/** Backtick runs of falling length, `size` characters: no run finds a closer as long as itself. */
function fallingBacktickRuns(size: number): string {
  let k = 1;
  while (((k + 1) * (k + 2)) / 2 + k < size) k++;
  return Array.from({ length: k }, (_, i) => '`'.repeat(k - i))
    .join('a')
    .padStart(size, 'x');
}

/** Backtick runs of rising length: each closes the one before and leaves the rest of itself open. */
function risingBacktickRuns(size: number): string {
  let s = 'x';
  for (let k = 1; s.length < size; k++) s += `${'`'.repeat(k)}a`;
  return s.slice(0, size);
}

/** Name → Markdown of `size` characters. */
export function pathologicalMarkdown(size = MAX_MARKDOWN): Record<string, string> {
  const half = Math.floor(size / 2);
  const run = (unit: string, prefix = '') => fill(unit, prefix, size);
  const blanks = (prefix: string, suffix: string) => `${prefix}${' '.repeat(size - prefix.length - suffix.length)}${suffix}`;
  return {
    '[ run': run('['),
    '[ run, then ]( run': '['.repeat(half) + fill('](', '', size - half),
    '[ run, then ](javascript:…)': `${fill('a', `${'['.repeat(half)}](javascript:`, size - 1)})`,
    '[ run, then ](https://… unclosed': fill('a', `${'['.repeat(half)}](https://a.example/`, size),
    '[a]( unclosed, repeated': run('[a]('),
    '![ run': run('!['),
    '* run': run('*', 'x'),
    '** run': run('**', 'x'),
    '*a  (em never closed)': run('*a '),
    '**a  (strong never closed)': run('**a '),
    '_ run': run('_', 'x'),
    '` run': run('`', 'x'),
    '` runs, longest first': fallingBacktickRuns(size),
    '` runs, shortest first': risingBacktickRuns(size),
    '< run': run('<'),
    '<https:// run': run('<https://'),
    '<scheme run': run('a', '<'),
    '\\ run': run('\\'),
    '\\* run after *': run('\\*', '*a'),
    '> nesting': run('>'),
    '> nesting, many lines': run('> > > > > > > > > > x\n'),
    '| lines': run('|\n'),
    'table, many rows': run('| a | *b* |\n', '| x | y |\n|---|---|\n'),
    'table, wide header over one-cell rows': run('|\n', `${'|'.repeat(Math.floor(size / 4))}\n|-|\n`),
    'delimiter row, trailing blanks': blanks('a|b\n|-', 'x'),
    '# heading, inner blanks': blanks('# a', 'b'),
    '- item, blanks, U+2028': blanks('-', '\u2028'),
    '1. item, blanks, U+2028': blanks('1.', '\u2028'),
    '``` fence, U+2028': `${fill('`', '', size - 1)}\u2028`,
    '- - - rule-like': `${fill(' -', '-', size - 1)}x`,
    '- list, many items': run('- *a* [b](https://b.example) `c`\n'),
    mix: run('[*`<https://a](\\![ **x** _'),
  };
}

export const PATHOLOGICAL_MARKDOWN: Readonly<Record<string, string>> = pathologicalMarkdown();
