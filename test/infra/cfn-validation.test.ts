import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCvdApp } from '../../lib/cvd-stack.js';

// CDK's built-in CloudFormation validation runs in `cdk synth`; its ~10 s start-up is paid here
// once, in its own file, so the other infra tests can skip it.
interface ValidationReport {
  pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; description: string }> }>;
}
let report: ValidationReport;
beforeAll(() => {
  const { app } = createCvdApp({ context: { 'aws:cdk:bundling-stacks': [] }, templateValidation: true });
  const assembly = app.synth();
  report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as ValidationReport;
});

describe('the synthesized template', () => {
  it('passes CloudFormation template validation without findings', () => {
    const violations = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((v) => `${plugin.pluginName} ${v.ruleName}: ${v.description}`),
    );
    expect(violations).toEqual([]);
  });
});
