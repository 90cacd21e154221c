// The console's vendor directory: `#/directory` lists and searches organisations as the coordinator
// types and adds one, `#/directory/{vendorRef}` shows one with its history across cases and edits
// it; `directoryFinder` is the case page's typeahead that adds one to a case by its vendorRef.
// Every name is shown as text (h() sets textContent): an organisation's name is data, never markup.
import type { DirectoryEntry, DirectorySummary, VendorHistory } from '../../functions/domain/directory.js';
import {
  ApiError,
  type Child,
  type Field,
  actionForm,
  append,
  checkbox,
  clear,
  describeError,
  facts,
  field,
  h,
  notice,
  phaseLabel,
  setError,
  setFlash,
  takeFlash,
  when,
} from './lib.js';

export type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;
type Page = { vendors: DirectorySummary[]; cursor: string | null };
type WithHistory = DirectoryEntry & { history: VendorHistory };

const SEARCH_DELAY_MS = 150;

/** Runs `search` for what the field holds, a moment after the last keystroke; a stale answer is dropped. */
function asYouType(control: HTMLInputElement, search: (q: string) => Promise<void>): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  control.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(control.value.trim()), SEARCH_DELAY_MS);
  });
}

const searchPath = (q: string, cursor?: string | null, limit = 25) =>
  `/directory/vendors?${new URLSearchParams({ limit: String(limit), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) })}`;

const aliasText = (s: { aliases: string[] }) => (s.aliases.length ? s.aliases.join(', ') : '');

// ---- the list ------------------------------------------------------------------------------------

export async function directoryListPage(app: HTMLElement, nav: HTMLElement, call: Call): Promise<void> {
  clear(app);
  const heading = h('h1', { tabindex: -1 }, 'Vendor directory');
  const search = field('directory-search', {
    label: 'Find an organisation',
    type: 'search',
    hint: 'Any part of a name or an alias; the list follows as you type.',
    autocomplete: 'off',
  });
  const status = h('p', { class: 'muted', role: 'status', id: 'directory-count' });
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  const list = h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': 'Organisations', tabindex: 0 },
    h(
      'table',
      { id: 'directory-list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Aliases'),
          h('th', { scope: 'col' }, 'CNA'),
          h('th', { scope: 'col' }, 'Contacts'),
        ),
      ),
      body,
    ),
  );
  let cursor: string | null = null;
  let asked = 0;
  const show = async (q: string, append_: boolean) => {
    const mine = ++asked;
    let page: Page;
    try {
      page = await call<Page>('GET', searchPath(q, append_ ? cursor : null));
    } catch (e) {
      notice(status, 'error', describeError(e));
      return;
    }
    if (mine !== asked) return;
    if (!append_) clear(body);
    for (const s of page.vendors)
      body.append(
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/directory/${encodeURIComponent(s.vendorRef)}` }, s.name)),
          h('td', {}, aliasText(s)),
          h('td', {}, s.isCna ? `yes${s.cnaShortName ? ` (${s.cnaShortName})` : ''}` : 'no'),
          h('td', {}, String(s.contacts)),
        ),
      );
    cursor = page.cursor;
    more.hidden = cursor === null;
    const n = body.childElementCount;
    status.className = 'muted';
    status.setAttribute('role', 'status');
    status.textContent =
      n === 0
        ? q
          ? 'No organisation matches.'
          : 'The directory is empty.'
        : `${n}${cursor ? '+' : ''} organisation${n === 1 ? '' : 's'}${q ? ' match' : ''}.`;
  };
  asYouType(search.control as HTMLInputElement, (q) => show(q, false));
  more.addEventListener('click', () => void show((search.control as HTMLInputElement).value.trim(), true));

  const form = entryForm(call, null, async (e) => {
    setFlash(`Added ${e.name}.`);
    location.hash = `#/directory/${encodeURIComponent(e.vendorRef)}`;
  });
  append(app, [
    nav,
    heading,
    takeFlash(),
    h(
      'section',
      { 'aria-labelledby': 'directory-find' },
      h('h2', { id: 'directory-find' }, 'Organisations'),
      search.wrap,
      status,
      list,
      more,
    ),
    h('details', { class: 'panel', id: 'panel-directory-add' }, h('summary', {}, 'Add an organisation'), form),
  ]);
  await show('', false);
  heading.focus();
}

// ---- one organisation ----------------------------------------------------------------------------

function historyView(hist: VendorHistory): HTMLElement {
  const rows = hist.cases.map((c) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/cases/${encodeURIComponent(c.caseId)}` }, c.caseId)),
      h('td', {}, c.title),
      h('td', {}, phaseLabel(c.phase)),
      h('td', {}, when(c.addedAt)),
      h('td', {}, c.hoursToAcknowledge === null ? (c.acknowledgedAt ? 'acknowledged' : 'not yet') : `${c.hoursToAcknowledge} h`),
      h('td', {}, c.unresponsive ? 'yes' : 'no'),
    ),
  );
  return h(
    'section',
    { 'aria-labelledby': 'directory-history', id: 'history' },
    h('h2', { id: 'directory-history' }, 'History across cases'),
    facts([
      ['Cases', String(hist.cases.length)],
      [
        'Acknowledged',
        `${hist.acknowledged}${hist.medianHoursToAcknowledge === null ? '' : ` (median ${hist.medianHoursToAcknowledge} h from first contact)`}`,
      ],
      ['Times unresponsive', String(hist.timesUnresponsive)],
    ]),
    hist.cases.length
      ? h(
          'div',
          { class: 'table-wrap', role: 'region', 'aria-label': 'Cases of this organisation', tabindex: 0 },
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Case', 'Title', 'Phase', 'Added', 'Time to acknowledge', 'Unresponsive'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        )
      : h('p', { class: 'muted' }, 'Not on any case yet.'),
  );
}

export async function directoryEntryPage(app: HTMLElement, nav: HTMLElement, call: Call, vendorRef: string): Promise<void> {
  clear(app);
  append(app, [nav, h('h1', {}, 'Vendor directory'), h('p', {}, 'Loading…')]);
  let e: WithHistory;
  try {
    e = await call<WithHistory>('GET', `/directory/vendors/${encodeURIComponent(vendorRef)}`);
  } catch (err) {
    clear(app);
    append(app, [nav, h('h1', {}, 'Vendor directory'), h('p', { class: 'notice error', role: 'alert' }, describeError(err))]);
    return;
  }
  clear(app);
  const heading = h('h1', { tabindex: -1, id: 'directory-name' }, e.name);
  const link = (url: string | undefined) => (url ? h('a', { href: url, rel: 'noopener noreferrer' }, url) : '');
  const form = entryForm(call, e, async (saved) => {
    setFlash(`Saved ${saved.name}.`);
    await directoryEntryPage(app, nav, call, vendorRef);
  });
  append(app, [
    nav,
    h('p', {}, h('a', { href: '#/directory' }, 'All organisations')),
    heading,
    takeFlash(),
    facts([
      ['Reference', e.vendorRef],
      ['Aliases', aliasText(e) || h('span', { class: 'muted' }, 'none')],
      ['CNA', e.isCna ? `yes${e.cnaShortName ? ` (${e.cnaShortName})` : ''}` : 'no'],
      [
        'Contacts',
        e.contacts.length
          ? h('ul', {}, ...e.contacts.map((c) => h('li', {}, c.email, c.name ? ` (${c.name})` : '', c.pgpKey ? ' · PGP key' : '')))
          : h('span', { class: 'muted' }, 'none'),
      ],
      ['Advisories', link(e.advisoryUrl)],
      ['security.txt', link(e.securityTxtUrl)],
      ['Version', `${e.version}, changed ${new Date(e.updatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC by ${e.updatedBy}`],
    ]),
    historyView(e.history),
    h('details', { class: 'panel', id: 'panel-directory-edit' }, h('summary', {}, 'Edit the organisation'), form),
  ]);
  heading.focus();
}

// ---- the form ------------------------------------------------------------------------------------

interface ContactRow {
  wrap: HTMLElement;
  email: Field;
  name: Field;
  pgpKey: Field;
}

/** Create (entry null) or edit an organisation. The API's refusals land on the fields they name. */
function entryForm(call: Call, entry: DirectoryEntry | null, done: (e: DirectoryEntry) => Promise<void>): HTMLFormElement {
  const name = field('name', { label: 'Name', required: true, value: entry?.name ?? '', maxlength: 200 });
  const aliases = field('aliases', {
    label: 'Aliases (one per line)',
    multiline: 3,
    value: entry?.aliases.join('\n') ?? '',
    hint: 'Other names the organisation goes by. No two organisations share a name or alias.',
  });
  const isCna = checkbox('isCna', 'The organisation is a CNA (it assigns its own CVE IDs)', entry?.isCna ?? false);
  const cnaShortName = field('cnaShortName', { label: 'CNA short name', value: entry?.cnaShortName ?? '' });
  const advisoryUrl = field('advisoryUrl', { label: 'Advisory page (https)', type: 'url', value: entry?.advisoryUrl ?? '' });
  const securityTxtUrl = field('securityTxtUrl', { label: 'security.txt URL (https)', type: 'url', value: entry?.securityTxtUrl ?? '' });
  const contactsBox = h('fieldset', { class: 'contacts' }, h('legend', {}, 'Contacts'));
  const rows: ContactRow[] = [];
  const addRow = (c?: { email: string; name?: string; pgpKey?: string }) => {
    const n = rows.length + 1;
    const email = field(`contacts.${n - 1}.email`, { label: `Contact ${n}: e-mail`, type: 'email', value: c?.email ?? '' });
    const cname = field(`contacts.${n - 1}.name`, { label: `Contact ${n}: name`, value: c?.name ?? '' });
    const pgpKey = field(`contacts.${n - 1}.pgpKey`, {
      label: `Contact ${n}: PGP public key`,
      multiline: 3,
      value: c?.pgpKey ?? '',
      hint: 'ASCII-armored (-----BEGIN PGP PUBLIC KEY BLOCK-----), or empty. With a key, case mail to this contact is encrypted to it and carries the details.',
    });
    const wrap = h('div', { class: 'contact-row' }, email.wrap, cname.wrap, pgpKey.wrap);
    rows.push({ wrap, email, name: cname, pgpKey });
    contactsBox.insertBefore(wrap, addButton);
  };
  const addButton = h('button', { type: 'button', class: 'secondary small' }, 'Add a contact');
  contactsBox.append(addButton);
  addButton.addEventListener('click', () => {
    addRow();
    rows.at(-1)?.email.control.focus();
  });
  for (const c of entry?.contacts ?? []) addRow(c);
  if (rows.length === 0) addRow();

  const fields: Field[] = [name, aliases, isCna, cnaShortName, advisoryUrl, securityTxtUrl];
  const all = (): Field[] => [...fields, ...rows.flatMap((r) => [r.email, r.name, r.pgpKey])];
  const text = (f: Field) => f.control.value.trim();

  return actionForm({
    label: entry ? 'Save the organisation' : 'Add the organisation',
    id: entry ? 'directory-edit' : 'directory-add',
    children: [name.wrap, aliases.wrap, contactsBox, isCna.wrap, cnaShortName.wrap, advisoryUrl.wrap, securityTxtUrl.wrap],
    run: async () => {
      for (const f of all()) setError(f, null);
      if (!text(name)) {
        setError(name, 'Enter the organisation’s name');
        name.control.focus();
        return null;
      }
      const body = {
        name: text(name),
        aliases: aliases.control.value
          .split('\n')
          .map((a) => a.trim())
          .filter(Boolean),
        contacts: rows
          .filter((r) => text(r.email))
          .map((r) => ({
            email: text(r.email),
            ...(text(r.name) ? { name: text(r.name) } : {}),
            ...(text(r.pgpKey) ? { pgpKey: r.pgpKey.control.value.trim() } : {}),
          })),
        isCna: (isCna.control as HTMLInputElement).checked,
        ...(text(cnaShortName) ? { cnaShortName: text(cnaShortName) } : {}),
        ...(text(advisoryUrl) ? { advisoryUrl: text(advisoryUrl) } : {}),
        ...(text(securityTxtUrl) ? { securityTxtUrl: text(securityTxtUrl) } : {}),
        ...(entry ? { version: entry.version } : {}),
      };
      try {
        const saved = entry
          ? await call<DirectoryEntry>('PUT', `/directory/vendors/${encodeURIComponent(entry.vendorRef)}`, body)
          : await call<DirectoryEntry>('POST', '/directory/vendors', body);
        await done(saved);
        return null;
      } catch (e) {
        if (e instanceof ApiError) showFieldErrors(e, all(), rows);
        throw e;
      }
    },
  });
}

/** Puts each of the API's field errors under the field it names (`contacts[1].pgpKey` → contact 2's key). */
function showFieldErrors(e: ApiError, fields: Field[], rows: ContactRow[]): void {
  let first: Field | undefined;
  for (const err of e.errors) {
    const m = /^contacts(?:\[|\.)(\d+)\]?\.?(email|name|pgpKey)/.exec(err.path);
    const f = m
      ? rows[Number(m[1])]?.[m[2] as 'email' | 'name' | 'pgpKey']
      : fields.find((x) => err.path === x.path || err.path.startsWith(`${x.path}[`) || err.path.startsWith(`${x.path}.`));
    if (!f) continue;
    setError(f, err.message);
    first ??= f;
  }
  first?.control.focus();
}

// ---- the case page's typeahead ---------------------------------------------------------------------

/**
 * A search field whose matches each get a button: the coordinator finds the organisation by any
 * part of a name or alias and `pick`s it (adds it to the case, or links a vendor of the case to
 * it, by its vendorRef; `pick` confirms and sends). Organisations in `taken` are on the case already.
 */
export function directoryFinder(
  call: Call,
  o: { id: string; label: string; hint: string; verb: string },
  taken: ReadonlySet<string>,
  pick: (s: DirectorySummary) => Promise<void>,
): HTMLElement {
  const search = field(o.id, { label: o.label, type: 'search', autocomplete: 'off', hint: o.hint });
  const status = h('p', { class: 'muted', role: 'status' });
  const results = h('ul', { class: 'directory-results', 'aria-label': 'Matching organisations' });
  let asked = 0;
  asYouType(search.control as HTMLInputElement, async (q) => {
    const mine = ++asked;
    if (!q) {
      clear(results);
      status.textContent = '';
      return;
    }
    let page: Page;
    try {
      page = await call<Page>('GET', searchPath(q, null, 10));
    } catch (e) {
      notice(status, 'error', describeError(e));
      return;
    }
    if (mine !== asked) return;
    clear(results);
    for (const s of page.vendors) {
      const already = taken.has(s.vendorRef);
      const words = already ? 'On the case' : o.verb;
      const button = h('button', { type: 'button', class: 'small', disabled: already }, words);
      // The visible words first: the accessible name must contain them (WCAG 2.5.3).
      button.setAttribute('aria-label', `${words}: ${s.name}`);
      button.addEventListener('click', () => {
        button.disabled = true;
        pick(s).catch((e: unknown) => {
          notice(status, 'error', describeError(e));
          button.disabled = false;
        });
      });
      const detail: Child[] = [
        s.aliases.length ? ` · also ${aliasText(s)}` : '',
        ` · ${s.contacts} contact${s.contacts === 1 ? '' : 's'}`,
        s.isCna ? ' · CNA' : '',
      ];
      results.append(h('li', {}, h('strong', {}, s.name), ...detail, ' ', button));
    }
    status.className = 'muted';
    status.setAttribute('role', 'status');
    status.textContent = page.vendors.length
      ? `${page.vendors.length} match${page.vendors.length === 1 ? '' : 'es'}.`
      : 'No organisation matches.';
  });
  return h(
    'div',
    { class: 'directory-finder', id: 'directory-finder' },
    search.wrap,
    status,
    results,
    h('p', { class: 'hint' }, h('a', { href: '#/directory' }, 'Open the directory')),
  );
}
