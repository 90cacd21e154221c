// Reads what the local runtime serves straight from the synthesized template: the plain ASL,
// the functions (with their TypeScript entries) and the REST API's routes. Nothing is written
// twice by hand: a route or state added to the CDK app is served locally as it is.
import { type AslDefinition, type CfnTemplate, type TemplateFunction, resolveDefinition, templateFunctions } from '../asl.js';

export interface LocalRoute {
  method: string;
  /** The resource path, e.g. /cases/{caseId}/triage. */
  path: string;
  /** COGNITO_USER_POOLS or NONE. */
  authorization: string;
  /** Logical id of the function behind the proxy integration. */
  functionLogicalId: string;
}

export interface LocalTemplate {
  definition: AslDefinition;
  functions: TemplateFunction[];
  routes: LocalRoute[];
  /** Environment the template gives each function, by logical id (CloudFormation references dropped). */
  environments: Map<string, Record<string, string>>;
}

type Resources = NonNullable<CfnTemplate['Resources']>;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refOf(v: unknown): string | undefined {
  if (isRecord(v) && typeof v.Ref === 'string') return v.Ref;
  return undefined;
}

/** The path of an ApiGateway resource, walking its parents up to the root. */
function resourcePath(resources: Resources, logicalId: string | undefined): string {
  const parts: string[] = [];
  let id = logicalId;
  while (id) {
    const r = resources[id];
    if (r?.Type !== 'AWS::ApiGateway::Resource') break;
    const props = r.Properties ?? {};
    parts.unshift(String(props.PathPart));
    id = refOf(props.ParentId);
  }
  return `/${parts.join('/')}`;
}

/** The function a proxy integration's Uri (an Fn::Join with Fn::GetAtt <fn>.Arn) points at. */
function integrationFunction(uri: unknown): string | undefined {
  const join = isRecord(uri) ? uri['Fn::Join'] : undefined;
  if (!Array.isArray(join) || !Array.isArray(join[1])) return undefined;
  for (const part of join[1] as unknown[]) {
    const att = isRecord(part) ? part['Fn::GetAtt'] : undefined;
    if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  }
  return undefined;
}

export function readTemplate(template: CfnTemplate): LocalTemplate {
  const resources = template.Resources ?? {};
  const routes: LocalRoute[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::ApiGateway::Method') continue;
    const p = r.Properties ?? {};
    const integration = p.Integration as { Type?: string; Uri?: unknown } | undefined;
    if (integration?.Type !== 'AWS_PROXY') continue; // CORS preflight (MOCK) is answered by the emulator itself
    const fn = integrationFunction(integration.Uri);
    if (!fn) continue;
    const resourceId = refOf(p.ResourceId);
    routes.push({
      method: String(p.HttpMethod),
      path: resourceId ? resourcePath(resources, resourceId) : '/',
      authorization: String(p.AuthorizationType ?? 'NONE'),
      functionLogicalId: fn,
    });
  }
  const environments = new Map<string, Record<string, string>>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const vars = ((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
      string,
      unknown
    >;
    environments.set(id, Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === 'string')));
  }
  return { definition: resolveDefinition(template), functions: templateFunctions(template), routes, environments };
}

/** Synthesizes the CDK app in-process, bundling skipped (3–6 s, mostly loading aws-cdk-lib). */
/** The local stack's inbound domain: reports go to security@ it, replies to case+…@ it. */
export const LOCAL_INBOUND_DOMAIN = 'localhost.test';

export async function synthesizeTemplate(context: Record<string, unknown> = {}): Promise<CfnTemplate> {
  const [{ createCvdApp }, { Template }] = await Promise.all([import('../cvd-stack.js'), import('aws-cdk-lib/assertions')]);
  // Inbound mail is on locally: the SMTP listener feeds its function (lib/local/smtp-inbound.ts).
  const { stack } = createCvdApp({
    context: { 'aws:cdk:bundling-stacks': [], inboundDomain: LOCAL_INBOUND_DOMAIN, ...context },
    templateValidation: false,
  });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}
