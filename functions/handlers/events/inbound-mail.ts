// The receipt rule's Lambda action: SES has stored the message in the inbound bucket and hands over
// its receipt (lib/inbound-mail.ts); the local SMTP listener hands over the same (lib/local/
// smtp-inbound.ts). Thin: the use case is receiveMail in functions/app/inbound-mail.ts.
import { parseCoreEnv, parseInboundEnv } from '../../environment.js';
import { S3Client } from '@aws-sdk/client-s3';
import { S3RawMailStore } from '../../adapters/inbound-mail-store.js';
import type { AppDeps } from '../../app/deps.js';
import { receiveMail } from '../../app/inbound-mail.js';
import { INBOUND_OBJECT_PREFIX, type InboundDeps, type InboundOutcome } from '../../app/inbound-received.js';
import { envPart } from '../env.js';
import { s3Files } from '../files-from-env.js';
import { secretLinks } from '../links-from-env.js';
import { dynamoHeldMail } from '../directory-from-env.js';
import { secretOrNull } from '../secret-or-null.js';
import { teamKeyOpener } from '../../adapters/openpgp-mail.js';
import { type Parts, envPartsOf } from '../parts.js';
import { deps } from '../runtime.js';
import { sfnSignals } from '../signals-from-env.js';
import { instrumented } from '../telemetry-from-env.js';

// It starts a new case's execution, recognises reply addresses (the link secret) and stores files.
const parts: Parts = { signals: sfnSignals, links: secretLinks, files: s3Files, heldMail: dynamoHeldMail };
export const reads = envPartsOf(parts, 'inbound');

// Built once per container; rebuilt when the environment was parsed anew (the local runtime's next stack).
let inbound: { env: object; deps: InboundDeps } | undefined;
function inboundDeps(app: AppDeps): InboundDeps {
  const core = envPart('core', parseCoreEnv);
  const env = envPart('inbound', parseInboundEnv);
  if (inbound?.env === env) return inbound.deps;
  if (!core.inboundDomain) throw new Error('the inbound function needs INBOUND_DOMAIN');
  const deps: InboundDeps = {
    raw: new S3RawMailStore(new S3Client({}), env.bucket),
    held: app.heldMail,
    domain: core.inboundDomain,
    intakeAddress: env.intakeAddress,
    ownAddresses: [env.intakeAddress],
    objectPrefix: INBOUND_OBJECT_PREFIX,
    ...(env.pgpKeySecretArn ? { decryptor: teamKeyOpener(secretOrNull(env.pgpKeySecretArn, 'the team OpenPGP key')) } : {}),
  };
  inbound = { env, deps };
  return deps;
}

export const handler = instrumented('inbound-mail', (event: unknown): Promise<InboundOutcome[]> => {
  const app = deps(parts);
  return receiveMail(app, inboundDeps(app), event);
});
