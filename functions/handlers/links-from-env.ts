// Private-link tokens for functions that mail participants or hand out a link (LINK_SECRET_ARN
// from LinkSecret.bind): derived from the link secret in Secrets Manager, read once per container.
import { parseLinksEnv } from '../environment.js';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type LinkKeys, hmacLinkKeys, secretsManagerSecret } from '../adapters/link-keys.js';
import { envPart } from './env.js';
import { part } from './parts.js';

export const secretLinks = part<LinkKeys>('links', () =>
  hmacLinkKeys(secretsManagerSecret(new SecretsManagerClient({}), envPart('links', parseLinksEnv).linkSecretArn)),
);
