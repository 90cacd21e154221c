// GET /inbound/held: received mail kept for a coordinator instead of applied (functions/app/
// inbound-mail.ts), newest first. Coordinators only: a held message is whatever anyone mailed us.
import { HOLD_REASONS } from '../../domain/inbound-mail.js';
import type { AppDeps } from '../deps.js';
import { requireCoordinator } from './auth.js';
import { type Route, json, limitOf } from './http.js';

export const inboundQueryRoutes: Record<string, Route<AppDeps>> = {
  'GET /inbound/held': async (deps, event) => {
    requireCoordinator(event);
    const held = await deps.heldMail.list({ limit: Math.min(limitOf(event, 50), 100) });
    return json(200, { held, reasons: HOLD_REASONS });
  },
};
