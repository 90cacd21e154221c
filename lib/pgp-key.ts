// The coordination team's OpenPGP key pair (README "OpenPGP"): two Secrets Manager secrets the
// stack creates empty and the operator fills from `npm run pgp:keygen`, so no key material is in
// the context, the template or an environment. The private key is readable only by the functions
// that send mail (they sign and encrypt it); the public key only by the function that serves it
// (/pgp-key.asc, security.txt). openpgp.js reaches the mail functions through a layer of our own.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Architecture, Code, type ILayerVersion, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { type CvdFunction, repoRoot } from './function-defaults.js';

const LAYER_ID = 'OpenPgpLayer';

/** An empty secret: CloudFormation creates it without a value, so "not put yet" is told from a key. */
function emptySecret(scope: Construct, id: string, description: string): Secret {
  const secret = new Secret(scope, id, { description });
  (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
  NagSuppressions.addResourceSuppressions(secret, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'An OpenPGP key pair is rotated by publishing a new public key that correspondents must fetch (README "OpenPGP"), an operator decision, not a Secrets Manager schedule.',
    },
  ]);
  return secret;
}

export class PgpKey extends Construct {
  readonly privateKey: Secret;
  readonly publicKey: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.privateKey = emptySecret(this, 'PrivateKey', 'cvd-coordinator: the team OpenPGP private key, armored (npm run pgp:keygen)');
    this.publicKey = emptySecret(this, 'PublicKey', 'cvd-coordinator: the team OpenPGP public key, armored (npm run pgp:keygen)');
    new CfnOutput(scope, 'PgpPrivateKeySecretArn', {
      value: this.privateKey.secretArn,
      description:
        'Put the team OpenPGP private key here: aws secretsmanager put-secret-value --secret-id <this> --secret-string file://private.asc',
    });
    new CfnOutput(scope, 'PgpPublicKeySecretArn', {
      value: this.publicKey.secretArn,
      description:
        'Put the team OpenPGP public key here: aws secretsmanager put-secret-value --secret-id <this> --secret-string file://public.asc',
    });
  }

  /** PGP_KEY_SECRET_ARN, reading exactly the private key, and openpgp.js from its layer. */
  bindPrivate(fn: CvdFunction): void {
    fn.setEnvironment({ PGP_KEY_SECRET_ARN: this.privateKey.secretArn });
    this.privateKey.grantRead(fn);
    fn.addLayers(openpgpLayer(fn));
  }

  /** INBOUND_PGP_KEY_SECRET_ARN for the function that opens received mail: the private key, and openpgp.js. */
  bindOpener(fn: CvdFunction): void {
    fn.setEnvironment({ INBOUND_PGP_KEY_SECRET_ARN: this.privateKey.secretArn });
    this.privateKey.grantRead(fn);
    fn.addLayers(openpgpLayer(fn));
  }

  /** PGP_PUBLIC_KEY_SECRET_ARN, reading exactly the public key. */
  bindPublic(fn: CvdFunction): void {
    fn.setEnvironment({ PGP_PUBLIC_KEY_SECRET_ARN: this.publicKey.secretArn });
    this.publicKey.grantRead(fn);
  }
}

/**
 * openpgp.js at the version package-lock.json installed, as a layer (nodejs/node_modules/openpgp):
 * its minified ES module and a package.json that points at it. Left out of every bundle
 * (lib/bundling.ts), so the mail functions load it from the layer and the others never carry it.
 */
export function openpgpLayer(scope: Construct): ILayerVersion {
  const stack = Stack.of(scope);
  const found = stack.node.tryFindChild(LAYER_ID) as ILayerVersion | undefined;
  if (found) return found;
  return new LayerVersion(stack, LAYER_ID, {
    code: Code.fromAsset(stagedOpenpgp()),
    compatibleRuntimes: [Runtime.NODEJS_22_X],
    compatibleArchitectures: [Architecture.ARM_64],
    description: 'openpgp.js for cvd-coordinator mail functions',
  });
}

function stagedOpenpgp(): string {
  const source = path.join(repoRoot, 'node_modules', 'openpgp');
  const { version } = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string };
  const root = path.join(tmpdir(), `cvd-openpgp-layer-${version}`);
  const target = path.join(root, 'nodejs', 'node_modules', 'openpgp');
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(source, 'dist', 'node', 'openpgp.min.mjs'), path.join(target, 'openpgp.min.mjs'));
  copyFileSync(path.join(source, 'LICENSE'), path.join(target, 'LICENSE'));
  writeFileSync(
    path.join(target, 'package.json'),
    `${JSON.stringify({ name: 'openpgp', version, type: 'module', exports: { '.': './openpgp.min.mjs' } }, null, 2)}\n`,
  );
  return root;
}
