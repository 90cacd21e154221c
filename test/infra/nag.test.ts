import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const describeFindings = (findings: ReturnType<Synthesized['annotations']['findError']>): string[] =>
  findings.map((finding) => `${finding.id}: ${String(finding.entry.data)}`);

describe('cdk-nag AwsSolutions checks', () => {
  it('reports no errors: every finding is fixed or suppressed with a reason', () => {
    const errors = synth.annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(describeFindings(errors)).toEqual([]);
  });

  it('reports no warnings either', () => {
    const warnings = synth.annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(describeFindings(warnings)).toEqual([]);
  });

  it('synthesizes in-process within seconds with bundling skipped', () => {
    console.info(`in-process synth with cdk-nag: ${Math.round(synth.millis)} ms`);
    expect(synth.millis).toBeLessThan(60_000);
  });
});
