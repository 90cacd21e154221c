// The vendor directory in the case table: only the coordinators' functions carry it.
import { DynamoDbVendorDirectory } from '../adapters/vendor-directory.js';
import { part } from './parts.js';

export const dynamoDirectory = part(null, ({ client, core }) => new DynamoDbVendorDirectory(client, core.caseTableName));
