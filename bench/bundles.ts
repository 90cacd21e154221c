// Lambda bundle figures: each handler's minified size and cold module-initialisation time, beside
// its floor: a bundle of only the AWS SDK clients that handler uses, with the commands it sends
// through them (the SDK's own code for those operations), built and timed in the same run, on the
// same machine. Built with the same esbuild options as CvdFunction (lib/bundling.ts).
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
const COMMAND_MODULE = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\/dist-es\/commands\/([A-Za-z0-9]+Command)\.js$/;
const CLIENT_CLASS: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'client-ses': 'SESClient',
  'client-sfn': 'SFNClient',
  'client-sesv2': 'SESv2Client',
  'client-secrets-manager': 'SecretsManagerClient',
  'client-s3': 'S3Client',
};
/** Modules a handler needs beside the clients and commands, counted in its floor: presigning S3 URLs. */
const HELPER_PACKAGE = /node_modules\/@aws-sdk\/(s3-request-presigner)\//;
const HELPER_IMPORT: Record<string, string> = { 's3-request-presigner': 'getSignedUrl' };

interface Bundled {
  bytes: number;
  clients: string[];
  /** 'client-dynamodb:GetItemCommand' for every SDK command module in the bundle. */
  commands: string[];
}

async function bundle(entry: string | { contents: string }, outfile: string): Promise<Bundled> {
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
    external: [...BUNDLING.external],
    metafile: true,
    logLevel: 'silent',
  });
  const clients = new Set<string>();
  const commands = new Set<string>();
  // Only the modules that put code into the bundle: esbuild also lists those it parsed and shook out.
  const kept = Object.values(r.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k),
  );
  for (const input of kept) {
    const m = CLIENT_PACKAGE.exec(input);
    if (m?.[1]) clients.add(m[1]);
    const helper = HELPER_PACKAGE.exec(input);
    if (helper?.[1]) commands.add(`${helper[1]}:${HELPER_IMPORT[helper[1]]}`);
    const c = COMMAND_MODULE.exec(input);
    if (c?.[1] && c[2]) commands.add(`${c[1]}:${c[2]}`);
  }
  return { bytes: statSync(outfile).size, clients: [...clients].sort(), commands: [...commands].sort() };
}

/** One cold import in a fresh Node process: module load and initialisation only, in ms. */
function coldInitOnce(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1' },
    encoding: 'utf8',
  });
  return Number(out);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/**
 * Handler and floor imported alternately, so a busy moment on a shared machine slows both alike;
 * the medians of each are compared.
 */
function coldInitPair(file: string, floorFile: string, runs: number): { initMs: number; floorInitMs: number } {
  const h: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < runs; i++) {
    f.push(coldInitOnce(floorFile));
    h.push(coldInitOnce(file));
  }
  return { initMs: median(h), floorInitMs: median(f) };
}

/**
 * One handler's bundle and its floor (built once per set of clients and commands, kept in `floors`).
 * Also what test/infra/bundle-size.test.ts checks, without the timing.
 */
export async function bundleWithFloor(
  entry: string,
  file: string,
  out: string,
  floors: Map<string, { bytes: number; file: string }> = new Map(),
): Promise<{ bytes: number; clients: string[]; floor: { bytes: number; file: string } }> {
  const { bytes, clients, commands } = await bundle(entry, file);
  const key = [...clients, ...commands].join('+') || 'none';
  let floor = floors.get(key);
  if (!floor) {
    // The floor: only those SDK clients and the commands the handler sends, as a handler's module would import them.
    const contents = [
      ...clients.map((c, i) => `import { ${CLIENT_CLASS[c] ?? 'Client'} as C${i} } from '@aws-sdk/${c}';`),
      ...commands.map((cmd, i) => {
        const [pkg, name] = cmd.split(':');
        return `import { ${name} as K${i} } from '@aws-sdk/${pkg}';`;
      }),
      `export const clients = [${clients.map((_, i) => `C${i}`).join(', ')}];`,
      `export const commands = [${commands.map((_, i) => `K${i}`).join(', ')}];`,
    ].join('\n');
    const floorFile = path.join(out, `floor--${floors.size}-${path.basename(file)}`);
    const f = await bundle({ contents }, floorFile);
    floor = { bytes: f.bytes, file: floorFile };
    floors.set(key, floor);
  }
  return { bytes, clients, floor };
}

export async function measureBundles(opts: { runs?: number; only?: string[] } = {}): Promise<BundleFigure[]> {
  const runs = opts.runs ?? 7;
  const out = path.join(ROOT, '.cvd', 'bench', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const dirs = ['functions/handlers/workflow', 'functions/handlers/api', 'functions/handlers/events'];
  const entries = dirs.flatMap((d) => {
    try {
      return readdirSync(path.join(ROOT, d))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(ROOT, d, f));
    } catch {
      return [];
    }
  });
  const figures: BundleFigure[] = [];
  const floors = new Map<string, { bytes: number; file: string }>();
  for (const entry of entries) {
    const handler = `${path.basename(path.dirname(entry))}/${path.basename(entry, '.ts')}`;
    if (opts.only && !opts.only.includes(handler)) continue;
    const file = path.join(out, `${handler.replace('/', '--')}.mjs`);
    const { bytes, clients, floor } = await bundleWithFloor(entry, file, out, floors);
    const { initMs, floorInitMs } = coldInitPair(file, floor.file, runs);
    figures.push({
      handler,
      bytes,
      initMs,
      clients,
      floorBytes: floor.bytes,
      floorInitMs,
      sizeRatio: bytes / floor.bytes,
      initRatio: initMs / floorInitMs,
    });
  }
  writeFileSync(path.join(out, 'figures.json'), JSON.stringify(figures, null, 2));
  return figures;
}
