// The note store and the CVE ID sources, for the few functions that publish or assign CVE IDs:
// kept out of runtime.ts so that every other bundle goes without them.
import { parseCveServicesEnv } from '../environment.js';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDbCvePool } from '../adapters/cve-pool.js';
import { HttpCveServices } from '../adapters/cve-services.js';
import { secretsManagerSecret } from '../adapters/link-keys.js';
import { DynamoDbNoteStore, type NoteStore } from '../adapters/note-store.js';
import type { AppDeps } from '../app/deps.js';
import { PublicationBlocked } from '../domain/publication/validate.js';
import { envPart } from './env.js';
import { part } from './parts.js';

export const dynamoNotes = part<NoteStore>(null, ({ client, core }) => new DynamoDbNoteStore({ client, tableName: core.caseTableName }));

/**
 * The API key from its secret, read on first use and kept for the container. The stack creates the
 * secret empty, so until the operator puts the key the case is blocked and the coordinators told how.
 */
function cveApiKey(secretArn: string): () => Promise<string> {
  const read = secretsManagerSecret(new SecretsManagerClient({}), secretArn, 'the CVE Services API key secret');
  return async () => {
    try {
      return await read();
    } catch (e) {
      if (e instanceof Error && e.name === 'ResourceNotFoundException')
        throw new PublicationBlocked([
          `the CVE Services API key secret has no value: put the key with aws secretsmanager put-secret-value --secret-id ${secretArn} --secret-string <key>`,
        ]);
      throw e;
    }
  };
}

/** CVE_MODE pool: the CNA's pool in the case table; cve-services: the CVE Services client; manual: neither. */
export const cveSources = part<Pick<AppDeps, 'pool' | 'cveServices'>>('cveServices', ({ client, core }) => {
  if (core.cveMode === 'pool') return { pool: new DynamoDbCvePool({ client, tableName: core.caseTableName }) };
  const cve = envPart('cveServices', parseCveServicesEnv);
  // parseCoreEnv refuses cve-services without CNA_SHORT_NAME, the CVE-API-ORG.
  if (cve === null || core.cnaShortName === undefined) return {};
  return {
    cveServices: new HttpCveServices({ endpoint: cve.url, org: core.cnaShortName, user: cve.user, apiKey: cveApiKey(cve.apiKeySecretArn) }),
  };
});
