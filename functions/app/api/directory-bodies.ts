// What coordinators send to the vendor directory (docs/api.md "Vendor directory"), as zod/mini
// schemas. Names and aliases are one line each without control characters; URLs are https only;
// a PGP key must have the shape of an armored public key (functions/domain/directory.ts).
import * as z from 'zod/mini';
import { pgpKeyProblem } from '../../domain/directory.js';
import { LIMITS } from '../../domain/limits.js';
import { bool, email, requiredText, text } from './schema-kit.js';

export const MAX_ALIASES = 20;
export const MAX_DIRECTORY_CONTACTS = 20;
const MAX_URL = 2048;

/** An https URL without credentials in it: the pages a vendor publishes, shown to coordinators as links. */
export function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

const httpsUrl = (label: string) =>
  z
    .string(`${label} must be an https:// URL`)
    .check(
      z.trim(),
      z.maxLength(MAX_URL, `${label} must be at most ${MAX_URL} characters`),
      z.refine(isHttpsUrl, `${label} must be an https:// URL (no other scheme, no user name or password in it)`),
    );

const pgpKey = (label: string) =>
  text(LIMITS.pgpKey, label).check(
    z.refine(
      (s) => s === '' || pgpKeyProblem(s) === null,
      `${label} must be an ASCII-armored OpenPGP public key block (-----BEGIN PGP PUBLIC KEY BLOCK-----) whose contents decode, start with a public key packet and match its checksum`,
    ),
  );

export const DirectoryContactSchema = z.object({
  email: email('contacts[].email'),
  name: z.optional(text(LIMITS.short, 'contacts[].name')),
  pgpKey: z.optional(pgpKey('contacts[].pgpKey')),
});

/** CVE Program short names: 2 to 32 letters, digits, hyphens and underscores. */
const CNA_SHORT_NAME = /^[A-Za-z0-9_-]{2,32}$/;

const fields = {
  name: requiredText(LIMITS.short, 'name'),
  aliases: z._default(
    z
      .array(requiredText(LIMITS.short, 'aliases[]'), 'aliases must be a list')
      .check(z.maxLength(MAX_ALIASES, `at most ${MAX_ALIASES} aliases`)),
    [],
  ),
  contacts: z._default(
    z
      .array(DirectoryContactSchema, 'contacts must be a list of { email, name?, pgpKey? }')
      .check(z.maxLength(MAX_DIRECTORY_CONTACTS, `at most ${MAX_DIRECTORY_CONTACTS} contacts`)),
    [],
  ),
  isCna: z._default(bool('isCna'), false),
  cnaShortName: z.optional(
    z.string('cnaShortName must be text').check(z.trim(), z.regex(CNA_SHORT_NAME, 'cnaShortName must be 2 to 32 letters, digits, - or _')),
  ),
  advisoryUrl: z.optional(httpsUrl('advisoryUrl')),
  securityTxtUrl: z.optional(httpsUrl('securityTxtUrl')),
};

const cnaConsistent = z.refine<{ isCna: boolean; cnaShortName?: string | undefined }>((b) => b.isCna || !b.cnaShortName, {
  message: 'cnaShortName is for a CNA: set isCna true or leave it out',
  path: ['cnaShortName'],
});

export const DirectoryVendorBodySchema = z.object(fields).check(cnaConsistent);
export type DirectoryVendorBody = z.output<typeof DirectoryVendorBodySchema>;

/** PUT: the whole entry again, with the version it was read at. */
export const DirectoryVendorUpdateSchema = z
  .object({
    ...fields,
    version: z
      .int('version must be the entry version you read (a whole number)')
      .check(z.positive('version must be the entry version you read')),
  })
  .check(cnaConsistent);
export type DirectoryVendorUpdate = z.output<typeof DirectoryVendorUpdateSchema>;
