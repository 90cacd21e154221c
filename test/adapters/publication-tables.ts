// A fresh table for the publication adapters: the layout of table-layout.ts, feed index included.
import type { LocalDynamo } from './dynalite.js';

export const createPublicationTable = (dynamo: LocalDynamo): Promise<string> => dynamo.createTable();
