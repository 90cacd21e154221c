// @secvisogram/csaf-validator-lib 2.0.10 is JavaScript (ESM) without type definitions; this covers
// the modules the publication tests use.
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface TestResult {
    name: string;
    isValid: boolean;
    errors: { instancePath: string; message: string }[];
    warnings: { instancePath: string; message: string }[];
    infos: { instancePath: string; message: string }[];
  }
  export type DocumentTest = (doc: unknown) => unknown;
  export default function validate(tests: readonly DocumentTest[], doc: unknown): Promise<{ isValid: boolean; tests: TestResult[] }>;
}

declare module '@secvisogram/csaf-validator-lib/basic.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}

declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}

declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  export const weaknesses: readonly { id: string; name: string }[];
}
