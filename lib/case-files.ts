// The private bucket of case files (functions/app/attachments.ts): versioned, encrypted with a
// key of its own, closed to the public, TLS only, its access logged. Browsers upload and download
// through presigned URLs, so CORS allows the pages' origins to PUT and GET and nothing else.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { FILE_UPLOAD_HEADERS } from '../functions/domain/attachments.js';
import type { CvdFunction } from './function-defaults.js';
import type { FileAccess } from './function-environment.js';

export interface CaseFilesProps {
  /** The pages' origins: the only ones a browser may upload from or download to. */
  readonly origins: readonly string[];
}

export class CaseFiles extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: CaseFilesProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', { description: 'cvd-coordinator: case files', enableKeyRotation: true });
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(logs, [
      { id: 'AwsSolutions-S1', reason: 'This bucket is the access log of the case files bucket; logging it again would log the logs.' },
    ]);
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'files/',
      // A removed file (the retention rule, a mismatched upload) is kept as a non-current version
      // for a day, then expired with its delete marker; abandoned uploads go after a day too.
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          allowedOrigins: [...props.origins],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: [...FILE_UPLOAD_HEADERS],
          maxAge: 600,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** FILES_BUCKET, and exactly the object actions `access` needs under cases/. */
  bind(fn: CvdFunction, access: FileAccess): void {
    fn.setEnvironment({ FILES_BUCKET: this.bucket.bucketName });
    const objects = this.bucket.arnForObjects('cases/*');
    const actions = ['s3:GetObject', ...(access === 'write' ? ['s3:PutObject'] : []), ...(access === 'read' ? [] : ['s3:DeleteObject'])];
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [objects] }));
    if (access === 'read') this.key.grantDecrypt(fn);
    else this.key.grantEncryptDecrypt(fn);
    NagSuppressions.addResourceSuppressions(
      fn.executionRole,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Case files are objects named cases/<case id>/<file id>, unknown at deploy time; the grant covers that prefix of the files bucket only. The handler decides per request which file a caller may have.',
          appliesTo: [{ regex: '/^Resource::<.+\\.Arn>\\/cases\\/\\*$/g' }],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "CDK's key grant for S3 objects encrypted under the files key: kms:GenerateDataKey* and kms:ReEncrypt* on that one key (the resource is the key's ARN).",
          appliesTo: ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
        },
      ],
      true,
    );
  }
}
