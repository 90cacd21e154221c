// The WAF in front of the system. POST /reports is open to anyone and makes our SES identity mail
// the address it names, so it is limited per client address by default. The regional web ACL on
// the API stage is the guarantee, in any region: it refuses every request that did not come
// through this stack's CloudFront distribution (the origin lock: a secret header CloudFront adds)
// and limits POST /reports per viewer address, which CloudFront passes on in a header it sets
// itself. The CloudFront web ACL repeats the limit at the edge where the stack can create it.
import { Annotations, Aws, CfnCondition, Fn, Stack, Token } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { Config } from './config.js';

/** The header CloudFront adds to every request it forwards to the API; the regional ACL requires it. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
/** The viewer's address as CloudFront saw it, set by a CloudFront Function (any client value is overwritten). */
export const VIEWER_IP_HEADER = 'x-cvd-viewer-ip';

/** What the API's web ACL needs CloudFront to send. */
export interface OriginLock {
  readonly headerName: string;
  /** A Secrets Manager dynamic reference: CloudFormation resolves it at deploy time. */
  readonly headerValue: string;
  /** The header that carries the viewer's address, for the per-address limit. */
  readonly viewerIpHeader: string;
}

/** The site's web ACL: an ARN (possibly conditional on the region), or why there is none. */
export type SiteWebAcl = { readonly arn: string } | { readonly missing: string };

/** The CloudFront Function (viewer request, API paths) that hands the viewer's address to the API's web ACL. */
export function viewerIpFunctionCode(): string {
  return `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_IP_HEADER}'] = { value: event.viewer.ip };
  return request;
}`;
}

// The managed rules that read the body would refuse what a vulnerability report is made of: proof
// of concept payloads (XSS, path traversal, SSRF to 169.254.169.254, ${jndi:…}, serialized Java)
// and bodies over 8 KB (reports and drafts go up to 256 KiB). They only count; the rest block.
export const COUNTED_MANAGED_RULES: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: [
    'SizeRestrictions_BODY',
    'CrossSiteScripting_BODY',
    'GenericLFI_BODY',
    'GenericRFI_BODY',
    'EC2MetaDataSSRF_BODY',
  ],
  AWSManagedRulesKnownBadInputsRuleSet: ['Log4JRCE_BODY', 'JavaDeserializationRCE_BODY'],
};

const TOO_MANY_REPORTS = 'TooManyReports';
const tooManyReportsBody: Record<string, CfnWebACL.CustomResponseBodyProperty> = {
  [TOO_MANY_REPORTS]: {
    contentType: 'APPLICATION_JSON',
    content: JSON.stringify({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'too many reports from this address in the last few minutes; wait five minutes and send it again',
      errors: [],
    }),
  },
};

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * POST /reports: the regional ACL sees the stage in the path (/v1/reports), CloudFront does not.
 * Decoded and normalised first, so /v1//reports or %2Freports count too.
 */
export function postReportsStatement(stageName: string): CfnWebACL.StatementProperty {
  return {
    andStatement: {
      statements: [
        {
          byteMatchStatement: {
            fieldToMatch: { method: {} },
            positionalConstraint: 'EXACTLY',
            searchString: 'POST',
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        {
          regexMatchStatement: {
            fieldToMatch: { uriPath: {} },
            regexString: `^(/${stageName})?/reports/?$`,
            textTransformations: [
              { priority: 0, type: 'URL_DECODE' },
              { priority: 1, type: 'NORMALIZE_PATH' },
            ],
          },
        },
      ],
    },
  };
}

/** The per-address limit on POST /reports, answered with a 429 problem document. */
function reportRateRule(props: {
  limit: number;
  priority: number;
  stageName: string;
  viewerIpHeader?: string;
  metric: string;
}): CfnWebACL.RuleProperty {
  return {
    name: 'ReportRateLimit',
    priority: props.priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: TOO_MANY_REPORTS,
          responseHeaders: [{ name: 'Retry-After', value: '300' }],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        limit: props.limit,
        evaluationWindowSec: 300,
        ...(props.viewerIpHeader === undefined
          ? { aggregateKeyType: 'IP' }
          : {
              aggregateKeyType: 'FORWARDED_IP',
              // Without the header the request did not come through CloudFront: OriginVerify blocks it first.
              forwardedIpConfig: { headerName: props.viewerIpHeader, fallbackBehavior: 'MATCH' },
            }),
        scopeDownStatement: postReportsStatement(props.stageName),
      },
    },
    visibilityConfig: visibility(props.metric),
  };
}

function managedRuleGroup(name: string, priority: number): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: (COUNTED_MANAGED_RULES[name] ?? []).map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: visibility(`cvd-api-${name}`),
  };
}

export interface ApiFirewallProps {
  readonly stage: Stage;
  /** The stage's name as a plain string: requests reach the stage as /<stage>/reports. */
  readonly stageName: string;
  readonly config: Config;
}

/**
 * The API stage's web ACL: the deployer's (webAclArn), else the stack's own unless wafEnabled is
 * false. Only the stack's own one brings the origin lock.
 */
export class ApiFirewall extends Construct {
  readonly originLock: OriginLock | undefined;
  readonly webAcl: CfnWebACL | undefined;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const { stage, config } = props;
    if (config.webAclArn !== undefined) {
      new CfnWebACLAssociation(this, 'Association', { resourceArn: stage.stageArn, webAclArn: config.webAclArn });
      this.originLock = undefined;
      this.webAcl = undefined;
      return;
    }
    if (!config.wafEnabled) {
      NagSuppressions.addResourceSuppressions(stage, [
        {
          id: 'AwsSolutions-APIG3',
          reason:
            'The deployer turned the WAF off (wafEnabled false). The stage stays throttled, coordinator routes need Cognito with threat protection, and token routes a 256-bit token; POST /reports then has no per-address limit.',
        },
      ]);
      this.originLock = undefined;
      this.webAcl = undefined;
      return;
    }

    // Generated by Secrets Manager at deployment: never in the source or the template.
    const secret = new Secret(this, 'OriginSecret', {
      description: 'cvd-coordinator: the header value CloudFront sends to the API; requests without it are refused',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    NagSuppressions.addResourceSuppressions(secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          "Not a credential to data: it only marks requests as forwarded by this stack's CloudFront distribution, whose origin settings show it to whoever may read them. CloudFormation resolves it into CloudFront and the WAF rule when they are deployed, so a scheduled rotation would lock CloudFront out until the next deployment.",
      },
    ]);
    this.originLock = {
      headerName: ORIGIN_VERIFY_HEADER,
      headerValue: secret.secretValue.unsafeUnwrap(),
      viewerIpHeader: VIEWER_IP_HEADER,
    };

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'cvd-coordinator API: only through CloudFront, POST /reports limited per address, AWS managed rules',
      defaultAction: { allow: {} },
      customResponseBodies: tooManyReportsBody,
      visibilityConfig: visibility('cvd-api'),
      rules: [
        {
          name: 'OriginVerify',
          priority: 0,
          action: { block: {} },
          statement: {
            notStatement: {
              statement: {
                byteMatchStatement: {
                  fieldToMatch: { singleHeader: { Name: ORIGIN_VERIFY_HEADER } },
                  positionalConstraint: 'EXACTLY',
                  searchString: this.originLock.headerValue,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('cvd-api-origin-verify'),
        },
        reportRateRule({
          limit: config.reportRateLimitPer5Min,
          priority: 1,
          stageName: props.stageName,
          viewerIpHeader: VIEWER_IP_HEADER,
          metric: 'cvd-api-report-rate',
        }),
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 2),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 3),
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: stage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}

export interface SiteFirewallProps {
  readonly config: Config;
  /** The API stage's name: the rate rule matches /reports with or without it. */
  readonly stageName: string;
}

/**
 * The distribution's web ACL. CLOUDFRONT-scope web ACLs exist only in us-east-1, so the stack
 * creates one when it is deployed there; a region-agnostic synth gets it under a condition on the
 * deployment region. Elsewhere it takes siteWebAclArn, or goes without: the API's own web ACL
 * still enforces the limit on POST /reports.
 */
export class SiteFirewall extends Construct {
  readonly webAcl: SiteWebAcl;

  constructor(scope: Construct, id: string, props: SiteFirewallProps) {
    super(scope, id);
    const { config } = props;
    const region = Stack.of(this).region;
    if (config.siteWebAclArn !== undefined) {
      this.webAcl = { arn: config.siteWebAclArn };
      return;
    }
    if (!config.wafEnabled) {
      this.webAcl = {
        missing:
          'The deployer turned the WAF off (wafEnabled false); the API behind the site is throttled and authenticates every case route.',
      };
      return;
    }
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      Annotations.of(this).addWarningV2(
        'cvd:site-web-acl-region',
        `The site gets no web ACL of its own: CloudFront web ACLs can only be created in us-east-1 and this stack is in ${region}. The API's web ACL still limits POST /reports per address; set siteWebAclArn to attach one made in us-east-1.`,
      );
      this.webAcl = {
        missing: `CloudFront-scope web ACLs can only be created in us-east-1 and the stack is deployed to ${region}; the API's regional web ACL enforces the origin lock and the per-address limit on POST /reports, and siteWebAclArn attaches an edge ACL made in us-east-1.`,
      };
      return;
    }

    const acl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'cvd-coordinator site: POST /reports limited per address at the edge',
      defaultAction: { allow: {} },
      customResponseBodies: tooManyReportsBody,
      visibilityConfig: visibility('cvd-site'),
      rules: [
        reportRateRule({ limit: config.reportRateLimitPer5Min, priority: 0, stageName: props.stageName, metric: 'cvd-site-report-rate' }),
      ],
    });
    if (!Token.isUnresolved(region)) {
      this.webAcl = { arn: acl.attrArn };
      return;
    }
    const inUsEast1 = new CfnCondition(this, 'InUsEast1', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
    acl.cfnOptions.condition = inUsEast1;
    this.webAcl = { arn: Token.asString(Fn.conditionIf(inUsEast1.logicalId, acl.attrArn, Aws.NO_VALUE)) };
  }
}
