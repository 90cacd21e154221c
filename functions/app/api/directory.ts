// GET/POST /directory/vendors and GET/PUT /directory/vendors/{vendorRef}: coordinators only.
import { VENDOR_REF } from '../../domain/directory.js';
import { LIMITS } from '../../domain/limits.js';
import { textProblem } from '../../domain/safe-text.js';
import type { AppDeps } from '../deps.js';
import { createDirectoryVendor, directoryVendor, historyOf, searchDirectory, updateDirectoryVendor } from '../directory.js';
import { requireCoordinator } from './auth.js';
import { DirectoryVendorBodySchema, DirectoryVendorUpdateSchema } from './directory-bodies.js';
import { type ApiEvent, type Route, badRequest, json, limitOf, notFound, parseBody, pathParam, query } from './http.js';

const badCursor = () =>
  badRequest('the cursor is not one this list returned', [{ path: 'cursor', message: 'the cursor is not one this list returned' }]);

function cursorOf(event: ApiEvent): string | undefined {
  const c = query(event, 'cursor');
  if (c === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,1200}$/.test(c)) throw badCursor();
  const key = Buffer.from(c, 'base64url').toString('utf8');
  if (!/\u0000v-[0-9A-Z]{26}$/.test(key)) throw badCursor();
  return key;
}

function searchOf(event: ApiEvent): string | undefined {
  const q = query(event, 'q');
  if (q === undefined || q.trim() === '') return undefined;
  if (q.length > LIMITS.short || textProblem(q, false) !== null)
    throw badRequest('q must be one line of at most 200 characters', [
      { path: 'q', message: 'q must be one line of at most 200 characters' },
    ]);
  return q;
}

/** A ref that cannot be one answers as an unknown one does. */
function vendorRefOf(event: ApiEvent): string {
  const ref = pathParam(event, 'vendorRef');
  if (!VENDOR_REF.test(ref)) throw notFound();
  return ref;
}

export const directoryQueryRoutes: Record<string, Route<AppDeps>> = {
  'GET /directory/vendors': async (deps, event) => {
    requireCoordinator(event);
    const q = searchOf(event);
    const after = cursorOf(event);
    const page = await searchDirectory(deps, { limit: limitOf(event, 50), ...(q ? { q } : {}), ...(after ? { after } : {}) });
    return json(200, { vendors: page.vendors, cursor: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url') });
  },
  'GET /directory/vendors/{vendorRef}': async (deps, event) => {
    requireCoordinator(event);
    const ref = vendorRefOf(event);
    const entry = await directoryVendor(deps, ref);
    return json(200, { ...entry, history: await historyOf(deps, ref) });
  },
};

export const directoryCommandRoutes: Record<string, Route<AppDeps>> = {
  'POST /directory/vendors': async (deps, event) => {
    const actor = requireCoordinator(event);
    const b = parseBody(event, DirectoryVendorBodySchema);
    return json(201, await createDirectoryVendor(deps, actor, b));
  },
  'PUT /directory/vendors/{vendorRef}': async (deps, event) => {
    const actor = requireCoordinator(event);
    const ref = vendorRefOf(event);
    const { version, ...b } = parseBody(event, DirectoryVendorUpdateSchema);
    return json(200, await updateDirectoryVendor(deps, actor, ref, b, version));
  },
};
