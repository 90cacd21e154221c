// Private-link tokens for functions that mail participants or hand out a link (LINK_SECRET_ARN
// from bindLinkSecret): derived from the link secret in Secrets Manager, read once per container.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type LinkKeys, hmacLinkKeys, secretsManagerSecret } from '../adapters/link-keys.js';
import type { Env } from './runtime.js';

export const secretLinks = (env: Env): LinkKeys => {
  const arn = env.LINK_SECRET_ARN;
  if (!arn) throw new Error('invalid handler environment: LINK_SECRET_ARN is not set');
  return hmacLinkKeys(secretsManagerSecret(new SecretsManagerClient({}), arn));
};
