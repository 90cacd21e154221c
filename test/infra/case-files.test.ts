// The case files bucket as deployed: private, versioned, encrypted with its own rotating key, TLS
// only, access-logged, CORS for the pages' origin alone; each function given exactly its file
// access (download links, uploads, or the retention rule's removal of every version).
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileAccess } from '../../lib/function-environment.js';
import { FILE_UPLOAD_HEADERS } from '../../functions/domain/attachments.js';
import { type Synthesized, asArray, isRecord, resourcesOfType, synthesize } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ context: { publicBaseUrl: 'https://cvd.example.org' } });
}, 120_000);

const filesBucketId = () => {
  const found = resourcesOfType(synth.json, 'AWS::S3::Bucket').filter(
    ([id]) => id.startsWith('CaseFiles') && !id.startsWith('CaseFilesAccessLogs'),
  );
  expect(found).toHaveLength(1);
  return found[0]![0];
};

/** The S3 and KMS actions of each function's role policies, by handler name. */
function fileActionsByHandler(): Record<string, string[]> {
  const roleOf = new Map<string, string>();
  for (const [, fn] of resourcesOfType(synth.json, 'AWS::Lambda::Function')) {
    const name = fn.Metadata?.['cvd:handler-name'];
    const role = /"Fn::GetAtt":\["([^"]+)"/.exec(JSON.stringify(fn.Properties?.Role ?? ''))?.[1];
    if (typeof name === 'string' && role) roleOf.set(role, name);
  }
  const out: Record<string, string[]> = {};
  for (const [, policy] of resourcesOfType(synth.json, 'AWS::IAM::Policy')) {
    const roles = asArray(policy.Properties?.Roles as unknown[] | undefined).map((r) => (isRecord(r) ? String(r.Ref) : ''));
    const doc = policy.Properties?.PolicyDocument;
    const statements = isRecord(doc) ? asArray(doc.Statement as Record<string, unknown>[] | undefined) : [];
    for (const role of roles) {
      const name = roleOf.get(role);
      if (!name) continue;
      for (const st of statements)
        for (const a of asArray(st.Action as string | string[])) if (a.startsWith('s3:')) out[name] = [...(out[name] ?? []), a];
    }
  }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
  return out;
}

describe('the case files bucket', () => {
  it('is private, versioned, KMS-encrypted with a rotating key of its own, TLS only and access-logged', () => {
    const id = filesBucketId();
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      // What the retention rule deletes is gone a day later, earlier versions included.
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 1 }, ExpiredObjectDeleteMarker: true })]),
      },
    });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'cvd-coordinator: case files' });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    expect((synth.json.Resources?.[id] as { DeletionPolicy?: string } | undefined)?.DeletionPolicy).toBe('Retain');
  });

  it('lets only the pages’ origin PUT and GET, with the upload headers and nothing else', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          {
            AllowedOrigins: ['https://cvd.example.org'],
            AllowedMethods: ['PUT', 'GET'],
            AllowedHeaders: [...FILE_UPLOAD_HEADERS],
            MaxAge: 600,
          },
        ],
      },
    });
  });

  it('gives each function exactly its file access', () => {
    const got = fileActionsByHandler();
    expect(Object.keys(got).sort()).toEqual(Object.keys(fileAccess).sort());
    const want = {
      read: ['s3:GetObject'],
      write: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      remove: ['s3:DeleteObject', 's3:GetObject'],
    };
    for (const [name, access] of Object.entries(fileAccess)) expect(got[name], name).toEqual(want[access]);
  });

  it('lets the pages upload to it (their CSP names the bucket)', () => {
    const policies = resourcesOfType(synth.json, 'AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(policies.map(([, p]) => p.Properties));
    expect(csp).toContain('connect-src');
    expect(csp).toContain(`"Fn::GetAtt":["${filesBucketId()}","RegionalDomainName"]`);
  });
});
