// The handlers' one parser of their environment (functions/environment.ts): defaults where the
// contract allows them, and an error naming the variable for anything else.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy, policyEnvName } from '../../functions/domain/policy.js';
import {
  ENV_VARS,
  EnvError,
  type EnvVars,
  envVarNames,
  envVarsRead,
  parseCoreEnv,
  parseCveServicesEnv,
  parseEnv,
  parseHttpEnv,
  parseLinksEnv,
  parseMailEnv,
  parsePublicNotesEnv,
} from '../../functions/environment.js';
import { envPart, forgetEnv } from '../../functions/handlers/env.js';
import { sfnTaskSignals } from '../../functions/handlers/signals-from-env.js';

const CORE: EnvVars = { CASE_TABLE_NAME: 'cases' };
const CVE: EnvVars = {
  CVE_MODE: 'cve-services',
  CNA_SHORT_NAME: 'examplecert',
  CVE_SERVICES_URL: 'https://cveawg-test.mitre.org/api',
  CVE_API_USER: 'bot@cert.example',
  CVE_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:key-AbC123',
};

const failure = (f: () => unknown): EnvError => {
  try {
    f();
  } catch (e) {
    if (e instanceof EnvError) return e;
    throw e;
  }
  throw new Error('no EnvError');
};

describe('the handler environment', () => {
  it('lists every policy value under its own variable', () => {
    const policyVars = (Object.keys(DEFAULT_POLICY) as (keyof Policy)[]).map(policyEnvName);
    expect(policyVars.filter((name) => !(envVarNames as string[]).includes(name))).toEqual([]);
  });

  it('defaults what it may: manual CVE IDs, minimal mail, the policy, the local URL', () => {
    expect(parseCoreEnv(CORE)).toEqual({
      caseTableName: 'cases',
      cveMode: 'manual',
      mailDetail: 'minimal',
      publicBaseUrl: 'http://localhost:3000',
      coordinatorEmails: [],
      coordinatorName: 'CVD Coordinator',
      cveOrgId: '',
      osvPrefix: 'CVD',
      requireCveIds: false,
      policy: DEFAULT_POLICY,
    });
    expect(parseCoreEnv({ ...CORE, CVE_MODE: 'pool' }).requireCveIds).toBe(true);
    expect(parseCoreEnv({ ...CORE, CVE_MODE: 'pool', REQUIRE_CVE_IDS: 'false' }).requireCveIds).toBe(false);
    // '' is unset: the local runtime clears variables that way.
    expect(parseCoreEnv({ ...CORE, CVE_MODE: '', MAIL_DETAIL: ' ', EMBARGO_DAYS: '' })).toMatchObject({
      cveMode: 'manual',
      mailDetail: 'minimal',
    });
    expect(parsePublicNotesEnv({})).toEqual({ preferredLanguages: 'en' });
    expect(parseHttpEnv({})).toEqual({ allowedOrigins: [] });
  });

  it('reads lists, URLs and names as the stack writes them', () => {
    expect(
      parseCoreEnv({
        ...CORE,
        PUBLIC_BASE_URL: 'https://cvd.example.org/',
        COORDINATOR_EMAILS: 'a@example.org, b@example.org',
        EMBARGO_DAYS: '30',
        CVE_ORG_ID: 'B3476CB9-2E3D-41A6-98D0-0F47421A65B6',
      }),
    ).toMatchObject({
      publicBaseUrl: 'https://cvd.example.org',
      coordinatorEmails: ['a@example.org', 'b@example.org'],
      policy: { embargoDays: 30 },
    });
    expect(parsePublicNotesEnv({ PREFERRED_LANGUAGES: 'en,de-AT', SECURITY_POLICY_URL: 'https://cvd.example.org/policy' })).toEqual({
      preferredLanguages: 'en, de-AT',
      securityPolicyUrl: 'https://cvd.example.org/policy',
    });
    expect(parseHttpEnv({ ALLOWED_ORIGINS: 'https://a.example.org,http://localhost:5173' }).allowedOrigins).toHaveLength(2);
    expect(parseMailEnv({ MAIL_FROM: 'cvd@example.org', MAIL_CONFIGURATION_SET: '' })).toEqual({ mailFrom: 'cvd@example.org' });
  });

  it('names the variable, and what it must be, on a bad or missing value', () => {
    const cases: [() => unknown, string, RegExp][] = [
      [() => parseCoreEnv({}), 'CASE_TABLE_NAME', /is not set/],
      [() => parseCoreEnv({ ...CORE, CVE_MODE: 'pol' }), 'CVE_MODE', /must be one of pool, cve-services, manual, got "pol"/],
      [() => parseCoreEnv({ ...CORE, MAIL_DETAIL: 'all' }), 'MAIL_DETAIL', /must be one of minimal, full/],
      [() => parseCoreEnv({ ...CORE, PUBLIC_BASE_URL: 'cvd.example.org' }), 'PUBLIC_BASE_URL', /must be an https or http URL/],
      [() => parseCoreEnv({ ...CORE, COORDINATOR_EMAILS: 'a@example.org,nobody' }), 'COORDINATOR_EMAILS', /got "nobody"/],
      [() => parseCoreEnv({ ...CORE, CVE_ORG_ID: 'example' }), 'CVE_ORG_ID', /must be a UUID/],
      [() => parseCoreEnv({ ...CORE, OSV_PREFIX: 'x_CVD' }), 'OSV_PREFIX', /capital letters/],
      [() => parseCoreEnv({ ...CORE, REQUIRE_CVE_IDS: 'yes' }), 'REQUIRE_CVE_IDS', /must be true or false/],
      [() => parseCoreEnv({ ...CORE, EMBARGO_DAYS: 'soon' }), 'EMBARGO_DAYS', /must be a non-negative number, got "soon"/],
      [() => parseCoreEnv({ ...CORE, EMBARGO_HOUR_UTC: '24' }), 'EMBARGO_HOUR_UTC', /0\.\.23/],
      [() => parseCoreEnv({ ...CORE, CVE_MODE: 'cve-services' }), 'CNA_SHORT_NAME', /must be set when CVE_MODE is cve-services/],
      [() => parseHttpEnv({ ALLOWED_ORIGINS: 'https://cvd.example.org/app' }), 'ALLOWED_ORIGINS', /origins/],
      [() => parseMailEnv({}), 'MAIL_FROM', /is not set/],
      [() => parseLinksEnv({ LINK_SECRET_ARN: 'my-secret' }), 'LINK_SECRET_ARN', /must be an ARN/],
      [() => parsePublicNotesEnv({ SECURITY_POLICY_URL: 'http://cvd.example.org/policy' }), 'SECURITY_POLICY_URL', /must be an https URL/],
      [() => parsePublicNotesEnv({ PREFERRED_LANGUAGES: 'en, Deutsch bitte' }), 'PREFERRED_LANGUAGES', /language tags/],
      [() => parseCveServicesEnv({ ...CVE, CVE_API_USER: undefined }), 'CVE_API_USER', /is not set/],
      [() => parseCveServicesEnv({ ...CVE, CVE_SERVICES_URL: undefined }), 'CVE_SERVICES_URL', /is not set/],
      [() => parseCveServicesEnv({ ...CVE, CVE_API_KEY_SECRET_ARN: 'the-key' }), 'CVE_API_KEY_SECRET_ARN', /must be an ARN/],
    ];
    for (const [parse, variable, problem] of cases) {
      const e = failure(parse);
      expect(e.variable, variable).toBe(variable);
      expect(e.message, variable).toMatch(new RegExp(`^invalid handler environment: ${variable} `));
      expect(e.message, variable).toMatch(problem);
    }
  });

  it('reads CVE Services settings only in cve-services mode', () => {
    expect(parseCveServicesEnv({ ...CVE, CVE_MODE: 'pool' })).toBeNull();
    expect(parseCveServicesEnv(CVE)).toEqual({
      url: CVE.CVE_SERVICES_URL,
      user: CVE.CVE_API_USER,
      apiKeySecretArn: CVE.CVE_API_KEY_SECRET_ARN,
    });
    expect(envVarsRead(['cveServices'], 'pool')).toEqual([]);
    expect(envVarsRead(['cveServices'], 'cve-services')).toEqual(['CVE_SERVICES_URL', 'CVE_API_USER', 'CVE_API_KEY_SECRET_ARN']);
    expect(parseEnv({ ...CORE, ...CVE }, ['core', 'cveServices'])).toMatchObject({
      core: { cnaShortName: 'examplecert' },
      cveServices: { user: 'bot@cert.example' },
    });
  });

  it("keeps the CVE Services key and the team's OpenPGP keys out of the environment: only their secrets' ARNs are variables", () => {
    expect(envVarNames.filter((name) => /KEY/.test(name))).toEqual([
      'PGP_KEY_SECRET_ARN',
      'PGP_PUBLIC_KEY_SECRET_ARN',
      'CVE_API_KEY_SECRET_ARN',
      'INBOUND_PGP_KEY_SECRET_ARN',
    ]);
    expect(ENV_VARS.CVE_API_KEY_SECRET_ARN.part).toBe('cveServices');
    // The private key goes with mail (the functions that sign and encrypt), the public one with the public routes.
    expect(ENV_VARS.PGP_KEY_SECRET_ARN.part).toBe('mail');
    expect(ENV_VARS.PGP_PUBLIC_KEY_SECRET_ARN.part).toBe('publicNotes');
    // The function receiving mail opens encrypted mail with the same private key, under its own part.
    expect(ENV_VARS.INBOUND_PGP_KEY_SECRET_ARN.part).toBe('inbound');
  });

  it('reads the OpenPGP secrets as optional ARNs', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pgp-AbC123';
    expect(parseMailEnv({ MAIL_FROM: 'cvd@cert.example', PGP_KEY_SECRET_ARN: arn }).pgpKeySecretArn).toBe(arn);
    expect(parseMailEnv({ MAIL_FROM: 'cvd@cert.example' }).pgpKeySecretArn).toBeUndefined();
    expect(() => parseMailEnv({ MAIL_FROM: 'cvd@cert.example', PGP_KEY_SECRET_ARN: 'the-key' })).toThrow(
      /PGP_KEY_SECRET_ARN must be an ARN/,
    );
    expect(parsePublicNotesEnv({ PGP_PUBLIC_KEY_SECRET_ARN: arn }).pgpPublicKeySecretArn).toBe(arn);
  });
});

describe('the parsed environment of a container', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    forgetEnv();
  });

  it('is parsed once, and again only after forgetEnv', () => {
    process.env.ALLOWED_ORIGINS = 'https://a.example.org';
    forgetEnv();
    expect(envPart('http', parseHttpEnv).allowedOrigins).toEqual(['https://a.example.org']);
    process.env.ALLOWED_ORIGINS = 'https://b.example.org';
    expect(envPart('http', parseHttpEnv).allowedOrigins).toEqual(['https://a.example.org']);
    forgetEnv();
    expect(envPart('http', parseHttpEnv).allowedOrigins).toEqual(['https://b.example.org']);
  });

  it('fails every time on a bad value rather than caching the failure', () => {
    process.env.ALLOWED_ORIGINS = '*';
    forgetEnv();
    expect(() => envPart('http', parseHttpEnv)).toThrow(/ALLOWED_ORIGINS/);
    expect(() => envPart('http', parseHttpEnv)).toThrow(/ALLOWED_ORIGINS/);
  });

  it('gives await-signal task signals that cannot start an execution', async () => {
    await expect(sfnTaskSignals({} as never).start('x', {})).rejects.toThrow(/starts no executions/);
  });
});
