// Plain ASL from a synthesized template. The DefinitionString is an Fn::Join of strings,
// Ref AWS::Partition and Fn::GetAtt <function>.Arn; resolving those gives the definition the
// infra tests validate and the local runtime runs, with a recognisable ARN for each function.
// This module stays free of aws-cdk-lib so the local runtime can read a template cheaply.

/** Construct and CloudFormation metadata keys that map a function back to its TypeScript module. */
export const EntryMetadata = {
  Entry: 'cvd:entry',
  HandlerName: 'cvd:handler-name',
} as const;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, TemplateResource>;
  /** Template parameters: the SSM-resolved Powertools layer ARN among them. */
  readonly Parameters?: Record<string, unknown>;
}

export interface AslState {
  readonly Type: string;
  readonly [field: string]: unknown;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly Comment?: string;
  readonly [field: string]: unknown;
}

export const LOCAL_PARTITION = 'aws';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

/** The ARN a function of the template gets in the resolved definition: named by its logical id. */
export const localFunctionArn = (logicalId: string): string =>
  `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;

/** The logical id back from an ARN made by localFunctionArn, or undefined. */
export function logicalIdOfFunctionArn(arn: string): string | undefined {
  const prefix = localFunctionArn('');
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : undefined;
}

export interface ResolveOptions {
  /** Which state machine, when the template has more than one. */
  readonly stateMachineLogicalId?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const pseudoParameters: Readonly<Record<string, string>> = {
  'AWS::Partition': LOCAL_PARTITION,
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolvePart(part: unknown, resources: Record<string, TemplateResource>): string {
  if (typeof part === 'string') return part;
  if (isRecord(part)) {
    const ref = part.Ref;
    if (typeof ref === 'string') {
      const value = pseudoParameters[ref];
      if (value !== undefined) return value;
      throw new Error(`cannot resolve Ref ${ref} in the state machine definition`);
    }
    const getAtt = part['Fn::GetAtt'];
    const [logicalId, attribute] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? getAtt.split('.') : [];
    if (typeof logicalId === 'string' && attribute === 'Arn') {
      const type = resources[logicalId]?.Type;
      if (type === 'AWS::Lambda::Function') return localFunctionArn(logicalId);
      throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.Arn (${type ?? 'no such resource'})`);
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(part)} in the state machine definition`);
}

function stateMachineResource(template: CfnTemplate, options: ResolveOptions): TemplateResource {
  const resources = template.Resources ?? {};
  if (options.stateMachineLogicalId !== undefined) {
    const resource = resources[options.stateMachineLogicalId];
    if (resource?.Type !== 'AWS::StepFunctions::StateMachine') {
      throw new Error(`${options.stateMachineLogicalId} is not a state machine of the template`);
    }
    return resource;
  }
  const machines = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const [only] = machines;
  if (machines.length !== 1 || only === undefined) {
    throw new Error(`expected one state machine in the template, found ${machines.length}`);
  }
  return only;
}

/** The state machine's definition as plain ASL, with functions as localFunctionArn(logical id). */
export function resolveDefinition(template: CfnTemplate, options: ResolveOptions = {}): AslDefinition {
  const resources = template.Resources ?? {};
  const definition = stateMachineResource(template, options).Properties?.DefinitionString;
  let text: string;
  if (typeof definition === 'string') {
    text = definition;
  } else if (isRecord(definition) && Array.isArray(definition['Fn::Join'])) {
    const [separator, parts] = definition['Fn::Join'] as unknown[];
    if (typeof separator !== 'string' || !Array.isArray(parts)) throw new Error('malformed Fn::Join in DefinitionString');
    text = parts.map((part) => resolvePart(part, resources)).join(separator);
  } else {
    throw new Error('the state machine has no DefinitionString (DefinitionS3Location is not supported)');
  }
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || typeof parsed.StartAt !== 'string' || !isRecord(parsed.States)) {
    throw new Error('the DefinitionString is not an ASL state machine');
  }
  return parsed as unknown as AslDefinition;
}

export interface TemplateFunction {
  readonly logicalId: string;
  /** The ARN the resolved definition uses for it. */
  readonly arn: string;
  /** The TypeScript entry file, relative to the repository root. */
  readonly entry: string;
  readonly handlerName: string;
}

/** Every function of the template that records its entry (CvdFunction does). */
export function templateFunctions(template: CfnTemplate): TemplateFunction[] {
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (resource.Type !== 'AWS::Lambda::Function') return [];
    const entry = resource.Metadata?.[EntryMetadata.Entry];
    const handlerName = resource.Metadata?.[EntryMetadata.HandlerName];
    if (typeof entry !== 'string' || typeof handlerName !== 'string') return [];
    return [{ logicalId, arn: localFunctionArn(logicalId), entry, handlerName }];
  });
}

/** Every state of the definition, including those inside Map and Parallel, with its name. */
export function allStates(definition: { States: Record<string, AslState> }): Array<[string, AslState]> {
  const found: Array<[string, AslState]> = [];
  const visit = (states: Record<string, AslState>): void => {
    for (const [name, state] of Object.entries(states)) {
      found.push([name, state]);
      for (const nested of [state.ItemProcessor, state.Iterator]) {
        if (isRecord(nested) && isRecord(nested.States)) visit(nested.States as Record<string, AslState>);
      }
      if (Array.isArray(state.Branches)) {
        for (const branch of state.Branches) {
          if (isRecord(branch) && isRecord(branch.States)) visit(branch.States as Record<string, AslState>);
        }
      }
    }
  };
  visit(definition.States);
  return found;
}
