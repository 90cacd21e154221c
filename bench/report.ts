// The README's benchmark block, in Markdown, from a full run's figures.
import type { BenchReport } from './run.js';
import { actionPairs } from './large-case.js';

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[]) => `${row(cells)}\n${row(cells.map(() => '---'))}`;
const usd = (n: number) => `$${n.toFixed(6)}`;

export function markdownReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(
    `Latest full run: ${r.measuredAt.slice(0, 10)}, Node ${r.node}, ${r.platform}, ${r.seconds.toFixed(0)} s in all. Figures from \`.cvd/bench.json\`.`,
  );
  if (r.bundles && r.worst) {
    out.push(
      '',
      `**Lambda bundles** (${r.bundles.length} handlers): largest ${(r.worst.bytes / 1024).toFixed(1)} KB; worst ratio to the floor (only the SDK clients and commands it uses): size ${r.worst.size.toFixed(2)}×, cold init ${r.worst.init.toFixed(2)}×.`,
    );
  }
  if (r.pages) {
    out.push(
      '',
      `**Pages**, what a browser downloads to show each the first time (HTML, its script, the stylesheet): ${r.pages.map((p) => `${p.page} ${(p.gzipBytes / 1024).toFixed(1)} KB gzipped (${(p.bytes / 1024).toFixed(1)} KB)`).join(', ')}.`,
    );
  }
  if (r.intake) {
    const { intake: i, putItem: p, ratio } = r.intake;
    out.push(
      '',
      `**Intake** through the local API, ${i.count} requests at concurrency ${i.concurrency}, beside a bare PutItem on the same embedded DynamoDB:`,
      '',
      head(['', 'p50 ms', 'p99 ms', 'per second']),
      row(['POST /reports', i.p50Ms.toFixed(1), i.p99Ms.toFixed(1), i.perSecond.toFixed(0)]),
      row(['PutItem', p.p50Ms.toFixed(1), p.p99Ms.toFixed(1), p.perSecond.toFixed(0)]),
      row(['ratio', `${ratio.p50.toFixed(1)}×`, `${ratio.p99.toFixed(1)}×`, `${ratio.throughput.toFixed(1)}×`]),
    );
  }
  if (r.lifecycle) {
    const pr = r.lifecycle.prices;
    out.push(
      '',
      `**Per case**, by lifecycle path, counted on the local stack; cost at on-demand prices, ${pr.region}, free tiers ignored: Step Functions Standard $0.025 per 1,000 state transitions; Lambda $0.20 per million requests and $0.0000133334 per GB-s (arm64, 256 MB, ${pr.lambdaAssumedMsPerInvocation} ms assumed per invocation); DynamoDB on-demand $0.625 per million WRU, $0.125 per million RRU; SES $0.10 per 1,000 e-mails; API Gateway REST $3.50 per million requests; S3 Standard $0.005 per 1,000 PUT/POST/LIST, $0.0004 per 1,000 GET/HEAD, $0.023 per GB-month with files kept 45 days. DynamoDB storage, KMS (one bucket key per upload) and data transfer not included.`,
      '',
      head([
        'path',
        'transitions',
        'Lambda calls (API)',
        'DynamoDB writes / reads',
        'WRU / RRU',
        'e-mails',
        'S3 writes / reads, MB',
        'cost per case',
      ]),
      ...r.lifecycle.paths.map((p) =>
        row([
          p.path,
          p.transitions,
          `${p.lambdaInvocations} (${p.apiRequests})`,
          `${p.dynamo.writeRequests} / ${p.dynamo.readRequests}`,
          `${p.dynamo.wru} / ${p.dynamo.rru}`,
          p.emails,
          p.s3 && p.s3.writes + p.s3.reads > 0 ? `${p.s3.writes} / ${p.s3.reads}, ${(p.s3.bytes / 1024 / 1024).toFixed(1)}` : '—',
          usd(p.cost.total),
        ]),
      ),
    );
  }
  if (r.timers) {
    const t = r.timers;
    out.push(
      '',
      `**Timers**: the local engine holding ${t.cases.toLocaleString('en')} open cases parked on embargo timers: heap ${t.baseline.heapMb.toFixed(0)} → ${t.holding.heapMb.toFixed(0)} MB (${t.perCaseKb.toFixed(1)} KB per case), RSS ${t.baseline.rssMb.toFixed(0)} → ${t.holding.rssMb.toFixed(0)} MB; moving the clock ${t.advanceDays} days fires them all in ${t.fireSeconds.toFixed(1)} s (${t.firedPerSecond.toFixed(0)} per second), ${t.succeeded.toLocaleString('en')} executions succeeded.`,
    );
  }
  if (r.flood) {
    const f = r.flood;
    out.push(
      '',
      `**Flood**: one vendor link sent ${f.messagesSent} messages of 16,000 CJK characters over a week: ${f.accepted} accepted, ${f.refused429} refused with 429 (daily limit), ${f.refused413} with 413 (the case's limit); the case was ${f.published ? 'drafted and published on its date' : 'NOT published'}, its item ${(f.snapshotBytes / 1024).toFixed(1)} KB afterwards (a quiet case on the same path: ${(f.quietSnapshotBytes / 1024).toFixed(1)} KB).`,
    );
  }
  if (r.markdown) {
    const m = r.markdown;
    out.push(
      '',
      `**Pathological Markdown**: ${m.inputs.length} inputs of ${(m.worst.chars / 1024).toFixed(0)} KB (the largest draft) made to rescan (test/builders/pathological-markdown.ts), each rendered by the note renderer as the Lambdas bundle it, best of ${m.runs}: worst ${m.worst.bestMs.toFixed(1)} ms (${m.worst.input}), target under ${m.targetMs} ms.`,
    );
  }
  if (r.large) {
    const { large: l, small: s, targets: t } = r.large;
    const req = (x: typeof l) => x.dynamo.readRequests + x.dynamo.writeRequests;
    const pairs = actionPairs(r.large);
    const worst = Math.max(...pairs.map((p) => p.ratio));
    out.push(
      '',
      `**A ${l.vendors}-vendor case** on the local stack, beside a one-vendor case on the same path (outreach, one vendor in ten acknowledging, a vendor's actions, ${l.advanceDays} days of reminders in one clock move, the workflow's draft, approval, publication): ${l.published && s.published ? 'both published' : `the ${l.vendors}-vendor case NOT published (phase ${l.finalPhase}${l.blocked ? ', blocked' : ''})`}.`,
      '',
      head(['', `${l.vendors} vendors`, '1 vendor', 'target']),
      row([
        "coordinator's first case view",
        `${(l.firstViewBytes / 1024).toFixed(1)} KB`,
        `${(s.firstViewBytes / 1024).toFixed(1)} KB`,
        `under ${t.firstViewKb} KB`,
      ]),
      row([
        `moving the clock ${l.advanceDays} days`,
        `${l.advanceSeconds.toFixed(1)} s`,
        `${s.advanceSeconds.toFixed(1)} s`,
        `under ${t.advanceSeconds} s`,
      ]),
      ...pairs.map(({ large: a, small: b, ratio }) => {
        const cost = (x: typeof a) =>
          `${x.dynamoRequests} requests, ${x.wru} WRU, ${x.rru} RRU, ${(x.dynamoBytes / 1024).toFixed(1)} KB, ${x.lambdaInvocations} λ`;
        return row([`a vendor's ${a.action}`, cost(a), cost(b), `${ratio.toFixed(2)}× (≤ ${t.actionRatio}×)`]);
      }),
      row([
        'DynamoDB requests per vendor, whole case',
        `${(req(l) / l.vendors).toFixed(1)} (${req(l).toLocaleString('en')} in all)`,
        `${req(s)}`,
        "printed, at most the one-vendor case's",
      ]),
      '',
      `Worst vendor action ratio ${worst.toFixed(2)}× (DynamoDB requests, units and bytes, Lambda invocations; the time is printed by \`npm run bench\`, not judged).`,
    );
  }
  return out.join('\n');
}
