// The whole system in one stack: it only composes the constructs, one per concern.
import { App, Aspects, CfnOutput, Stack, type Environment, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { appOutdir } from './app-outdir.js';
import type { Construct } from 'constructs';
import { CaseFiles } from './case-files.js';
import { API_STAGE_NAME, CaseApi } from './case-api.js';
import { CaseTable } from './case-table.js';
import { CaseWorkflow } from './case-workflow.js';
import { allowedOriginsOf, readConfig, type Config } from './config.js';
import { CveServicesKey } from './cve-services-key.js';
import type { CvdFunction } from './function-defaults.js';
import { LinkSecret } from './link-secret.js';
import { PgpKey } from './pgp-key.js';
import { ApiFirewall, SiteFirewall } from './firewall.js';
import { InboundMail } from './inbound-mail.js';
import { MailFeedback } from './mail-feedback.js';
import { Mailer } from './mailer.js';
import { Observability } from './observability.js';
import { WebSite } from './web-site.js';

export class CvdStack extends Stack {
  readonly config: Config;
  readonly caseTable: CaseTable;
  readonly mailer: Mailer;
  readonly linkSecret: LinkSecret;
  readonly pgpKey: PgpKey;
  readonly files: CaseFiles;
  /** Only in cveMode cve-services. */
  readonly cveServicesKey: CveServicesKey | undefined;
  readonly workflow: CaseWorkflow;
  readonly caseApi: CaseApi;
  readonly mailFeedback: MailFeedback;
  /** Only with inboundDomain: SES receiving, its bucket and the inbound function. */
  readonly inboundMail: InboundMail | undefined;
  readonly apiFirewall: ApiFirewall;
  readonly siteFirewall: SiteFirewall;
  readonly site: WebSite;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cvd-coordinator: coordinated vulnerability disclosure', ...props });
    this.config = readConfig(this);
    const { config } = this;

    this.caseTable = new CaseTable(this, 'CaseTable');
    this.mailer = new Mailer(this, 'Mailer', {
      senderEmail: config.senderEmail,
      ...(config.senderDomain === undefined ? {} : { senderDomain: config.senderDomain }),
    });
    this.linkSecret = new LinkSecret(this, 'LinkSecret');
    this.pgpKey = new PgpKey(this, 'PgpKey');
    this.files = new CaseFiles(this, 'CaseFiles', { origins: filesOrigins(config) });
    this.cveServicesKey = config.cveMode === 'cve-services' ? new CveServicesKey(this, 'CveServicesKey') : undefined;
    // What every function's environment is made of (bindEnvironment in lib/function-defaults.ts).
    const sources = {
      table: this.caseTable.table,
      mailer: this.mailer,
      linkSecret: this.linkSecret,
      pgpKey: this.pgpKey,
      files: this.files,
    };
    this.workflow = new CaseWorkflow(this, 'CaseWorkflow', {
      ...sources,
      config,
      ...(this.cveServicesKey === undefined ? {} : { cveServicesKey: this.cveServicesKey }),
    });
    this.caseApi = new CaseApi(this, 'CaseApi', {
      ...sources,
      stateMachine: this.workflow.stateMachine,
      config,
    });

    this.mailFeedback = new MailFeedback(this, 'MailFeedback', {
      ...sources,
      config,
    });

    const { inboundDomain } = config;
    this.inboundMail =
      inboundDomain === undefined
        ? undefined
        : new InboundMail(this, 'InboundMail', {
            ...sources,
            stateMachine: this.workflow.stateMachine,
            config: { ...config, inboundDomain },
          });

    this.apiFirewall = new ApiFirewall(this, 'ApiFirewall', { stage: this.caseApi.api.deploymentStage, stageName: API_STAGE_NAME, config });
    this.siteFirewall = new SiteFirewall(this, 'SiteFirewall', { config, stageName: API_STAGE_NAME });

    this.site = new WebSite(this, 'Site', {
      api: this.caseApi.api,
      stageName: API_STAGE_NAME,
      userPool: this.caseApi.userPool,
      config,
      ...(this.apiFirewall.originLock === undefined ? {} : { originLock: this.apiFirewall.originLock }),
      webAcl: this.siteFirewall.webAcl,
      filesOrigin: `https://${this.files.bucket.bucketRegionalDomainName}`,
    });
    // Links in e-mails go to the pages this stack serves unless the deployer named another site.
    if (config.publicBaseUrl === undefined) {
      for (const fn of this.functions()) {
        if (fn.envParts.includes('core')) fn.setEnvironment({ PUBLIC_BASE_URL: this.site.url });
      }
    }

    this.observability = new Observability(this, 'Observability', {
      config,
      functions: this.functions(),
      stateMachine: this.workflow.stateMachine,
      api: this.caseApi.api,
      deadLetterQueues: [this.mailFeedback.deadLetters, ...(this.inboundMail ? [this.inboundMail.failures] : [])],
    });

    new CfnOutput(this, 'SiteUrl', { value: this.site.url, description: 'The report form; the console is at /console/' });
    // The API is on the site's origin; with the origin lock the stage's own URL refuses every request.
    new CfnOutput(this, 'ApiUrl', { value: this.site.url, description: 'The API, through CloudFront: coordinator tools call it here too' });
    new CfnOutput(this, 'UserPoolId', { value: this.caseApi.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.caseApi.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: this.site.signInDomain.baseUrl(), description: 'Cognito hosted sign-in for coordinators' });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'CaseTableName', { value: this.caseTable.table.tableName });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    if (this.inboundMail)
      new CfnOutput(this, 'InboundRuleSet', {
        value: this.inboundMail.ruleSetName,
        description: 'Activate it once: aws ses set-active-receipt-rule-set --rule-set-name <this> (one active set per region)',
      });
  }

  /** Every function of the stack: the workflow's steps, the API's handlers and the event handlers. */
  functions(): CvdFunction[] {
    return [
      ...this.workflow.functions.values(),
      ...this.caseApi.functions.values(),
      this.mailFeedback.fn,
      ...(this.inboundMail ? [this.inboundMail.fn] : []),
    ];
  }
}

export const STACK_NAME = 'CvdStack';

export interface CvdAppOptions {
  /** CDK context: configuration keys (lib/config.ts) and CDK's own, e.g. bundling. */
  readonly context?: Record<string, unknown>;
  readonly env?: Environment;
  /**
   * CDK's built-in CloudFormation template validation (on by default, as in `cdk synth`). It
   * costs about 10 s of WebAssembly start-up, so tests that only read the template turn it off.
   */
  readonly templateValidation?: boolean;
}

/**
 * The app as bin/app.ts, the infra tests and the local runtime build it: the stack plus the
 * cdk-nag AwsSolutions checks, whose findings are errors unless suppressed with a reason.
 */
export function createCvdApp(options: CvdAppOptions = {}): { app: App; stack: CvdStack } {
  const app = new App({
    outdir: appOutdir(),
    ...(options.context === undefined ? {} : { context: options.context }),
    builtinCloudFormationValidation: options.templateValidation ?? true,
  });
  const stack = new CvdStack(app, STACK_NAME, options.env === undefined ? {} : { env: options.env });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

/**
 * Where browsers upload files from: the pages' origins. Without publicBaseUrl the pages are on
 * CloudFront's own domain, known only after the distribution exists (which names the bucket in its
 * CSP), so any CloudFront origin is allowed: a presigned URL is the permission, CORS only lets
 * the page read the answer. README "Files" says to set publicBaseUrl.
 */
export function filesOrigins(config: Config): string[] {
  const origins = allowedOriginsOf(config);
  return origins.length > 0 ? origins : ['https://*.cloudfront.net'];
}
