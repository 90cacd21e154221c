// Lambda bundle figures: each handler's minified size and cold module-initialisation time, beside
// its floor: a bundle of only the AWS SDK clients that handler uses, built and timed in the same
// run, on the same machine. Built with the same esbuild options as CvdFunction (lib/bundling.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BUNDLING } from '../lib/bundling.js';

export interface BundleFigure {
  handler: string;
  bytes: number;
  initMs: number;
  clients: string[];
  floorBytes: number;
  floorInitMs: number;
  sizeRatio: number;
  initRatio: number;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const CLIENT_PACKAGE = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//;
const CLIENT_CLASS: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'client-ses': 'SESClient',
  'client-sfn': 'SFNClient',
  'client-sesv2': 'SESv2Client',
};

async function bundle(entry: string | { contents: string }, outfile: string): Promise<{ bytes: number; clients: string[] }> {
  const r = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts' } }),
    bundle: true,
    outfile,
    minify: BUNDLING.minify,
    target: BUNDLING.target,
    format: BUNDLING.format,
    platform: BUNDLING.platform,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    metafile: true,
    logLevel: 'silent',
  });
  const clients = new Set<string>();
  for (const input of Object.keys(r.metafile.inputs)) {
    const m = CLIENT_PACKAGE.exec(input);
    if (m?.[1]) clients.add(m[1]);
  }
  return { bytes: statSync(outfile).size, clients: [...clients].sort() };
}

/** Median of several cold imports, each in a fresh Node process: module load and initialisation only. */
function coldInitMs(file: string, runs: number): number {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, AWS_REGION: 'us-east-1' }, encoding: 'utf8' });
    times.push(Number(out));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

export async function measureBundles(opts: { runs?: number; only?: string[] } = {}): Promise<BundleFigure[]> {
  const runs = opts.runs ?? 5;
  const out = path.join(ROOT, '.cvd', 'bench', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const dirs = ['functions/handlers/workflow', 'functions/handlers/api'];
  const entries = dirs.flatMap((d) => {
    try {
      return readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, d, f));
    } catch {
      return [];
    }
  });
  const figures: BundleFigure[] = [];
  const floors = new Map<string, { bytes: number; initMs: number }>();
  for (const entry of entries) {
    const handler = `${path.basename(path.dirname(entry))}/${path.basename(entry, '.ts')}`;
    if (opts.only && !opts.only.includes(handler)) continue;
    const file = path.join(out, `${handler.replace('/', '--')}.mjs`);
    const { bytes, clients } = await bundle(entry, file);
    const key = clients.join('+') || 'none';
    let floor = floors.get(key);
    if (!floor) {
      // The floor: only those SDK clients, each constructed, as a handler's module scope would.
      const contents = clients.map((c, i) => `import { ${CLIENT_CLASS[c] ?? 'Client'} as C${i} } from '@aws-sdk/${c}';`).join('\n') + `\nexport const clients = [${clients.map((_, i) => `C${i}`).join(', ')}];\n`;
      const floorFile = path.join(out, `floor--${key}.mjs`);
      const f = await bundle({ contents }, floorFile);
      floor = { bytes: f.bytes, initMs: coldInitMs(floorFile, runs) };
      floors.set(key, floor);
    }
    const initMs = coldInitMs(file, runs);
    figures.push({
      handler,
      bytes,
      initMs,
      clients,
      floorBytes: floor.bytes,
      floorInitMs: floor.initMs,
      sizeRatio: bytes / floor.bytes,
      initRatio: initMs / floor.initMs,
    });
  }
  writeFileSync(path.join(out, 'figures.json'), JSON.stringify(figures, null, 2));
  return figures;
}
