// A counting proxy in front of the embedded DynamoDB (dynalite): every request of every SDK client
// pointed at it is counted by operation, and its capacity is measured the way on-demand bills it.
//
// How: the proxy adds ReturnConsumedCapacity: TOTAL to each item request (unless the caller asked
// for it), forwards it unchanged otherwise, and reads ConsumedCapacity from the response, which it
// passes back byte for byte (the SDK checks the response's CRC32). dynalite computes table units
// from item sizes as DynamoDB does (writes: ceil(KB), the larger of old and new item; reads:
// ceil(4 KB units), halved when eventually consistent). Two things dynalite does not report are
// added here: a write refused by its condition still costs 1 WRU, and a write that sets a GSI key
// (a case summary's GSI1PK, a note's GSI2PK: both indexes project ALL) costs the same units again per index.
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READ_OPS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const GSI_KEYS = /"GSI[12]PK"/g;

export interface DynamoCounts {
  /** Requests by operation name (control-plane ones included, e.g. DescribeTable). */
  byOperation: Record<string, number>;
  writeRequests: number;
  readRequests: number;
  /** Write request units: table units as dynalite reports them, refused conditional writes, GSI writes. */
  wru: number;
  /** Read request units, as dynalite reports them (strongly consistent: 1 per 4 KB; eventual: half). */
  rru: number;
  conditionalFailures: number;
  gsiWru: number;
  /** Request and response bodies, as sent over the wire (before the proxy adds ReturnConsumedCapacity). */
  bytes: number;
}

export interface DynamoCounter {
  endpoint: string;
  counts(): DynamoCounts;
  reset(): void;
  close(): Promise<void>;
}

const empty = (): DynamoCounts => ({
  byOperation: {},
  writeRequests: 0,
  readRequests: 0,
  wru: 0,
  rru: 0,
  conditionalFailures: 0,
  gsiWru: 0,
  bytes: 0,
});

const readAll = (s: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });

interface Consumed {
  CapacityUnits?: number;
}

function unitsOf(consumed: unknown): number {
  if (Array.isArray(consumed)) return consumed.reduce((n: number, c: Consumed) => n + (c.CapacityUnits ?? 0), 0);
  if (consumed && typeof consumed === 'object') return (consumed as Consumed).CapacityUnits ?? 0;
  return 0;
}

export async function startDynamoCounter(target: string): Promise<DynamoCounter> {
  const upstream = new URL(target);
  let c = empty();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readAll(req);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      let body = raw;
      let injected = false;
      let text = raw.toString('utf8');
      if ((WRITE_OPS.has(op) || READ_OPS.has(op)) && text.length > 0) {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (parsed.ReturnConsumedCapacity === undefined || parsed.ReturnConsumedCapacity === 'NONE') {
          parsed.ReturnConsumedCapacity = 'TOTAL';
          injected = true;
          text = JSON.stringify(parsed);
          body = Buffer.from(text, 'utf8');
        }
      }
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (ur) => {
        void readAll(ur).then((out) => {
          c.byOperation[op] = (c.byOperation[op] ?? 0) + 1;
          c.bytes += raw.length + out.length;
          const isWrite = WRITE_OPS.has(op);
          if (isWrite) c.writeRequests++;
          if (READ_OPS.has(op)) c.readRequests++;
          if (injected || WRITE_OPS.has(op) || READ_OPS.has(op)) {
            let reply: { ConsumedCapacity?: unknown; __type?: string } = {};
            try {
              reply = JSON.parse(out.toString('utf8')) as typeof reply;
            } catch {
              reply = {};
            }
            const units = unitsOf(reply.ConsumedCapacity);
            if (isWrite) {
              if ((ur.statusCode ?? 500) >= 400) {
                if (String(reply.__type).endsWith('ConditionalCheckFailedException')) {
                  c.conditionalFailures++;
                  c.wru += 1;
                }
              } else {
                const gsis = new Set(text.match(GSI_KEYS) ?? []).size;
                c.wru += units + gsis * units;
                c.gsiWru += gsis * units;
              }
            } else c.rru += units;
          }
          res.writeHead(ur.statusCode ?? 500, ur.headers);
          res.end(out);
        });
      });
      up.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
      up.end(body);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(c),
    reset: () => {
      c = empty();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
