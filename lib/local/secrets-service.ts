// A Secrets Manager stand-in over the AWS JSON 1.1 protocol: GetSecretValue for the secrets the
// local stack owns (the link secret, and with cveMode cve-services the CVE Services key), so the handlers' unchanged @aws-sdk/client-secrets-manager
// calls (AWS_ENDPOINT_URL_SECRETS_MANAGER) reach it. Kept under the data folder when there is one,
// so links mailed before a restart keep working after it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type TeamKeyPair, generateTeamKey } from '../../functions/adapters/openpgp-seal.js';

export const LOCAL_LINK_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:cvd-link-secret-local';
export const LOCAL_CVE_API_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:cvd-cve-services-key-local';
export const LOCAL_PGP_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:cvd-pgp-key-local';
export const LOCAL_PGP_PUBLIC_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:cvd-pgp-public-key-local';

/**
 * The local team OpenPGP key pair: read from the data folder's pgp/ (private.asc, public.asc), or
 * generated on the first start and kept there (in memory without a data folder).
 */
export async function localTeamKey(dataDir: string | null, user: { name: string; email: string }): Promise<TeamKeyPair> {
  if (!dataDir) return generateTeamKey(user);
  const dir = path.join(dataDir, 'pgp');
  const [privateFile, publicFile] = [path.join(dir, 'private.asc'), path.join(dir, 'public.asc')];
  if (existsSync(privateFile) && existsSync(publicFile))
    return { privateKey: readFileSync(privateFile, 'utf8'), publicKey: readFileSync(publicFile, 'utf8') };
  const pair = await generateTeamKey(user);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(privateFile, pair.privateKey, { mode: 0o600 });
  writeFileSync(publicFile, pair.publicKey, { mode: 0o644 });
  return pair;
}

/** The local link secret: read from the data folder, or made once and kept there (in memory without one). */
export function localLinkSecret(dataDir: string | null): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = path.join(dataDir, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function startSecretsService(secrets: ReadonlyMap<string, string>): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      if (op !== 'GetSecretValue')
        return reply(400, { __type: 'UnknownOperationException', message: `operation ${op || '(none)'} is not served locally` });
      let id = '';
      try {
        id = String((JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: unknown }).SecretId ?? '');
      } catch {
        return reply(400, { __type: 'InvalidRequestException', message: 'the body is not JSON' });
      }
      const value = secrets.get(id);
      if (value === undefined)
        return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      reply(200, { ARN: id, Name: id.split(':').at(-1), SecretString: value, VersionId: 'local', CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
