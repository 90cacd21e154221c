// `npm run bench`: prints the figures as tables and writes them to .cvd/bench.json; a full run
// also rewrites the <!-- bench:start --> … <!-- bench:end --> block of README.md.
// Speed and size targets are measured here, never by timed assertions in tests.
// BENCH_ONLY=bundles,pages,intake,lifecycle,timers,markdown,flood,large runs a subset (then README is left alone);
// BENCH_RUNS (cold imports per bundle, default 5), BENCH_INTAKE (requests, default 300),
// BENCH_CONCURRENCY (default 8), BENCH_TIMERS (open cases, default 10000), BENCH_MARKDOWN_RUNS
// (renders of each pathological input, the best counts; default 10), BENCH_LARGE_VENDORS (vendors on
// the large case, default 500).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BundleFigure, measureBundles } from './bundles.js';
import { type PageFigure, measurePages } from './pages.js';
import { type IntakeFigures, measureIntake } from './intake.js';
import { PRICES, type PathFigure, measureLifecycles } from './lifecycle.js';
import { type TimerFigures, measureTimers } from './timers.js';
import { MARKDOWN_TARGET_MS, type MarkdownFigure, measureMarkdown } from './markdown.js';
import { type FloodFigures, measureFlood } from './flood.js';
import { type LargeCaseFigures, actionPairs, measureLargeCase } from './large-case.js';
import { markdownReport } from './report.js';

const KB = 1024;
const SIZE_TARGET = 1.25;
const MAX_BYTES = 450 * KB;
const SECTIONS = ['bundles', 'pages', 'intake', 'lifecycle', 'timers', 'markdown', 'flood', 'large'] as const;
type Section = (typeof SECTIONS)[number];

const ROOT = path.resolve(import.meta.dirname, '..');
const usd = (n: number) => `$${n.toFixed(6)}`;

export interface BenchReport {
  measuredAt: string;
  node: string;
  platform: string;
  runs: number;
  bundles?: BundleFigure[];
  worst?: { size: number; init: number; bytes: number };
  pages?: PageFigure[];
  intake?: IntakeFigures;
  lifecycle?: { prices: typeof PRICES; paths: PathFigure[] };
  timers?: TimerFigures;
  markdown?: { runs: number; targetMs: number; inputs: MarkdownFigure[]; worst: MarkdownFigure };
  flood?: FloodFigures;
  large?: LargeCaseFigures;
  sectionSeconds: Partial<Record<Section, number>>;
  seconds: number;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wanted = (s: Section) => only.length === 0 || only.includes(s);
  const started = performance.now();
  const report: BenchReport = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    runs,
    sectionSeconds: {},
    seconds: 0,
  };
  const timed = async <T>(s: Section, f: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    const out = await f();
    report.sectionSeconds[s] = (performance.now() - t) / 1000;
    return out;
  };

  if (wanted('bundles')) {
    const bundles = await timed('bundles', () => measureBundles({ runs }));
    console.log(
      `\nLambda bundles (esbuild, minified ESM, node22; cold init = median of ${runs} fresh Node ${process.version} imports, alternating with the floor)`,
    );
    console.log(
      `target: within ${SIZE_TARGET}x of the floor (only the SDK clients and commands the handler uses) in size and init, and at most ${MAX_BYTES / KB} KB\n`,
    );
    console.table(
      bundles.map((b) => ({
        handler: b.handler,
        'size KB': (b.bytes / KB).toFixed(1),
        'floor KB': (b.floorBytes / KB).toFixed(1),
        'size ×': b.clients.length ? b.sizeRatio.toFixed(2) : 'n/a',
        'init ms': b.initMs.toFixed(1),
        'floor ms': b.floorInitMs.toFixed(1),
        'init ×': b.clients.length ? b.initRatio.toFixed(2) : 'n/a',
        clients: b.clients.map((c) => c.replace('client-', '')).join('+'),
        // A handler with no SDK client has an empty floor: only the size cap applies to it.
        ok: (b.clients.length === 0 || (b.sizeRatio <= SIZE_TARGET && b.initRatio <= SIZE_TARGET)) && b.bytes <= MAX_BYTES ? 'yes' : 'NO',
      })),
    );
    const worst = {
      size: Math.max(...bundles.filter((b) => b.clients.length).map((b) => b.sizeRatio)),
      init: Math.max(...bundles.filter((b) => b.clients.length).map((b) => b.initRatio)),
      bytes: Math.max(...bundles.map((b) => b.bytes)),
    };
    console.log(`worst: size ${worst.size.toFixed(2)}x, init ${worst.init.toFixed(2)}x, largest ${(worst.bytes / KB).toFixed(1)} KB`);
    Object.assign(report, { bundles, worst });
  }

  if (wanted('pages')) {
    const pages = await timed('pages', () => measurePages());
    console.log('\nPages: what a browser downloads to show each page the first time (HTML, its script, the stylesheet)');
    console.table(pages.map((p) => ({ page: p.page, KB: (p.bytes / KB).toFixed(1), 'gzip KB': (p.gzipBytes / KB).toFixed(1) })));
    report.pages = pages;
  }

  if (wanted('intake')) {
    const count = Number(process.env.BENCH_INTAKE ?? 300);
    const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
    const intake = await timed('intake', () => measureIntake({ count, concurrency }));
    console.log(
      `\nIntake: POST /reports through the local API (in memory), ${count} requests at concurrency ${concurrency}, beside a bare PutItem on the same dynalite`,
    );
    console.table(
      [
        ['POST /reports', intake.intake],
        ['PutItem', intake.putItem],
      ].map(([name, f]) => {
        const x = f as IntakeFigures['intake'];
        return {
          what: name as string,
          n: x.count,
          'p50 ms': x.p50Ms.toFixed(2),
          'p99 ms': x.p99Ms.toFixed(2),
          'mean ms': x.meanMs.toFixed(2),
          'per s': x.perSecond.toFixed(1),
          errors: x.errors,
        };
      }),
    );
    console.log(
      `ratio (intake / PutItem): p50 ${intake.ratio.p50.toFixed(1)}x, p99 ${intake.ratio.p99.toFixed(1)}x, throughput ${intake.ratio.throughput.toFixed(1)}x; cases in the coordinator queue afterwards: ${intake.casesQueued}`,
    );
    report.intake = intake;
  }

  if (wanted('lifecycle')) {
    const paths = await timed('lifecycle', () => measureLifecycles());
    console.log(
      `\nPer case, by lifecycle path (local stack; AWS on-demand prices, ${PRICES.region}, free tiers ignored; Lambda: 256 MB arm64, ${PRICES.lambdaAssumedMsPerInvocation} ms assumed per invocation)`,
    );
    console.table(
      paths.map((p) => ({
        path: p.path,
        ends: p.finalPhase,
        transitions: p.transitions,
        'λ calls': p.lambdaInvocations,
        'of which API': p.apiRequests,
        'ddb writes': p.dynamo.writeRequests,
        'ddb reads': p.dynamo.readRequests,
        WRU: p.dynamo.wru,
        RRU: p.dynamo.rru,
        'e-mails': p.emails,
        'S3 w/r': `${p.s3.writes}/${p.s3.reads}`,
        'cost/case': usd(p.cost.total),
      })),
    );
    console.table(
      paths.map((p) => ({
        path: p.path,
        'Step Functions': usd(p.cost.stepFunctions),
        Lambda: usd(p.cost.lambda),
        DynamoDB: usd(p.cost.dynamo),
        SES: usd(p.cost.ses),
        'API Gateway': usd(p.cost.apiGateway),
        S3: usd(p.cost.s3),
        total: usd(p.cost.total),
      })),
    );
    report.lifecycle = { prices: PRICES, paths };
  }

  if (wanted('timers')) {
    const cases = Number(process.env.BENCH_TIMERS ?? 10_000);
    const timers = await timed('timers', () => measureTimers(cases));
    console.log(`\nThe local engine holding ${cases} open cases on embargo timers (a child process, node --expose-gc)`);
    console.table([
      {
        cases: timers.cases,
        'start s': timers.startSeconds.toFixed(2),
        'RSS MB': `${timers.baseline.rssMb.toFixed(0)} → ${timers.holding.rssMb.toFixed(0)}`,
        'heap MB': `${timers.baseline.heapMb.toFixed(0)} → ${timers.holding.heapMb.toFixed(0)}`,
        'KB/case': timers.perCaseKb.toFixed(1),
        [`advance ${timers.advanceDays} d, s`]: timers.fireSeconds.toFixed(2),
        'fired/s': timers.firedPerSecond.toFixed(0),
        succeeded: timers.succeeded,
      },
    ]);
    report.timers = timers;
  }

  if (wanted('markdown')) {
    const runs = Number(process.env.BENCH_MARKDOWN_RUNS ?? 10);
    const inputs = await timed('markdown', () => measureMarkdown(runs));
    const worst = inputs.reduce((a, b) => (b.bestMs > a.bestMs ? b : a));
    console.log(
      `\nPathological Markdown: each input of test/builders/pathological-markdown.ts rendered by the note renderer as the Lambdas bundle it, best of ${runs}`,
    );
    console.table(
      inputs.map((m) => ({
        input: m.input,
        KB: (m.chars / KB).toFixed(0),
        'HTML KB': (m.htmlChars / KB).toFixed(0),
        'best ms': m.bestMs.toFixed(1),
        ok: m.bestMs < MARKDOWN_TARGET_MS ? 'yes' : 'NO',
      })),
    );
    console.log(`worst: ${worst.bestMs.toFixed(1)} ms (${worst.input}); target under ${MARKDOWN_TARGET_MS} ms`);
    report.markdown = { runs, targetMs: MARKDOWN_TARGET_MS, inputs, worst };
  }

  if (wanted('flood')) {
    const flood = await timed('flood', () => measureFlood());
    console.log(
      '\nFlood: one vendor link sends 30 messages of 16,000 CJK characters a day for a week, while the case runs to publication (local stack)',
    );
    console.table([
      {
        sent: flood.messagesSent,
        accepted: flood.accepted,
        '429': flood.refused429,
        '413': flood.refused413,
        'case item KB': (flood.snapshotBytes / KB).toFixed(1),
        'quiet case KB': (flood.quietSnapshotBytes / KB).toFixed(1),
        published: flood.published ? 'yes' : 'NO',
      },
    ]);
    report.flood = flood;
  }

  if (wanted('large')) {
    const vendors = Number(process.env.BENCH_LARGE_VENDORS ?? 500);
    const large = await timed('large', () => measureLargeCase(vendors));
    printLarge(large);
    report.large = large;
  }

  report.seconds = (performance.now() - started) / 1000;
  const dir = path.join(ROOT, '.cvd');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'bench.json'), JSON.stringify(report, null, 2));
  console.log(
    `\nwritten to .cvd/bench.json in ${report.seconds.toFixed(1)} s (${Object.entries(report.sectionSeconds)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')})`,
  );

  if (only.length === 0) {
    const readme = path.join(ROOT, 'README.md');
    const text = readFileSync(readme, 'utf8');
    const block = /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/;
    if (block.test(text)) {
      writeFileSync(readme, text.replace(block, `<!-- bench:start -->\n${markdownReport(report)}\n<!-- bench:end -->`));
      console.log('README.md: benchmark block rewritten');
    }
  }
}

function printLarge(f: LargeCaseFigures): void {
  const { large: l, small: s, targets: t } = f;
  const ok = (b: boolean) => (b ? 'yes' : 'NO');
  console.log(
    `\nA case with ${l.vendors} vendors beside a one-vendor case, each run through outreach, vendor actions, ${l.advanceDays} days of reminders, the draft and publication (local stack)`,
  );
  console.table(
    [s, l].map((r) => ({
      vendors: r.vendors,
      published: r.published ? 'yes' : `NO (${r.finalPhase}${r.blocked ? ', blocked' : ''})`,
      'first view KB': (r.firstViewBytes / KB).toFixed(1),
      'first view ms': r.firstViewMs.toFixed(0),
      'add vendors s': r.addVendorsSeconds.toFixed(1),
      [`advance ${r.advanceDays} d, s`]: r.advanceSeconds.toFixed(1),
      '120 s limits hit': r.settleLimitsHit,
      'ddb requests': r.dynamo.readRequests + r.dynamo.writeRequests,
      'ddb req/vendor': ((r.dynamo.readRequests + r.dynamo.writeRequests) / r.vendors).toFixed(1),
      'WRU/vendor': (r.dynamo.wru / r.vendors).toFixed(1),
      'λ calls': r.lambdaInvocations,
      'e-mails': r.emails,
      's in all': r.seconds.toFixed(1),
    })),
  );
  console.log(`A vendor's action on the ${l.vendors}-vendor case ÷ the same on the one-vendor case (target ≤ ${t.actionRatio}×)`);
  for (const r of [s, l]) if (!r.published) console.log(`the ${r.vendors}-vendor case's executions: ${(r.executions ?? []).join('; ')}`);
  console.log(
    `the first view's largest fields, KB: ${Object.entries(l.firstViewParts)
      .map(([k, v]) => `${k} ${(v / KB).toFixed(1)}`)
      .join(', ')}`,
  );
  const pairs = actionPairs(f);
  const x = (p: number, q: number) => (q === 0 ? (p === 0 ? '1.00' : '∞') : (p / q).toFixed(2));
  console.table(
    pairs.map(({ large: a, small: b, ratio }) => ({
      action: a.action,
      ms: `${a.ms.toFixed(0)} / ${b.ms.toFixed(0)}`,
      'ddb requests': `${a.dynamoRequests} / ${b.dynamoRequests}`,
      WRU: `${a.wru} / ${b.wru} (${x(a.wru, b.wru)}×)`,
      RRU: `${a.rru} / ${b.rru} (${x(a.rru, b.rru)}×)`,
      'ddb KB': `${(a.dynamoBytes / KB).toFixed(1)} / ${(b.dynamoBytes / KB).toFixed(1)} (${x(a.dynamoBytes, b.dynamoBytes)}×)`,
      'λ calls': `${a.lambdaInvocations} / ${b.lambdaInvocations}`,
      'worst ×': ratio.toFixed(2),
      ok: ok(ratio <= t.actionRatio),
    })),
  );
  const worst = Math.max(...pairs.map((p) => p.ratio));
  console.log(
    `targets: first view ${(l.firstViewBytes / KB).toFixed(1)} KB (under ${t.firstViewKb}: ${ok(l.firstViewBytes < t.firstViewKb * KB)}); ${l.advanceDays}-day advance ${l.advanceSeconds.toFixed(1)} s (under ${t.advanceSeconds}: ${ok(l.advanceSeconds < t.advanceSeconds)}); vendor action worst ${worst.toFixed(2)}× (≤ ${t.actionRatio}: ${ok(worst <= t.actionRatio)})`,
  );
}

// Exit once done: in-process emulators and the engine's backstop timers may keep handles open.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
