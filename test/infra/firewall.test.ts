// The WAF by default (lib/firewall.ts): the API answers only through CloudFront (a secret origin
// header the regional web ACL requires), POST /reports is limited per client address on the API
// and, where the region allows, at the edge; the switches and existing ACLs behave as documented.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_MANAGED_RULES, ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER, viewerIpFunctionCode } from '../../lib/firewall.js';
import { apiPathPatterns } from '../../lib/web-site.js';
import { isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

type Json = Record<string, unknown>;

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const record = (v: unknown): Json => (isRecord(v) ? v : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);
/** The whole template, Conditions and Outputs included. */
const raw = (s: Synthesized): Json => record(s.template.toJSON());

function webAcls(s: Synthesized, scope: 'REGIONAL' | 'CLOUDFRONT') {
  return resourcesOfType(s.json, 'AWS::WAFv2::WebACL').filter(([, r]) => r.Properties?.Scope === scope);
}
function onlyAcl(s: Synthesized, scope: 'REGIONAL' | 'CLOUDFRONT') {
  const found = webAcls(s, scope);
  expect(
    found.map(([id]) => id),
    scope,
  ).toHaveLength(1);
  const id = found[0]?.[0] ?? '';
  const resource = record(record(raw(s).Resources)[id]);
  return { id, resource, rules: list(record(resource.Properties).Rules) };
}
const rule = (rules: Json[], name: string): Json => {
  const found = rules.find((r) => r.Name === name);
  expect(found, name).toBeDefined();
  return found ?? {};
};
const distributionConfig = (s: Synthesized): Json =>
  record(resourcesOfType(s.json, 'AWS::CloudFront::Distribution')[0]?.[1].Properties?.DistributionConfig);
const apiOrigin = (s: Synthesized): Json => {
  const origins = list(distributionConfig(s).Origins);
  const api = origins.find((o) => JSON.stringify(o.DomainName).includes('.execute-api.'));
  expect(api).toBeDefined();
  return api ?? {};
};
const nagFindings = (s: Synthesized): string[] =>
  [
    ...s.annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...s.annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map((f) => `${f.id}: ${String(f.entry.data)}`);

/** The secret value as the template has it: a dynamic reference to the generated secret, resolved at deploy time. */
function secretReference(s: Synthesized): unknown {
  // The link secret (lib/link-secret.ts) and the team's OpenPGP keys (lib/pgp-key.ts) are the others.
  const [[secretId, secret] = ['', undefined]] = resourcesOfType(s.json, 'AWS::SecretsManager::Secret').filter(
    ([id]) => !id.startsWith('LinkSecret') && !id.startsWith('PgpKey'),
  );
  expect(secret?.Properties).toMatchObject({ GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } });
  expect(secret?.Properties?.SecretString).toBeUndefined();
  return { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] };
}

/** The rate-based rule's scope: POST, and a path regex that must match /reports with or without the stage. */
function expectPostReportsScope(statement: unknown): void {
  const and = list(record(record(statement).AndStatement).Statements);
  expect(and).toHaveLength(2);
  expect(and[0]).toEqual({
    ByteMatchStatement: {
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: 'POST',
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    },
  });
  const regex = record(and[1]?.RegexMatchStatement);
  expect(regex.FieldToMatch).toEqual({ UriPath: {} });
  expect(regex.TextTransformations).toEqual([
    { Priority: 0, Type: 'URL_DECODE' },
    { Priority: 1, Type: 'NORMALIZE_PATH' },
  ]);
  const re = new RegExp(String(regex.RegexString));
  for (const path of ['/reports', '/reports/', '/v1/reports', '/v1/reports/']) expect(re.test(path), path).toBe(true);
  for (const path of [
    '/reports/VU-ABCDEFGH',
    '/reports/VU-ABCDEFGH/messages',
    '/v1/reports/VU-1/messages',
    '/notes',
    '/v2/reports',
    '/reportsx',
  ])
    expect(re.test(path), path).toBe(false);
}

describe('the API web ACL (REGIONAL), created and attached by default', () => {
  it('is attached to the API stage', () => {
    const { id } = onlyAcl(synth, 'REGIONAL');
    const associations = resourcesOfType(synth.json, 'AWS::WAFv2::WebACLAssociation').map(([, r]) => r.Properties ?? {});
    expect(associations).toHaveLength(1);
    expect(associations[0]?.WebACLArn).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(JSON.stringify(associations[0]?.ResourceArn)).toMatch(
      /"::\/restapis\/",\{"Ref":"CaseApi[0-9A-F]+"\},"\/stages\/",\{"Ref":"CaseApiDeploymentStagev1[0-9A-F]+"\}/,
    );
  });

  it('first blocks every request without the secret origin header, so the stage answers only CloudFront', () => {
    const { rules } = onlyAcl(synth, 'REGIONAL');
    const verify = rule(rules, 'OriginVerify');
    expect(verify.Priority).toBe(0);
    expect(Math.min(...rules.map((r) => Number(r.Priority)))).toBe(0);
    expect(verify.Action).toEqual({ Block: {} });
    expect(verify.Statement).toEqual({
      NotStatement: {
        Statement: {
          ByteMatchStatement: {
            FieldToMatch: { SingleHeader: { Name: ORIGIN_VERIFY_HEADER } },
            PositionalConstraint: 'EXACTLY',
            SearchString: secretReference(synth),
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        },
      },
    });
  });

  it('limits POST /reports per viewer address, as CloudFront saw it, with the configured limit, answering 429', () => {
    const { resource, rules } = onlyAcl(synth, 'REGIONAL');
    const limit = rule(rules, 'ReportRateLimit');
    expect(limit.Priority).toBe(1);
    expect(limit.Action).toEqual({
      Block: {
        CustomResponse: {
          ResponseCode: 429,
          CustomResponseBodyKey: 'TooManyReports',
          ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
        },
      },
    });
    const rate = record(record(limit.Statement).RateBasedStatement);
    expect(rate).toMatchObject({
      Limit: 10,
      EvaluationWindowSec: 300,
      AggregateKeyType: 'FORWARDED_IP',
      ForwardedIPConfig: { HeaderName: VIEWER_IP_HEADER, FallbackBehavior: 'MATCH' },
    });
    expectPostReportsScope(rate.ScopeDownStatement);
    const body = record(record(record(resource.Properties).CustomResponseBodies).TooManyReports);
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(String(body.Content))).toMatchObject({ title: 'Too Many Requests', status: 429 });
  });

  it('runs the AWS managed common and known-bad-input rules, with every rule that reads the body only counting', () => {
    const { rules } = onlyAcl(synth, 'REGIONAL');
    for (const name of ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']) {
      const group = rule(rules, name);
      expect(group.OverrideAction).toEqual({ None: {} });
      const statement = record(record(group.Statement).ManagedRuleGroupStatement);
      expect(statement).toMatchObject({ VendorName: 'AWS', Name: name });
      const counted = list(statement.RuleActionOverrides);
      expect(counted.every((o) => JSON.stringify(o.ActionToUse) === '{"Count":{}}')).toBe(true);
      expect(counted.map((o) => o.Name).sort()).toEqual([...(COUNTED_MANAGED_RULES[name] ?? [])].sort());
    }
    // Reports up to 256 KiB and their proofs of concept must pass: the 8 KB body limit among them.
    expect(COUNTED_MANAGED_RULES.AWSManagedRulesCommonRuleSet).toEqual(
      expect.arrayContaining(['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'GenericLFI_BODY']),
    );
    expect(COUNTED_MANAGED_RULES.AWSManagedRulesKnownBadInputsRuleSet).toEqual(expect.arrayContaining(['Log4JRCE_BODY']));
  });
});

describe('CloudFront in front of the API', () => {
  it('sends the same secret as the origin header to the API origin, and to no other origin', () => {
    expect(apiOrigin(synth).OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: secretReference(synth) }]);
    const others = list(distributionConfig(synth).Origins).filter((o) => o !== apiOrigin(synth));
    for (const o of others) expect(o.OriginCustomHeaders).toBeUndefined();
  });

  it('sets the viewer address header on every API path, and not on the pages', () => {
    const [[fnId] = ['']] = resourcesOfType(synth.json, 'AWS::CloudFront::Function').filter(
      ([, r]) => r.Properties?.FunctionCode === viewerIpFunctionCode(),
    );
    expect(fnId).not.toBe('');
    const behaviors = list(distributionConfig(synth).CacheBehaviors);
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(apiPathPatterns());
    for (const b of behaviors)
      expect(b.FunctionAssociations, String(b.PathPattern)).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } },
      ]);
    expect(JSON.stringify(record(distributionConfig(synth).DefaultCacheBehavior).FunctionAssociations)).not.toContain(fnId);
    // The function overwrites whatever the viewer sent under that name.
    const handler = new Function(`${viewerIpFunctionCode()}; return handler;`)() as (e: unknown) => {
      headers: Record<string, { value: string }>;
    };
    const out = handler({ viewer: { ip: '198.51.100.7' }, request: { headers: { [VIEWER_IP_HEADER]: { value: '203.0.113.1' } } } });
    expect(out.headers[VIEWER_IP_HEADER]).toEqual({ value: '198.51.100.7' });
  });

  it('puts the site behind a CLOUDFRONT web ACL with the same limit per address, created only when deployed to us-east-1', () => {
    const { id, resource, rules } = onlyAcl(synth, 'CLOUDFRONT');
    const condition = String(resource.Condition);
    expect(record(raw(synth).Conditions)[condition]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(distributionConfig(synth).WebACLId).toEqual({ 'Fn::If': [condition, { 'Fn::GetAtt': [id, 'Arn'] }, { Ref: 'AWS::NoValue' }] });
    expect(rules.map((r) => r.Name)).toEqual(['ReportRateLimit']);
    const rate = record(record(rule(rules, 'ReportRateLimit').Statement).RateBasedStatement);
    expect(rate).toMatchObject({ Limit: 10, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    expectPostReportsScope(rate.ScopeDownStatement);
  });

  it('tells coordinator tools to use the site URL: ApiUrl is CloudFront, not the stage', () => {
    expect(JSON.stringify(record(record(raw(synth).Outputs).ApiUrl).Value)).toMatch(
      /"https:\/\/",\{"Fn::GetAtt":\["SiteDistribution[0-9A-F]+","DomainName"\]\}/,
    );
  });
});

describe('the WAF settings', () => {
  it('takes reportRateLimitPer5Min for both web ACLs', () => {
    const s = synthesize({ context: { reportRateLimitPer5Min: '25' } });
    for (const scope of ['REGIONAL', 'CLOUDFRONT'] as const) {
      const rate = record(record(rule(onlyAcl(s, scope).rules, 'ReportRateLimit').Statement).RateBasedStatement);
      expect(rate.Limit, scope).toBe(25);
    }
  });

  it('creates no web ACL, secret, origin header or viewer address function with wafEnabled false, and cdk-nag stays clean', () => {
    const s = synthesize({ context: { wafEnabled: 'false' } });
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    s.template.resourceCountIs('AWS::SecretsManager::Secret', 3); // the link secret and the two OpenPGP key secrets only
    expect(apiOrigin(s).OriginCustomHeaders).toBeUndefined();
    expect(distributionConfig(s).WebACLId).toBeUndefined();
    expect(resourcesOfType(s.json, 'AWS::CloudFront::Function').map(([, r]) => r.Properties?.FunctionCode)).not.toContain(
      viewerIpFunctionCode(),
    );
    expect(nagFindings(s)).toEqual([]);
  });

  it('attaches existing web ACLs instead of creating its own', () => {
    const webAclArn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/cvd/11111111-2222-3333-4444-555555555555';
    const siteWebAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cvd-site/66666666-7777-8888-9999-000000000000';
    const s = synthesize({ context: { webAclArn, siteWebAclArn } });
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    s.template.resourceCountIs('AWS::SecretsManager::Secret', 3); // the link secret and the two OpenPGP key secrets only
    s.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    expect(distributionConfig(s).WebACLId).toBe(siteWebAclArn);
    expect(nagFindings(s)).toEqual([]);
  });

  it('creates the site web ACL outright in us-east-1', () => {
    const s = synthesize({ env: { account: '123456789012', region: 'us-east-1' } });
    const { id, resource } = onlyAcl(s, 'CLOUDFRONT');
    expect(resource.Condition).toBeUndefined();
    expect(distributionConfig(s).WebACLId).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    onlyAcl(s, 'REGIONAL');
    expect(nagFindings(s)).toEqual([]);
  });

  it('in another region keeps the API web ACL, warns that the site has none, and takes siteWebAclArn', () => {
    const s = synthesize({ env: { account: '123456789012', region: 'eu-west-1' } });
    expect(webAcls(s, 'CLOUDFRONT')).toEqual([]);
    expect(rule(onlyAcl(s, 'REGIONAL').rules, 'ReportRateLimit')).toBeDefined();
    expect(distributionConfig(s).WebACLId).toBeUndefined();
    const warnings = s.annotations.findWarning('*', Match.stringLikeRegexp('CloudFront web ACLs can only be created in us-east-1'));
    expect(warnings).toHaveLength(1);
    expect(nagFindings(s)).toEqual([]);

    const siteWebAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cvd-site/66666666-7777-8888-9999-000000000000';
    const withArn = synthesize({ env: { account: '123456789012', region: 'eu-west-1' }, context: { siteWebAclArn } });
    expect(distributionConfig(withArn).WebACLId).toBe(siteWebAclArn);
    expect(withArn.annotations.findWarning('*', Match.stringLikeRegexp('CloudFront web ACLs'))).toEqual([]);
  });
});
