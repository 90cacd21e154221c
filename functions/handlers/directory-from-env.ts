// The vendor directory and the held mail, in the case table: only the coordinators' functions (and,
// for held mail, the inbound one) carry them.
import { DynamoDbHeldMail } from '../adapters/inbound-mail-store.js';
import { DynamoDbVendorDirectory } from '../adapters/vendor-directory.js';
import { part } from './parts.js';

export const dynamoDirectory = part(null, ({ client, core }) => new DynamoDbVendorDirectory(client, core.caseTableName));

export const dynamoHeldMail = part(null, ({ client, core }) => new DynamoDbHeldMail(client, core.caseTableName));
