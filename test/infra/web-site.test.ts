// The pages on AWS (lib/web-site.ts): one CloudFront distribution, pages from a private bucket,
// the API's paths to API Gateway, and the console's hosted sign-in.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWebInto } from '../../scripts/build-web.js';
import { apiRoutes } from '../../lib/api-routes.js';
import { apiPathPatterns } from '../../lib/web-site.js';
import { PAGE_FILES, PAGE_REDIRECTS, pageRewriteFunctionCode } from '../../lib/web-routes.js';
import { isRecord, resourcesOfType, synthesize, type Synthesized } from './synth.js';

// CloudFront's managed policies (documented ids).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

/** The one resource of a type that is the site's (the case files and received mail have buckets of their own: case-files.test.ts, inbound-mail.test.ts). */
const only = (json: Synthesized['json'], type: string) => {
  const found = resourcesOfType(json, type).filter(([id]) => !id.startsWith('CaseFiles') && !id.startsWith('InboundMail'));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0]?.[1].Properties ?? {};
};
const distributionConfig = (json = synth.json): Record<string, unknown> => {
  const c = only(json, 'AWS::CloudFront::Distribution').DistributionConfig;
  return isRecord(c) ? c : {};
};

/** CloudFront path patterns: `*` any run of characters, `?` one; case-sensitive. */
const matches = (pattern: string, p: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(p);

describe('the site', () => {
  it('keeps the pages in a private, encrypted bucket that only this distribution reads, over TLS', () => {
    const bucket = only(synth.json, 'AWS::S3::Bucket');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.BucketEncryption)).toContain('AES256');
    const policy = JSON.stringify(only(synth.json, 'AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toMatch(/"Principal":\{"Service":"cloudfront.amazonaws.com"\}/);
    expect(policy).toMatch(/:distribution\/",\{"Ref":"SiteDistribution[0-9A-F]+"\}/);
    expect(only(synth.json, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    });
  });

  it("sends every API route to API Gateway uncached with the caller's headers, and no page path", () => {
    const behaviors = (distributionConfig().CacheBehaviors as Record<string, unknown>[]) ?? [];
    const patterns = behaviors.map((b) => String(b.PathPattern));
    expect(patterns.sort()).toEqual(apiPathPatterns());
    for (const b of behaviors) {
      expect(b, String(b.PathPattern)).toMatchObject({
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
        ViewerProtocolPolicy: 'redirect-to-https',
      });
      expect(b.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT']));
    }
    for (const route of apiRoutes) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'X1');
      expect(
        patterns.some((p) => matches(p, concrete)),
        route.path,
      ).toBe(true);
    }
    for (const page of [...Object.keys(PAGE_FILES), ...Object.keys(PAGE_REDIRECTS), '/console/config.json', '/assets/console.js']) {
      if (page === '/vendor/') continue; // the API's /vendor/* has it; the page is /vendor
      expect(
        patterns.filter((p) => matches(p, page)),
        page,
      ).toEqual([]);
    }
    const origins = JSON.stringify(distributionConfig().Origins);
    expect(origins).toMatch(/"OriginPath":"\/v1"/);
    expect(origins).toMatch(/\{"Ref":"CaseApi[0-9A-F]+"\},"\.execute-api\."/);
  });

  it('serves the pages with the rewrite function, CSP and HSTS, over HTTPS', () => {
    const d = distributionConfig();
    expect(d.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      FunctionAssociations: [expect.objectContaining({ EventType: 'viewer-request' })],
    });
    const headers = JSON.stringify(only(synth.json, 'AWS::CloudFront::ResponseHeadersPolicy'));
    expect(headers).toContain("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' https://");
    expect(headers).toMatch(/\{"Ref":"CaseApiCoordinatorPoolSignIn[0-9A-F]+"\},"\.auth\."/);
    expect(headers).toContain('"FrameOption":"DENY"');
    expect(headers).toContain('"AccessControlMaxAgeSec":31536000');
    const functions = resourcesOfType(synth.json, 'AWS::CloudFront::Function').map(([, r]) => String(r.Properties?.FunctionCode));
    expect(functions).toContain(pageRewriteFunctionCode());
  });

  it('maps page paths to their files and redirects like the local stack does', () => {
    const handler = new Function(`${pageRewriteFunctionCode()}; return handler;`)() as (e: unknown) => Record<string, unknown>;
    const request = (uri: string, querystring: Record<string, { value: string }> = {}) => ({ request: { uri, querystring, headers: {} } });
    expect(handler(request('/'))).toMatchObject({ uri: '/report.html' });
    expect(handler(request('/status'))).toMatchObject({ uri: '/status.html' });
    expect(handler(request('/vendor'))).toMatchObject({ uri: '/vendor.html' });
    expect(handler(request('/console/'))).toMatchObject({ uri: '/console.html' });
    expect(handler(request('/assets/console.js'))).toMatchObject({ uri: '/assets/console.js' });
    expect(handler(request('/console/config.json'))).toMatchObject({ uri: '/console/config.json' });
    expect(handler(request('/console', { code: { value: 'abc' }, state: { value: 'xyz' } }))).toEqual({
      statusCode: 308,
      statusDescription: 'Permanent Redirect',
      headers: { location: { value: '/console/?code=abc&state=xyz' } },
    });
  });

  it('signs coordinators in through the hosted sign-in, back to the console, with the code flow only', () => {
    const clients = resourcesOfType(synth.json, 'AWS::Cognito::UserPoolClient').map(([, r]) => r.Properties ?? {});
    const oauth = clients.filter((c) => Array.isArray(c.AllowedOAuthFlows));
    expect(oauth).toHaveLength(1); // the SRP client for scripts has OAuth off
    const console = oauth[0];
    expect(console).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
    });
    const consoleUrl = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^SiteDistribution/), 'DomainName'] }, '/console/']],
    };
    expect(console?.CallbackURLs).toEqual([consoleUrl]);
    expect(console?.LogoutURLs).toEqual([consoleUrl]);
    expect(only(synth.json, 'AWS::Cognito::UserPoolDomain').Domain).toEqual({ 'Fn::Join': ['', ['cvd-', { Ref: 'AWS::AccountId' }]] });
  });

  it('deploys the pages and /console/config.json naming that client, then invalidates the cache', () => {
    const deploy = only(synth.json, 'Custom::CDKBucketDeployment');
    expect(deploy).toMatchObject({ Prune: true, DistributionPaths: ['/*'], SystemMetadata: { 'cache-control': 'no-cache' } });
    const markers = JSON.stringify(deploy.SourceMarkers);
    expect(markers).toMatch(/\{"Ref":"CaseApiCoordinatorPoolConsoleSignIn[0-9A-F]+"\}/);
    expect(markers).toMatch(/\{"Fn::GetAtt":\["SiteDistribution[0-9A-F]+","DomainName"\]\}/);
  });

  it('serves a custom domain with its certificate and TLS 1.2 or later, and links e-mails there', () => {
    const custom = synthesize({
      context: {
        siteDomainName: 'cvd.example.org',
        siteCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100',
      },
    });
    expect(distributionConfig(custom.json)).toMatchObject({
      Aliases: ['cvd.example.org'],
      ViewerCertificate: {
        AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100',
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    const fn = resourcesOfType(custom.json, 'AWS::Lambda::Function').find(([, r]) => r.Metadata?.['cvd:handler-name'] === 'notify-vendor');
    expect(JSON.stringify(fn?.[1].Properties?.Environment)).toContain('"PUBLIC_BASE_URL":"https://cvd.example.org"');
  });
});

describe('the page build for the site', () => {
  it('writes every page, script and the stylesheet into the asset directory', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cvd-web-'));
    try {
      buildWebInto(out);
      for (const f of [
        'report.html',
        'status.html',
        'vendor.html',
        'console.html',
        'assets/style.css',
        'assets/note.css',
        'assets/console.js',
        'assets/report.js',
        'assets/status.js',
        'assets/vendor.js',
      ]) {
        expect(existsSync(path.join(out, f)), f).toBe(true);
      }
      expect(readFileSync(path.join(out, 'console.html'), 'utf8')).toContain('/assets/console.js');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
