// The pieces every request-body schema is made of (zod/mini), with their messages: every message
// is written here so that none echoes the input. The bodies are split by who sends them
// (coordinator-, reporter- and vendor-bodies.ts) so each handler's bundle builds only its own.
import * as z from 'zod/mini';
import '../../domain/zod-messages.js';
import { LIMITS } from '../../domain/limits.js';
import { type Lines, plainText } from '../../domain/text-checks.js';

/** Markdown of a note draft: a full note with its sections. */
export const MAX_MARKDOWN = 128 * 1024;

// Names and short labels are one line; texts up to LIMITS.text and drafts may span lines.
const linesOf = (max: number): Lines => (max <= LIMITS.short ? 'single' : 'multi');

export const oneOf = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
export const text = (max: number, label: string) =>
  z
    .string(`${label} must be text`)
    .check(z.trim(), z.maxLength(max, `${label} must be at most ${max} characters`), ...plainText(label, linesOf(max)));
export const requiredText = (max: number, label: string) =>
  z
    .string(`${label} is required and must be text`)
    .check(
      z.trim(),
      z.minLength(1, `${label} must not be empty`),
      z.maxLength(max, `${label} must be at most ${max} characters`),
      ...plainText(label, linesOf(max)),
    );
export const bool = (label: string) => z.boolean(`${label} must be true or false`);
export const instant = (label: string) =>
  z.iso.datetime({ offset: true, message: `${label} must be an ISO-8601 instant such as 2027-01-15T12:00:00Z` });
export const email = (label: string) =>
  z
    .string(`${label} must be an e-mail address`)
    .check(z.trim(), z.maxLength(LIMITS.email, `${label} is too long`), z.email(`${label} must be an e-mail address`));
export const enumOf = <const T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, `${label} must be one of ${oneOf(values)}`);
export const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
export const cveId = (label: string) =>
  z.string(`${label} must be a CVE ID`).check(z.regex(CVE_ID, `${label} must be a CVE ID such as CVE-2026-12345`));
export const idText = (label: string) =>
  z
    .string(`${label} must be text`)
    .check(
      z.trim(),
      z.minLength(1, `${label} must not be empty`),
      z.maxLength(100, `${label} must be at most 100 characters`),
      ...plainText(label, 'single'),
    );
