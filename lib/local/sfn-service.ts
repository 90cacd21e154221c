// A small Step Functions service over the AWS JSON 1.0 protocol, in front of the local engine,
// so the handlers' unchanged @aws-sdk/client-sfn calls (AWS_ENDPOINT_URL_SFN) reach it.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalWorkflowEngine } from './engine.js';

type Body = Record<string, unknown>;

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const str = (b: Body, k: string): string => {
  const v = b[k];
  if (typeof v !== 'string' || v === '') throw new ServiceError('InvalidParameterValue', `${k} is required`);
  return v;
};
const parseJson = (s: string, what: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    throw new ServiceError(what === 'input' ? 'InvalidExecutionInput' : 'InvalidOutput', `${what} is not JSON`);
  }
};

export function sfnOperations(engine: LocalWorkflowEngine, stateMachineArn: string): Record<string, (b: Body) => Body> {
  const executionOf = (arn: string) => {
    const name = arn.split(':').at(-1) ?? '';
    const r = engine.executions.get(name);
    if (!r || r.executionArn !== arn) throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: '${arn}'`);
    return r;
  };
  return {
    StartExecution: (b) => {
      if (str(b, 'stateMachineArn') !== stateMachineArn)
        throw new ServiceError('StateMachineDoesNotExist', `State machine does not exist: '${String(b.stateMachineArn)}'`);
      const name = str(b, 'name');
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ServiceError('InvalidName', `Invalid execution name: '${name}'`);
      const input = typeof b.input === 'string' ? parseJson(b.input, 'input') : {};
      if (!engine.start(name, input)) throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: '${name}'`);
      const r = engine.executions.get(name);
      if (r === undefined) throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: '${name}'`);
      return { executionArn: r.executionArn, startDate: Date.parse(r.startedAt) / 1000 };
    },
    SendTaskSuccess: (b) => {
      const output = parseJson(typeof b.output === 'string' ? b.output : 'null', 'output');
      if (!engine.succeed(str(b, 'taskToken'), output)) throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
      return {};
    },
    SendTaskFailure: (b) => {
      if (!engine.fail(str(b, 'taskToken'), String(b.error ?? 'Error'), String(b.cause ?? '')))
        throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
      return {};
    },
    SendTaskHeartbeat: (b) => {
      const token = str(b, 'taskToken');
      if (!engine.waiting().some((w) => w.token === token)) throw new ServiceError('TaskDoesNotExist', 'Task does not exist anymore');
      return {};
    },
    DescribeExecution: (b) => {
      const r = executionOf(str(b, 'executionArn'));
      return {
        executionArn: r.executionArn,
        stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: Date.parse(r.startedAt) / 1000,
        ...(r.stoppedAt ? { stopDate: Date.parse(r.stoppedAt) / 1000 } : {}),
        input: JSON.stringify(r.input),
        ...(r.output !== undefined ? { output: JSON.stringify(r.output) } : {}),
        ...(r.error ? { error: r.error, cause: r.cause ?? '' } : {}),
      };
    },
    StopExecution: (b) => {
      const r = executionOf(str(b, 'executionArn'));
      engine.stop(r.name);
      return { stopDate: Date.now() / 1000 };
    },
  };
}

export async function startSfnService(
  engine: LocalWorkflowEngine,
  stateMachineArn: string,
  port = 0,
): Promise<{ server: Server; endpoint: string }> {
  const ops = sfnOperations(engine, stateMachineArn);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: Body) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      try {
        const op = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
        const fn = ops[op];
        if (!fn) throw new ServiceError('UnknownOperationException', `operation ${op || '(none)'} is not served locally`);
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body) : {};
        reply(200, fn(body));
      } catch (e) {
        if (e instanceof ServiceError) reply(e.status, { __type: e.type, message: e.message });
        else reply(500, { __type: 'InternalFailure', message: e instanceof Error ? e.message : String(e) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
