// `npm run demo` against a running stack, as a user would run it: the script must complete.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type E2E, bootStack } from '../builders/local-stack.js';

let e: E2E;
beforeAll(async () => {
  e = await bootStack();
});
afterAll(async () => e?.stop());

it('runs the demo end to end against the running stack and prints the published note', async () => {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/demo.ts'], {
    cwd: root,
    env: { ...process.env, CVD_API_URL: e.stack.apiUrl, CVD_DEV_TOKEN: e.coordinator },
    timeout: 90_000,
  });
  expect(stdout).toMatch(/✔ Published: http:\/\/127\.0\.0\.1:\d+\/notes\/VU-[0-9A-Z]+\.html/);
  expect(stdout).toContain('note-published');
  const noteUrl = /✔ Published: (\S+)/.exec(stdout)?.[1] ?? '';
  expect((await fetch(noteUrl)).status).toBe(200);
});
