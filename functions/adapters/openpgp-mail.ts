// Inbound OpenPGP mail: PGP/MIME encrypted (RFC 3156 multipart/encrypted, signed inside or not),
// PGP/MIME signed (multipart/signed, verified over the signed part's exact bytes in CRLF form)
// and inline armor in a text/plain body. The opened message keeps the outer headers the pipeline
// reads and carries the decrypted content, so it is parsed like any other mail. It implements the
// pipeline's InboundDecryptor (functions/app/inbound-received.ts).
import * as openpgp from 'openpgp';
import type { InboundDecryptor, OpenedMail } from '../app/inbound-received.js';
import { privateKeyBlocks } from './openpgp-seal.js';
import { type Entity, bytesOf, contentTypeOf, crlf, decodedBody, latin1, multipartParts, parseEntity, plainText, utf8Of } from './mime.js';

export type SignatureCheck = OpenedMail['signature'];

/** The most a decrypted message may grow to (compressed data can expand a thousandfold). */
export const MAX_OPENED_BYTES = 10 * 1024 * 1024;

const KEPT_HEADERS = ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'auto-submitted', 'reply-to'];

/** An armored block found in a text: where it starts, and the block itself. */
interface Armor {
  index: number;
  block: string;
}

/**
 * The first block from a line `begin` through `end`, found with indexOf so that a hostile text (a
 * BEGIN line repeated without its END) costs one pass, not a rescan from every BEGIN.
 */
function armorIn(text: string, begin: string, end: string, middle?: string): Armor | null {
  const found = [text.indexOf(`${begin}\n`), text.indexOf(`${begin}\r\n`)].filter((i) => i >= 0);
  if (found.length === 0) return null;
  const index = Math.min(...found);
  let from = index + begin.length;
  if (middle !== undefined) {
    const m = text.indexOf(middle, from);
    if (m < 0) return null;
    from = m + middle.length;
  }
  const stop = text.indexOf(end, from);
  return stop < 0 ? null : { index, block: text.slice(index, stop + end.length) };
}
const armoredMessage = (text: string) => armorIn(text, '-----BEGIN PGP MESSAGE-----', '-----END PGP MESSAGE-----');
const armoredSigned = (text: string) =>
  armorIn(text, '-----BEGIN PGP SIGNED MESSAGE-----', '-----END PGP SIGNATURE-----', '-----BEGIN PGP SIGNATURE-----');

export class PgpMailOpener implements InboundDecryptor {
  private readonly keys: Promise<openpgp.PrivateKey[]>;

  /** teamPrivateKeys: the current key and, after a rotation, the previous ones (or the secret's whole text: every key in it). */
  constructor(teamPrivateKeys: readonly string[] | string) {
    const armored = typeof teamPrivateKeys === 'string' ? privateKeyBlocks(teamPrivateKeys) : teamPrivateKeys;
    this.keys = Promise.all(armored.map((armoredKey) => openpgp.readPrivateKey({ armoredKey })));
    this.keys.catch(() => undefined);
  }

  async open(raw: Uint8Array, senderKeys: readonly string[]): Promise<OpenedMail | null> {
    if (raw.byteLength > MAX_OPENED_BYTES) throw new Error('message too large to open');
    const outer = parseEntity(latin1(raw));
    const ct = contentTypeOf(outer);
    if (ct.type === 'multipart/encrypted') {
      const parts = multipartParts(outer.body, ct.params.boundary ?? '');
      const payload = parts?.[1];
      if (!payload) throw new Error('multipart/encrypted without its encrypted part');
      const { content, signature } = await this.decrypt(decodedBody(parseEntity(payload)), senderKeys);
      const inner = parseEntity(content);
      // Signed, then encrypted, the RFC 3156 §6.1 way: a multipart/signed inside.
      if (contentTypeOf(inner).type === 'multipart/signed') {
        const nested = await verifyMultipartSigned(inner, senderKeys);
        return { raw: rebuilt(outer, nested.content), encrypted: true, signature: strongest(signature, nested.signature) };
      }
      return { raw: rebuilt(outer, content), encrypted: true, signature };
    }
    if (ct.type === 'multipart/signed') {
      const { content, signature } = await verifyMultipartSigned(outer, senderKeys);
      return { raw: rebuilt(outer, content), encrypted: false, signature };
    }
    const text = inlineText(outer);
    if (text === null) return null;
    const message = armoredMessage(text);
    if (message) {
      const { content, signature } = await this.decrypt(message.block, senderKeys);
      return { raw: rebuilt(outer, plainText(spliced(text, message, content))), encrypted: true, signature };
    }
    const clear = armoredSigned(text);
    if (clear) {
      const signed = await openpgp.readCleartextMessage({ cleartextMessage: clear.block });
      const signature = await checkSignatures(
        (await openpgp.verify({ message: signed, verificationKeys: await readKeys(senderKeys) })).signatures,
        senderKeys,
      );
      return {
        raw: rebuilt(outer, plainText(spliced(text, clear, Buffer.from(signed.getText(), 'utf8').toString('latin1')))),
        encrypted: false,
        signature,
      };
    }
    return null;
  }

  /** The plaintext (latin1 bytes) and the check of any signature inside. */
  private async decrypt(armored: string, senderKeys: readonly string[]): Promise<{ content: string; signature: SignatureCheck }> {
    const message = await openpgp.readMessage({ armoredMessage: utf8Of(armored) });
    const result = await openpgp.decrypt({
      message,
      decryptionKeys: await this.keys,
      verificationKeys: await readKeys(senderKeys),
      format: 'binary',
      config: { maxDecompressedMessageSize: MAX_OPENED_BYTES },
    });
    const data = result.data as Uint8Array;
    if (data.byteLength > MAX_OPENED_BYTES) throw new Error('decrypted message too large');
    return { content: latin1(data), signature: await checkSignatures(result.signatures, senderKeys) };
  }
}

/**
 * The text/plain body that carries inline armor: the message's own, or the first such part of a
 * multipart/mixed or /alternative (a client that adds an HTML copy or an attachment); null if none.
 */
function inlineText(e: Entity, depth = 0): string | null {
  const ct = contentTypeOf(e);
  if (ct.type === 'text/plain') return decodedBody(e);
  if (depth >= 3 || !['multipart/mixed', 'multipart/alternative'].includes(ct.type)) return null;
  for (const part of multipartParts(e.body, ct.params.boundary ?? '') ?? []) {
    const text = inlineText(parseEntity(part), depth + 1);
    if (text !== null && (armoredMessage(text) !== null || armoredSigned(text) !== null)) return text;
  }
  return null;
}

/** A multipart/signed entity: its first part, and the check of the detached signature over its exact CRLF bytes. */
async function verifyMultipartSigned(e: Entity, senderKeys: readonly string[]): Promise<{ content: string; signature: SignatureCheck }> {
  const parts = multipartParts(e.body, contentTypeOf(e).params.boundary ?? '');
  const [signed, sig] = parts ?? [];
  if (signed === undefined || sig === undefined) throw new Error('multipart/signed without its two parts');
  let signature: SignatureCheck = 'invalid';
  try {
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: bytesOf(crlf(signed)) }),
      signature: await openpgp.readSignature({ armoredSignature: utf8Of(decodedBody(parseEntity(sig))) }),
      verificationKeys: await readKeys(senderKeys),
    });
    signature = await checkSignatures(result.signatures, senderKeys);
  } catch {
    signature = 'invalid'; // an unreadable signature proves nothing
  }
  return { content: signed, signature };
}

/** Sender keys that do not parse are left out: a stale directory entry must not stop the mail. */
async function readKeys(armored: readonly string[]): Promise<openpgp.PublicKey[]> {
  const out: openpgp.PublicKey[] = [];
  for (const armoredKey of armored) {
    try {
      out.push(await openpgp.readKey({ armoredKey }));
    } catch {
      /* not a key */
    }
  }
  return out;
}

type Verification = { keyID: openpgp.KeyID; verified: Promise<boolean> };

async function checkSignatures(signatures: readonly Verification[], senderKeys: readonly string[]): Promise<SignatureCheck> {
  if (signatures.length === 0) return 'none';
  const known = (await readKeys(senderKeys)).flatMap((k) => k.getKeyIDs().map((id) => id.toHex()));
  let best: SignatureCheck = 'invalid';
  for (const s of signatures) {
    const ok = await s.verified.then(
      () => true,
      () => false,
    );
    if (ok) return 'valid';
    if (!known.includes(s.keyID.toHex()) && best === 'invalid') best = 'unknown-key';
  }
  return best;
}

const RANK: Record<SignatureCheck, number> = { none: 0, 'unknown-key': 1, invalid: 2, valid: 3 };
/** Two layers of signature: a valid one wins; otherwise the more alarming. */
const strongest = (a: SignatureCheck, b: SignatureCheck): SignatureCheck => (RANK[a] >= RANK[b] ? a : b);

/** The armored block replaced by what it carried (latin1 bytes of UTF-8 text), the words around it kept. */
const spliced = (text: string, m: Armor, content: string): string =>
  utf8Of(text.slice(0, m.index)) + utf8Of(content) + utf8Of(text.slice(m.index + m.block.length));

/** The outer headers the pipeline reads, then the opened entity (its own Content-Type and body). */
function rebuilt(outer: Entity, entity: string): Uint8Array {
  const kept = outer.headers.filter((h) => KEPT_HEADERS.includes(h.name.toLowerCase()));
  const content = parseEntity(entity);
  const own = content.headers.filter((h) => /^content-/i.test(h.name));
  const head = [...kept, { name: 'MIME-Version', value: '1.0' }, ...own].map((h) => `${h.name}: ${h.value}`).join('\r\n');
  return bytesOf(`${head}\r\n\r\n${content.body}`);
}

/**
 * The decryptor of the function that receives mail: the team's keys read from their secret at the
 * first encrypted message, kept for the container's life. No key put yet: it cannot open, and the
 * message is held for the coordinators like any mail it cannot read.
 */
export function teamKeyOpener(read: () => Promise<string | null>): InboundDecryptor {
  let opener: PgpMailOpener | undefined;
  return {
    async open(raw, senderKeys) {
      if (!opener) {
        const secret = await read();
        if (!secret) throw new Error('no team OpenPGP key has been put in its secret');
        opener = new PgpMailOpener(secret);
      }
      return opener.open(raw, senderKeys);
    },
  };
}
