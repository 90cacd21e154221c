// `npm run bench`: prints the figures as a table and writes them to .cvd/bench.json.
// Speed and size targets are measured here, never by timed assertions in tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureBundles } from './bundles.js';

const KB = 1024;
const SIZE_TARGET = 1.25;
const MAX_BYTES = 450 * KB;

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const started = performance.now();
  const bundles = await measureBundles({ runs });
  const rows = bundles.map((b) => ({
    handler: b.handler,
    'size KB': (b.bytes / KB).toFixed(1),
    'floor KB': (b.floorBytes / KB).toFixed(1),
    'size ×': b.sizeRatio.toFixed(2),
    'init ms': b.initMs.toFixed(1),
    'floor ms': b.floorInitMs.toFixed(1),
    'init ×': b.initRatio.toFixed(2),
    clients: b.clients.map((c) => c.replace('client-', '')).join('+'),
    ok: b.sizeRatio <= SIZE_TARGET && b.initRatio <= SIZE_TARGET && b.bytes <= MAX_BYTES ? 'yes' : 'NO',
  }));
  console.log(`\nLambda bundles (esbuild, minified ESM, node22; cold init = median of ${runs} fresh Node ${process.version} imports)`);
  console.log(`target: within ${SIZE_TARGET}x of the floor (only the SDK clients the handler uses) in size and init, and at most ${MAX_BYTES / KB} KB\n`);
  console.table(rows);
  const worst = {
    size: Math.max(...bundles.map((b) => b.sizeRatio)),
    init: Math.max(...bundles.map((b) => b.initRatio)),
    bytes: Math.max(...bundles.map((b) => b.bytes)),
  };
  console.log(`worst: size ${worst.size.toFixed(2)}x, init ${worst.init.toFixed(2)}x, largest ${(worst.bytes / KB).toFixed(1)} KB`);
  const dir = path.resolve(import.meta.dirname, '..', '.cvd');
  mkdirSync(dir, { recursive: true });
  const report = { measuredAt: new Date().toISOString(), node: process.version, runs, bundles, worst, seconds: (performance.now() - started) / 1000 };
  writeFileSync(path.join(dir, 'bench.json'), JSON.stringify(report, null, 2));
  console.log(`\nwritten to .cvd/bench.json in ${report.seconds.toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
