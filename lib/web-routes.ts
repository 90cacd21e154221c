// The web pages' URLs and security headers, one table for both places that serve them: the local
// API stand-in (lib/local/static.ts) and, on AWS, the CloudFront function in lib/web-site.ts.

/** Page paths to the built HTML file in web/dist. */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  '/': 'report.html',
  '/index.html': 'report.html',
  '/status': 'status.html',
  '/vendor': 'vendor.html',
  '/console/': 'console.html',
};

/** Paths that move to their canonical page, keeping the query. */
export const PAGE_REDIRECTS: Readonly<Record<string, string>> = { '/console': '/console/', '/status/': '/status', '/vendor/': '/vendor' };

/** The console's settings, served as /console/config.json: how a coordinator signs in. */
export const CONSOLE_CONFIG_PATH = '/console/config.json';

/** An OAuth 2.0 authorization-code sign-in with PKCE (Cognito's hosted sign-in on AWS). */
export interface HostedSignIn {
  authorizeUrl: string;
  tokenUrl: string;
  logoutUrl: string;
  clientId: string;
  /** The console's own URL, registered with the sign-in service as callback and sign-out URL. */
  redirectUri: string;
  scope: string;
}

/** null: no sign-in service; the console asks for a token (the local stack's dev token). */
export interface ConsoleConfig {
  signIn: HostedSignIn | null;
}

/**
 * Scripts, styles and API calls from this origin only; the console may also call the sign-in
 * service's token endpoint (Cognito's hosted sign-in on AWS).
 */
export function pageSecurityHeaders(extraConnectOrigins: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `connect-src ${["'self'", ...extraConnectOrigins].join(' ')}`,
      "img-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * A CloudFront Functions (cloudfront-js-2.0) viewer-request handler that maps the page paths to
 * their files in the bucket and answers the redirects; every other path goes to the bucket as is.
 */
export function pageRewriteFunctionCode(): string {
  return [
    `var FILES = ${JSON.stringify(PAGE_FILES)};`,
    `var REDIRECTS = ${JSON.stringify(PAGE_REDIRECTS)};`,
    'function handler(event) {',
    '  var request = event.request;',
    '  var target = REDIRECTS[request.uri];',
    '  if (target) {',
    '    var query = Object.keys(request.querystring).map(function (k) { return k + "=" + request.querystring[k].value; }).join("&");',
    '    return { statusCode: 308, statusDescription: "Permanent Redirect", headers: { location: { value: target + (query ? "?" + query : "") } } };',
    '  }',
    '  var file = FILES[request.uri];',
    '  if (file) request.uri = "/" + file;',
    '  return request;',
    '}',
  ].join('\n');
}
