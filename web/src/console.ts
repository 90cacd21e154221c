// `/console/`: the coordinator console. Signs the coordinator in through the hosted sign-in when
// /console/config.json names one (Cognito on AWS), else asks for the coordinator token (the dev
// token that `npm start` prints); either is kept in sessionStorage for this tab. Then `#/` the queue by phase, next
// deadline first (overdue first), and `#/cases/{id}` the case with an action for every
// coordinator route; those that cannot be undone ask for confirmation first.
import { heldMailPage } from './held-mail.js';
import {
  $,
  ApiError,
  type Child,
  type Field,
  actionForm,
  api,
  append,
  checkbox,
  clear,
  confirmDialog,
  describeError,
  facts,
  field,
  h,
  isoToUtcInput,
  local,
  notice,
  phaseLabel,
  prose,
  setError,
  setFlash,
  takeFlash,
  utc,
  utcInputToIso,
  when,
} from './lib.js';
import type { CoordinatorView } from '../../functions/app/api/views.js';
import type { QueueRow } from '../../functions/domain/queue-entry.js';
import { OPEN_PHASES, PHASES } from '../../functions/domain/case-state.js';
import { DECLINE_REASONS, DECLINE_REASON_TEXT } from '../../functions/domain/triage/decline-reasons.js';
import { vendorsNamedIn } from '../../functions/domain/vendor-mentions.js';
import { livePreview, noteWithSource } from './draft-view.js';
import { type Caller, type FileRefView, fileList, filePicker, uploadPicked } from './files.js';
import { type ConsoleConfig, finishSignIn, loadConsoleConfig, signOutUrl, startSignIn } from './signin.js';
import { directoryEntryPage, directoryFinder, directoryListPage } from './directory.js';

// Phases and decline reasons are the domain's own lists: the console cannot offer one it does not know.
const DECLINE_CHOICES: [string, string][] = DECLINE_REASONS.map((r) => [r, DECLINE_REASON_TEXT[r].title]);
const SSVC: [string, string, readonly string[]][] = [
  ['reportPublic', 'Report public', ['yes', 'no']],
  ['supplierContacted', 'Supplier contacted', ['no', 'yes']],
  ['reportCredibility', 'Report credibility', ['not credible', 'credible']],
  ['supplierCardinality', 'Supplier cardinality', ['one', 'multiple']],
  ['supplierEngagement', 'Supplier engagement', ['active', 'unresponsive']],
  ['utility', 'Utility', ['laborious', 'efficient', 'super effective']],
  ['publicSafetyImpact', 'Public safety impact', ['minimal', 'significant']],
];
const TOKEN_KEY = 'cvd-coordinator-token';

// The server's own view types: the console cannot drift from what the API sends.
type CaseView = CoordinatorView;
type QueueItem = QueueRow;
type Deadline = NonNullable<CaseView['nextDeadline']>;
type Actor = CaseView['comments'][number]['by'];
type VendorRow = CaseView['vendors'][number];

const app = $('#app');
let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let config: ConsoleConfig = { signIn: null };

const call = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  api<T>(method, path, { token, ...(body !== undefined ? { body } : {}) }).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      token = '';
      const why = config.signIn
        ? 'Your session has ended. Sign in again.'
        : 'The token was not accepted (it changes each time the local stack starts without CVD_DEV_TOKEN). Sign in again.';
      setTimeout(() => signIn(why), 0);
    }
    throw e;
  });

/**
 * The service's "now": the local stack's virtual clock when there is one, else this browser's. The
 * clock route takes the coordinator's token; it goes to the API, as every other call does.
 */
async function serverNow(): Promise<number> {
  try {
    const b = await api<{ now?: unknown }>('GET', '/_local/clock', { token });
    if (typeof b.now === 'string') return Date.parse(b.now);
  } catch {
    /* not the local stack */
  }
  return Date.now();
}

// ---- sign-in and navigation ---------------------------------------------------------------------

function signIn(message?: string): void {
  clear(app);
  const hosted = config.signIn;
  if (hosted) {
    const go = h('button', { type: 'button' }, 'Sign in');
    go.addEventListener('click', () => {
      go.setAttribute('disabled', '');
      void startSignIn(hosted);
    });
    const status = h('div', { hidden: true });
    if (message) notice(status, 'error', message);
    append(app, [
      h('h1', {}, 'Sign in to the console'),
      status,
      h('p', {}, 'Coordinators sign in with their account (and its second factor) on the sign-in page.'),
      go,
    ]);
    go.focus();
    return;
  }
  const t = field('token', {
    label: 'Coordinator token',
    type: 'password',
    required: true,
    autocomplete: 'off',
    hint: 'Locally: the dev token `npm start` prints. It is kept for this browser tab only.',
  });
  const form = actionForm({
    label: 'Sign in',
    id: 'sign-in',
    children: [t.wrap],
    run: async () => {
      const value = t.control.value.trim();
      setError(t, value ? null : 'Enter the coordinator token');
      if (!value) return null;
      await api('GET', '/cases?limit=1', { token: value });
      token = value;
      sessionStorage.setItem(TOKEN_KEY, value);
      void route();
      return null;
    },
  });
  const status = h('div', { hidden: true });
  if (message) notice(status, 'error', message);
  append(app, [h('h1', {}, 'Sign in to the console'), status, form]);
  t.control.focus();
}

function nav(current: string): HTMLElement {
  const out = h('button', { type: 'button', class: 'secondary small' }, 'Sign out');
  out.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    token = '';
    // Hosted sign-in: end the sign-in service's session too, then come back to the console.
    if (config.signIn) location.assign(signOutUrl(config.signIn));
    else signIn();
  });
  return h(
    'nav',
    { class: 'console-nav', 'aria-label': 'Console' },
    h('a', { href: '#/', 'aria-current': current === 'queue' ? 'page' : null }, 'Queue'),
    h('a', { href: '#/directory', 'aria-current': current === 'directory' ? 'page' : null }, 'Directory'),
    h('a', { href: '#/held', 'aria-current': current === 'held' ? 'page' : null }, 'Held mail'),
    out,
  );
}

async function route(): Promise<void> {
  if (!token) return signIn();
  const m = /^#\/cases\/([^/?]+)/.exec(location.hash);
  if (m?.[1]) return casePage(decodeURIComponent(m[1]));
  if (/^#\/held\b/.test(location.hash)) return heldMailPage(app, nav('held'), call);
  const d = /^#\/directory(?:\/([^/?]+))?/.exec(location.hash);
  if (d)
    return d[1]
      ? directoryEntryPage(app, nav('directory'), call, decodeURIComponent(d[1]))
      : directoryListPage(app, nav('directory'), call);
  return queuePage();
}
window.addEventListener('hashchange', () => void route());

// ---- the queue -------------------------------------------------------------------------------------

function deadlineCell(d: Deadline | null, now: number): HTMLElement {
  if (!d) return h('span', { class: 'muted' }, 'none');
  const overdue = Date.parse(d.at) <= now;
  return h('span', {}, overdue ? h('strong', { class: 'badge overdue' }, 'Overdue') : null, overdue ? ' ' : '', `${d.kind} `, when(d.at));
}

async function queuePage(): Promise<void> {
  clear(app);
  const filter = field('phase', {
    label: 'Show',
    options: [['', 'Every open case'], ...PHASES.map((p): [string, string] => [p, phaseLabel(p)])],
    value: new URLSearchParams(location.hash.split('?')[1] ?? '').get('phase') ?? '',
  });
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const byPriority = field('priority', {
    label: 'Priority',
    options: [
      ['', 'Any priority'],
      ['high', 'High'],
      ['medium', 'Medium'],
      ['low', 'Low'],
    ],
    value: params.get('priority') ?? '',
  });
  const sortBy = field('sort', {
    label: 'Order',
    options: [
      ['deadline', 'By next deadline'],
      ['priority', 'By priority, then deadline'],
    ],
    value: params.get('sort') ?? 'deadline',
  });
  const go = () => {
    const q = new URLSearchParams();
    if (filter.control.value) q.set('phase', filter.control.value);
    if (byPriority.control.value) q.set('priority', byPriority.control.value);
    if (sortBy.control.value !== 'deadline') q.set('sort', sortBy.control.value);
    location.hash = q.toString() ? `#/?${q}` : '#/';
  };
  for (const f of [filter, byPriority, sortBy]) f.control.addEventListener('change', go);
  const body = h('div', { 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  const heading = h('h1', { tabindex: -1 }, 'Queue');
  append(app, [nav('queue'), heading, h('div', { class: 'toolbar' }, filter.wrap, byPriority.wrap, sortBy.wrap), body]);
  const phase = filter.control.value;
  let items: QueueItem[] = [];
  let now: number;
  try {
    const all: QueueItem[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: '100' });
      if (phase) q.set('phase', phase);
      if (byPriority.control.value) q.set('priority', byPriority.control.value);
      if (sortBy.control.value === 'priority') q.set('sort', 'priority');
      if (cursor) q.set('cursor', cursor);
      const qs = q.toString();
      const page: { items: QueueItem[]; cursor: string | null } = await call('GET', `/cases?${qs}`);
      all.push(...page.items);
      cursor = all.length < 500 ? page.cursor : null;
    } while (cursor);
    items = all;
    now = await serverNow();
  } catch (e) {
    notice(body, 'error', describeError(e));
    return;
  }
  clear(body);
  const overdue = items.filter((i) => i.nextDeadline && Date.parse(i.nextDeadline.at) <= now).length;
  append(body, [
    h(
      'p',
      { class: 'lead' },
      `${items.length} case${items.length === 1 ? '' : 's'}`,
      overdue ? [', ', h('strong', { class: 'badge overdue' }, `${overdue} overdue`)] : '',
      `. Now: ${utc(new Date(now).toISOString())}.`,
    ),
  ]);
  if (items.length === 0) body.append(h('p', { class: 'muted' }, 'Nothing here.'));
  const key = (i: QueueItem) => (i.nextDeadline ? Date.parse(i.nextDeadline.at) : Number.POSITIVE_INFINITY);
  const rank = (i: QueueItem) => (sortBy.control.value === 'priority' ? ['high', 'medium', 'low'].indexOf(i.priority) : 0);
  const phases = phase ? [phase] : OPEN_PHASES;
  for (const p of phases) {
    const rows = items.filter((i) => i.phase === p).sort((a, b) => rank(a) - rank(b) || key(a) - key(b));
    if (rows.length === 0) continue;
    body.append(
      h(
        'section',
        { class: 'phase-group', 'aria-labelledby': `q-${p}` },
        h('h2', { id: `q-${p}` }, `${phaseLabel(p)} (${rows.length})`),
        h(
          'div',
          { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${phaseLabel(p)}: cases` },
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Case', 'Title', 'Priority', 'Next deadline', 'Received', 'Recommendation', 'Vendors', 'Embargo ends'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...rows.map((i) =>
                h(
                  'tr',
                  { class: i.nextDeadline && Date.parse(i.nextDeadline.at) <= now ? 'overdue' : '' },
                  h(
                    'td',
                    {},
                    h('a', { href: `#/cases/${encodeURIComponent(i.caseId)}` }, i.caseId),
                    i.blocked ? h('span', { class: 'badge' }, ' blocked') : null,
                  ),
                  h('td', {}, i.title),
                  h(
                    'td',
                    {},
                    h('span', { class: `priority priority-${i.priority}` }, i.priority),
                    i.prioritySource === 'override' ? ' (set)' : '',
                  ),
                  h('td', {}, deadlineCell(i.nextDeadline, now)),
                  h('td', {}, utc(i.receivedAt)),
                  h('td', {}, i.recommendation ?? '—'),
                  h(
                    'td',
                    {},
                    String(i.vendors),
                    ...i.attention.map((a) => h('span', { class: 'badge overdue' }, ` ${ATTENTION_BADGE[a.kind]}`)),
                  ),
                  h('td', {}, i.embargo.endsAt ? utc(i.embargo.endsAt) : '—'),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
  heading.focus();
}

// ---- the case ---------------------------------------------------------------------------------------

const actorName = (a: Actor) => (a.participant ? `${a.role}:${a.participant}` : a.role);
const section = (id: string, title: string, ...children: Child[]) =>
  h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children.filter((c): c is Node | string => Boolean(c)));

/** A table in a scroll box that keyboard users can reach and scroll (focusable, named as a region). */
function table(head: string[], rows: (Child | Child[])[][], label = `Table: ${head.join(', ')}`): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
    ),
  );
}

function scoresView(v: CaseView): HTMLElement {
  const rows: (Child | Child[])[][] = [];
  for (const k of ['v2', 'v3', 'v4'] as const) {
    const s: Record<string, unknown> | undefined = v.scores[k];
    if (!s) continue;
    const num = (x: unknown) => (typeof x === 'number' ? x.toFixed(1) : '—');
    rows.push([
      k,
      h('code', {}, String(s.vector ?? '')),
      num(s.base),
      num(s.temporal),
      num(s.environmental ?? (k === 'v4' ? s.score : undefined)),
      String(s.severity ?? ''),
    ]);
  }
  return h(
    'div',
    {},
    rows.length
      ? table(['CVSS', 'Vector', 'Base', 'Temporal', 'Environmental / overall', 'Severity'], rows)
      : h('p', { class: 'muted' }, 'No CVSS vectors given.'),
    v.scoreErrors.length ? h('ul', { class: 'errors' }, ...v.scoreErrors.map((e) => h('li', {}, `${e.field}: ${e.message}`))) : null,
  );
}

function reportView(r: Record<string, unknown> | null): HTMLElement {
  if (!r) return h('p', { class: 'muted' }, 'No report.');
  const s = (x: unknown) => (typeof x === 'string' ? x : x === undefined || x === null ? '' : JSON.stringify(x));
  const obj = (x: unknown): Record<string, unknown> => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {});
  const reporter = obj(r.reporter);
  const product = obj(r.product);
  const evidence = obj(r.evidence);
  const plans = obj(r.disclosurePlans);
  const vendors = Array.isArray(r.vendors) ? r.vendors.map(obj) : [];
  const list = (x: unknown) => (Array.isArray(x) ? x.map((u) => h('code', { class: 'block' }, s(u))) : []);
  return facts([
    [
      'Reporter',
      [
        s(reporter.name),
        reporter.organization ? ` (${s(reporter.organization)})` : '',
        ' · ',
        s(reporter.email),
        ` · credit: ${s(reporter.credit)}`,
        reporter.shareContactWithVendors ? ' · shares contact with vendors' : ' · contact private',
      ],
    ],
    ['Product', `${s(product.name)} ${s(product.version)}`],
    ['Requested', s(r.requestedService)],
    [
      'Reported vendors',
      vendors.map((x) =>
        h(
          'div',
          {},
          s(x.name),
          x.contactEmail ? ` <${s(x.contactEmail)}>` : '',
          x.contacted ? ` · contacted ${s(x.firstContactAt)} ${s(x.communication)}` : '',
        ),
      ),
    ],
    ['Multiple vendors', r.multipleVendors ? 'yes' : ''],
    ['Description', prose(s(r.description))],
    ['Exploitation', r.exploitation ? prose(s(r.exploitation)) : ''],
    ['Impact', r.impact ? prose(s(r.impact)) : ''],
    ['Discovery', r.discovery ? prose(s(r.discovery)) : ''],
    ['Proof of concept', evidence.proofOfConcept ? h('pre', { tabindex: 0 }, s(evidence.proofOfConcept)) : ''],
    ['Patch', evidence.patch ? h('pre', { tabindex: 0 }, s(evidence.patch)) : ''],
    ['Already public', r.alreadyPublic ? ['yes ', ...list(r.publicReferences)] : ''],
    ['Exploited in the wild', r.exploitedInTheWild ? ['yes ', ...list(r.exploitReferences)] : ''],
    ['Reporter will disclose', plans.intendsToDisclose ? [when(s(plans.date) || null), ' ', s(plans.details)] : ''],
    ['Private comments', r.privateComments ? prose(s(r.privateComments)) : ''],
  ]);
}

/**
 * The case view holds the first page of a large case's vendors: the panels (recipients, editing,
 * links) need them all, so the rest are read page by page from GET /cases/{caseId}/vendors.
 */
async function withEveryVendor(v: CaseView): Promise<CaseView> {
  const vendors = [...v.vendors];
  let cursor = v.vendorsNext;
  while (cursor) {
    const page: { vendors: VendorRow[]; cursor: string | null } = await call(
      'GET',
      `/cases/${encodeURIComponent(v.caseId)}/vendors?limit=200&cursor=${encodeURIComponent(cursor)}`,
    );
    vendors.push(...page.vendors);
    cursor = page.cursor;
  }
  return { ...v, vendors, vendorsNext: null };
}

async function casePage(caseId: string): Promise<void> {
  clear(app);
  const heading = h('h1', { tabindex: -1 }, caseId);
  append(app, [nav('case'), heading, h('p', {}, 'Loading…')]);
  let v: CaseView;
  let now: number;
  try {
    [v, now] = await Promise.all([call<CaseView>('GET', `/cases/${encodeURIComponent(caseId)}`), serverNow()]);
    v = await withEveryVendor(v);
  } catch (e) {
    clear(app);
    append(app, [nav('case'), h('h1', {}, caseId), h('p', { class: 'notice error', role: 'alert' }, describeError(e))]);
    return;
  }
  const reload = async (message: string) => {
    setFlash(message);
    await casePage(caseId);
  };
  clear(app);
  const title = h('h1', { tabindex: -1 }, v.title || caseId);
  const latest = v.draft.revisions.at(-1);
  append(app, [
    nav('case'),
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Queue'), ` › ${v.caseId}`),
    title,
    takeFlash(),
    h('p', { class: 'lead' }, h('span', { class: `phase phase-${v.phase}` }, phaseLabel(v.phase)), ` · ${v.cs} · RM ${v.rm} · EM ${v.em}`),
    attentionBanner(v),
    facts([
      ['Case id', h('strong', { id: 'case-id' }, v.caseId)],
      ['Reporter link', linkCell(v.caseId, reload, v.reporterLink, '/reporter/links', {}, 'the reporter')],
      ['Received', when(v.receivedAt)],
      [
        'Reported by',
        v.reportVia
          ? h(
              'strong',
              { id: 'report-via' },
              `e-mail: the reporter was asked for what the form requires (${v.reportVia.missing.join(', ')}); add the product and vendors yourself once they answer`,
            )
          : 'the report form',
      ],
      [
        'Priority',
        h(
          'span',
          { id: 'priority' },
          h('strong', {}, v.priority.level),
          v.priority.override
            ? ` (set by ${v.priority.override.by}: ${v.priority.override.reason}; computed ${v.priority.computed})`
            : ` (computed: ${v.priority.why.join('; ')})`,
        ),
      ],
      [
        'Terms',
        h(
          'span',
          { id: 'terms-agreement' },
          v.terms.agreement === 'accepted'
            ? `accepted (version ${v.terms.version ?? '?'})`
            : 'not recorded: the client did not send an agreement',
        ),
      ],
      [
        'Reporter mail',
        v.reporterBounced
          ? h(
              'strong',
              { id: 'reporter-bounced' },
              `${v.reporterBounced.kind === 'bounce' ? 'bounces' : 'complained'} since ${v.reporterBounced.at}: no mail reaches the reporter`,
            )
          : 'no bounce reported',
      ],
      ['Next deadline', deadlineCell(v.nextDeadline, now)],
      ['Waiting for you', v.pendingDecision ? [h('strong', {}, v.pendingDecision.kind), ' since ', when(v.pendingDecision.since)] : ''],
      ['Blocked', v.blocked ? JSON.stringify(v.blocked) : ''],
      ['Published note', v.noteId ? h('a', { href: `/notes/${encodeURIComponent(v.noteId)}.html` }, v.noteId) : ''],
      ['Closed', v.closed ? [when(v.closed.at), ` ${v.closed.closure}`] : ''],
    ]),
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'col' },
        section(
          'triage-h',
          'Triage',
          facts([
            ['SSVC recommendation', h('strong', { id: 'recommendation' }, v.triage.recommendation ?? '—')],
            ['SSVC outcome', v.ssvc?.outcome ?? ''],
            [
              'Suggested decline reasons',
              v.triage.suggestedReasons.length
                ? h('ul', {}, ...v.triage.suggestedReasons.map((r) => h('li', {}, h('strong', {}, r.reason), ` — ${r.evidence}`)))
                : 'none',
            ],
            [
              'Decision',
              v.triage.decision
                ? `${v.triage.decision.decision}${v.triage.decision.reasons.length ? ` (${v.triage.decision.reasons.join(', ')})` : ''}`
                : 'not yet',
            ],
          ]),
          v.ssvc
            ? h(
                'details',
                {},
                h('summary', {}, 'SSVC inputs and where they come from'),
                table(
                  ['Decision point', 'Value', 'Source'],
                  Object.entries(v.ssvc.inputs).map(([k, x]) => [k, h('strong', {}, x.value), h('span', { class: 'muted' }, x.source)]),
                ),
              )
            : null,
        ),
        section('scores-h', 'Scores', scoresView(v)),
        section('vendors-h', 'Vendors', vendorsView(v, reload)),
        section(
          'embargo-h',
          'Embargo',
          facts([
            ['State', v.embargo.state],
            ['Ends (UTC)', h('strong', { id: 'embargo-utc' }, utc(v.embargo.endsAt))],
            ['Ends (your zone)', h('span', { id: 'embargo-local' }, local(v.embargo.endsAt))],
            ['Active since', v.embargo.activatedAt ? when(v.embargo.activatedAt) : ''],
            ['Ended', v.embargo.exitedAt ? [when(v.embargo.exitedAt), ` ${v.embargo.exitReason ?? ''}`] : ''],
            ['Planned publication', v.publication.plannedAt ? when(v.publication.plannedAt) : ''],
            ['Proposed ends', embargoRequestsView(v, reload)],
            [
              'Changes',
              v.embargo.revisions.map((r) =>
                h('div', {}, `${utc(r.from)} → ${utc(r.to)} by ${actorName(r.by)}${r.reason ? `: ${r.reason}` : ''}`),
              ),
            ],
          ]),
        ),
        section('vul-h', 'Vulnerabilities', vulnerabilitiesView(v, reload)),
        section(
          'draft-h',
          'Draft note',
          v.draft.revisions.length
            ? h(
                'div',
                {},
                facts([
                  [
                    'Shared',
                    v.draft.shared
                      ? [
                          `revision ${v.draft.shared.revision} on `,
                          when(v.draft.shared.at),
                          ' · publishes ',
                          when(v.draft.shared.publishAt),
                        ]
                      : 'not yet',
                  ],
                  [
                    'Publication decision',
                    v.publication.decision
                      ? `${v.publication.decision}${v.publication.publishAt ? ` at ${utc(v.publication.publishAt)}` : ''}`
                      : 'none yet',
                  ],
                ]),
                v.draft.vendorsNamedInBody.length
                  ? h(
                      'p',
                      { class: 'notice error', id: 'draft-names-vendors' },
                      `The text of the latest revision names ${v.draft.vendorsNamedInBody.map((x) => x.name).join(', ')}. Every participant reads that text as written.`,
                    )
                  : null,
                ...[...v.draft.revisions]
                  .reverse()
                  .map((r, i) =>
                    h(
                      'details',
                      { open: i === 0 },
                      h('summary', {}, `Revision ${r.revision} · ${utc(r.at)} · ${actorName(r.by)}`),
                      noteWithSource(r.markdown),
                    ),
                  ),
                // The vendor sections are written from the case for each reader; this is the public's (every vendor).
                v.draft.preview
                  ? h(
                      'details',
                      { id: 'draft-preview' },
                      h('summary', {}, 'The whole note as it will be published, vendor sections included'),
                      noteWithSource(v.draft.preview),
                    )
                  : null,
              )
            : h('p', { class: 'muted' }, 'No draft yet: it is written when the draft date comes.'),
        ),
        section(
          'comments-h',
          'Messages',
          v.comments.length
            ? h(
                'ol',
                { class: 'messages' },
                ...v.comments.map((c) =>
                  h(
                    'li',
                    {},
                    h(
                      'p',
                      { class: 'meta' },
                      h('strong', {}, actorName(c.by)),
                      c.onDraft ? ' · on the draft' : '',
                      ` · ${audienceLabel(v, c)} · `,
                      when(c.at),
                    ),
                    prose(c.body),
                    fileList(c.files, asCoordinator(v)),
                    c.files?.length ? shareDownstream(v, c.files) : null,
                  ),
                ),
              )
            : h('p', { class: 'muted' }, 'None.'),
          v.signals.length ? h('h3', {}, 'Signals') : null,
          v.signals.length ? h('ul', {}, ...v.signals.map((s) => h('li', {}, `${s.kind}: ${s.evidence} `, when(s.at)))) : null,
          v.selfDisclosure
            ? h('p', {}, 'Reporter self-disclosure: ', when(v.selfDisclosure.disclosureAt), ` ${v.selfDisclosure.body}`)
            : null,
        ),
        section('report-h', 'Report', reportView(v.report)),
        section(
          'timeline-h',
          'Timeline',
          v.timelineComplete ? null : h('p', { class: 'muted' }, 'The latest events only; the whole log is at GET /cases/{caseId}/events.'),
          table(
            ['#', 'When (UTC)', 'Event', 'By', 'Detail'],
            v.timeline.map((e) => [
              String(e.seq),
              utc(e.at),
              e.type,
              e.by,
              Object.entries(e)
                .filter(([k]) => !['seq', 'at', 'type', 'by'].includes(k))
                .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`)
                .join(' · '),
            ]),
          ),
        ),
      ),
      h(
        'aside',
        { class: 'col actions-col', 'aria-label': 'Actions' },
        h('h2', {}, 'Actions'),
        ...actions(v, latest?.markdown ?? '', reload),
      ),
    ),
  ]);
  title.focus();
}

// ---- vendors, links and CVE IDs ---------------------------------------------------------------------

/** One button that calls the API on this case (after a confirmation when given) and reloads. */
function caseButton(
  caseId: string,
  reload: Reload,
  o: { label: string; id: string; method: string; tail: string; body: unknown; confirm?: [string, string]; danger?: boolean },
): HTMLFormElement {
  return actionForm({
    label: o.label,
    id: o.id,
    children: [],
    ...(o.danger ? { danger: true } : {}),
    run: async () => {
      if (o.confirm && !(await confirmDialog(o.confirm[0], o.confirm[1], o.label))) return null;
      const r = await call<{ phase?: string }>(o.method, `/cases/${encodeURIComponent(caseId)}${o.tail}`, o.body);
      await reload(`Done${r.phase ? `: the case is now ${phaseLabel(r.phase)}` : ''}.`);
      return null;
    },
  });
}

const slug = (x: string) =>
  x
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A link's standing and what a coordinator can do about it: revoke it, or send a new one. */
function linkCell(
  caseId: string,
  reload: Reload,
  link: { state: string; generation: number },
  tail: string,
  body: Record<string, string>,
  who: string,
): HTMLElement {
  const id = slug(`${tail}-${body.email ?? 'reporter'}`);
  return h(
    'div',
    { class: 'link-state' },
    h(
      'span',
      { class: link.state === 'revoked' ? 'badge overdue' : 'badge' },
      link.state === 'revoked' ? 'link revoked' : `link live (#${link.generation})`,
    ),
    link.state === 'live'
      ? caseButton(caseId, reload, {
          label: 'Revoke the link',
          id: `revoke-${id}`,
          method: 'POST',
          tail,
          body: { ...body, action: 'revoke' },
          danger: true,
          confirm: ['Revoke this link?', `The private link of ${who} stops working at once; they get no new one until you send it.`],
        })
      : null,
    caseButton(caseId, reload, {
      label: 'Send a new link',
      id: `reissue-${id}`,
      method: 'POST',
      tail,
      body: { ...body, action: 'reissue' },
      confirm: ['Send a new link?', `A new private link is e-mailed to ${who}; every earlier link stops working.`],
    }),
  );
}

/** How the queue marks each attention state (functions/domain/deadlines.ts attentionOf). */
const ATTENTION_BADGE: Record<CaseView['attention'][number]['kind'], string> = {
  'vendor-without-contact': 'no contact',
  'vendor-contacts-bounced': 'contacts bouncing',
};

/** Vendors nobody can reach (no confirmed contact, or every one bounced): they hold the case up, so they come first. */
function attentionBanner(v: CaseView): HTMLElement | null {
  if (!v.attention.length) return null;
  const namesOf = (ids: string[]) => v.vendors.filter((x) => ids.includes(x.vendorId)).map((x) => x.name);
  const lines = v.attention.map((a) =>
    a.kind === 'vendor-without-contact'
      ? `No confirmed contact for ${namesOf(a.vendorIds).join(', ')}: nobody there has been told of this case.`
      : `Every contact of ${namesOf(a.vendorIds).join(', ')} bounced or complained: mail no longer reaches them.`,
  );
  return h('p', { class: 'notice error', id: 'attention', role: 'status' }, `${lines.join(' ')} Confirm or add a contact under Vendors.`);
}

function contactsCell(v: CaseView, x: VendorRow, reload: Reload): Child[] {
  const tail = `/vendors/${encodeURIComponent(x.vendorId)}`;
  const confirmed = x.contacts.map((c) =>
    h(
      'div',
      { class: 'contact' },
      h('strong', {}, c.email),
      c.name ? ` (${c.name})` : '',
      c.bounced
        ? h(
            'span',
            { class: 'badge overdue', title: `SES reported a ${c.bounced.kind} on ${utc(c.bounced.at)}` },
            ` ${c.bounced.kind === 'bounce' ? 'bouncing' : 'complained'}`,
          )
        : null,
      linkCell(v.caseId, reload, c.link, `${tail}/links`, { email: c.email }, c.email),
    ),
  );
  const suggested = x.suggestedContacts.map((c) =>
    h(
      'div',
      { class: 'contact suggested' },
      h('span', { class: 'badge' }, 'suggested by the reporter'),
      ` ${c.email} `,
      caseButton(v.caseId, reload, {
        label: 'Confirm this contact',
        id: `confirm-${slug(`${x.vendorId}-${c.email}`)}`,
        method: 'PUT',
        tail,
        body: { contacts: [...x.contacts.map((k) => ({ email: k.email, ...(k.name ? { name: k.name } : {}) })), { email: c.email }] },
        confirm: [
          `Confirm ${c.email} for ${x.name}?`,
          "A reporter could name any address. Confirm it only if you know it is the vendor's: it receives the vendor's private link.",
        ],
      }),
    ),
  );
  return [
    ...confirmed,
    ...suggested,
    !x.contacts.length && !x.suggestedContacts.length ? h('span', { class: 'badge overdue' }, 'no contact') : null,
  ];
}

function vendorsView(v: CaseView, reload: Reload): HTMLElement {
  if (!v.vendors.length) return h('p', { class: 'muted' }, 'No vendors yet.');
  return table(
    ['Vendor', 'Contacts and links', 'First contact', 'Acknowledged', 'Status', 'Statement', 'Proposals'],
    v.vendors.map((x) => [
      [
        h('strong', {}, x.name),
        x.isCna ? ' (CNA)' : '',
        // From the directory: its page has the organisation's other cases and contacts.
        x.vendorRef ? h('div', {}, h('a', { href: `#/directory/${encodeURIComponent(x.vendorRef)}` }, 'In the directory')) : null,
        x.downstream ? ' (downstream)' : '',
        h('div', { class: 'muted' }, `${x.vendorId} · ${x.cs}`),
      ],
      contactsCell(v, x, reload),
      [when(x.firstContactAt), h('div', { class: 'muted' }, `${x.attempts} attempt(s)`)],
      x.acknowledgedAt ? when(x.acknowledgedAt) : 'no',
      [
        x.unresponsive ? h('strong', { class: 'badge overdue' }, 'Unresponsive') : null,
        ` ${x.status}`,
        h(
          'div',
          { class: 'muted' },
          Object.entries(x.statuses)
            .map(([k, st]) => `${k}: ${st}`)
            .join(', '),
        ),
        x.changedSinceApproval ? h('div', { class: 'badge overdue' }, 'changed since approval') : null,
      ],
      x.statement ? prose(x.statement) : '—',
      proposalsCell(v, x, reload),
    ]),
    'Vendors',
  );
}

/** Reporters' and vendors' proposed embargo ends: each open one can be accepted or declined here. */
function embargoRequestsView(v: CaseView, reload: Reload): Child {
  if (!v.embargo.requests.length) return 'none';
  return h(
    'ul',
    { class: 'plain' },
    ...v.embargo.requests.map((r) =>
      h(
        'li',
        {},
        `${utc(r.endsAt)}, proposed by ${actorName(r.by)} on ${utc(r.at)} (${r.answer}): `,
        h('q', {}, r.reason),
        ...(r.answer === 'open'
          ? [
              ' ',
              caseButton(v.caseId, reload, {
                label: 'Accept this date',
                id: `accept-${r.proposalId}`,
                method: 'PUT',
                tail: '/embargo',
                body: { acceptProposal: r.proposalId },
              }),
              ' ',
              caseButton(v.caseId, reload, {
                label: 'Decline',
                id: `decline-${r.proposalId}`,
                method: 'PUT',
                tail: '/embargo',
                body: { declineProposal: r.proposalId },
              }),
            ]
          : []),
      ),
    ),
  );
}

function proposalsCell(v: CaseView, x: VendorRow, reload: Reload): Child[] {
  const out: Child[] = [];
  if (x.proposals.isCna !== null && x.proposals.isCna !== x.isCna)
    out.push(
      h('div', {}, x.proposals.isCna ? 'Says it is a CNA ' : 'Says it is not a CNA '),
      caseButton(v.caseId, reload, {
        label: x.proposals.isCna ? 'Mark as CNA' : 'Mark as not a CNA',
        id: `cna-${x.vendorId}`,
        method: 'PUT',
        tail: `/vendors/${encodeURIComponent(x.vendorId)}`,
        body: { isCna: x.proposals.isCna },
      }),
    );
  for (const [vulId, cveId] of Object.entries(x.proposals.cveIds)) {
    const current = v.vulnerabilities.find((y) => y.vulnerabilityId === vulId)?.cveId;
    out.push(h('div', {}, `Proposes ${cveId} for ${vulId}${current === cveId ? ' (accepted)' : ''}`));
    if (current !== cveId)
      out.push(
        caseButton(v.caseId, reload, {
          label: `Accept ${cveId}`,
          id: `accept-cve-${x.vendorId}-${vulId}`,
          method: 'PUT',
          tail: `/vulnerabilities/${encodeURIComponent(vulId)}/cve`,
          body: { acceptProposalFrom: x.vendorId },
          confirm: [
            `Accept ${cveId} for ${vulId}?`,
            `${x.name} proposed it. Check that it is a real ID for this vulnerability (a CNA's own${current ? `; it replaces ${current}` : ''}).`,
          ],
        }),
      );
  }
  return out.length ? out : ['—'];
}

function vulnerabilitiesView(v: CaseView, reload: Reload): HTMLElement {
  if (!v.vulnerabilities.length) return h('p', { class: 'muted' }, 'None yet.');
  return table(
    ['Id', 'Title', 'CWE', 'CVE'],
    v.vulnerabilities.map((x) => [
      x.vulnerabilityId,
      x.title,
      x.cwe ?? '—',
      x.cveId
        ? [
            h('strong', {}, x.cveId),
            h('div', { class: 'muted' }, `from ${x.cveSource ?? '?'}${x.cveVendorId ? ` (${x.cveVendorId})` : ''}`),
            caseButton(v.caseId, reload, {
              label: 'Clear the CVE ID',
              id: `clear-cve-${x.vulnerabilityId}`,
              method: 'PUT',
              tail: `/vulnerabilities/${encodeURIComponent(x.vulnerabilityId)}/cve`,
              body: { cveId: null },
              danger: true,
              confirm: [`Clear ${x.cveId}?`, `${x.vulnerabilityId} will have no CVE ID until one is set or assigned.`],
            }),
          ]
        : '—',
    ]),
    'Vulnerabilities',
  );
}

// ---- actions ----------------------------------------------------------------------------------------

/** Whom a message went to, in words: internal notes are marked as such. */
function audienceLabel(v: CaseView, c: CaseView['comments'][number]): string {
  if (c.audience === 'internal') return 'internal note (coordinators only)';
  if (c.audience === 'coordinators') return 'to the coordinators';
  if (c.audience === 'selected' && c.to)
    return `to ${c.to.vendorIds.map((id) => v.vendors.find((x) => x.vendorId === id)?.name ?? id).join(', ')}`;
  const words: Record<string, string> = {
    reporter: 'to the reporter',
    vendors: 'to every contacted vendor',
    downstream: 'to the downstream vendors',
    everyone: 'to everyone',
    participants: 'to every participant',
  };
  return words[c.audience] ?? `to ${c.audience}`;
}

/** The coordinators write to an audience they pick; participants' words in the thread list are data, shown as text. */
function messageForm(v: CaseView, post: <T>(method: string, tail: string, body: unknown) => Promise<T>, reload: Reload) {
  const audience = field('message-to', {
    label: 'To',
    options: [
      ['internal', 'Internal note (coordinators only)'],
      ['reporter', 'The reporter'],
      ['vendors', 'Every contacted vendor'],
      ['downstream', 'The contacted downstream vendors'],
      ['everyone', 'Everyone (the reporter and every contacted vendor)'],
      ['selected', 'The vendors ticked below'],
    ],
  });
  const contacted = v.vendors.filter((x) => x.firstContactAt !== null);
  const picks = contacted.map((x) => ({ vendorId: x.vendorId, f: checkbox(`message-vendor-${x.vendorId}`, x.name) }));
  const pickBox = h(
    'fieldset',
    { class: 'group' },
    h('legend', {}, 'Vendors (for "the vendors ticked below")'),
    ...picks.map((p) => p.f.wrap),
  );
  const threads = v.comments.filter((c) => c.messageId);
  const reply = field('message-reply', {
    label: 'In reply to',
    options: [
      ['', 'A new thread'],
      ...threads.slice(-20).map((c): [string, string] => [c.messageId ?? '', `${actorName(c.by)} · ${c.at}`]),
    ],
  });
  const body = field('message-body', { label: 'Message', multiline: 5, required: true });
  const picker = filePicker('message-files');
  return actionForm({
    label: 'Send',
    id: 'message',
    children: [audience.wrap, pickBox, reply.wrap, body.wrap, picker.wrap],
    run: async () => {
      const text = required(body, 'The message cannot be empty');
      if (!text) return null;
      let to: unknown = audience.control.value;
      if (to === 'selected') {
        const vendorIds = picks.filter((p) => checked(p.f)).map((p) => p.vendorId);
        setError(audience, vendorIds.length ? null : 'Tick at least one vendor');
        if (!vendorIds.length) return null;
        to = { vendorIds };
      }
      const attachmentIds = await uploadPicked(picker, asCoordinator(v));
      await post('POST', '/messages', {
        to,
        body: text,
        ...(reply.control.value ? { inReplyTo: reply.control.value } : {}),
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
      await reload('Message sent.');
      return null;
    },
  });
}

/** The API as the coordinators, under this case. */
const asCoordinator =
  (v: CaseView): Caller =>
  <T>(method: string, tail: string, body?: unknown) =>
    call<T>(method, `/cases/${encodeURIComponent(v.caseId)}${tail}`, body);

/** The seed's patch path in one action: a message's files to the contacted downstream vendors. */
function shareDownstream(v: CaseView, files: readonly FileRefView[]): HTMLElement | null {
  if (!v.vendors.some((x) => x.downstream && x.firstContactAt !== null)) return null;
  return actionForm({
    label: 'Send these files to the downstream vendors',
    children: [],
    run: async () => {
      await asCoordinator(v)('POST', '/messages', {
        to: 'downstream',
        body: `The coordinators share ${files.length === 1 ? 'this file' : 'these files'} with you: ${files.map((f) => f.filename).join(', ')}.`,
        attachmentIds: files.map((f) => f.attachmentId),
      });
      return 'Sent to the downstream vendors.';
    },
  });
}

/**
 * After publication: the note's revisions, the vendors' update requests (what the note shows,
 * what the vendor proposes), and the approval of the next revision with its change line.
 */
function noteUpdateForm(v: CaseView, post: <T>(method: string, tail: string, body: unknown) => Promise<T>, reload: Reload) {
  const part = (x: CaseView['updateRequests'][number]['proposed']) =>
    [
      Object.entries(x.statuses as Record<string, string>)
        .map(([k, st]) => `${k}: ${st}`)
        .join(', ') || 'no status',
      x.fixDeployed ? 'fix deployed' : x.fixReady ? 'fix ready' : '',
      x.statement ? `statement: ${String(x.statement)}` : '',
      // The vendor's links as text: a coordinator reads them before they become the note's links.
      x.references.length ? `references: ${x.references.map((r) => `${r.url} (${r.kind})`).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  const picks = v.updateRequests.map((x) => ({
    vendorId: x.vendorId,
    f: checkbox(`accept-update-${x.vendorId}`, `Accept ${x.name}'s update`),
  }));
  const summary = field('note-update-summary', {
    label: 'Change line (one line, at most 200 characters; empty: "Updated the note.")',
  });
  return actionForm({
    label: 'Publish the next revision',
    id: 'note-update',
    children: [
      table(
        ['Revision', 'Date (UTC)', 'Change'],
        v.noteRevisions.map((r) => [String(r.number), r.at, r.summary]),
      ),
      // One block per request: the sidebar is narrow for a four-column table.
      ...v.updateRequests.map((x) =>
        h(
          'div',
          { class: 'notice' },
          h('p', {}, h('strong', {}, x.name), ` asks for an update (since ${x.since ?? 'before publication'}).`),
          h('p', {}, 'The note shows: ', part(x.published)),
          h('p', {}, 'The vendor proposes: ', part(x.proposed)),
        ),
      ),
      v.updateRequests.length ? null : h('p', { class: 'muted' }, 'No vendor update request is waiting.'),
      ...picks.map((x) => x.f.wrap),
      summary.wrap,
    ],
    run: async () => {
      const acceptUpdates = picks.filter((x) => checked(x.f)).map((x) => x.vendorId);
      if (
        !(await confirmDialog(
          'Publish the next revision?',
          'The latest draft and the accepted vendor updates go public at once, and everyone is told.',
          'Publish',
        ))
      )
        return null;
      await post('POST', '/publication', {
        decision: 'approve',
        ...(summary.control.value.trim() ? { changeSummary: summary.control.value.trim() } : {}),
        ...(acceptUpdates.length ? { acceptUpdates } : {}),
      });
      await reload('The next revision is going out; the note, its CSAF and CVE records follow in a moment.');
      return null;
    },
  });
}

type Reload = (message: string) => Promise<void>;
const checked = (f: Field) => (f.control as HTMLInputElement).checked;
const panel = (id: string, title: string, open: boolean, form: HTMLElement) =>
  h('details', { class: 'panel', id: `panel-${id}`, open }, h('summary', {}, title), form);

function required(f: Field, message: string): string | null {
  const v = f.control.value.trim();
  setError(f, v ? null : message);
  if (!v) f.control.focus();
  return v || null;
}

function actions(v: CaseView, markdown: string, reload: Reload): HTMLElement[] {
  const base = `/cases/${encodeURIComponent(v.caseId)}`;
  const post = <T>(method: string, tail: string, body: unknown) => call<T>(method, `${base}${tail}`, body);
  const result = (r: { phase?: string; events?: string[] }) =>
    `Done${r.phase ? `: the case is now ${phaseLabel(r.phase)}` : ''}${r.events?.length ? ` (${r.events.join(', ')})` : ''}.`;

  // Triage
  const decision = field('decision', {
    label: 'Decision',
    options: [
      ['accept', 'Accept: coordinate'],
      ['decline', 'Decline'],
      ['request-info', 'Ask the reporter for information'],
    ],
    value: v.triage.recommendation === 'decline' ? 'decline' : 'accept',
  });
  const suggested = new Set<string>(v.triage.suggestedReasons.map((r) => r.reason));
  const reasons = DECLINE_CHOICES.map(([r, label]) =>
    checkbox(`reason-${r}`, `${label}${suggested.has(r) ? ' (suggested)' : ''}`, suggested.has(r)),
  );
  const reasonBox = h('fieldset', { class: 'group' }, h('legend', {}, 'Reasons (for a decline)'), ...reasons.map((r) => r.wrap));
  const ssvc = SSVC.map(([k, label, values]) => ({
    k,
    f: field(`ssvc-${k}`, {
      label,
      options: [['', `system: ${v.ssvc?.inputs[k]?.value ?? '—'}`], ...values.map((x): [string, string] => [x, x])],
    }),
  }));
  const comment = field('comment', {
    label: 'Comment',
    multiline: 3,
    hint: 'Sent to the reporter with a decline or a request; required when you decide against the recommendation.',
  });
  const triage = actionForm({
    label: 'Record the triage decision',
    id: 'triage',
    children: [
      decision.wrap,
      reasonBox,
      h('details', {}, h('summary', {}, 'Override SSVC inputs'), ...ssvc.map((s) => s.f.wrap)),
      comment.wrap,
    ],
    run: async () => {
      const d = decision.control.value;
      const chosen = DECLINE_CHOICES.map(([r]) => r).filter((_, i) => checked(reasons[i] as Field));
      const overriding = (v.triage.recommendation === 'decline') !== (d === 'decline') && d !== 'request-info';
      setError(
        comment,
        overriding && !comment.control.value.trim()
          ? `The recommendation was "${v.triage.recommendation ?? ''}": say why you decide otherwise`
          : null,
      );
      if (overriding && !comment.control.value.trim()) {
        comment.control.focus();
        return null;
      }
      const verb =
        d === 'accept' ? 'Accept and contact the vendors?' : d === 'decline' ? 'Decline this report?' : 'Ask the reporter for information?';
      const what =
        d === 'accept'
          ? 'Vendors with a confirmed contact are notified and the embargo starts with the first of them; addresses the reporter suggested wait for you to confirm them. This cannot be undone.'
          : d === 'decline'
            ? 'The reporter is told we will not coordinate. This cannot be undone.'
            : 'The reporter gets an e-mail with your comment.';
      if (!(await confirmDialog(verb, what, d === 'accept' ? 'Accept' : d === 'decline' ? 'Decline' : 'Send the request'))) return null;
      const overrides = Object.fromEntries(ssvc.filter((s) => s.f.control.value).map((s) => [s.k, s.f.control.value]));
      const r = await post<{ phase: string; events?: string[] }>('POST', '/triage', {
        decision: d,
        reasons: d === 'decline' ? chosen : [],
        ...(Object.keys(overrides).length ? { ssvc: overrides } : {}),
        ...(comment.control.value.trim() ? { comment: comment.control.value.trim() } : {}),
      });
      await reload(result(r));
      return null;
    },
  });

  // Vendors
  const vName = field('vendor-name', { label: 'Vendor name', required: true });
  const vContacts = field('vendor-contacts', { label: 'Contact e-mails (comma or line separated)', multiline: 2 });
  const vCna = checkbox('vendor-cna', 'The vendor is a CNA');
  const vCnaName = field('vendor-cna-name', { label: 'CNA short name' });
  const vDown = checkbox('vendor-downstream', 'Downstream (notified after the vendor)');
  // Or one from the vendor directory, found by name or alias, added by its vendorRef.
  const onCase = new Set(v.vendors.flatMap((x) => (x.vendorRef ? [x.vendorRef] : [])));
  const finderText = {
    id: 'directory-find',
    label: 'Find in the vendor directory',
    hint: 'Type part of a name or alias; its contacts become the vendor’s confirmed contacts.',
    verb: 'Add to the case',
  };
  const finder = directoryFinder(call, finderText, onCase, async (s) => {
    if (
      !(await confirmDialog(
        `Add ${s.name}?`,
        'Its contacts in the directory become the vendor’s confirmed contacts; in an accepted case they are e-mailed the report right away. This cannot be undone.',
        'Add the vendor',
      ))
    )
      return;
    const r = await post<{ phase: string }>('POST', '/vendors', { vendors: [{ vendorRef: s.vendorRef }] });
    await reload(result(r));
  });
  const vendors = actionForm({
    label: 'Add the vendor',
    id: 'add-vendor',
    children: [vName.wrap, vContacts.wrap, vCna.wrap, vCnaName.wrap, vDown.wrap],
    run: async () => {
      const name = required(vName, 'Enter the vendor name');
      if (!name) return null;
      const contacts = vContacts.control.value.split(/[\s,;]+/).filter(Boolean);
      if (
        !(await confirmDialog(
          `Add ${name}?`,
          'In an accepted case the vendor is e-mailed the report right away. This cannot be undone.',
          'Add the vendor',
        ))
      )
        return null;
      const r = await post<{ phase: string }>('POST', '/vendors', {
        vendors: [
          {
            name,
            contacts,
            isCna: checked(vCna),
            ...(vCnaName.control.value.trim() ? { cnaShortName: vCnaName.control.value.trim() } : {}),
            downstream: checked(vDown),
          },
        ],
      });
      await reload(result(r));
      return null;
    },
  });

  // Edit a vendor: its confirmed contacts (exactly the list given), CNA status, downstream.
  const eWhich = field('edit-vendor-id', {
    label: 'Vendor',
    options: v.vendors.map((x): [string, string] => [x.vendorId, `${x.name} (${x.vendorId})`]),
  });
  const eContacts = field('edit-vendor-contacts', {
    label: 'Confirmed contacts (one e-mail per line)',
    multiline: 3,
    hint: 'Each receives its own private link. A contact left out loses its link at once.',
  });
  const eCna = checkbox('edit-vendor-cna', 'The vendor is a CNA (it assigns its own CVE IDs)');
  const eCnaName = field('edit-vendor-cna-name', { label: 'CNA short name' });
  const eDown = checkbox('edit-vendor-downstream', 'Downstream (notified after the vendor)');
  const fillVendor = () => {
    const x = v.vendors.find((y) => y.vendorId === eWhich.control.value);
    eContacts.control.value = x ? x.contacts.map((c) => c.email).join('\n') : '';
    (eCna.control as HTMLInputElement).checked = !!x?.isCna;
    eCnaName.control.value = x?.cnaShortName ?? '';
    (eDown.control as HTMLInputElement).checked = !!x?.downstream;
  };
  eWhich.control.addEventListener('change', fillVendor);
  fillVendor();
  const editVendor = actionForm({
    label: 'Save the vendor',
    id: 'edit-vendor',
    children: [eWhich.wrap, eContacts.wrap, eCna.wrap, eCnaName.wrap, eDown.wrap],
    run: async () => {
      const x = v.vendors.find((y) => y.vendorId === eWhich.control.value);
      if (!x) return null;
      const emails = eContacts.control.value.split(/[\s,;]+/).filter(Boolean);
      const bad = emails.some((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
      setError(eContacts, bad ? 'Enter e-mail addresses, one per line' : null);
      if (bad) {
        eContacts.control.focus();
        return null;
      }
      const dropped = x.contacts.filter((c) => !emails.some((e) => e.toLowerCase() === c.email.toLowerCase())).map((c) => c.email);
      const added = emails.filter((e) => !x.contacts.some((c) => c.email.toLowerCase() === e.toLowerCase()));
      const what = [
        added.length ? `${added.join(', ')} will receive ${x.name}'s private link.` : '',
        dropped.length ? `${dropped.join(', ')} lose${dropped.length === 1 ? 's' : ''} their link at once.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      if (!(await confirmDialog(`Save ${x.name}?`, what || 'The contacts stay as they are.', 'Save the vendor'))) return null;
      const r = await post<{ phase: string }>('PUT', `/vendors/${encodeURIComponent(x.vendorId)}`, {
        contacts: emails.map((email) => ({
          email,
          ...(x.contacts.find((c) => c.email.toLowerCase() === email.toLowerCase())?.name
            ? { name: x.contacts.find((c) => c.email.toLowerCase() === email.toLowerCase())?.name }
            : {}),
        })),
        isCna: checked(eCna),
        ...(eCnaName.control.value.trim() ? { cnaShortName: eCnaName.control.value.trim() } : {}),
        downstream: checked(eDown),
      });
      await reload(result(r));
      return null;
    },
  });

  // Or link the vendor chosen above to a directory organisation: its contacts join the vendor's
  // (a vendor named without an address gets the directory's), its name and CNA standing replace the case's.
  const linkFinder = directoryFinder(
    call,
    {
      id: 'directory-link',
      label: 'Link the vendor to a directory organisation',
      hint: 'Type part of a name or alias. The organisation’s contacts join the vendor’s and are e-mailed their link.',
      verb: 'Link',
    },
    onCase,
    async (s) => {
      const x = v.vendors.find((y) => y.vendorId === eWhich.control.value);
      if (!x) return;
      const why = `${x.name} becomes ${s.name} on this case; the organisation’s contacts join its own and each receives its private link.`;
      if (!(await confirmDialog(`Link ${x.name} to ${s.name}?`, why, 'Link the vendor'))) return;
      const r = await post<{ phase: string }>('PUT', `/vendors/${encodeURIComponent(x.vendorId)}`, { vendorRef: s.vendorRef });
      await reload(result(r));
    },
  );

  // CVE IDs a coordinator sets by hand (accepting a vendor's proposal is a button in the vendors table).
  const cveWhich = field('cve-vul', {
    label: 'Vulnerability',
    options: v.vulnerabilities.map((x): [string, string] => [x.vulnerabilityId, `${x.vulnerabilityId}: ${x.title}`]),
  });
  const cveValue = field('cve-id', { label: 'CVE ID', placeholder: 'CVE-2026-12345' });
  const cveForm = actionForm({
    label: 'Set the CVE ID',
    id: 'set-cve',
    children: [cveWhich.wrap, cveValue.wrap],
    run: async () => {
      const value = cveValue.control.value.trim();
      const ok = /^CVE-\d{4}-\d{4,19}$/.test(value);
      setError(cveValue, ok ? null : 'A CVE ID looks like CVE-2026-12345');
      if (!ok) return null;
      const r = await post<{ phase: string }>('PUT', `/vulnerabilities/${encodeURIComponent(cveWhich.control.value)}/cve`, {
        cveId: value,
      });
      await reload(result(r));
      return null;
    },
  });

  // Vulnerabilities
  const which = field('vul-id', {
    label: 'Vulnerability',
    options: [
      ['', 'A new one'],
      ...v.vulnerabilities.map((x): [string, string] => [x.vulnerabilityId, `${x.vulnerabilityId}: ${x.title}`]),
    ],
  });
  const vulTitle = field('vul-title', { label: 'Title' });
  const vulDesc = field('vul-description', { label: 'Description', multiline: 3 });
  const vulCwe = field('vul-cwe', { label: 'CWE', placeholder: 'CWE-79' });
  const vulV3 = field('vul-v3', { label: 'CVSS v3 vector' });
  const vulV4 = field('vul-v4', { label: 'CVSS v4 vector' });
  const affVendor = field('aff-vendor', { label: 'Affected: vendor' });
  const affProduct = field('aff-product', { label: 'Affected: product' });
  const affVersion = field('aff-version', { label: 'Affected: version' });
  const affLess = field('aff-less', { label: 'Affected: versions before (lessThan)' });
  const fillVul = () => {
    const x = v.vulnerabilities.find((y) => y.vulnerabilityId === which.control.value);
    vulTitle.control.value = x?.title ?? '';
    vulDesc.control.value = x?.description ?? '';
    vulCwe.control.value = x?.cwe ?? '';
    vulV3.control.value = x?.cvss?.v3 ?? '';
    vulV4.control.value = x?.cvss?.v4 ?? '';
  };
  which.control.addEventListener('change', fillVul);
  const vul = actionForm({
    label: 'Save the vulnerability',
    id: 'vulnerability',
    children: [
      which.wrap,
      vulTitle.wrap,
      vulDesc.wrap,
      vulCwe.wrap,
      vulV3.wrap,
      vulV4.wrap,
      h(
        'fieldset',
        { class: 'group' },
        h('legend', {}, 'Affected product (optional)'),
        affVendor.wrap,
        affProduct.wrap,
        affVersion.wrap,
        affLess.wrap,
      ),
    ],
    run: async () => {
      const id = which.control.value;
      if (!id && !required(vulTitle, 'A new vulnerability needs a title')) return null;
      const t = (f: Field) => f.control.value.trim();
      // The API replaces cvss as a whole: keep the vectors this form does not show (v2) when editing.
      const kept = Object.entries(v.vulnerabilities.find((x) => x.vulnerabilityId === id)?.cvss ?? {}).filter(
        ([k]) => k !== 'v3' && k !== 'v4',
      );
      const cvss = Object.fromEntries([
        ...kept,
        ...(
          [
            ['v3', vulV3],
            ['v4', vulV4],
          ] as const
        )
          .filter(([, f]) => t(f))
          .map(([k, f]) => [k, t(f)]),
      ]);
      const affected =
        t(affVendor) && t(affProduct)
          ? [
              {
                vendor: t(affVendor),
                product: t(affProduct),
                versions: t(affVersion)
                  ? [{ version: t(affVersion), status: 'affected', ...(t(affLess) ? { lessThan: t(affLess) } : {}) }]
                  : [],
              },
            ]
          : undefined;
      // Editing: an emptied description or vector is sent as such, so it is cleared, not kept.
      const before = v.vulnerabilities.find((x) => x.vulnerabilityId === id);
      const r = await post<{ phase: string }>('POST', '/vulnerabilities', {
        ...(id ? { vulnerabilityId: id } : {}),
        ...(t(vulTitle) ? { title: t(vulTitle) } : {}),
        ...(t(vulDesc) || before?.description ? { description: t(vulDesc) } : {}),
        ...(t(vulCwe) ? { cwe: t(vulCwe) } : {}),
        ...(Object.keys(cvss).length || Object.keys(before?.cvss ?? {}).length ? { cvss } : {}),
        ...(affected ? { affected } : {}),
      });
      await reload(result(r));
      return null;
    },
  });

  // Embargo
  const ends = field('embargo-ends', {
    label: 'Embargo ends (UTC)',
    type: 'datetime-local',
    value: isoToUtcInput(v.embargo.endsAt),
    required: true,
  });
  const preview = h('p', { class: 'hint', 'aria-live': 'polite' });
  const showPreview = () => {
    const iso = utcInputToIso(ends.control.value);
    preview.textContent = iso ? `In your zone: ${local(iso)}` : '';
  };
  ends.control.addEventListener('input', showPreview);
  showPreview();
  const embReason = field('embargo-reason', { label: 'Reason (told to the participants)', required: true, multiline: 2 });
  const embargo = actionForm({
    label: 'Set the embargo end',
    id: 'embargo',
    children: [ends.wrap, preview, embReason.wrap],
    run: async () => {
      const iso = utcInputToIso(ends.control.value);
      setError(ends, iso ? null : 'Choose a date and time (UTC)');
      if (!iso) return null;
      const reason = required(embReason, 'Give a reason');
      if (!reason) return null;
      const r = await post<{ phase: string }>('PUT', '/embargo', { endsAt: iso, reason });
      await reload(result(r));
      return null;
    },
  });

  // Signals
  const kind = field('signal-kind', {
    label: 'What happened',
    options: [
      ['public', 'The vulnerability is public'],
      ['exploit-public', 'An exploit is public'],
      ['attacks-observed', 'Attacks are observed'],
    ],
  });
  const evidence = field('signal-evidence', { label: 'Evidence (a URL or a description)', required: true, multiline: 2 });
  const signals = actionForm({
    label: 'Record the signal',
    id: 'signal',
    danger: true,
    children: [kind.wrap, evidence.wrap],
    run: async () => {
      const ev = required(evidence, 'Give the evidence');
      if (!ev) return null;
      if (
        !(await confirmDialog(
          'Record this signal?',
          'A public vulnerability, exploit or attacks end the embargo early for every participant. This cannot be undone.',
          'Record and end the embargo',
        ))
      )
        return null;
      const r = await post<{ phase: string }>('POST', '/signals', { kind: kind.control.value, evidence: ev });
      await reload(result(r));
      return null;
    },
  });

  // Draft
  const md = field('draft-markdown', { label: 'Note (Markdown)', multiline: 14, value: markdown, required: true });
  const draftReason = field('draft-reason', { label: 'What changed' });
  const draft = actionForm({
    label: 'Save a new revision',
    id: 'draft',
    children: [md.wrap, ...(md.control instanceof HTMLTextAreaElement ? [livePreview(md.control)] : []), draftReason.wrap],
    run: async () => {
      const text = required(md, 'The draft cannot be empty');
      if (!text) return null;
      // Vendor rows and statements are written per reader; this text is not: whoever it names, every participant reads.
      const named = vendorsNamedIn(text, v.vendors);
      if (
        named.length &&
        !(await confirmDialog(
          'This text names vendors',
          `It names ${named.map((x) => x.name).join(', ')}. Every participant (each vendor and the reporter) reads the draft text as written, so each learns these names. Save anyway?`,
          'Save with the names',
        ))
      )
        return null;
      const r = await post<{ phase: string }>('PUT', '/draft', {
        markdown: text,
        ...(draftReason.control.value.trim() ? { reason: draftReason.control.value.trim() } : {}),
      });
      await reload(result(r));
      return null;
    },
  });

  // Publication
  const pubDecision = field('publication-decision', {
    label: 'Decision',
    options: [
      ['approve', 'Approve publication'],
      ['revise', 'Revise the draft first'],
      ['do-not-publish', 'Do not publish (closes the case)'],
    ],
  });
  const publishAt = field('publication-at', {
    label: 'Publish at (UTC; empty: the planned date)',
    type: 'datetime-local',
    value: isoToUtcInput(v.publication.plannedAt),
  });
  const pubReason = field('publication-reason', { label: 'Reason', multiline: 2 });
  // The SSVC publish table's recommendation sits beside the decision, with its inputs, as triage's does.
  const rec = v.publication.recommendation;
  const recommendation = h(
    'div',
    { id: 'publish-recommendation', class: 'notice' },
    h('p', {}, `${rec.table} recommends: `, h('strong', {}, rec.outcome), '. You decide.'),
    table(
      ['Decision point', 'Value', 'Why'],
      Object.entries(rec.inputs).map(([k, x]) => [k, h('strong', {}, x.value), h('span', { class: 'muted' }, x.evidence)]),
    ),
  );
  const publication = actionForm({
    label: 'Record the publication decision',
    id: 'publication',
    children: [recommendation, pubDecision.wrap, publishAt.wrap, pubReason.wrap],
    run: async () => {
      const d = pubDecision.control.value;
      const at = utcInputToIso(publishAt.control.value);
      if (
        d === 'approve' &&
        !(await confirmDialog(
          'Approve publication?',
          `The note is published${at ? ` at ${utc(at)} (${local(at)})` : ' on the planned date'} to everyone. This cannot be undone.`,
          'Approve',
        ))
      )
        return null;
      if (
        d === 'do-not-publish' &&
        !(await confirmDialog(
          'Close without publishing?',
          'The case is closed and nothing is published. This cannot be undone.',
          'Do not publish',
        ))
      )
        return null;
      const r = await post<{ phase: string }>('POST', '/publication', {
        decision: d,
        ...(d === 'approve' && at ? { publishAt: at } : {}),
        ...(pubReason.control.value.trim() ? { reason: pubReason.control.value.trim() } : {}),
      });
      await reload(result(r));
      return null;
    },
  });

  // Priority: a coordinator's level instead of the computed one, always with a reason.
  const priorityLevel = field('priority-level', {
    label: 'Priority',
    options: [
      ['', `Computed (${v.priority.computed})`],
      ['high', 'High'],
      ['medium', 'Medium'],
      ['low', 'Low'],
    ],
    value: v.priority.override?.level ?? '',
  });
  const priorityReason = field('priority-reason', { label: 'Reason', required: true, multiline: 2 });
  const priority = actionForm({
    label: 'Set the priority',
    id: 'priority',
    children: [priorityLevel.wrap, priorityReason.wrap],
    run: async () => {
      const reason = required(priorityReason, 'Give a reason');
      if (!reason) return null;
      await reload(result(await post('PUT', '/priority', { level: priorityLevel.control.value || null, reason })));
      return null;
    },
  });

  // How far the vendors' own CSAF documents may travel (GET /vendor/cases/{caseId}/csaf.json).
  const tlp = field('vendor-csaf-tlp', {
    label: 'TLP of the vendors\u2019 CSAF documents',
    options: [
      ['AMBER+STRICT', 'TLP:AMBER+STRICT (the vendor\u2019s organisation only)'],
      ['RED', 'TLP:RED (the named recipients only)'],
    ],
    value: v.vendorCsaf.tlp,
  });
  const vendorCsaf = actionForm({
    label: 'Set the TLP',
    id: 'vendor-csaf',
    children: [tlp.wrap],
    run: async () => {
      await reload(result(await post('PUT', '/vendor-csaf', { tlp: tlp.control.value })));
      return null;
    },
  });

  // Close
  const closeReason = field('close-reason', { label: 'Reason', required: true, multiline: 2 });
  const closure = field('close-closure', {
    label: 'Closure',
    options: [
      ['withdrawn', 'Withdrawn'],
      ['other', 'Other'],
    ],
  });
  const close = actionForm({
    label: 'Close the case',
    id: 'close',
    danger: true,
    children: [closeReason.wrap, closure.wrap],
    run: async () => {
      const reason = required(closeReason, 'Give a reason');
      if (!reason) return null;
      if (
        !(await confirmDialog(
          'Close this case?',
          'Participants are told the case is closed, and their links stop working after the grace period. This cannot be undone.',
          'Close the case',
        ))
      )
        return null;
      const r = await post<{ phase: string }>('POST', '/close', { reason, closure: closure.control.value });
      await reload(result(r));
      return null;
    },
  });

  const p = v.phase;
  return [
    panel('message', 'Write a message', false, messageForm(v, post, reload)),
    panel('triage', 'Triage', p === 'triage' || p === 'intake', triage),
    panel('publication', 'Publication', p === 'draft-review', publication),
    ...(p === 'published'
      ? [panel('note-update', 'Update the published note', v.updateRequests.length > 0, noteUpdateForm(v, post, reload))]
      : []),
    panel('embargo', 'Embargo', false, embargo),
    panel('vendors', 'Add a vendor', false, h('div', {}, finder, h('h3', {}, 'Or type one in'), vendors)),
    ...(v.vendors.length
      ? [
          panel(
            'edit-vendor',
            'Edit a vendor: contacts, CNA',
            v.attention.length > 0,
            h('div', {}, editVendor, h('h3', {}, 'Or from the directory'), linkFinder),
          ),
        ]
      : []),
    ...(v.vulnerabilities.length ? [panel('set-cve', 'Set a CVE ID', false, cveForm)] : []),
    panel('vulnerability', 'Vulnerabilities', false, vul),
    panel('draft', 'Edit the draft', false, draft),
    panel('signal', 'Signals (early release)', false, signals),
    panel('priority', 'Priority', false, priority),
    ...(p === 'published' || p === 'closed' || p === 'declined'
      ? []
      : [panel('vendor-csaf', 'Vendors\u2019 CSAF documents', false, vendorCsaf)]),
    panel('close', 'Close', false, close),
  ];
}

/** Completes a return from the hosted sign-in, if this load is one, then shows the page asked for. */
async function start(): Promise<void> {
  config = await loadConsoleConfig();
  if (config.signIn) {
    try {
      const idToken = await finishSignIn(config.signIn);
      if (idToken) {
        token = idToken;
        sessionStorage.setItem(TOKEN_KEY, idToken);
      }
    } catch (e) {
      return signIn(e instanceof Error ? e.message : String(e));
    }
  }
  return route();
}

void start();
