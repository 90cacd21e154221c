// S3 on this machine: @20minutes/s3rver (the maintained fork of s3rver) with the files bucket,
// persisted under the data folder (or a temporary folder that is emptied on stop). It checks the
// presigned URLs' signatures, so an upload of another length or type is refused as on AWS; it keeps
// no checksums and no versions, and the file store reads and hashes a file where S3 would say.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import account from '@20minutes/s3rver/lib/models/account.js';
import { FILE_UPLOAD_HEADERS } from '../../functions/domain/attachments.js';

export const LOCAL_FILES_BUCKET = 'cvd-files';
/** Where the local SMTP listener stores received mail, as SES's S3 action does (lib/local/smtp-inbound.ts). */
export const LOCAL_INBOUND_BUCKET = 'cvd-inbound';

export interface LocalS3 {
  endpoint: string;
  server: Server;
  /** The origins whose pages may upload and download (the bucket's CORS rule). */
  origins: readonly string[];
  /** Requests served since the start, by HTTP method, and the bytes uploaded (the bench prices them). */
  counts(): { byMethod: Record<string, number>; bytesIn: number };
  close(): Promise<void>;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The bucket's CORS rule as S3's XML: s3rver reads it at start (its PutBucketCors refuses the SDK's signature). */
function corsXml(origins: readonly string[]): string {
  const headers = FILE_UPLOAD_HEADERS.map((h) => `<AllowedHeader>${h}</AllowedHeader>`).join('');
  const rules = origins.map(
    (o) =>
      `<CORSRule><AllowedOrigin>${escapeXml(o)}</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>${headers}<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>`,
  );
  return `<CORSConfiguration>${rules.join('')}</CORSConfiguration>`;
}

/** Starts the stand-in on 127.0.0.1:`port` (0: a free one). The handlers sign with these credentials. */
export async function startLocalS3(opts: {
  dataDir: string | null;
  port: number;
  origins: readonly string[];
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<LocalS3> {
  const directory = opts.dataDir ? path.join(opts.dataDir, 's3') : mkdtempSync(path.join(os.tmpdir(), 'cvd-s3-'));
  mkdirSync(directory, { recursive: true });
  // The stand-in knows one key pair of its own; the local handlers' credentials are added to it.
  account.DUMMY_ACCOUNT.createKeyPair(opts.accessKeyId, opts.secretAccessKey);
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: opts.port,
    silent: true,
    directory,
    configureBuckets: [
      { name: LOCAL_FILES_BUCKET, configs: [corsXml(opts.origins)] },
      { name: LOCAL_INBOUND_BUCKET, configs: [] },
    ],
  });
  const address = await s3.run();
  const byMethod: Record<string, number> = {};
  let bytesIn = 0;
  s3.httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    byMethod[method] = (byMethod[method] ?? 0) + 1;
    if (method === 'PUT') bytesIn += Number(req.headers['content-length'] ?? 0);
    // s3rver answers every preflight with a wildcard origin; name the page's own, as S3 does.
    const origin = req.headers.origin;
    if (origin) {
      const set = res.setHeader.bind(res);
      res.setHeader = (name, value) => set(name, name.toLowerCase() === 'access-control-allow-origin' && value === '*' ? origin : value);
    }
  });
  return {
    counts: () => ({ byMethod: { ...byMethod }, bytesIn }),
    endpoint: `http://127.0.0.1:${address.port}`,
    server: s3.httpServer,
    origins: [...opts.origins],
    async close() {
      await s3.close();
      if (!opts.dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}
