// The vendor directory's routes of the HTTP API as data (docs/api.md, "Vendor directory"), with
// their request and response schemas; openapi-operations.ts lists them with the rest.
import * as z from 'zod/mini';
import { DirectoryVendorBodySchema, DirectoryVendorUpdateSchema } from './directory-bodies.js';
import type { Operation } from './openapi-types.js';

const NullableString = z.nullable(z.string());
const NullableNumber = z.nullable(z.number());
const Contact = z.object({ email: z.string(), name: z.optional(z.string()), pgpKey: z.optional(z.string()) });
const Summary = z.object({
  vendorRef: z.string(),
  name: z.string(),
  aliases: z.array(z.string()),
  isCna: z.boolean(),
  cnaShortName: z.optional(z.string()),
  /** How many contacts the entry holds. */
  contacts: z.number(),
  version: z.number(),
});
const Entry = z.object({
  vendorRef: z.string(),
  name: z.string(),
  aliases: z.array(z.string()),
  contacts: z.array(Contact),
  isCna: z.boolean(),
  cnaShortName: z.optional(z.string()),
  advisoryUrl: z.optional(z.string()),
  securityTxtUrl: z.optional(z.string()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const DIRECTORY_REQUESTS = {
  DirectoryVendor: DirectoryVendorBodySchema,
  DirectoryVendorUpdate: DirectoryVendorUpdateSchema,
};
export const DIRECTORY_RESPONSES = {
  DirectoryPage: z.object({ vendors: z.array(Summary), cursor: NullableString }),
  DirectoryEntry: Entry,
  DirectoryEntryWithHistory: z.extend(Entry, {
    history: z.object({
      cases: z.array(
        z.object({
          caseId: z.string(),
          title: z.string(),
          phase: z.string(),
          vendorId: z.string(),
          addedAt: z.string(),
          firstContactAt: NullableString,
          acknowledgedAt: NullableString,
          hoursToAcknowledge: NullableNumber,
          unresponsive: z.boolean(),
        }),
      ),
      acknowledged: z.number(),
      medianHoursToAcknowledge: NullableNumber,
      timesUnresponsive: z.number(),
    }),
  }),
};

const COORD_WRITE = [400, 401, 403, 404, 409, 413, 415, 429, 500];

export const DIRECTORY_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/directory/vendors',
    auth: 'coordinator',
    operationId: 'listDirectoryVendors',
    summary: 'Vendor organisations sorted by name; q keeps those whose name or an alias contains it (case-insensitive)',
    status: 200,
    response: 'DirectoryPage',
    query: [
      { name: 'q', description: 'part of a name or alias', schema: { type: 'string', maxLength: 200 } },
      { name: 'limit', description: 'page size (default 50)', schema: { type: 'integer', minimum: 1, maximum: 200 } },
      { name: 'cursor', description: 'from the previous page of the same search', schema: { type: 'string' } },
    ],
    problems: [400, 401, 403, 429, 500],
  },
  {
    method: 'post',
    path: '/directory/vendors',
    auth: 'coordinator',
    operationId: 'createDirectoryVendor',
    summary: 'Add an organisation; 409 when another already goes by its name or one of its aliases',
    request: 'DirectoryVendor',
    status: 201,
    response: 'DirectoryEntry',
    problems: COORD_WRITE,
  },
  {
    method: 'get',
    path: '/directory/vendors/{vendorRef}',
    auth: 'coordinator',
    operationId: 'getDirectoryVendor',
    summary: 'An organisation and its history across cases (the newest 50): phase, time to acknowledge, unresponsive or not',
    status: 200,
    response: 'DirectoryEntryWithHistory',
    problems: [401, 403, 404, 429, 500],
  },
  {
    method: 'put',
    path: '/directory/vendors/{vendorRef}',
    auth: 'coordinator',
    operationId: 'updateDirectoryVendor',
    summary: 'Replace an organisation with the version read (409 when it changed since); cases it is on keep their own copy',
    request: 'DirectoryVendorUpdate',
    status: 200,
    response: 'DirectoryEntry',
    problems: COORD_WRITE,
  },
];
