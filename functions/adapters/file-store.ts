// The files themselves, in a private bucket: uploads and downloads go straight between the
// caller's browser and the bucket through presigned URLs, so no file passes through a Lambda.
// An upload URL is signed for one key, one length, one content type and one SHA-256, so the bucket
// refuses any other bytes; a download URL always answers as an attachment of type
// application/octet-stream, so no browser renders a file inline.
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition } from '../domain/attachments.js';

export interface UploadTerms {
  filename: string;
  contentType: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface FileStore {
  /** A presigned PUT and the headers the caller must send with it. */
  uploadUrl(key: string, terms: UploadTerms, seconds: number): Promise<{ url: string; headers: Record<string, string> }>;
  /** A presigned GET that downloads the file (under the name it was uploaded with). */
  downloadUrl(key: string, seconds: number): Promise<string>;
  /** Writes a file the system itself received (an attachment of a mail), under the same terms an upload is signed for. */
  store(key: string, body: Uint8Array, terms: UploadTerms): Promise<void>;
  /** The stored file's size and SHA-256 (hex), or null when nothing was uploaded. */
  inspect(key: string): Promise<{ size: number; sha256: string } | null>;
  /** Removes the file (a versioned bucket keeps the old version until its lifecycle rule expires it). */
  discard(key: string): Promise<void>;
  /** Removes the file for good (the retention rule): at once, and its earlier versions by the bucket's lifecycle rule. */
  purge(key: string): Promise<void>;
}

const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
/** What the uploader sends with the PUT, exactly as signed. */
const uploadHeaders = (terms: UploadTerms): Record<string, string> => ({
  'Content-Type': terms.contentType,
  'Content-Disposition': contentDisposition(terms.filename),
  'x-amz-checksum-sha256': hexToBase64(terms.sha256),
});
const base64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
const notFound = (e: unknown) => e instanceof Error && (e.name === 'NotFound' || e.name === 'NoSuchKey');

export class S3FileStore implements FileStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async uploadUrl(key: string, terms: UploadTerms, seconds: number) {
    const checksum = hexToBase64(terms.sha256);
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: terms.contentType,
        ContentLength: terms.size,
        ChecksumSHA256: checksum,
        ContentDisposition: contentDisposition(terms.filename),
      }),
      {
        expiresIn: seconds,
        // Signed as headers, so the bucket refuses a request whose length, type, name or digest differ.
        signableHeaders: new Set(['content-type', 'content-length', 'content-disposition']),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      },
    );
    return { url, headers: uploadHeaders(terms) };
  }

  downloadUrl(key: string, seconds: number): Promise<string> {
    // The stored Content-Disposition (set at upload) makes it a download; the type is overridden
    // so that no browser sniffs and renders it.
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentType: 'application/octet-stream' }), {
      expiresIn: seconds,
    });
  }

  async store(key: string, body: Uint8Array, terms: UploadTerms): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: terms.contentType,
        ContentLength: terms.size,
        ChecksumSHA256: hexToBase64(terms.sha256),
        ContentDisposition: contentDisposition(terms.filename),
      }),
    );
  }

  async inspect(key: string): Promise<{ size: number; sha256: string } | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      // S3 keeps the digest it checked at upload; a store that keeps none (the local stand-in) is read and hashed.
      if (head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-'))
        return { size: head.ContentLength ?? 0, sha256: base64ToHex(head.ChecksumSHA256) };
      const got = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of got.Body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        size += chunk.length;
      }
      return { size, sha256: hash.digest('hex') };
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  async discard(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async purge(key: string): Promise<void> {
    // The current version goes now; the bucket's lifecycle rule expires the earlier ones a day
    // later (lib/case-files.ts), so no function needs to list or delete versions.
    await this.discard(key);
  }
}

/** The in-memory twin: uploads are made with `put`, URLs are opaque and never fetched. */
export class MemoryFileStore implements FileStore {
  readonly files = new Map<string, Buffer>();
  readonly signed: { method: 'PUT' | 'GET'; key: string; seconds: number }[] = [];

  async uploadUrl(key: string, terms: UploadTerms, seconds: number) {
    this.signed.push({ method: 'PUT', key, seconds });
    return { url: `https://files.invalid/${key}?put`, headers: uploadHeaders(terms) };
  }

  async downloadUrl(key: string, seconds: number) {
    this.signed.push({ method: 'GET', key, seconds });
    return `https://files.invalid/${key}?get`;
  }

  put(key: string, body: Buffer | string): void {
    this.files.set(key, Buffer.from(body));
  }

  async store(key: string, body: Uint8Array): Promise<void> {
    this.files.set(key, Buffer.from(body));
  }

  async inspect(key: string) {
    const f = this.files.get(key);
    return f ? { size: f.length, sha256: createHash('sha256').update(f).digest('hex') } : null;
  }

  async discard(key: string): Promise<void> {
    this.files.delete(key);
  }

  async purge(key: string): Promise<void> {
    this.files.delete(key);
  }
}
