// The Powertools for AWS Lambda (TypeScript) layer, at the version package.json pins: AWS publishes
// its ARN per region in SSM under /aws/service/powertools/typescript/generic/all/<version>, so the
// stack names the version and CloudFormation resolves the ARN in whatever region it deploys to.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { type ILayerVersion, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

const LAYER_ID = 'PowertoolsLayer';

/** The pinned version of the Powertools packages: the layer must carry the code the tests ran. */
export function powertoolsVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const versions = new Set(
    Object.entries(pkg.dependencies ?? {})
      .filter(([name]) => name.startsWith('@aws-lambda-powertools/'))
      .map(([, v]) => v),
  );
  const [version, ...others] = [...versions];
  if (version === undefined || others.length > 0 || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(
      `package.json must pin every @aws-lambda-powertools package to one exact version, found ${[...versions].join(', ') || 'none'}`,
    );
  return version;
}

export const powertoolsLayerParameter = (version: string): string => `/aws/service/powertools/typescript/generic/all/${version}`;

/** One layer reference per stack, shared by every function. */
export function powertoolsLayer(scope: Construct, root: string): ILayerVersion {
  const stack = Stack.of(scope);
  const found = stack.node.tryFindChild(LAYER_ID) as ILayerVersion | undefined;
  if (found) return found;
  const arn = StringParameter.valueForStringParameter(stack, powertoolsLayerParameter(powertoolsVersion(root)));
  return LayerVersion.fromLayerVersionArn(stack, LAYER_ID, arn);
}
