// The console's held mail: `#/held` lists received mail kept instead of applied (GET /inbound/held),
// newest first, with the reason. Everything in it is whatever someone mailed us: shown as text
// (h() sets textContent), never as markup, and never a link but the case it named.
import type { HeldMail } from '../../functions/adapters/inbound-mail-store.js';
import { append, clear, describeError, h, notice, when } from './lib.js';

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const REASON_TEXT: Readonly<Record<string, string>> = {
  'auth-failed': 'SPF/DKIM/DMARC did not vouch for the sender',
  'unknown-route': 'the reply address names nobody on the case (old or guessed)',
  'wrong-sender': 'sent from another address than the one the reply address belongs to',
  revoked: 'the reply address belongs to a revoked link',
  'case-closed': 'the case no longer takes messages',
  encrypted: 'encrypted, and it could not be opened',
  'bad-signature': 'its OpenPGP signature did not verify',
  'too-large': 'over the size limits',
  'too-many-files': 'too many attachments',
  'rate-limited': 'over the sender’s daily limit',
  quota: 'over the writer’s message or file quota on the case',
  'not-addressed': 'addressed to no intake or reply address',
  unreadable: 'could not be read',
};

export async function heldMailPage(app: HTMLElement, nav: HTMLElement, call: Call): Promise<void> {
  clear(app);
  const status = h('p', { class: 'muted', role: 'status', id: 'held-count' });
  append(app, [
    nav,
    h('h1', { tabindex: -1 }, 'Held mail'),
    h(
      'p',
      { class: 'lead' },
      'Received mail that was kept instead of applied: nothing of it reached a case. The sender and text are unverified unless the checks say so.',
    ),
    status,
  ]);
  let held: HeldMail[];
  try {
    held = (await call<{ held: HeldMail[] }>('GET', '/inbound/held?limit=100')).held;
  } catch (e) {
    notice(status, 'error', describeError(e));
    return;
  }
  status.textContent = held.length === 0 ? 'Nothing held.' : `${held.length} held message(s), newest first.`;
  const list = h('ol', { id: 'held-list', class: 'plain' });
  for (const m of held)
    list.append(
      h(
        'li',
        { class: 'card' },
        h('p', {}, when(m.at), ' · ', h('strong', {}, REASON_TEXT[m.reason] ?? m.reason), ` (${m.reason})`),
        h('p', {}, `From ${m.from} to ${m.to} · SPF ${m.verdicts.spf}, DKIM ${m.verdicts.dkim}, DMARC ${m.verdicts.dmarc}`),
        m.caseId ? h('p', {}, 'Case ', h('a', { href: `#/cases/${encodeURIComponent(m.caseId)}` }, m.caseId)) : '',
        h('p', {}, h('strong', {}, 'Subject: '), m.subject),
        h('pre', { class: 'held-text' }, m.text),
        m.attachments.length
          ? h('p', { class: 'muted' }, `Attachments: ${m.attachments.map((a) => `${a.filename} (${a.size} bytes)`).join(', ')}`)
          : '',
      ),
    );
  app.append(list);
}
