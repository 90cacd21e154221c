// Reads a function's case-table statements out of the synthesized template and decides a request
// the way IAM would for these statements: the action, the table or index ARN, and
// ForAllValues:StringLike on dynamodb:LeadingKeys (with the Null guard where present). The infra
// tests check the template with it; the e2e test checks what the running handlers really did.
import type { CfnTemplate } from '../../lib/asl.js';

export interface TableRequest {
  /** A DynamoDB action name: GetItem, Query, Scan, BatchWriteItem… */
  readonly action: string;
  /** The index a Query names, or null for the table. */
  readonly index: string | null;
  /** The request's partition key value (for a Query on an index, the index's partition key). */
  readonly partitionKey: string | null;
}

/** A case-table statement as the template has it, reduced to what decides a request. */
export interface TemplateTableStatement {
  readonly actions: string[];
  /** null: the table itself; else the index named in the ARN. */
  readonly index: string | null;
  readonly keys: string[];
  /** Null: { dynamodb:LeadingKeys: false } is present (the key must be in the request). */
  readonly requiresKey: boolean;
  /** Any other condition, or a resource that is neither the table nor one named index. */
  readonly unexpected: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The logical id of the function whose `cvd:handler-name` metadata is `handlerName`. */
export function functionOf(template: CfnTemplate, handlerName: string): string {
  const found = Object.entries(template.Resources ?? {}).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['cvd:handler-name'] === handlerName,
  );
  if (!found) throw new Error(`no function ${handlerName} in the template`);
  return found[0];
}

function roleOf(template: CfnTemplate, functionLogicalId: string): string {
  const role = template.Resources?.[functionLogicalId]?.Properties?.Role;
  const att = isRecord(role) ? role['Fn::GetAtt'] : undefined;
  if (!Array.isArray(att) || typeof att[0] !== 'string') throw new Error(`function ${functionLogicalId} has no role of its own`);
  return att[0];
}

/** Every statement of the role's policies (inline and AWS::IAM::Policy). */
function roleStatements(template: CfnTemplate, roleId: string): Record<string, unknown>[] {
  const documents: unknown[] = [];
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const props = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Policy' && asArray(props.Roles as unknown[]).some((x) => isRecord(x) && x.Ref === roleId))
      documents.push(props.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role' && id === roleId)
      for (const p of asArray(props.Policies as unknown[])) if (isRecord(p)) documents.push(p.PolicyDocument);
  }
  return documents.flatMap((d) => (isRecord(d) ? asArray(d.Statement as unknown[]).filter(isRecord) : []));
}

function tableIdOf(template: CfnTemplate): string {
  const tables = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table');
  if (tables.length !== 1 || tables[0] === undefined) throw new Error('expected one table');
  return tables[0][0];
}

/** The table (null), an index name, or undefined for any other resource. */
function tableResource(resource: unknown, tableId: string): string | null | undefined {
  const isTableArn = (v: unknown) =>
    isRecord(v) && Array.isArray(v['Fn::GetAtt']) && v['Fn::GetAtt'][0] === tableId && v['Fn::GetAtt'][1] === 'Arn';
  if (isTableArn(resource)) return null;
  const join = isRecord(resource) ? resource['Fn::Join'] : undefined;
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) && join[1].length === 2 && isTableArn(join[1][0])) {
    const m = typeof join[1][1] === 'string' ? /^\/index\/([A-Za-z0-9_.-]+)$/.exec(join[1][1]) : null;
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** The function's statements that name a DynamoDB action. */
export function tableStatementsOf(template: CfnTemplate, handlerName: string): TemplateTableStatement[] {
  const tableId = tableIdOf(template);
  const out: TemplateTableStatement[] = [];
  for (const s of roleStatements(template, roleOf(template, functionOf(template, handlerName)))) {
    const actions = asArray(s.Action as string | string[]);
    if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
    const unexpected: string[] = [];
    if (s.Effect !== 'Allow') unexpected.push(`Effect ${String(s.Effect)}`);
    const resources = asArray(s.Resource as unknown[]);
    const indexes = resources.map((r) => tableResource(r, tableId));
    if (resources.length !== 1 || indexes[0] === undefined) unexpected.push(`Resource ${JSON.stringify(s.Resource)}`);
    const condition = isRecord(s.Condition) ? s.Condition : {};
    const like = condition['ForAllValues:StringLike'];
    const keys = isRecord(like) ? asArray(like['dynamodb:LeadingKeys'] as string | string[]) : [];
    if (!isRecord(like) || Object.keys(like).length !== 1 || keys.length === 0)
      unexpected.push(`no LeadingKeys condition: ${JSON.stringify(s.Condition)}`);
    const nullGuard = condition.Null;
    const requiresKey = isRecord(nullGuard) && nullGuard['dynamodb:LeadingKeys'] === 'false' && Object.keys(nullGuard).length === 1;
    for (const k of Object.keys(condition))
      if (k !== 'ForAllValues:StringLike' && !(k === 'Null' && requiresKey)) unexpected.push(`condition ${k}`);
    out.push({
      actions: actions.map((a) => a.replace(/^dynamodb:/, '')).sort(),
      index: indexes[0] ?? null,
      keys: [...keys].sort(),
      requiresKey,
      unexpected,
    });
  }
  return out;
}

/** IAM StringLike: `*` any run of characters, `?` one; case-sensitive, whole value. */
export function stringLike(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

/** Whether one of the statements allows the request (no statement denies; nothing else grants). */
export function permits(statements: readonly TemplateTableStatement[], request: TableRequest): boolean {
  return statements.some((s) => {
    if (s.unexpected.length > 0 || !s.actions.includes(request.action) || s.index !== request.index) return false;
    // ForAllValues over an absent key is vacuously true; the Null guard turns that into a refusal.
    if (request.partitionKey === null) return !s.requiresKey;
    const key = request.partitionKey;
    return s.keys.some((pattern) => stringLike(pattern, key));
  });
}
