// Which function (the template's logical id) an in-process handler call runs as. The local
// runtime enters it around every invocation, so a test can tell which function made an SDK call
// and check it against that function's role (test/e2e/table-access.test.ts).
import { AsyncLocalStorage } from 'node:async_hooks';

export const currentFunction = new AsyncLocalStorage<string>();
