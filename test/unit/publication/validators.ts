// The official validators the publication tests hold every produced document to: the BSI CSAF
// validator (schema + mandatory tests, `basic.js`), the OASIS CSAF 2.0 schema, the CVE 5.1.1
// cnaPublishedContainer schema and the OSV schema, all compiled from test/fixtures/schemas.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as basic from '@secvisogram/csaf-validator-lib/basic.js';
import validateCsafWith from '@secvisogram/csaf-validator-lib/validate.js';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv | Ajv2020,
) => void;

type Json = Record<string, unknown>;
const schemaDir = fileURLToPath(new URL('../../fixtures/schemas/', import.meta.url));
const load = (name: string): Json => JSON.parse(readFileSync(`${schemaDir}${name}`, 'utf8')) as Json;

/** Drops `$schema` (and draft-04 `id`) everywhere below the root: Ajv compiles no draft-04. */
function withoutDraft04(node: unknown, root = true): unknown {
  if (Array.isArray(node)) return node.map((x) => withoutDraft04(x, false));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$schema' && !root) continue;
    if (k === 'id' && typeof v === 'string' && v.startsWith('http')) continue;
    out[k] = withoutDraft04(v, false);
  }
  return out;
}

const cvssSchema = (file: string, id: string): Json => {
  const s = withoutDraft04(load(file)) as Json;
  delete s.$schema;
  return { ...s, $id: id };
};

const ajv2020 = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv2020);
ajv2020.addSchema(cvssSchema('cvss-v2.0.json', 'https://www.first.org/cvss/cvss-v2.0.json'));
ajv2020.addSchema(cvssSchema('cvss-v3.0.json', 'https://www.first.org/cvss/cvss-v3.0.json'));
ajv2020.addSchema(cvssSchema('cvss-v3.1.json', 'https://www.first.org/cvss/cvss-v3.1.json'));
const csafSchema: ValidateFunction = ajv2020.compile(load('csaf_json_schema_2.0.json'));
const osvSchema: ValidateFunction = ajv2020.compile(load('osv.schema.json'));

const ajv07 = new Ajv({ strict: false, allErrors: true });
addFormats(ajv07);
const cveSchema: ValidateFunction = ajv07.compile(withoutDraft04(load('CVE_JSON_cnaPublishedContainer_5.1.1.json')) as Json);

const describeErrors = (errors: readonly ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

export interface Verdict {
  valid: boolean;
  errors: string[];
}

const run = (v: ValidateFunction, doc: unknown): Verdict => {
  const valid = v(doc) === true;
  return { valid, errors: valid ? [] : describeErrors(v.errors) };
};

export const validateCsafSchema = (doc: unknown): Verdict => run(csafSchema, doc);
export const validateCveContainer = (doc: unknown): Verdict => run(cveSchema, doc);
export const validateOsv = (doc: unknown): Verdict => run(osvSchema, doc);

/** The BSI validator's basic set: the strict CSAF 2.0 schema test and every mandatory test. */
export async function validateCsafBsi(doc: unknown): Promise<Verdict> {
  // The validator may annotate or mutate; give it a copy.
  const result = await validateCsafWith(Object.values(basic), structuredClone(doc));
  return {
    valid: result.isValid,
    errors: result.tests.filter((t) => !t.isValid).flatMap((t) => t.errors.map((e) => `${t.name} ${e.instancePath}: ${e.message}`)),
  };
}

/** Every check a published CSAF document must pass. */
export async function validateCsaf(doc: unknown): Promise<Verdict> {
  const a = validateCsafSchema(doc);
  const b = await validateCsafBsi(doc);
  return { valid: a.valid && b.valid, errors: [...a.errors.map((e) => `schema ${e}`), ...b.errors.map((e) => `bsi ${e}`)] };
}
