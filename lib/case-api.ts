// The HTTP API of docs/api.md: a REST API whose routes come from lib/api-routes.ts, Cognito for
// coordinators, bearer tokens (checked by the handlers) for reporters and vendors.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, FeaturePlan, Mfa, StandardThreatProtectionMode, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ApiHandler, apiHandlerEntry, apiRoutes, COORDINATOR_GROUP, type ApiHandlerName, type ApiRoute } from './api-routes.js';
import { allowedOriginsOf, type Config } from './config.js';
import { bindEnvironment, CvdFunction } from './function-defaults.js';
import { functionEnvParts } from './function-environment.js';
import type { CaseFiles } from './case-files.js';
import type { LinkSecret } from './link-secret.js';
import type { PgpKey } from './pgp-key.js';
import type { Mailer } from './mailer.js';
import { tableAccess } from './table-access.js';

export interface CaseApiProps {
  readonly table: ITable;
  readonly mailer: Mailer;
  readonly linkSecret: LinkSecret;
  readonly pgpKey: PgpKey;
  readonly files: CaseFiles;
  readonly stateMachine: IStateMachine;
  readonly config: Config;
}

export const API_STAGE_NAME = 'v1';

// Errors API Gateway answers itself, as RFC 9457 problem documents like the handlers' own.
const gatewayProblems: ReadonlyArray<{ type: ResponseType; status: number; title: string; detail: string }> = [
  { type: ResponseType.UNAUTHORIZED, status: 401, title: 'Unauthorized', detail: '$context.error.messageString' },
  { type: ResponseType.ACCESS_DENIED, status: 403, title: 'Forbidden', detail: '$context.error.messageString' },
  // Unknown paths and methods: API Gateway's "Missing Authentication Token" means "no such route".
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, title: 'Not Found', detail: '"no such route"' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: 400, title: 'Bad Request', detail: '$context.error.messageString' },
  { type: ResponseType.BAD_REQUEST_BODY, status: 400, title: 'Bad Request', detail: '$context.error.messageString' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, title: 'Content Too Large', detail: '$context.error.messageString' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, title: 'Unsupported Media Type', detail: '$context.error.messageString' },
  { type: ResponseType.THROTTLED, status: 429, title: 'Too Many Requests', detail: '$context.error.messageString' },
  // A request the web ACL blocked without a response of its own (lib/firewall.ts).
  { type: ResponseType.WAF_FILTERED, status: 403, title: 'Forbidden', detail: '"the request was refused"' },
];

const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const pathParameters = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

export class CaseApi extends Construct {
  readonly api: RestApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly functions: ReadonlyMap<ApiHandlerName, CvdFunction>;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: CaseApiProps) {
    super(scope, id);
    const { config } = props;
    const allowedOrigins = allowedOriginsOf(config);

    this.userPool = new UserPool(this, 'CoordinatorPool', {
      // Coordinators are invited by an administrator; nobody signs up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      // TOTP only: SMS needs an SNS role and is the weaker factor.
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Coordinator accounts see every embargoed vulnerability. Threat protection (compromised
      // credentials, adaptive authentication) needs the Plus plan, billed per monthly active user:
      // a handful of coordinators costs cents a month, far less than one leaked account.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool.addGroup('CoordinatorsGroup', {
      groupName: COORDINATOR_GROUP,
      description: 'Coordinators: see and act on every case',
    });
    // For scripts and tools that sign in with SRP (no secret); the console signs in through the
    // hosted sign-in with its own client (lib/web-site.ts).
    this.userPoolClient = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      // No OAuth on this client: CDK's default would allow the implicit grant to example.com.
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetentionDays as RetentionDays });
    this.api = new RestApi(this, 'Api', {
      description: 'cvd-coordinator HTTP API',
      endpointTypes: [EndpointType.REGIONAL],
      // Access and execution logging need the account-level API Gateway CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE_NAME,
        tracingEnabled: true,
        throttlingRateLimit: config.apiRateLimit,
        throttlingBurstLimit: config.apiBurstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        // Errors only, and never bodies: requests carry embargoed vulnerability details.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
      },
      // The stack's own pages call the API on their origin (lib/web-site.ts): CORS only for others.
      ...(allowedOrigins.length > 0
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: allowedOrigins,
              allowMethods: ['GET', 'POST', 'PUT'],
              allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    // Bodies are validated by the handlers' zod schemas, which list every invalid field (docs/api.md);
    // the validator enforces required parameters and any model added later.
    const validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'CoordinatorAuthorizer', {
      cognitoUserPools: [this.userPool],
    });
    this.addProblemResponses(allowedOrigins);

    this.functions = this.createFunctions(props);
    const integrations = new Map<ApiHandlerName, LambdaIntegration>();
    for (const [name, fn] of this.functions) {
      // Test invocations from the console would double the Lambda permissions for nothing.
      integrations.set(name, new LambdaIntegration(fn, { allowTestInvoke: false }));
    }

    for (const route of apiRoutes) {
      const integration = integrations.get(route.handler);
      if (integration === undefined) throw new Error(`no API handler ${route.handler}`);
      const requestParameters = Object.fromEntries(pathParameters(route.path).map((name) => [`method.request.path.${name}`, true]));
      const method = this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        requestValidator: validator,
        requestParameters,
        ...(route.auth === 'coordinator'
          ? { authorizer, authorizationType: AuthorizationType.COGNITO }
          : { authorizationType: AuthorizationType.NONE }),
      });
      if (route.auth !== 'coordinator') this.suppressNoAuthorizer(method, route);
    }

    // The stage's web ACL is lib/firewall.ts's (ApiFirewall, composed by the stack).
    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'The account-level API Gateway logging role uses the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy, the documented policy for this one role; it only writes logs.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        },
      ],
      true,
    );
  }

  private createFunctions(props: CaseApiProps): ReadonlyMap<ApiHandlerName, CvdFunction> {
    const scope = new Construct(this, 'Handlers');
    const functions = new Map<ApiHandlerName, CvdFunction>();
    for (const name of Object.values(ApiHandler)) {
      const fn = new CvdFunction(scope, pascalCase(name), {
        entry: apiHandlerEntry(name),
        handlerName: name,
        envParts: functionEnvParts[name],
        logRetentionDays: props.config.logRetentionDays,
      });
      bindEnvironment(fn, tableAccess[name], props);
      functions.set(name, fn);
    }
    return functions;
  }

  private addProblemResponses(allowedOrigins: string[]): void {
    // A browser can read an error only with the CORS header; with several origins the handlers'
    // own responses pick the right one, and gateway errors stay opaque to the page.
    const corsHeaders: Record<string, string> =
      allowedOrigins.length === 1 && allowedOrigins[0] !== undefined ? { 'Access-Control-Allow-Origin': `'${allowedOrigins[0]}'` } : {};
    for (const problem of gatewayProblems) {
      this.api.addGatewayResponse(`${pascalCase(problem.type.responseType.toLowerCase().replaceAll('_', '-'))}Problem`, {
        type: problem.type,
        statusCode: String(problem.status),
        responseHeaders: { 'Content-Type': "'application/problem+json'", ...corsHeaders },
        templates: {
          'application/json': `{"type":"about:blank","title":"${problem.title}","status":${problem.status},"detail":${problem.detail}}`,
        },
      });
    }
  }

  private suppressNoAuthorizer(method: Construct, route: ApiRoute): void {
    const reason =
      route.auth === 'public'
        ? `${route.method} ${route.path} is public by design (docs/api.md "Callers"): anyone may submit a report, read published notes, the feed, the OpenAPI document and health.`
        : `${route.method} ${route.path} is for a reporter or vendor holding a 256-bit bearer token that the handler checks against its SHA-256 hash in the case table (docs/api.md); those callers have no Cognito account.`;
    NagSuppressions.addResourceSuppressions(method, [
      { id: 'AwsSolutions-APIG4', reason },
      { id: 'AwsSolutions-COG4', reason },
    ]);
  }
}
