// Builds the use cases' dependencies from the environment, once per Lambda container (module
// scope, reused across invocations). Locally the SDK's AWS_ENDPOINT_URL_* variables point the
// same clients at the emulators: no local-only code here.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';
import { DynamoDbCaseStore } from '../adapters/dynamodb-event-store.js';
import { newToken } from '../adapters/event-store.js';
import { SesMailer } from '../adapters/mailer.js';
import { SfnSignals } from '../adapters/signals.js';
import { type AppDeps, caseProjection } from '../app/deps.js';
import { loadPolicy } from '../domain/policy.js';

const EnvSchema = z.object({
  CASE_TABLE_NAME: z.string().check(z.minLength(1)),
  MAIL_FROM: z._default(z.string(), 'cvd@example.org'),
  MAIL_CONFIGURATION_SET: z.optional(z.string()),
  STATE_MACHINE_ARN: z._default(z.string(), ''),
  PUBLIC_BASE_URL: z._default(z.string(), 'http://localhost:3000'),
  COORDINATOR_EMAILS: z._default(z.string(), ''),
  CVE_MODE: z._default(z.enum(['pool', 'cve-services', 'manual']), 'manual'),
});

let cached: AppDeps | undefined;

/** The dependencies for this container; `now` can be replaced (the local runtime's virtual clock). */
export function deps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid handler environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const policy = loadPolicy(env);
  cached = {
    store: new DynamoDbCaseStore({ client: new DynamoDBClient({}), tableName: e.CASE_TABLE_NAME, projection: caseProjection(policy) }),
    mailer: new SesMailer(new SESClient({}), e.MAIL_FROM, e.MAIL_CONFIGURATION_SET || undefined),
    signals: new SfnSignals(new SFNClient({}), e.STATE_MACHINE_ARN),
    policy,
    config: {
      publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
      coordinatorEmails: e.COORDINATOR_EMAILS.split(',').map((x) => x.trim()).filter(Boolean),
      cveMode: e.CVE_MODE,
    },
    now: () => clock(),
    newToken,
  };
  return cached;
}

let clock: () => string = () => new Date().toISOString();

/** Lets an embedding process (the local runtime) drive time; Lambda never calls it. */
export function setClock(now: () => string): void {
  clock = now;
}
