import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { allowedOriginsOf, handlerEnvironment, readConfig } from '../../lib/config.js';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }));

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
      logRetentionDays: 90,
      apiRateLimit: 50,
      apiBurstLimit: 100,
      wafEnabled: true,
      reportRateLimitPer5Min: 10,
    });
    // Links and pages default to the stack's own site, which calls the API on its own origin.
    expect(config.publicBaseUrl).toBeUndefined();
    expect(allowedOriginsOf(config)).toEqual([]);
    expect(handlerEnvironment(config).PUBLIC_BASE_URL).toBeUndefined();
  });

  it('takes a site elsewhere as the CORS origin, and a custom domain only with its certificate', () => {
    const elsewhere = configFrom({ publicBaseUrl: 'https://cvd.example.org/' });
    expect(allowedOriginsOf(elsewhere)).toEqual(['https://cvd.example.org']);
    expect(handlerEnvironment(elsewhere).PUBLIC_BASE_URL).toBe('https://cvd.example.org/');
    expect(() => configFrom({ siteDomainName: 'cvd.example.org' })).toThrow(/siteDomainName and siteCertificateArn go together/);
    expect(() => configFrom({ siteDomainName: 'cvd.example.org', siteCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' })).toThrow(/siteCertificateArn/);
    expect(() => configFrom({ signInDomainPrefix: 'Has Spaces' })).toThrow(/signInDomainPrefix/);
  });

  it('takes CORS origins by name only: a wildcard, a path or another scheme fails the synth', () => {
    expect(allowedOriginsOf(configFrom({ allowedOrigins: ['https://cvd.example.org/', 'http://localhost:5173'] }))).toEqual(['https://cvd.example.org', 'http://localhost:5173']);
    for (const bad of ['*', 'https://*', 'https://*.example.org', 'https://cvd.example.org/app', 'https://cvd.example.org/?x=1', 'ftp://cvd.example.org', 'null']) {
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
    expect(configFrom({ wafEnabled: 'false', reportRateLimitPer5Min: '100' })).toMatchObject({ wafEnabled: false, reportRateLimitPer5Min: 100 });
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
  });

  it('hands the handlers SCREAMING_SNAKE env vars, leaving unset optional keys out', () => {
    const env = handlerEnvironment(configFrom({ coordinatorEmails: ['a@example.org', 'b@example.org'] }));
    expect(env).toMatchObject({ COORDINATOR_EMAILS: 'a@example.org,b@example.org', EMBARGO_DAYS: '45', CVE_MODE: 'pool' });
    expect(env).not.toHaveProperty('CNA_SHORT_NAME');
    expect(env).not.toHaveProperty('OSV_PREFIX');
    const cve = handlerEnvironment(configFrom({ cveMode: 'cve-services', cnaShortName: 'example', osvPrefix: 'CVD' }));
    expect(cve).toMatchObject({ CVE_MODE: 'cve-services', CNA_SHORT_NAME: 'example', OSV_PREFIX: 'CVD' });
  });
});
