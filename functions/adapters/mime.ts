// Just enough MIME for OpenPGP mail (functions/adapters/openpgp-mail.ts): split a message into its
// headers and body, a multipart body into its parts' exact bytes (a PGP/MIME signature covers
// those bytes), and build the few entities we send. Bytes are carried as latin1 strings, one
// character per byte, so nothing is re-encoded on the way through.

export interface Header {
  name: string;
  value: string;
}

export interface Entity {
  headers: Header[];
  /** The raw header block, as received (without the blank line). */
  head: string;
  /** The body's bytes as a latin1 string. */
  body: string;
}

export const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
export const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
export const utf8Of = (latin: string): string => Buffer.from(latin, 'latin1').toString('utf8');

/** Headers end at the first empty line (CRLF or bare LF mail alike). */
export function parseEntity(s: string): Entity {
  const m = /\r?\n\r?\n/.exec(s);
  const head = m ? s.slice(0, m.index) : s;
  const body = m ? s.slice(m.index + m[0].length) : '';
  const headers: Header[] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) last.value += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) headers.push({ name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() });
    }
  }
  return { headers, head, body };
}

export const headerOf = (e: Pick<Entity, 'headers'>, name: string): string | undefined =>
  e.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** The longest Content-Type value read. */
const MAX_CONTENT_TYPE = 1024;

export interface ContentType {
  type: string;
  params: Record<string, string>;
}

/** `multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary=…` */
export function contentTypeOf(e: Pick<Entity, 'headers'>): ContentType {
  // A real Content-Type is a few dozen characters (a boundary is at most 70): the cap keeps the
  // parameter scan below linear-time worries whatever a sender puts there.
  const v = (headerOf(e, 'content-type') ?? 'text/plain').slice(0, MAX_CONTENT_TYPE);
  const [type = '', ...rest] = v.split(';');
  const params: Record<string, string> = {};
  for (const m of rest.join(';').matchAll(/\s*([A-Za-z0-9_.*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g)) {
    const raw = m[2] ?? '';
    params[(m[1] ?? '').toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return { type: type.trim().toLowerCase(), params };
}

/**
 * The parts of a multipart body, each exactly as it stands between its delimiters (RFC 2046: the
 * line break before a delimiter belongs to the delimiter). Null when the boundary never appears.
 */
export function multipartParts(body: string, boundary: string): string[] | null {
  if (!boundary || boundary.length > 200) return null;
  const delimiter = `--${boundary}`;
  const lines = body.split(/(?<=\n)/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, '').trimEnd();
    if (bare === delimiter || bare === `${delimiter}--`) {
      if (current) parts.push(current.join('').replace(/\r?\n$/, ''));
      if (bare.endsWith('--') && bare !== delimiter) return parts;
      current = [];
    } else current?.push(line);
  }
  return parts.length > 0 ? parts : null;
}

/** A body's bytes after its Content-Transfer-Encoding (base64 and quoted-printable; others as they are). */
export function decodedBody(e: Entity): string {
  const cte = (headerOf(e, 'content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(e.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  if (cte === 'quoted-printable')
    return e.body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return e.body;
}

/** Every line break as CRLF: the canonical form a PGP/MIME signature is made over (RFC 3156 §5). */
export const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

// ---- building -------------------------------------------------------------------------------------

/** A header value of ours or a participant's, on one line: CR, LF and other controls become spaces. */
export const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** An unstructured header value (Subject): RFC 2047 encoded-words when it is not plain ASCII. */
export function unstructured(s: string): string {
  const v = oneLine(s);
  if (/^[\x20-\x7e]*$/.test(v) && v.length <= 900) return v;
  const words: string[] = [];
  let chunk = '';
  for (const ch of v) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** A single address (ours, or a recipient's, already validated): refused when it could break out of its header. */
export function address(s: string): string {
  const v = s.trim();
  if (!/^[^\s<>",;:\\()[\]]+@[^\s<>",;:\\()[\]]+$/.test(v)) throw new Error('not a plain e-mail address');
  return v;
}

const base64Lines = (s: string): string =>
  (
    Buffer.from(s, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

/** text/plain and text/html of one message, as a multipart/alternative entity (CRLF, base64 bodies: nothing to canonicalise). */
export function alternative(text: string, html: string, boundary: string): string {
  return [
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** A text/plain entity (the opened form of an inline PGP message). */
export const plainText = (text: string): string =>
  ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(text), ''].join('\r\n');

/** An RFC 3156 multipart/encrypted body around an armored OpenPGP message. */
export function pgpEncrypted(armored: string, boundary: string): { contentType: string; body: string } {
  return {
    contentType: `multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"`,
    body: [
      'This is an OpenPGP/MIME encrypted message (RFC 3156).',
      `--${boundary}`,
      'Content-Type: application/pgp-encrypted',
      'Content-Description: PGP/MIME version identification',
      '',
      'Version: 1',
      '',
      `--${boundary}`,
      'Content-Type: application/octet-stream; name="encrypted.asc"',
      'Content-Description: OpenPGP encrypted message',
      'Content-Disposition: inline; filename="encrypted.asc"',
      '',
      crlf(armored).trimEnd(),
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  };
}
