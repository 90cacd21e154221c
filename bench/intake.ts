// Intake through the local API (npm start's runtime, in memory): POST /reports latency and
// throughput at a fixed concurrency, beside a bare PutItem on the same embedded DynamoDB in the
// same run. Each report also starts its workflow execution in the same process (acknowledgement,
// pre-screen, triage request), as npm start does, so that work competes for the CPU too.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { bootStack } from '../test/builders/local-stack.js';
import { aReportInput } from '../test/builders/case.js';

export interface LatencyFigure {
  count: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  perSecond: number;
  errors: number;
}

export interface IntakeFigures {
  intake: LatencyFigure;
  putItem: LatencyFigure;
  /** intake p50 / PutItem p50, and the same for p99 and throughput (PutItem / intake). */
  ratio: { p50: number; p99: number; throughput: number };
  /** Cases found in the coordinator queue after the run (every report became one). */
  casesQueued: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

async function measure(count: number, concurrency: number, one: (i: number) => Promise<boolean>): Promise<LatencyFigure> {
  const times: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        const ok = await one(i);
        times.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    count,
    concurrency,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    perSecond: count / seconds,
    errors,
  };
}

export async function measureIntake(opts: { count?: number; concurrency?: number } = {}): Promise<IntakeFigures> {
  const count = opts.count ?? 300;
  const concurrency = opts.concurrency ?? 8;
  const e = await bootStack();
  try {
    const url = `${e.stack.apiUrl}/reports`;
    const post = async (i: number) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(aReportInput({ title: `Bench report ${i}` })),
      });
      await r.arrayBuffer();
      return r.status === 201;
    };
    // Warm-up: handler modules imported, SDK clients built, the JIT warm.
    for (let i = 0; i < 10; i++) await post(-i);
    await e.stack.settle();
    const intake = await measure(count, concurrency, post);
    await e.stack.settle();

    const ddb = new DynamoDBClient({
      endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const table = process.env.CASE_TABLE_NAME ?? 'cvd-cases';
    const put = async (i: number) => {
      await ddb.send(
        new PutItemCommand({ TableName: table, Item: { PK: { S: `BENCH#${i}` }, SK: { S: 'PUT' }, body: { S: 'x'.repeat(512) } } }),
      );
      return true;
    };
    for (let i = 0; i < 10; i++) await put(-1 - i);
    const putItem = await measure(count, concurrency, put);
    ddb.destroy();

    let casesQueued = 0;
    let cursor: string | null = null;
    do {
      const r = await e.call('GET', `/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: e.coordinator });
      const page = r.json as { items: unknown[]; cursor: string | null };
      casesQueued += page.items.length;
      cursor = page.cursor;
    } while (cursor);
    return {
      intake,
      putItem,
      ratio: { p50: intake.p50Ms / putItem.p50Ms, p99: intake.p99Ms / putItem.p99Ms, throughput: putItem.perSecond / intake.perSecond },
      casesQueued,
    };
  } finally {
    await e.stop();
  }
}
