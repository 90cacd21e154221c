import { build } from 'esbuild';
import { BUNDLING } from '../lib/bundling.js';
const r = await build({
  entryPoints: [process.argv[2]!],
  bundle: true,
  write: false,
  outfile: '/tmp/x.mjs',
  minify: true,
  target: BUNDLING.target,
  format: BUNDLING.format,
  platform: BUNDLING.platform,
  mainFields: [...BUNDLING.mainFields],
  external: [...BUNDLING.external],
  metafile: true,
  logLevel: 'silent',
});
const out = Object.values(r.metafile.outputs)[0]!;
for (const [k, v] of Object.entries(out.inputs)
  .filter(([k]) => !k.includes('node_modules'))
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput))
  console.log(v.bytesInOutput, k);
