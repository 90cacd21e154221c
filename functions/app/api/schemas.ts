// Every request body of the HTTP API (docs/api.md), for GET /openapi.json and the tests. Handlers
// import from the module of their own callers instead, so their bundles build only those schemas.
export { ReportSchema } from '../../domain/report.js';
export { MAX_MARKDOWN } from './schema-kit.js';
export * from './coordinator-bodies.js';
export * from './reporter-bodies.js';
export * from './vendor-bodies.js';
export {
  REPORTER_MESSAGE_KINDS,
  ReporterMessageBodySchema,
  VendorMessageBodySchema,
  type ReporterMessageBody,
  type VendorMessageBody,
} from './message-bodies.js';
