// The web pages on AWS: one CloudFront distribution serves the built pages from a private bucket
// and forwards the API's paths to API Gateway, so pages and API share one origin exactly as under
// `npm start` (no CORS, `connect-src 'self'`). The console signs coordinators in through Cognito's
// hosted sign-in (authorization code with PKCE); its settings are deployed as /console/config.json.
import { Aws, DockerImage, Duration, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  OAuthScope,
  UserPoolClientIdentityProvider,
  type UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import path from 'node:path';
import { buildWebInto } from '../scripts/build-web.js';
import { apiRoutes } from './api-routes.js';
import type { Config } from './config.js';
import { type OriginLock, type SiteWebAcl, viewerIpFunctionCode } from './firewall.js';
import { CONSOLE_CONFIG_PATH, type ConsoleConfig, pageRewriteFunctionCode, pageSecurityHeaders } from './web-routes.js';

export interface WebSiteProps {
  readonly api: RestApi;
  readonly stageName: string;
  readonly userPool: UserPool;
  readonly config: Config;
  /** What the API's web ACL requires of requests CloudFront forwards, when it has one of ours. */
  readonly originLock?: OriginLock;
  readonly webAcl: SiteWebAcl;
  /** The files bucket's origin: the pages PUT uploads there. */
  readonly filesOrigin: string;
}

const WEB_ROOT = path.resolve(import.meta.dirname, '..', 'web');

/**
 * The CloudFront path patterns that go to the API: each route's first segment, exact and with
 * everything below it. The pages' own paths (/, /status, /vendor, /console/, /assets/*) are not
 * among them; `/vendor/*` is the API's and the page is `/vendor`.
 */
export function apiPathPatterns(): string[] {
  const out = new Set<string>();
  for (const route of apiRoutes) {
    const first = route.path.split('/')[1] ?? '';
    if (route.path === `/${first}`) out.add(`/${first}`);
    if (route.path.length > first.length + 1) out.add(`/${first}/*`);
  }
  return [...out].sort();
}

export class WebSite extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** Where the pages are: the custom domain when there is one, else CloudFront's. */
  readonly url: string;
  readonly signInDomain: UserPoolDomain;
  readonly signInClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    const { config } = props;
    const region = Stack.of(this).region;

    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
    });

    const rewrite = new CloudFrontFunction(this, 'PagePaths', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Maps /, /status, /vendor and /console/ to their HTML files',
      code: FunctionCode.fromInline(pageRewriteFunctionCode()),
    });

    // Cognito's hosted sign-in; the console's CSP lets it call the token endpoint there.
    this.signInDomain = props.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: config.signInDomainPrefix ?? `cvd-${Aws.ACCOUNT_ID}` },
    });
    const signInOrigin = this.signInDomain.baseUrl();

    // The pages upload files straight to the files bucket (presigned PUTs).
    const pageHeaders = pageSecurityHeaders([signInOrigin, props.filesOrigin]);
    const headers = new ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: 'CSP and hardening headers of the cvd-coordinator pages',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: pageHeaders['content-security-policy'] ?? "default-src 'none'", override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    const { originLock } = props;
    // The origin lock: CloudFront replaces any viewer header of this name with the secret value,
    // and the API's web ACL refuses requests without it, so the API answers only through here.
    const apiOrigin = new HttpOrigin(`${props.api.restApiId}.execute-api.${region}.${Aws.URL_SUFFIX}`, {
      originPath: `/${props.stageName}`,
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      ...(originLock === undefined ? {} : { customHeaders: { [originLock.headerName]: originLock.headerValue } }),
    });
    // The API's web ACL counts POST /reports per viewer: it needs the address CloudFront saw.
    const viewerIp =
      originLock === undefined
        ? undefined
        : new CloudFrontFunction(this, 'ViewerAddress', {
            runtime: FunctionRuntime.JS_2_0,
            comment: `Passes the viewer address to the API as ${originLock.viewerIpHeader}`,
            code: FunctionCode.fromInline(viewerIpFunctionCode()),
          });
    // Never cached; every viewer header but Host goes through, Authorization included (allowed
    // when caching is off), so the API sees exactly what the browser sent.
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      ...(viewerIp === undefined ? {} : { functionAssociations: [{ function: viewerIp, eventType: FunctionEventType.VIEWER_REQUEST }] }),
    };

    const custom =
      config.siteDomainName !== undefined && config.siteCertificateArn !== undefined
        ? {
            domainNames: [config.siteDomainName],
            certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', config.siteCertificateArn),
          }
        : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'cvd-coordinator pages and API',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((p) => [p, apiBehavior])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(custom ? { ...custom, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
      ...('arn' in props.webAcl ? { webAclId: props.webAcl.arn } : {}),
    });
    this.url = custom ? `https://${config.siteDomainName}` : `https://${this.distribution.distributionDomainName}`;

    const consoleUrl = `${this.url}/console/`;
    this.signInClient = props.userPool.addClient('ConsoleSignIn', {
      generateSecret: false,
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    const consoleConfig: ConsoleConfig = {
      signIn: {
        authorizeUrl: `${signInOrigin}/oauth2/authorize`,
        tokenUrl: `${signInOrigin}/oauth2/token`,
        logoutUrl: `${signInOrigin}/logout`,
        clientId: this.signInClient.userPoolClientId,
        redirectUri: consoleUrl,
        scope: 'openid email profile',
      },
    };
    // The pages, built with the same esbuild run as `npm start` serves (scripts/build-web.ts).
    const pages = Source.asset(WEB_ROOT, {
      exclude: ['dist'],
      bundling: {
        image: DockerImage.fromRegistry('node:22-alpine'),
        command: ['sh', '-c', 'echo "web pages are built locally with esbuild" && exit 1'],
        local: {
          tryBundle(outputDir: string): boolean {
            buildWebInto(outputDir);
            return true;
          },
        },
      },
    });
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [pages, Source.jsonData(CONSOLE_CONFIG_PATH.slice(1), consoleConfig)],
      // Page and script names do not change between releases: browsers revalidate each time.
      cacheControl: [CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });

    this.suppress(config, props.webAcl);
  }

  private suppress(config: Config, webAcl: SiteWebAcl): void {
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'The bucket holds only the public page files, written by the deployment; requests reach it only through CloudFront, and the API keeps its own access logs.',
      },
    ]);
    const distributionFindings = [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Reporters and vendors are worldwide: a coordinator cannot know where the next report comes from, so no geo restriction.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The pages are public static files; every request that reads or changes a case goes to the API, whose stage writes access logs.',
      },
    ];
    if ('missing' in webAcl) distributionFindings.push({ id: 'AwsSolutions-CFR2', reason: webAcl.missing });
    if (config.siteCertificateArn === undefined) {
      distributionFindings.push({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its own *.cloudfront.net certificate, whose TLS policy cannot be raised; set siteDomainName and siteCertificateArn to serve TLS 1.2+ only.',
      });
    }
    NagSuppressions.addResourceSuppressions(this.distribution, distributionFindings);
    // CDK's BucketDeployment runs one shared Lambda function of its own, a singleton at stack level.
    const stack = Stack.of(this);
    for (const singleton of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      NagSuppressions.addResourceSuppressions(
        singleton,
        [
          {
            id: 'AwsSolutions-L1',
            reason: "CDK's BucketDeployment handler: its runtime is chosen and kept current by aws-cdk-lib, not by this project.",
          },
          {
            id: 'AwsSolutions-IAM4',
            reason: "CDK's BucketDeployment handler uses AWSLambdaBasicExecutionRole to write its logs.",
            appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason:
              "CDK's grants for BucketDeployment: read the staged page asset (one CDK asset object), replace the objects of this site's bucket only, and invalidate this distribution (CloudFront invalidation actions are granted on * by CDK).",
            appliesTo: [
              'Action::s3:GetObject*',
              'Action::s3:GetBucket*',
              'Action::s3:List*',
              'Action::s3:DeleteObject*',
              'Action::s3:Abort*',
              // The bootstrap asset bucket: cdk-hnb659fds-assets-<account>-<region>, tokens or values.
              { regex: '/^Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-[^/]+\\/\\*$/' },
              { regex: '/^Resource::<SitePages[0-9A-F]+\\.Arn>\\/\\*$/' },
              'Resource::*',
            ],
          },
        ],
        true,
      );
    }
  }
}
