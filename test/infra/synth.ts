// Synthesizes the app once per test file, bundling skipped: esbuild over 29 functions would take
// minutes, and the template is all these tests read.
import type { Environment } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import type { CfnTemplate, TemplateResource } from '../../lib/asl.js';
import { createCvdApp, type CvdStack } from '../../lib/cvd-stack.js';

export interface Synthesized {
  readonly stack: CvdStack;
  readonly template: Template;
  readonly json: CfnTemplate;
  readonly annotations: Annotations;
  /** Wall-clock milliseconds of the synthesis (app construction, aspects, template). */
  readonly millis: number;
}

export interface SynthOptions {
  readonly context?: Record<string, unknown>;
  /** Account and region: region-agnostic (as `npm run synth` offline) unless given. */
  readonly env?: Environment;
  /** CDK's built-in CloudFormation validation: about 10 s, so only its own test turns it on. */
  readonly templateValidation?: boolean;
}

/** Inbound mail on, so every function is in the template; test/infra/inbound-mail.test.ts synthesizes without it too. */
export const SYNTH_DEFAULT_CONTEXT: Readonly<Record<string, unknown>> = { inboundDomain: 'cert.example' };

export function synthesize(options: SynthOptions = {}): Synthesized {
  const started = performance.now();
  const { stack } = createCvdApp({
    context: { 'aws:cdk:bundling-stacks': [], ...SYNTH_DEFAULT_CONTEXT, ...options.context },
    templateValidation: options.templateValidation ?? false,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const template = Template.fromStack(stack);
  const annotations = Annotations.fromStack(stack);
  return { stack, template, json: template.toJSON() as CfnTemplate, annotations, millis: performance.now() - started };
}

/** The template's resources of one type, by logical id. */
export function resourcesOfType(json: CfnTemplate, type: string): Array<[string, TemplateResource]> {
  return Object.entries(json.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

export const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
