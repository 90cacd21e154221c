// Shared by every page: building DOM nodes (text only through textContent, never innerHTML with
// data; drafts go through the note's escaping renderer, draft-view.ts), calling the API
// (problem+json errors), dates in UTC and the viewer's zone, and form fields with their inline errors.
import type { EmbargoProposalView, MessageView } from '../../functions/app/api/views.js';
import { EMBARGO_PROPOSAL_PHASES } from '../../functions/domain/case-state.js';
import { noteWithSource } from './draft-view.js';

export type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | number | null | undefined | ((e: Event) => void)>;

/** An element; attributes as strings (false/null leave them out), on* as listeners, children as text or nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else if (k === 'checked' && el instanceof HTMLInputElement) el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children.flat());
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

export function $(selector: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`missing ${selector}`);
  return el;
}

// ---- API ------------------------------------------------------------------------------------------

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[],
  ) {
    super(detail || title);
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');

/** Where the API lives: this origin, unless the page names another in <meta name="cvd-api">. */
export function apiBase(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="cvd-api"]')?.content ?? '';
  return (meta || location.origin).replace(/\/+$/, '');
}

/** Calls the API; JSON in and out. Throws ApiError with the problem's fields on any status >= 400. */
export async function api<T>(method: string, path: string, opts: { token?: string | null; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let r: Response;
  try {
    r = await fetch(`${apiBase()}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  } catch {
    throw new ApiError(0, 'Network error', 'The service could not be reached. Check your connection and try again.', []);
  }
  const text = await r.text();
  let data: unknown = null;
  try {
    data = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    data = null;
  }
  if (!r.ok) {
    const p = isRecord(data) ? data : {};
    const errors = Array.isArray(p.errors) ? p.errors.filter(isRecord).map((e) => ({ path: str(e.path), message: str(e.message) })) : [];
    const title = str(p.title) || str(p.message) || r.statusText || `HTTP ${r.status}`;
    throw new ApiError(r.status, title, str(p.detail), errors);
  }
  return data as T;
}

export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 404 && !e.detail) return 'Not found: the link may be wrong, expired or revoked.';
    if (e.status === 401) return `${e.title}: ${e.detail || 'the token was not accepted.'}`;
    return (
      [e.title, e.detail].filter(Boolean).join(': ') +
      (e.errors.length ? ` (${e.errors.map((x) => `${x.path}: ${x.message}`).join('; ')})` : '')
    );
  }
  return e instanceof Error ? e.message : String(e);
}

// ---- the URL fragment ----------------------------------------------------------------------------

/** `#token=…&case=…` (either order). */
export function fragment(): URLSearchParams {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

// ---- dates ------------------------------------------------------------------------------------------

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function local(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d)} (${zone})`;
}

/** A <time> showing UTC, with the viewer's zone beside it. */
export function when(iso: string | null | undefined): HTMLElement {
  if (!iso) return h('span', {}, '—');
  return h('span', { class: 'when' }, h('time', { datetime: iso }, utc(iso)), h('span', { class: 'local' }, ` · ${local(iso)}`));
}

/** A datetime-local value (read as UTC) to an ISO instant. */
export function utcInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace('.000Z', 'Z');
}

export function isoToUtcInput(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}

// ---- forms --------------------------------------------------------------------------------------

let uid = 0;
const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}-${++uid}`;

export interface Field {
  /** The API path of this value, e.g. reporter.email or vendors.0.name. */
  path: string;
  wrap: HTMLElement;
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  error: HTMLElement;
}

interface FieldOpts {
  label: string;
  hint?: string;
  type?: string;
  required?: boolean;
  value?: string;
  multiline?: number;
  options?: readonly (string | [string, string])[];
  maxlength?: number;
  placeholder?: string;
  autocomplete?: string;
}

/** A labelled control with a hint and a slot for its inline error (announced, tied by aria-describedby). */
export function field(path: string, o: FieldOpts): Field {
  const id = fieldId(path);
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  let control: Field['control'];
  if (o.options) {
    control = h(
      'select',
      { id, name: path },
      ...o.options.map((opt) => (Array.isArray(opt) ? h('option', { value: opt[0] }, opt[1]) : h('option', { value: opt }, opt))),
    );
    if (o.value !== undefined) control.value = o.value;
  } else if (o.multiline) {
    control = h('textarea', { id, name: path, rows: o.multiline, maxlength: o.maxlength, placeholder: o.placeholder });
    control.value = o.value ?? '';
  } else {
    control = h('input', {
      id,
      name: path,
      type: o.type ?? 'text',
      maxlength: o.maxlength,
      placeholder: o.placeholder,
      autocomplete: o.autocomplete,
    });
    control.value = o.value ?? '';
  }
  if (o.required) control.setAttribute('aria-required', 'true');
  control.setAttribute('aria-describedby', [o.hint ? hintId : '', errId].filter(Boolean).join(' '));
  const error = h('p', { id: errId, class: 'error', hidden: true });
  const wrap = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, o.label, o.required ? h('span', { class: 'req' }, ' (required)') : null),
    o.hint ? h('p', { id: hintId, class: 'hint' }, o.hint) : null,
    error,
    control,
  );
  return { path, wrap, control, error };
}

/** A checkbox with its label beside it. */
export function checkbox(path: string, label: string, checked = false, hint?: string): Field {
  const id = fieldId(path);
  const control = h('input', { id, name: path, type: 'checkbox', checked });
  const error = h('p', { id: `${id}-err`, class: 'error', hidden: true });
  const wrap = h(
    'div',
    { class: 'field check' },
    control,
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint' }, hint) : null,
    error,
  );
  return { path, wrap, control, error };
}

/** Radio buttons in a fieldset with a legend. */
export function radios(
  path: string,
  legend: string,
  options: readonly [string, string][],
  value: string,
): { wrap: HTMLFieldSetElement; value(): string; error: HTMLElement; first: HTMLInputElement } {
  const name = fieldId(path);
  const inputs = options.map(([v]) => h('input', { type: 'radio', name, value: v, id: `${name}-${v}`, checked: v === value }));
  const error = h('p', { class: 'error', hidden: true });
  const wrap = h(
    'fieldset',
    { class: 'radios' },
    h('legend', {}, legend),
    error,
    ...options.map(([v, label], i) => h('div', { class: 'check' }, inputs[i] ?? null, h('label', { for: `${name}-${v}` }, label))),
  );
  return { wrap, error, first: inputs[0] as HTMLInputElement, value: () => inputs.find((i) => i.checked)?.value ?? '' };
}

export function setError(f: Pick<Field, 'control' | 'error'>, message: string | null): void {
  f.error.textContent = message ?? '';
  f.error.hidden = !message;
  if (message) f.control.setAttribute('aria-invalid', 'true');
  else f.control.removeAttribute('aria-invalid');
}

/** A status line: role=status for news, role=alert for failures. */
export function notice(el: HTMLElement, kind: 'ok' | 'error' | 'info', text: string | Node): void {
  clear(el);
  el.className = `notice ${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  append(el, [text]);
  el.hidden = false;
}

// ---- confirmation ----------------------------------------------------------------------------------

/** A modal <dialog> asking to confirm something that cannot be undone; Escape or Cancel says no. */
export function confirmDialog(title: string, message: string, confirmLabel = 'Confirm'): Promise<boolean> {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'danger', value: 'yes' }, confirmLabel);
    const no = h('button', { type: 'button', class: 'secondary', value: 'no' }, 'Cancel');
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'confirm-title', class: 'confirm' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', {}, message),
      h('div', { class: 'actions' }, yes, no),
    );
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** A definition list of label/value rows; empty values are left out. */
export function facts(rows: [string, Child | Child[]][]): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) {
    if (v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    dl.append(h('dt', {}, k), h('dd', {}, ...(Array.isArray(v) ? v : [v])));
  }
  return dl;
}

/** Long text kept as written (whitespace preserved), e.g. a report's description or a draft. */
export const prose = (text: string | null | undefined, cls = 'prose'): HTMLElement => h('div', { class: cls }, text ?? '');

export const PHASE_LABELS: Record<string, string> = {
  intake: 'Received',
  triage: 'In triage',
  declined: 'Declined',
  outreach: 'Contacting vendors',
  embargo: 'Under embargo',
  'draft-review': 'Draft under review',
  publication: 'Publication approved',
  published: 'Published',
  closed: 'Closed',
};
export const phaseLabel = (p: string): string => PHASE_LABELS[p] ?? p;

export type { MessageView };

/** The reader's messages; `extra` adds to each one (its files, on the pages that can fetch them). */
export function messageList(messages: readonly MessageView[], extra: (m: MessageView) => Child = () => null): HTMLElement {
  if (messages.length === 0) return h('p', { class: 'muted' }, 'No messages yet.');
  return h(
    'ol',
    { class: 'messages' },
    ...messages.map((m) =>
      h(
        'li',
        { class: `msg from-${m.from.replace(/[^a-z]/g, '')}` },
        h(
          'p',
          { class: 'meta' },
          h('strong', {}, m.from),
          m.onDraft ? ' · on the draft' : '',
          m.inReplyTo ? ' · a reply' : '',
          m.unread ? ' · new' : '',
          ' · ',
          when(m.at),
        ),
        prose(m.body),
        extra(m),
      ),
    ),
  );
}

/** The shared draft, as Markdown text (no HTML rendering of data). */
export function draftView(d: { revision: number; markdown: string; sharedAt: string; publishAt: string } | null): HTMLElement {
  if (!d) return h('p', { class: 'muted' }, 'No draft has been shared yet.');
  return h(
    'div',
    {},
    facts([
      ['Revision', String(d.revision)],
      ['Shared', when(d.sharedAt)],
      ['Planned publication', when(d.publishAt)],
    ]),
    noteWithSource(d.markdown),
  );
}

// ---- token links ------------------------------------------------------------------------------

export interface Credentials {
  caseId: string;
  token: string;
}

/**
 * The case and token of a reporter or vendor link: from the fragment (`#token=…&case=…`), kept in
 * sessionStorage for this tab and taken out of the address bar. A link with a token but no case id
 * asks for the case id (the e-mail's subject carries it in brackets).
 */
export function withCredentials(key: string, mount: HTMLElement, ready: (c: Credentials) => void): void {
  const f = fragment();
  const stored = ((): Partial<Credentials> => {
    try {
      return JSON.parse(sessionStorage.getItem(key) ?? '{}') as Partial<Credentials>;
    } catch {
      return {};
    }
  })();
  const token = f.get('token') ?? stored.token ?? '';
  const caseId = f.get('case') ?? (f.get('token') && f.get('token') !== stored.token ? '' : (stored.caseId ?? ''));
  if (f.get('token')) history.replaceState(null, '', location.pathname);
  const save = (c: Credentials) => {
    sessionStorage.setItem(key, JSON.stringify(c));
    // After the calling page has finished setting itself up (the link may carry the case id, so
    // this can run during the page's own start-up).
    setTimeout(() => ready(c), 0);
  };
  if (!token) {
    clear(mount);
    append(mount, [
      h('h1', {}, 'This page needs the link from your e-mail'),
      h(
        'p',
        {},
        'Open the link we sent you; it carries the key to your case. If it no longer works, reply to the e-mail and we will send a new one.',
      ),
    ]);
    return;
  }
  if (caseId) {
    save({ caseId, token });
    return;
  }
  const id = field('case', { label: 'Case id', required: true, hint: 'In the subject of the e-mail, between brackets, e.g. [VU#123456].' });
  const form = h('form', { novalidate: true }, id.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Open the case')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = id.control.value.trim().replace(/^\[|\]$/g, '');
    if (!v) return setError(id, 'Enter the case id from the e-mail');
    save({ caseId: v, token });
  });
  clear(mount);
  append(mount, [h('h1', {}, 'Which case?'), h('p', {}, 'Your link opens one case. Enter its id to continue.'), form]);
  id.control.focus();
}

/** A small form with a status line, a submit button and a busy state; `run` throws to show an error. */
export function actionForm(opts: {
  label: string;
  children: (Node | null)[];
  run: () => Promise<string | null>;
  danger?: boolean;
  id?: string;
}): HTMLFormElement {
  const status = h('div', { hidden: true });
  const button = h('button', { type: 'submit', class: opts.danger ? 'danger' : '' }, opts.label);
  const form = h(
    'form',
    { novalidate: true, class: 'action', id: opts.id },
    ...opts.children,
    h('div', { class: 'actions' }, button),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    opts
      .run()
      .then(
        (msg) => {
          if (msg) notice(status, 'ok', msg);
        },
        (err: unknown) => notice(status, 'error', describeError(err)),
      )
      .finally(() => {
        button.disabled = false;
        form.removeAttribute('aria-busy');
      });
  });
  return form;
}

let flashText: string | null = null;
/** A message to show after the page re-renders (e.g. "Sent."). */
export const setFlash = (text: string): void => {
  flashText = text;
};
export function takeFlash(): HTMLElement | null {
  if (!flashText) return null;
  const el = h('p', { class: 'notice ok', role: 'status' }, flashText);
  flashText = null;
  return el;
}

// ---- embargo proposals (reporter and vendor pages) --------------------------------------------

const ANSWERS: Readonly<Record<EmbargoProposalView['answer'], string>> = {
  open: 'waiting for the coordinators',
  accepted: 'accepted',
  declined: 'declined',
  withdrawn: 'replaced by a later proposal',
  lapsed: 'lapsed: the embargo ended',
};

/** Whether a participant may propose an embargo end now (the server decides again). */
export const canPropose = (phase: string, em: string): boolean =>
  (EMBARGO_PROPOSAL_PHASES as readonly string[]).includes(phase) && em !== 'EXITED';

/**
 * The caller's own proposed embargo ends and a form to propose one: a proposal, never a decision,
 * as the page says. `path` is the caller's embargo route; `done` reloads the page.
 */
export function embargoProposalSection(opts: {
  token: string;
  path: string;
  proposals: readonly EmbargoProposalView[];
  done: () => Promise<void>;
}): HTMLElement {
  const ends = field('proposal-ends', { label: 'Proposed end (UTC)', type: 'datetime-local', required: true });
  const reason = field('proposal-reason', {
    label: 'Why this date',
    required: true,
    multiline: 3,
    hint: 'Only the coordinators read this.',
  });
  const form = actionForm({
    label: 'Propose this date',
    id: 'embargo-proposal',
    children: [ends.wrap, reason.wrap],
    run: async () => {
      const iso = utcInputToIso(ends.control.value);
      setError(ends, iso ? null : 'Choose a date and time (UTC)');
      const why = reason.control.value.trim();
      setError(reason, why ? null : 'Say why this date');
      if (!iso || !why) return null;
      await api('PUT', opts.path, { token: opts.token, body: { endsAt: iso, reason: why } });
      setFlash('Proposed: the coordinators decide on the date and will tell you.');
      await opts.done();
      return null;
    },
  });
  return h(
    'section',
    { 'aria-labelledby': 'proposal-h' },
    h('h2', { id: 'proposal-h' }, 'Embargo end'),
    h('p', {}, 'You may propose another end for the embargo. The coordinators decide; the date above changes only if they accept.'),
    opts.proposals.length
      ? h(
          'ul',
          { class: 'plain', id: 'my-proposals' },
          ...opts.proposals.map((p) => h('li', {}, `${utc(p.endsAt)}, proposed ${utc(p.at)}: ${ANSWERS[p.answer]}`)),
        )
      : null,
    form,
  );
}
