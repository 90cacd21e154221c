// The team's OpenPGP keys: two secrets the stack creates empty (no key material in the template);
// the private key is read by exactly the functions that send mail (they sign and encrypt) and the
// one that receives it (it decrypts), the
// public key by exactly the public routes' function; each told where through its own variable;
// openpgp.js reaches exactly those functions, from a layer, and is in no bundle.
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYER_MODULES } from '../../lib/bundling.js';
import { functionEnvParts } from '../../lib/function-environment.js';
import { ALL_HANDLERS } from '../../lib/handlers.js';
import type { HandlerName } from '../../lib/table-access.js';
import { functionOf } from '../builders/table-permissions.js';
import { resourcesOfType, synthesize, type Synthesized } from './synth.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const HANDLERS: HandlerName[] = [...ALL_HANDLERS];
const sendsMail = (name: HandlerName) => functionEnvParts[name].includes('mail');
/** The inbound function opens encrypted reports and replies with the team's private key. */
const opensMail = (name: HandlerName) => name === 'inbound-mail';
const servesPublic = (name: HandlerName) => functionEnvParts[name].includes('publicNotes');

function secretId(prefix: string): string {
  const ids = resourcesOfType(synth.json, 'AWS::SecretsManager::Secret')
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** The secrets a function's role may read (GetSecretValue), by logical id. */
function secretsRead(name: HandlerName): string[] {
  const fn = synth.json.Resources?.[functionOf(synth.json, name)];
  const roleId = /"Fn::GetAtt":\["([^"]+)"/.exec(JSON.stringify(fn?.Properties?.Role ?? ''))?.[1] ?? '';
  const secrets = resourcesOfType(synth.json, 'AWS::SecretsManager::Secret').map(([id]) => id);
  return resourcesOfType(synth.json, 'AWS::IAM::Policy').flatMap(([, p]) => {
    const props = p.Properties ?? {};
    if (!JSON.stringify(props.Roles ?? '').includes(`"${roleId}"`)) return [];
    const statements = (props.PolicyDocument as { Statement?: { Action?: unknown; Resource?: unknown }[] } | undefined)?.Statement ?? [];
    return statements
      .filter((s) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => secrets.filter((id) => JSON.stringify(s.Resource).includes(`"${id}"`)));
  });
}

const envOf = (name: HandlerName) =>
  (synth.json.Resources?.[functionOf(synth.json, name)]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables ?? {};

describe("the team's OpenPGP key", () => {
  it('is two secrets created without a value: no key material, and none generated', () => {
    for (const prefix of ['PgpKeyPrivateKey', 'PgpKeyPublicKey']) {
      const secret = synth.json.Resources?.[secretId(prefix)];
      expect(secret?.Properties?.SecretString, prefix).toBeUndefined();
      expect(secret?.Properties?.GenerateSecretString, prefix).toBeUndefined();
    }
    expect(JSON.stringify(synth.json)).not.toMatch(/BEGIN PGP/);
    expect(Object.keys((synth.json as { Outputs?: Record<string, unknown> }).Outputs ?? {})).toEqual(
      expect.arrayContaining(['PgpPrivateKeySecretArn', 'PgpPublicKeySecretArn']),
    );
  });

  it('private key: read by exactly the functions that send mail, and the one that opens received mail; public key: by exactly the public routes', () => {
    const [priv, pub] = [secretId('PgpKeyPrivateKey'), secretId('PgpKeyPublicKey')];
    expect(HANDLERS.filter(sendsMail)).toEqual(expect.arrayContaining(['register-case', 'notify-vendor', 'advance-case']));
    expect(HANDLERS.filter(servesPublic)).toEqual(['public-notes']);
    for (const name of HANDLERS) {
      const read = secretsRead(name);
      expect(read.includes(priv), name).toBe(sendsMail(name) || opensMail(name));
      expect(read.includes(pub), name).toBe(servesPublic(name));
      expect('PGP_KEY_SECRET_ARN' in envOf(name), name).toBe(sendsMail(name));
      expect('PGP_PUBLIC_KEY_SECRET_ARN' in envOf(name), name).toBe(servesPublic(name));
      expect('INBOUND_PGP_KEY_SECRET_ARN' in envOf(name), name).toBe(opensMail(name));
    }
  });

  it('openpgp.js comes from one layer of our own, given to exactly the functions that send or open mail, and is left out of every bundle', () => {
    expect(LAYER_MODULES).toContain('openpgp');
    const layers = resourcesOfType(synth.json, 'AWS::Lambda::LayerVersion').filter(([id]) => id.startsWith('OpenPgpLayer'));
    expect(layers).toHaveLength(1);
    const layerId = layers[0]![0];
    for (const name of HANDLERS) {
      const fn = synth.json.Resources?.[functionOf(synth.json, name)];
      expect(JSON.stringify(fn?.Properties?.Layers ?? []).includes(`"${layerId}"`), name).toBe(sendsMail(name) || opensMail(name));
    }
  });
});
