// Capability links for e-mails.
import { hashToken } from '../adapters/event-store.js';
import type { AppDeps } from './deps.js';

/** A fresh capability link for a participant: the raw token goes into the e-mail only; the store keeps its hash. */
export async function grantLink(deps: AppDeps, caseId: string, role: 'reporter' | 'vendor', participantId: string): Promise<string> {
  const token = deps.newToken();
  await deps.store.putGrant({ tokenHash: hashToken(token), caseId, role, participantId, createdAt: deps.now() });
  return token;
}
