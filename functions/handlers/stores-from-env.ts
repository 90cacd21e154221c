// The note store and the CVE ID sources, for the few functions that publish or assign CVE IDs:
// kept out of runtime.ts so that every other bundle goes without them.
import { DynamoDbCvePool } from '../adapters/cve-pool.js';
import { cveServicesFromEnv } from '../adapters/cve-services.js';
import { DynamoDbNoteStore, type NoteStore } from '../adapters/note-store.js';
import type { AppDeps } from '../app/deps.js';
import type { PartContext } from './runtime.js';

export const dynamoNotes = ({ client, tableName }: PartContext): NoteStore => new DynamoDbNoteStore({ client, tableName });

/** CVE_MODE pool: the CNA's pool in the case table; cve-services: the CVE Services client (CVE_API_*). */
export function cveSources({ env, client, tableName, cveMode }: PartContext): Pick<AppDeps, 'pool' | 'cveServices'> {
  if (cveMode === 'pool') return { pool: new DynamoDbCvePool({ client, tableName }) };
  const cveServices = cveMode === 'cve-services' ? cveServicesFromEnv(env) : null;
  return cveServices ? { cveServices } : {};
}
