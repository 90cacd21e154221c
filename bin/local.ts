// `npm start`: the whole product on this machine, no AWS account. Configuration by environment:
// PORT (API, default 3000), CVD_DEV_TOKEN (coordinator dev token; generated when unset),
// CVD_DATA_DIR (default .cvd/), CVD_IN_MEMORY=1 (nothing persisted), CVD_CONTEXT (CDK context as
// JSON, e.g. {"cveMode":"manual"}), CVD_CVE_API_KEY (the CVE Services key, with cve-services),
// CVD_S3_PORT (the S3 stand-in for files; default a free port), CVD_SMTP_PORT (the SMTP listener
// for reports and replies by e-mail; default a free port).
import { startLocalStack } from '../lib/local/runtime.js';

function context(): Record<string, unknown> | undefined {
  const raw = process.env.CVD_CONTEXT;
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('CVD_CONTEXT must be a JSON object of CDK context keys');
  return parsed as Record<string, unknown>;
}

const started = performance.now();
const cdkContext = context();
const stack = await startLocalStack({
  port: Number(process.env.PORT ?? 3000),
  ...(process.env.CVD_DEV_TOKEN ? { devToken: process.env.CVD_DEV_TOKEN } : {}),
  ...(process.env.CVD_DATA_DIR ? { dataDir: process.env.CVD_DATA_DIR } : {}),
  ...(cdkContext ? { context: cdkContext } : {}),
  ...(process.env.CVD_CVE_API_KEY ? { cveApiKey: process.env.CVD_CVE_API_KEY } : {}),
  ...(process.env.CVD_S3_PORT ? { s3Port: Number(process.env.CVD_S3_PORT) } : {}),
  ...(process.env.CVD_SMTP_PORT ? { smtpPort: Number(process.env.CVD_SMTP_PORT) } : {}),
  inMemory: process.env.CVD_IN_MEMORY === '1',
});

const line = '─'.repeat(72);
console.log(`
${line}
 cvd-coordinator is running locally (started in ${((performance.now() - started) / 1000).toFixed(1)} s)
${line}
 Report form    ${stack.apiUrl}/
 Console        ${stack.apiUrl}/console/   (sign in with the dev token)
 API            ${stack.apiUrl}
 OpenAPI        ${stack.apiUrl}/openapi.json
 Mail inbox     ${stack.mailUrl}            (also GET ${stack.apiUrl}/_local/mail)
 Files (S3)     ${stack.s3Url}            (bucket cvd-files; set CVD_S3_PORT to fix the port)
${
  stack.smtp
    ? ` Mail in (SMTP) 127.0.0.1:${stack.smtp.port}   reports to ${stack.smtp.intakeAddress}; set CVD_SMTP_PORT to fix the port
                swaks --server 127.0.0.1:${stack.smtp.port} --to ${stack.smtp.intakeAddress} --from you@example.org
`
    : ''
} Clock          GET/POST ${stack.apiUrl}/_local/clock   { "advance": "P30D" } (JSON only)
 Dev token      ${stack.devToken}
                (coordinator and /_local routes: Authorization: Bearer <dev token>)
 Data           ${stack.dataDir ?? 'in memory (CVD_IN_MEMORY=1): nothing is kept'}
 Resumed        ${stack.resumed.length} open case(s)
${line}
`);

const shutdown = (signal: string) => {
  console.log(`\n${signal}: stopping…`);
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
