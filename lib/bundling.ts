// How every Lambda bundle is built: one definition for CvdFunction (CDK's esbuild run) and for
// the benchmark, which builds the same bundles and their floors itself.

/** esbuild's ESM output has no `require`; bundled CommonJS that requires Node built-ins needs one. */
export const ESM_REQUIRE_SHIM =
  "import { createRequire as __cvdCreateRequire } from 'node:module'; const require = __cvdCreateRequire(import.meta.url);";

/**
 * Modules the Lambda runtime provides from layers: Powertools (lib/powertools-layer.ts), so logging
 * and metrics add nothing to a handler's size, and openpgp.js (lib/pgp-key.ts), given only to the
 * functions that send mail (README "Benchmarks" has the sizes that decided it).
 */
export const LAYER_MODULES = ['@aws-lambda-powertools/*', 'openpgp'] as const;

export const BUNDLING = {
  minify: true,
  target: 'node22',
  format: 'esm',
  platform: 'node',
  // ES module builds of the SDK tree-shake; the CommonJS ones do not.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  external: LAYER_MODULES,
} as const;
