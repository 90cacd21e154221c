// Case files: their records in the case table and the private bucket (FILES_BUCKET). Only the
// functions that take uploads, hand out downloads or apply the retention rule carry the S3 client.
import { parseFilesEnv } from '../environment.js';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbAttachmentRecords } from '../adapters/attachment-records.js';
import { S3FileStore } from '../adapters/file-store.js';
import type { CaseFiles } from '../app/deps.js';
import { envPart } from './env.js';
import { part } from './parts.js';

export const s3Files = part<CaseFiles>('files', ({ client, core }) => ({
  records: new DynamoDbAttachmentRecords(client, core.caseTableName),
  store: new S3FileStore(new S3Client({}), envPart('files', parseFilesEnv).bucket),
}));
