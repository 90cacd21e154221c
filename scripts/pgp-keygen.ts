// Generates the coordination team's OpenPGP key pair (README "OpenPGP"): ECC curve25519, the user
// id "coordinatorName <senderEmail>" from the CDK context (cdk.json, or --name / --email), written
// as private.asc (mode 600) and public.asc into --out (default ./pgp-key/, which git ignores), with
// the commands that put them into the stack's two secrets. Run: `npm run pgp:keygen [-- --out dir]`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateTeamKey } from '../functions/adapters/openpgp-seal.js';
import { DEFAULT_COORDINATOR_NAME } from '../functions/environment.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function context(): Record<string, unknown> {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  } catch {
    return {};
  }
}

const { values } = parseArgs({
  options: { name: { type: 'string' }, email: { type: 'string' }, out: { type: 'string' }, stack: { type: 'string' } },
});
const ctx = context();
const name = values.name ?? (typeof ctx.coordinatorName === 'string' ? ctx.coordinatorName : DEFAULT_COORDINATOR_NAME);
const email = values.email ?? (typeof ctx.senderEmail === 'string' ? ctx.senderEmail : 'cvd@example.org');
const out = path.resolve(values.out ?? 'pgp-key');
const stack = values.stack ?? 'CvdStack';
const [privateFile, publicFile] = [path.join(out, 'private.asc'), path.join(out, 'public.asc')];
if (existsSync(privateFile) || existsSync(publicFile)) {
  console.error(`${out} already holds a key: move it away first (a key is never overwritten).`);
  process.exit(1);
}
const pair = await generateTeamKey({ name, email });
mkdirSync(out, { recursive: true, mode: 0o700 });
writeFileSync(privateFile, pair.privateKey, { mode: 0o600 });
writeFileSync(publicFile, pair.publicKey, { mode: 0o644 });
const output = (key: string) =>
  `$(aws cloudformation describe-stacks --stack-name ${stack} --query "Stacks[0].Outputs[?OutputKey=='${key}'].OutputValue" --output text)`;
console.log(`Generated the OpenPGP key of "${name} <${email}>" (ECC curve25519) in ${out}.

Put it into the deployed stack's secrets:

  aws secretsmanager put-secret-value --secret-id ${output('PgpPrivateKeySecretArn')} --secret-string file://${privateFile}
  aws secretsmanager put-secret-value --secret-id ${output('PgpPublicKeySecretArn')} --secret-string file://${publicFile}

Then delete ${privateFile} (or keep it offline): Secrets Manager holds the only copy the stack needs.`);
