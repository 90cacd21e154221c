// `/vendor#token=…&case=…`: a vendor's view of a case: acknowledge, say per vulnerability whether
// the product is affected, the fix, the statement and references for the note, and comment (on the
// draft too).
import {
  $,
  type Credentials,
  actionForm,
  api,
  append,
  checkbox,
  clear,
  describeError,
  draftView,
  embargoProposalSection,
  canPropose,
  facts,
  field,
  h,
  messageList,
  phaseLabel,
  prose,
  setError,
  setFlash,
  takeFlash,
  when,
  withCredentials,
} from './lib.js';
import { type Caller, fileList, filePicker, uploadPicked } from './files.js';
import { referencesEditor } from './references-editor.js';
import type { VendorView as ServerVendorView } from '../../functions/app/api/views.js';

// The server's own view type: the page cannot drift from what the API sends.
type VendorView = ServerVendorView;

const app = $('#app');
withCredentials('cvd-vendor', app, (c) => void load(c));

const path = (c: Credentials, tail = '') => `/vendor/cases/${encodeURIComponent(c.caseId)}${tail}`;

async function load(c: Credentials, focus = true): Promise<void> {
  let v: VendorView;
  try {
    v = await api<VendorView>('GET', path(c), { token: c.token });
  } catch (e) {
    clear(app);
    append(app, [h('h1', {}, 'We could not open this case'), h('p', { class: 'notice error', role: 'alert' }, describeError(e))]);
    return;
  }
  clear(app);
  const heading = h('h1', { tabindex: -1 }, v.title || 'Vulnerability report');
  const r = v.report;
  append(app, [
    heading,
    takeFlash(),
    h('p', { class: 'lead' }, `For ${v.vendor.name}. `, h('span', { class: `phase phase-${v.phase}` }, phaseLabel(v.phase))),
    facts([
      ['Case id', h('strong', { id: 'case-id' }, v.caseId)],
      ['Notified', when(v.vendor.firstContactAt)],
      ['Acknowledged', v.vendor.acknowledgedAt ? when(v.vendor.acknowledgedAt) : 'not yet'],
      ['Embargo ends', v.embargo.endsAt ? when(v.embargo.endsAt) : ''],
      ['Planned publication', v.publishAt ? when(v.publishAt) : ''],
      ['Published', v.noteId ? h('a', { href: `/notes/${encodeURIComponent(v.noteId)}.html` }, `Read the note ${v.noteId}`) : ''],
      ['Your part as CSAF', v.noteId || v.vulnerabilities.length === 0 ? '' : csafDownload(c)],
    ]),
    v.vendor.acknowledgedAt ? null : acknowledge(c),
    r
      ? h(
          'section',
          { 'aria-labelledby': 'report-h' },
          h('h2', { id: 'report-h' }, 'The report'),
          facts([
            ['Product', `${r.product.name}${r.product.version ? ` ${r.product.version}` : ''}`],
            ['Description', prose(r.description)],
            ['Exploitation', r.exploitation ? prose(r.exploitation) : ''],
            ['Impact', r.impact ? prose(r.impact) : ''],
            ['Discovery', r.discovery ? prose(r.discovery) : ''],
            ['Proof of concept', r.evidence.proofOfConcept ? h('pre', { tabindex: 0 }, r.evidence.proofOfConcept) : ''],
            ['Patch', r.evidence.patch ? h('pre', { tabindex: 0 }, r.evidence.patch) : ''],
            ['CVSS', [r.cvss.v2, r.cvss.v3, r.cvss.v4].filter((x): x is string => Boolean(x)).map((x) => h('code', { class: 'block' }, x))],
            ['Already public', r.alreadyPublic ? ['yes: ', ...r.publicReferences.map((u) => h('code', { class: 'block' }, u))] : ''],
            ['Exploited', r.exploitedInTheWild ? ['yes: ', ...r.exploitReferences.map((u) => h('code', { class: 'block' }, u))] : ''],
            [
              'Reporter',
              r.reporter
                ? [r.reporter.name, r.reporter.organization ? ` (${r.reporter.organization})` : '', ' ', r.reporter.email]
                : 'asked to stay private',
            ],
          ]),
        )
      : null,
    h('section', { 'aria-labelledby': 'status-h' }, h('h2', { id: 'status-h' }, 'Your answer'), statusForm(c, v)),
    canPropose(v.phase, v.embargo.state)
      ? embargoProposalSection({ token: c.token, path: path(c, '/embargo'), proposals: v.embargoProposals, done: () => load(c, false) })
      : null,
    h('section', { 'aria-labelledby': 'draft-h' }, h('h2', { id: 'draft-h' }, 'Draft note'), draftView(v.draft)),
    h(
      'section',
      { 'aria-labelledby': 'msg-h' },
      h('h2', { id: 'msg-h' }, 'Messages'),
      messageList(v.messages, (m) => fileList(m.files, asVendor(c))),
      messageForm(c, v),
    ),
  ]);
  if (focus) heading.focus();
}

/**
 * Before publication: the vendor's own part of the case as CSAF 2.0 (TLP as the coordinators set),
 * fetched with the link's token and saved as a file named from the server's tracking id alone.
 */
function csafDownload(c: Credentials): HTMLElement {
  const status = h('span', { class: 'error', role: 'status', hidden: true });
  const button = h('button', { type: 'button', class: 'link', id: 'csaf-download' }, 'Download CSAF (JSON)');
  button.addEventListener('click', () => {
    button.disabled = true;
    api<{ document: { tracking: { id: string } } }>('GET', path(c, '/csaf.json'), { token: c.token })
      .then(
        (doc) => {
          status.hidden = true;
          const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
          const name = `${doc.document.tracking.id.replace(/[^A-Za-z0-9._-]/g, '_')}.csaf.json`;
          const a = h('a', { href: url, download: name, hidden: true });
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 60_000);
        },
        (e: unknown) => {
          status.textContent = describeError(e);
          status.hidden = false;
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return h('span', {}, button, ' (for your own tools; not public, share it as its TLP says) ', status);
}

function acknowledge(c: Credentials): HTMLElement {
  return h(
    'section',
    { class: 'card attention', 'aria-labelledby': 'ack-h' },
    h('h2', { id: 'ack-h' }, 'Please acknowledge'),
    h('p', {}, 'Let us know you received this report. It stops the reminders; your detailed answer can follow.'),
    actionForm({
      label: 'Acknowledge receipt',
      id: 'acknowledge',
      children: [],
      run: async () => {
        await api('POST', path(c, '/acknowledge'), { token: c.token, body: {} });
        setFlash('Thank you: receipt acknowledged.');
        await load(c, false);
        return null;
      },
    }),
  );
}

function statusForm(c: Credentials, v: VendorView): HTMLElement {
  const rows = v.vulnerabilities.map((x) => ({
    id: x.vulnerabilityId,
    status: field(`status-${x.vulnerabilityId}`, {
      label: `${x.title}${x.cveId ? ` (${x.cveId})` : ''}`,
      options: [
        ['unknown', 'Not known yet'],
        ['affected', 'Affected'],
        ['not-affected', 'Not affected'],
      ],
      value: v.vendor.statuses[x.vulnerabilityId] ?? 'unknown',
    }),
    cve: field(`cve-${x.vulnerabilityId}`, {
      label: `CVE ID you assigned for "${x.title}"`,
      placeholder: 'CVE-2026-12345',
      value: v.vendor.proposals.cveIds[x.vulnerabilityId] ?? x.cveId ?? '',
      hint: x.cveId
        ? `The case carries ${x.cveId}.`
        : v.vendor.proposals.cveIds[x.vulnerabilityId]
          ? 'Proposed: the coordinators confirm it before it is used.'
          : 'A proposal: the coordinators confirm it before it is used.',
    }),
  }));
  const fixReady = checkbox('fixReady', 'A fix is ready', v.vendor.fixReady);
  const fixDeployed = checkbox('fixDeployed', 'The fix is released to users', v.vendor.fixDeployed);
  const statement = field('statement', {
    label: 'Statement for the published note',
    multiline: 5,
    value: v.vendor.statement ?? '',
    hint: 'Published with the note; other vendors do not see it before.',
  });
  const references = referencesEditor(v.vendor.references);
  // Claiming to be a CNA, like a CVE ID, is a proposal: the coordinators decide.
  const claimsCna = v.vendor.isCna || v.vendor.proposals.isCna === true;
  const isCna = checkbox(
    'isCna',
    'We are a CNA and assign the CVE ID(s) ourselves',
    claimsCna,
    v.vendor.isCna ? 'The coordinators have confirmed it.' : 'The coordinators confirm it.',
  );
  const cves = h('div', { class: 'sub', hidden: !claimsCna }, ...rows.map((r) => r.cve.wrap));
  isCna.control.addEventListener('change', () => {
    cves.hidden = !(isCna.control as HTMLInputElement).checked;
  });
  if (rows.length === 0) return h('p', { class: 'muted' }, 'The coordinators have not listed the vulnerabilities yet.');
  return actionForm({
    label: 'Save our answer',
    id: 'vendor-status',
    children: [
      h('fieldset', { class: 'group' }, h('legend', {}, 'Is your product affected?'), ...rows.map((r) => r.status.wrap)),
      fixReady.wrap,
      fixDeployed.wrap,
      statement.wrap,
      references.wrap,
      isCna.wrap,
      cves,
    ],
    run: async () => {
      const cna = (isCna.control as HTMLInputElement).checked;
      let ok = true;
      for (const r of rows) {
        const value = r.cve.control.value.trim();
        const malformed = cna && value !== '' && !/^CVE-\d{4}-\d{4,19}$/.test(value);
        const notAffected = cna && value !== '' && r.status.control.value !== 'affected';
        setError(
          r.cve,
          malformed
            ? 'A CVE ID looks like CVE-2026-12345'
            : notAffected
              ? 'Give a CVE ID only for a vulnerability you are affected by'
              : null,
        );
        if (malformed || notAffected) ok = false;
      }
      const refs = references.value();
      if (!ok || !refs) return null;
      const cveIds = rows
        .filter((r) => r.cve.control.value.trim())
        .map((r) => ({ vulnerabilityId: r.id, cveId: r.cve.control.value.trim() }));
      await api('PUT', path(c, '/status'), {
        token: c.token,
        body: {
          vulnerabilities: rows.map((r) => ({ id: r.id, status: r.status.control.value })),
          fixReady: (fixReady.control as HTMLInputElement).checked,
          fixDeployed: (fixDeployed.control as HTMLInputElement).checked,
          statement: statement.control.value.trim(),
          references: refs,
          isCna: cna,
          ...(cna && cveIds.length ? { cveIds } : {}),
        },
      });
      setFlash('Saved: thank you for your answer.');
      await load(c, false);
      return null;
    },
  });
}

/** The API as this vendor, under its own prefix. */
const asVendor =
  (c: Credentials): Caller =>
  <T>(method: string, tail: string, body?: unknown) =>
    api<T>(method, path(c, tail), { token: c.token, ...(body !== undefined ? { body } : {}) });

function messageForm(c: Credentials, v: VendorView): HTMLFormElement {
  const kind = field('kind', {
    label: 'About',
    options: [['comment', 'The case'], ...(v.draft ? ([['draft-comment', 'The draft note']] as [string, string][]) : [])],
    value: v.draft ? 'draft-comment' : 'comment',
  });
  // Only messages this vendor can read are offered; the server refuses any other id as unknown.
  const answerable = v.messages.filter((m) => m.messageId && m.from === 'coordinator');
  const reply = field('in-reply-to', {
    label: 'In reply to',
    options: [
      ['', 'Nothing in particular'],
      ...answerable.slice(-20).map((m): [string, string] => [m.messageId ?? '', `the coordinators’ message of ${m.at}`]),
    ],
  });
  const body = field('body', { label: 'Message to the coordinators', required: true, multiline: 4 });
  const picker = filePicker('vendor-files');
  return actionForm({
    label: 'Send',
    id: 'vendor-message',
    children: [kind.wrap, ...(answerable.length ? [reply.wrap] : []), body.wrap, picker.wrap],
    run: async () => {
      const text = body.control.value.trim();
      setError(body, text ? null : 'Write a message');
      if (!text) return null;
      const attachmentIds = await uploadPicked(picker, asVendor(c));
      await api('POST', path(c, '/messages'), {
        token: c.token,
        body: {
          kind: kind.control.value,
          body: text,
          ...(reply.control.value ? { inReplyTo: reply.control.value } : {}),
          ...(attachmentIds.length ? { attachmentIds } : {}),
        },
      });
      setFlash('Sent: the coordinators will read it.');
      await load(c, false);
      return null;
    },
  });
}
