// What a participant's text may hold, and how it enters Markdown. Reporters and vendors are each
// other's possible adversaries: their strings are data, never structure. One module owns both
// rules so the report schema, the API bodies, the note and the views cannot drift apart.

/** C0 and C1 controls, DEL included; newline and tab are allowed only in multi-line fields. */
const CONTROLS_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS_MULTI_LINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Bidi embeddings, overrides and isolates: they make text read differently from what it is. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** CRLF and lone CR from a browser's textarea become LF before the rules apply. */
export const normalizeNewlines = (s: string): string => s.replace(/\r\n?/g, '\n');

/** Why a text field is refused, or null. The message never quotes the text. */
export function textProblem(s: string, multiLine: boolean): string | null {
  if ((multiLine ? CONTROLS_MULTI_LINE : CONTROLS_SINGLE_LINE).test(s))
    return multiLine ? 'must not contain control characters (newline and tab are fine)' : 'must be one line without control characters';
  if (BIDI_CONTROLS.test(s)) return 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)';
  return null;
}

/**
 * The one Markdown escape: every character that could start Markdown structure (emphasis, code,
 * links, headings, lists, tables, quotes, setext underlines, HTML) is backslash-escaped, so the
 * renderer shows the string as exactly that text. Line breaks are kept: use mdInline where a
 * line break would end the construct (headings, table cells, list items).
 */
export const mdText = (s: string): string => s.replace(/([\\`*_{}[\]()#+\-.!|<>~&=])/g, '\\$1');

/** A string for one line of Markdown: runs of whitespace (line breaks too) become one space. */
export const mdInline = (s: string): string => mdText(s.replace(/\s+/g, ' ').trim());
