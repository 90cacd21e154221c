// How long a report's and a request's texts and lists may be: shared by the report schema and the
// API's request bodies, apart from both so a handler that needs only the numbers gets only them.
export const LIMITS = {
  short: 200,
  email: 320,
  text: 16 * 1024,
  proofOfConcept: 64 * 1024,
  pgpKey: 16 * 1024,
  references: 50,
  vendors: 100,
  /** A participant's reason for an embargo date: it stays in the case item, so it is short. */
  embargoReason: 1000,
} as const;
