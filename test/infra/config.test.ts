import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { allowedOriginsOf, configKeys, coreEnvironment, publicNotesEnvironment, readConfig } from '../../lib/config.js';
import { repoRoot } from '../../lib/function-defaults.js';
import { appOutdir } from '../../lib/app-outdir.js';

// In a folder of our own (lib/app-outdir.ts): an App left to itself makes a temporary one it never removes.
const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context, outdir: appOutdir() }));

describe('deployment configuration from CDK context', () => {
  it('defaults to the CERT/CC practice: 45-day embargo at noon UTC, 48 h triage, 14-day information requests', () => {
    const config = configFrom({});
    expect(config).toMatchObject({
      senderEmail: 'cvd@example.org',
      coordinatorEmails: [],
      embargoDays: 45,
      embargoHourUtc: 12,
      triageSlaHours: 48,
      informationRequestDays: 14,
      reminderDays: 7,
      maxContactAttempts: 3,
      unresponsiveDays: 14,
      draftLeadDays: 14,
      statementReminderDays: 6,
      cveMode: 'pool',
      cveServicesUrl: 'https://cveawg.mitre.org/api',
      preferredLanguages: ['en'],
      logRetentionDays: 90,
      apiRateLimit: 50,
      apiBurstLimit: 100,
      wafEnabled: true,
      reportRateLimitPer5Min: 10,
    });
    // Links and pages default to the stack's own site, which calls the API on its own origin.
    expect(config.publicBaseUrl).toBeUndefined();
    expect(allowedOriginsOf(config)).toEqual([]);
    expect(coreEnvironment(config).PUBLIC_BASE_URL).toBeUndefined();
  });

  it('takes a site elsewhere as the CORS origin, and a custom domain only with its certificate', () => {
    const elsewhere = configFrom({ publicBaseUrl: 'https://cvd.example.org/' });
    expect(allowedOriginsOf(elsewhere)).toEqual(['https://cvd.example.org']);
    expect(coreEnvironment(elsewhere).PUBLIC_BASE_URL).toBe('https://cvd.example.org/');
    expect(() => configFrom({ siteDomainName: 'cvd.example.org' })).toThrow(/siteDomainName and siteCertificateArn go together/);
    expect(() =>
      configFrom({ siteDomainName: 'cvd.example.org', siteCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }),
    ).toThrow(/siteCertificateArn/);
    expect(() => configFrom({ signInDomainPrefix: 'Has Spaces' })).toThrow(/signInDomainPrefix/);
  });

  it('takes CORS origins by name only: a wildcard, a path or another scheme fails the synth', () => {
    expect(allowedOriginsOf(configFrom({ allowedOrigins: ['https://cvd.example.org/', 'http://localhost:5173'] }))).toEqual([
      'https://cvd.example.org',
      'http://localhost:5173',
    ]);
    for (const bad of [
      '*',
      'https://*',
      'https://*.example.org',
      'https://cvd.example.org/app',
      'https://cvd.example.org/?x=1',
      'ftp://cvd.example.org',
      'null',
    ]) {
      expect(() => configFrom({ allowedOrigins: [bad] }), bad).toThrow(/allowedOrigins/);
    }
  });

  it('accepts `cdk -c` strings as well as cdk.json values', () => {
    const config = configFrom({
      embargoDays: '30',
      coordinatorEmails: 'a@example.org, b@example.org',
      allowedOrigins: ['https://cvd.example.org', 'https://console.example.org'],
      logRetentionDays: '365',
    });
    expect(config.embargoDays).toBe(30);
    expect(config.coordinatorEmails).toEqual(['a@example.org', 'b@example.org']);
    expect(allowedOriginsOf(config)).toEqual(['https://cvd.example.org', 'https://console.example.org']);
    expect(config.logRetentionDays).toBe(365);
  });

  it('reads the WAF switch and the intake limit from `-c` strings, and refuses what WAF would not take', () => {
    expect(configFrom({ wafEnabled: 'false', reportRateLimitPer5Min: '100' })).toMatchObject({
      wafEnabled: false,
      reportRateLimitPer5Min: 100,
    });
    expect(configFrom({ wafEnabled: false }).wafEnabled).toBe(false);
    expect(configFrom({ wafEnabled: 'true' }).wafEnabled).toBe(true);
    expect(() => configFrom({ wafEnabled: 'no' })).toThrow(/wafEnabled/);
    expect(() => configFrom({ reportRateLimitPer5Min: 5 })).toThrow(/reportRateLimitPer5Min/);
  });

  it('refuses values that would break a case at run time, naming the key', () => {
    expect(() => configFrom({ embargoHourUtc: 24 })).toThrow(/embargoHourUtc/);
    expect(() => configFrom({ senderEmail: 'not an address' })).toThrow(/senderEmail/);
    expect(() => configFrom({ logRetentionDays: 42 })).toThrow(/logRetentionDays/);
    expect(() => configFrom({ draftLeadDays: 3 })).toThrow(/draftLeadDays/);
    expect(() => configFrom({ cveMode: 'cve-services' })).toThrow(/cnaShortName/);
    expect(() => configFrom({ cveMode: 'cve-services', cnaShortName: 'example' })).toThrow(/cveApiUser/);
    expect(() => configFrom({ securityPolicyUrl: 'http://cvd.example.org/policy' })).toThrow(/securityPolicyUrl/);
    expect(() => configFrom({ preferredLanguages: 'en, not a tag' })).toThrow(/preferredLanguages/);
    expect(() => configFrom({ requireCveIds: 'yes' })).toThrow(/requireCveIds/);
  });

  it('hands the handlers SCREAMING_SNAKE env vars, leaving unset optional keys out', () => {
    const env = coreEnvironment(configFrom({ coordinatorEmails: ['a@example.org', 'b@example.org'] }));
    expect(env).toMatchObject({
      COORDINATOR_EMAILS: 'a@example.org,b@example.org',
      EMBARGO_DAYS: '45',
      CVE_MODE: 'pool',
      REQUIRE_CVE_IDS: 'true',
    });
    expect(env).not.toHaveProperty('CNA_SHORT_NAME');
    expect(env).not.toHaveProperty('OSV_PREFIX');
    const cve = coreEnvironment(
      configFrom({ cveMode: 'cve-services', cnaShortName: 'example', cveApiUser: 'me@example.org', osvPrefix: 'CVD' }),
    );
    expect(cve).toMatchObject({ CVE_MODE: 'cve-services', CNA_SHORT_NAME: 'example', OSV_PREFIX: 'CVD' });
    // IDs entered by hand: publication waits for them only when asked to.
    expect(coreEnvironment(configFrom({ cveMode: 'manual' })).REQUIRE_CVE_IDS).toBe('false');
    expect(coreEnvironment(configFrom({ cveMode: 'manual', requireCveIds: 'true' })).REQUIRE_CVE_IDS).toBe('true');
  });

  it('gives security.txt its languages (English by default) and a policy page only when named', () => {
    expect(publicNotesEnvironment(configFrom({}))).toEqual({ PREFERRED_LANGUAGES: 'en' });
    expect(
      publicNotesEnvironment(configFrom({ preferredLanguages: 'en, de', securityPolicyUrl: 'https://cvd.example.org/policy' })),
    ).toEqual({
      PREFERRED_LANGUAGES: 'en, de',
      SECURITY_POLICY_URL: 'https://cvd.example.org/policy',
    });
  });
});

describe('the README', () => {
  it('lists every context key in its configuration table', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Configuration (CDK context)'), readme.indexOf('## Local runtime'));
    const listed = new Set(
      [...section.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/`([A-Za-z0-9]+)`/g)].map((k) => k[1])),
    );
    expect(configKeys.filter((key) => !listed.has(key))).toEqual([]);
  });
});
