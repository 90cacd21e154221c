// Every Lambda function's handler, whatever invokes it: API routes (lib/api-routes.ts), workflow
// steps (lib/workflow-states.ts) and AWS event sources (lib/event-handlers.ts). Plain data.
import { ApiHandler, type ApiHandlerName, apiHandlerEntry } from './api-routes.js';
import { EventHandler, type EventHandlerName, eventHandlerEntry } from './event-handlers.js';
import type { HandlerName } from './table-access.js';
import { WorkflowHandler, type WorkflowHandlerName, workflowHandlerEntry } from './workflow-states.js';

export const ALL_HANDLERS: readonly HandlerName[] = [
  ...Object.values(ApiHandler),
  ...Object.values(WorkflowHandler),
  ...Object.values(EventHandler),
];

const isIn =
  <N extends string>(names: Record<string, N>) =>
  (name: string): name is N =>
    (Object.values(names) as string[]).includes(name);
const isApi = isIn<ApiHandlerName>(ApiHandler);
const isEvent = isIn<EventHandlerName>(EventHandler);

/** The handler's TypeScript entry, relative to the repository root. */
export const handlerEntry = (name: HandlerName): string =>
  isApi(name) ? apiHandlerEntry(name) : isEvent(name) ? eventHandlerEntry(name) : workflowHandlerEntry(name as WorkflowHandlerName);
