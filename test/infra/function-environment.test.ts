// The stack and the handlers agree on every function's environment: synthesized in each CVE mode,
// with and without the optional keys, each function gets exactly the variables its handler reads
// (the parts its entry exports as `reads`), and the handlers' own parser takes every value.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CveMode,
  ENV_VARS,
  type EnvPart,
  type EnvVarName,
  type EnvVarSpec,
  envVarNames,
  envVarsRead,
  parseEnv,
} from '../../functions/environment.js';
import type { CfnTemplate } from '../../lib/asl.js';
import { configKeys } from '../../lib/config.js';
import { repoRoot } from '../../lib/function-defaults.js';
import { functionEnvParts } from '../../lib/function-environment.js';
import { ALL_HANDLERS, handlerEntry } from '../../lib/handlers.js';
import { type HandlerName, readsLinkSecret, tableAccess } from '../../lib/table-access.js';
import { functionOf } from '../builders/table-permissions.js';
import { SYNTH_DEFAULT_CONTEXT, isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

const HANDLERS: HandlerName[] = [...ALL_HANDLERS];
const CVE_FUNCTIONS: HandlerName[] = ['assign-cve-ids', 'publish-cve-records'];
const CVE_VARS: EnvVarName[] = ['CVE_SERVICES_URL', 'CVE_API_USER', 'CVE_API_KEY_SECRET_ARN'];

const entryOf = handlerEntry;

/** Every optional context key that feeds a variable, set. */
const EVERY_KEY = {
  publicBaseUrl: 'https://cvd.example.org',
  allowedOrigins: 'https://console.example.org',
  coordinatorEmails: 'a@example.org,b@example.org',
  coordinatorName: 'Example CERT',
  cveOrgId: 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6',
  cnaShortName: 'EXAMPLE',
  osvPrefix: 'EXCERT',
  requireCveIds: 'false',
  securityPolicyUrl: 'https://cvd.example.org/policy',
  preferredLanguages: 'en, de',
  mailDetail: 'full',
  senderEmail: 'cvd@mail.example.org',
  embargoDays: '30',
};
const CVE_SERVICES = { cveMode: 'cve-services', cnaShortName: 'EXAMPLE', cveApiUser: 'cna-bot@example.org' };

const CASES: { name: string; mode: CveMode; context: Record<string, string> }[] = [
  { name: 'pool, defaults', mode: 'pool', context: {} },
  { name: 'pool, every optional key', mode: 'pool', context: EVERY_KEY },
  { name: 'manual', mode: 'manual', context: { cveMode: 'manual' } },
  { name: 'manual, every optional key', mode: 'manual', context: { ...EVERY_KEY, cveMode: 'manual' } },
  { name: 'cve-services', mode: 'cve-services', context: CVE_SERVICES },
  {
    name: 'cve-services, every optional key',
    mode: 'cve-services',
    context: { ...EVERY_KEY, ...CVE_SERVICES, cveServicesUrl: 'https://cveawg-test.mitre.org/api' },
  },
];

const synths = new Map<string, Synthesized>();
const synthOf = (name: string): Synthesized => {
  const found = synths.get(name);
  if (!found) throw new Error(`not synthesized: ${name}`);
  return found;
};
const reads = new Map<HandlerName, EnvPart[]>();

beforeAll(async () => {
  for (const c of CASES) synths.set(c.name, synthesize({ context: c.context }));
  // The handlers' own declaration: importing an entry parses nothing (that happens on first use).
  for (const name of HANDLERS) {
    const entry = (await import(/* @vite-ignore */ pathToFileURL(path.join(repoRoot, entryOf(name))).href)) as { reads?: unknown };
    if (!Array.isArray(entry.reads)) throw new Error(`${entryOf(name)} exports no reads`);
    reads.set(name, entry.reads as EnvPart[]);
  }
}, 240_000);

/** What CloudFormation would resolve a reference to, in a plausible shape. */
function resolve(template: CfnTemplate, value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.Ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Region': 'eu-west-1',
      'AWS::AccountId': '123456789012',
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const id = value.Ref;
    if (pseudo[id]) return pseudo[id];
    const type = template.Resources?.[id]?.Type;
    if (type === 'AWS::SecretsManager::Secret') return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-AbC123`;
    if (type === 'AWS::StepFunctions::StateMachine') return `arn:aws:states:eu-west-1:123456789012:stateMachine:${id}`;
    // CloudFormation names a bucket from the stack and logical id, lower-cased.
    if (type === 'AWS::S3::Bucket') return `cvdstack-${id.toLowerCase()}-1a2b3c4d5e6f`;
    return `${id}-1A2B3C`;
  }
  if (isRecord(value) && Array.isArray(value['Fn::GetAtt'])) {
    const [id, attribute] = value['Fn::GetAtt'] as [string, string];
    if (attribute === 'DomainName') return 'd111111abcdef8.cloudfront.net';
    if (attribute === 'Arn') return `arn:aws:${id.toLowerCase()}:eu-west-1:123456789012:${id}`;
    return `${id}-${attribute}`;
  }
  if (isRecord(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(template, part)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** A function's variables as the template gives them; NODE_OPTIONS is Node's own, not the handler's. */
function templateEnv(synth: Synthesized, name: HandlerName): Record<string, unknown> {
  const env = synth.json.Resources?.[functionOf(synth.json, name)]?.Properties?.Environment;
  const vars = isRecord(env) && isRecord(env.Variables) ? { ...env.Variables } : {};
  delete vars.NODE_OPTIONS;
  return vars;
}

const resolvedEnv = (synth: Synthesized, name: HandlerName): Record<string, string> =>
  Object.fromEntries(Object.entries(templateEnv(synth, name)).map(([k, v]) => [k, resolve(synth.json, v)]));

const sorted = <T>(xs: Iterable<T>): T[] => [...xs].sort();

describe('the contract', () => {
  it('names only context keys that lib/config.ts reads', () => {
    for (const name of envVarNames) {
      const spec: EnvVarSpec = ENV_VARS[name];
      if (spec.context !== undefined) expect(configKeys, name).toContain(spec.context);
    }
  });

  it('gives each function the parts its handler declares, and the grants agree', () => {
    for (const name of HANDLERS) {
      expect(sorted(reads.get(name) ?? []), name).toEqual(sorted(functionEnvParts[name]));
      // Parts come with their grants: the table, the link secret.
      expect(functionEnvParts[name].includes('core'), name).toBe(tableAccess[name].length > 0);
      expect(functionEnvParts[name].includes('links'), name).toBe(readsLinkSecret(name));
    }
    expect(HANDLERS.filter((name) => functionEnvParts[name].includes('cveServices'))).toEqual(CVE_FUNCTIONS);
  });
});

describe.each(CASES)('synthesized with $name', ({ name: caseName, mode, context }) => {
  it('gives every function exactly the variables its handler reads', () => {
    const synth = synthOf(caseName);
    expect(synth.stack.config.cveMode).toBe(mode);
    for (const name of HANDLERS) {
      const parts = functionEnvParts[name];
      const given = Object.keys(templateEnv(synth, name)) as EnvVarName[];
      const read = envVarsRead(parts, mode);
      const expected = read.filter((v) => {
        const spec: EnvVarSpec = ENV_VARS[v];
        return (
          spec.stack === 'always' ||
          (spec.stack === 'configured' && spec.context !== undefined && (spec.context in context || spec.context in SYNTH_DEFAULT_CONTEXT))
        );
      });
      // Nothing the handler does not read, nothing it reads left out (but the deliberate defaults).
      expect(
        given.filter((v) => !read.includes(v)),
        `${name} gets variables it does not read`,
      ).toEqual([]);
      expect(
        expected.filter((v) => !given.includes(v)),
        `${name} lacks variables`,
      ).toEqual([]);
      expect(
        given.filter((v) => !expected.includes(v)),
        `${name} gets variables not meant for it`,
      ).toEqual([]);
    }
  });

  it("sets values the handlers' parser takes", () => {
    const synth = synthOf(caseName);
    for (const name of HANDLERS) {
      const parsed = parseEnv(resolvedEnv(synth, name), functionEnvParts[name]);
      if (parsed.core) {
        expect(parsed.core.cveMode, name).toBe(mode);
        expect(parsed.core.requireCveIds, name).toBe('requireCveIds' in context ? context.requireCveIds === 'true' : mode !== 'manual');
        expect(parsed.core.publicBaseUrl, name).toBe(context.publicBaseUrl ?? 'https://d111111abcdef8.cloudfront.net');
        expect(parsed.core.policy.embargoDays, name).toBe(Number(context.embargoDays ?? 45));
        expect(parsed.core.cnaShortName, name).toBe(context.cnaShortName);
      }
      if (parsed.cveServices !== undefined) expect(parsed.cveServices === null, name).toBe(mode !== 'cve-services');
      if (parsed.publicNotes) expect(parsed.publicNotes.preferredLanguages).toBe(context.preferredLanguages ?? 'en');
      if (parsed.mail) expect(parsed.mail.mailFrom).toBe(context.senderEmail ?? 'cvd@example.org');
    }
  });
});

/** The logical ids of the CVE Services key's secret (none unless cveMode is cve-services). */
const cveKeySecrets = (synth: Synthesized): string[] =>
  resourcesOfType(synth.json, 'AWS::SecretsManager::Secret')
    .map(([id]) => id)
    .filter((id) => id.startsWith('CveServicesKey'));

/** Whether a function's role may read the secret `secretId`. */
function readsSecret(synth: Synthesized, name: HandlerName, secretId: string): boolean {
  const fn = synth.json.Resources?.[functionOf(synth.json, name)];
  const roleId = /"Fn::GetAtt":\["([^"]+)"/.exec(JSON.stringify(fn?.Properties?.Role ?? ''))?.[1] ?? '';
  return resourcesOfType(synth.json, 'AWS::IAM::Policy').some(([, p]) => {
    const props = p.Properties ?? {};
    if (!JSON.stringify(props.Roles ?? '').includes(`"${roleId}"`)) return false;
    const statements = (props.PolicyDocument as { Statement?: { Action?: unknown; Resource?: unknown }[] } | undefined)?.Statement ?? [];
    return statements.some(
      (s) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(`"${secretId}"`),
    );
  });
}

describe('the CVE Services key', () => {
  it('exists only in cveMode cve-services, as a secret without a value for the operator to fill', () => {
    for (const c of CASES) {
      const synth = synthOf(c.name);
      const secrets = cveKeySecrets(synth);
      expect(secrets, c.name).toHaveLength(c.mode === 'cve-services' ? 1 : 0);
      for (const id of secrets) {
        const props = synth.json.Resources?.[id]?.Properties ?? {};
        expect(props.GenerateSecretString, c.name).toBeUndefined();
        expect(props.SecretString, c.name).toBeUndefined();
        synth.template.hasOutput('CveServicesKeySecretArn', { Value: { Ref: id } });
      }
    }
  });

  it('is given, with the endpoint and the user, to exactly the functions that call CVE Services, and readable by them alone', () => {
    for (const c of CASES) {
      const synth = synthOf(c.name);
      const [secretId] = cveKeySecrets(synth);
      for (const name of HANDLERS) {
        const env = templateEnv(synth, name);
        const calls = c.mode === 'cve-services' && CVE_FUNCTIONS.includes(name);
        for (const v of CVE_VARS) expect(v in env, `${c.name}: ${name} ${v}`).toBe(calls);
        if (secretId !== undefined) expect(readsSecret(synth, name, secretId), `${c.name}: ${name}`).toBe(calls);
        if (calls) {
          expect(env.CVE_API_KEY_SECRET_ARN).toEqual({ Ref: secretId });
          expect(env.CVE_API_USER).toBe(CVE_SERVICES.cveApiUser);
          expect(env.CVE_SERVICES_URL).toBe(c.context.cveServicesUrl ?? 'https://cveawg.mitre.org/api');
        }
      }
    }
  });

  it('keeps cdk-nag clean in cveMode cve-services', () => {
    for (const c of CASES.filter((x) => x.mode === 'cve-services')) {
      const findings = [
        ...synthOf(c.name).annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
        ...synthOf(c.name).annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ];
      expect(
        findings.map((f) => `${f.id}: ${String(f.entry.data)}`),
        c.name,
      ).toEqual([]);
    }
  });
});
