// `/`: the reporter's form, every field of docs/api.md "The report", checked as you go and again by the
// API (its errors land beside the fields they name). On success: the case id and the status link.
import {
  ApiError,
  $,
  type Field,
  api,
  append,
  checkbox,
  clear,
  describeError,
  field,
  h,
  notice,
  radios,
  setError,
  utcInputToIso,
} from './lib.js';
import { REPORTER_TERMS } from '../../functions/domain/terms.js';

const LIMITS = { short: 200, email: 320, text: 16 * 1024, poc: 64 * 1024, pgp: 16 * 1024, refs: 50 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Check = (value: string) => string | null;
interface Entry {
  f: Field;
  checks: Check[];
}

const entries: Entry[] = [];
const required =
  (label: string): Check =>
  (v) =>
    v.trim() ? null : `Enter ${label}`;
const max =
  (n: number): Check =>
  (v) =>
    v.length > n ? `At most ${n} characters (now ${v.length})` : null;
const emailCheck: Check = (v) => (!v.trim() || EMAIL.test(v.trim()) ? null : 'Enter an e-mail address such as name@example.org');
const urlLines: Check = (v) => {
  const lines = v
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > LIMITS.refs) return `At most ${LIMITS.refs} references`;
  const bad = lines.find((l) => !/^https?:\/\/\S+$/.test(l));
  return bad ? `Not an http(s) URL: ${bad}` : null;
};
const cvss =
  (prefix: RegExp, example: string): Check =>
  (v) =>
    !v.trim() || prefix.test(v.trim()) ? null : `Give the vector, e.g. ${example}`;

function add(f: Field, ...checks: Check[]): Field {
  entries.push({ f, checks });
  const run = () => validate({ f, checks });
  f.control.addEventListener('blur', run);
  f.control.addEventListener('input', () => {
    if (f.control.getAttribute('aria-invalid')) run();
  });
  return f;
}

function validate(e: Entry): boolean {
  if (!e.f.wrap.isConnected) return true;
  const v = e.f.control.value;
  const msg = e.checks.map((c) => c(v)).find((m) => m) ?? null;
  setError(e.f, msg);
  return !msg;
}

const section = (title: string, ...children: (Node | null)[]) => h('fieldset', { class: 'group' }, h('legend', {}, title), ...children);

// ---- the form ------------------------------------------------------------------------------------

const reporterName = add(field('reporter.name', { label: 'Your name', autocomplete: 'name', maxlength: LIMITS.short }), max(LIMITS.short));
const reporterEmail = add(
  field('reporter.email', {
    label: 'Your e-mail address',
    type: 'email',
    required: true,
    autocomplete: 'email',
    hint: 'We send the link to your case here.',
  }),
  required('your e-mail address'),
  emailCheck,
);
const reporterOrg = add(field('reporter.organization', { label: 'Organization', autocomplete: 'organization' }), max(LIMITS.short));
const pgp = add(
  field('reporter.pgpKey', {
    label: 'PGP public key',
    multiline: 3,
    hint: 'Optional: ASCII-armored. With it, our e-mails to you are encrypted to this key and carry the details.',
  }),
  max(LIMITS.pgp),
);
const share = checkbox('reporter.shareContactWithVendors', 'Share my contact details with the vendors');
const credit = radios(
  'reporter.credit',
  'Credit in the published note',
  [
    ['named', 'Name me'],
    ['anonymous', 'Keep me anonymous'],
  ],
  'named',
);

const productName = add(
  field('product.name', { label: 'Product', required: true, maxlength: LIMITS.short }),
  required('the product name'),
  max(LIMITS.short),
);
const productVersion = add(
  field('product.version', { label: 'Version(s)', maxlength: LIMITS.short, hint: 'e.g. 4.2.1, or "before 4.3"' }),
  max(LIMITS.short),
);

interface VendorRow {
  el: HTMLElement;
  name: Field;
  email: Field;
  contacted: Field;
  when: Field;
  communication: Field;
}
const vendorRows: VendorRow[] = [];
const vendorList = h('div', { class: 'vendors' });
let vendorCount = 0;
function addVendor(focus = false): void {
  const n = ++vendorCount;
  const name = add(
    field('vendors.name', { label: 'Vendor name', required: true, maxlength: LIMITS.short }),
    required('the vendor name'),
    max(LIMITS.short),
  );
  const email = add(field('vendors.contactEmail', { label: 'Vendor security contact e-mail', type: 'email' }), emailCheck);
  const contacted = checkbox('vendors.contacted', 'I have already contacted this vendor');
  const when = add(field('vendors.firstContactAt', { label: 'When (UTC)', type: 'datetime-local' }));
  const communication = add(
    field('vendors.communication', { label: 'What happened when you contacted them', multiline: 2 }),
    max(LIMITS.text),
  );
  const contactDetails = h('div', { class: 'sub', hidden: true }, when.wrap, communication.wrap);
  contacted.control.addEventListener('change', () => {
    contactDetails.hidden = !(contacted.control as HTMLInputElement).checked;
  });
  const row: VendorRow = { el: h('fieldset', { class: 'vendor' }), name, email, contacted, when, communication };
  const remove = h('button', { type: 'button', class: 'secondary small' }, 'Remove this vendor');
  remove.addEventListener('click', () => {
    if (vendorRows.length <= 1) return;
    vendorRows.splice(vendorRows.indexOf(row), 1);
    row.el.remove();
    renumber();
    vendorRows[0]?.name.control.focus();
  });
  append(row.el, [h('legend', {}, `Vendor ${n}`), name.wrap, email.wrap, contacted.wrap, contactDetails, remove]);
  vendorRows.push(row);
  vendorList.append(row.el);
  renumber();
  if (focus) name.control.focus();
}
function renumber(): void {
  vendorRows.forEach((r, i) => {
    const legend = r.el.querySelector('legend');
    if (legend) legend.textContent = `Vendor ${i + 1}`;
    for (const f of [r.name, r.email, r.contacted, r.when, r.communication]) f.path = f.path.replace(/^vendors\.(\d+\.)?/, `vendors.${i}.`);
    const btn = r.el.querySelector<HTMLButtonElement>('button');
    if (btn) btn.hidden = vendorRows.length <= 1;
  });
}
addVendor();
const addVendorButton = h('button', { type: 'button', class: 'secondary' }, 'Add another vendor');
addVendorButton.addEventListener('click', () => addVendor(true));
const multipleVendors = checkbox('multipleVendors', 'Other vendors may be affected too (shared code, a library, a protocol)');

const title = add(
  field('title', {
    label: 'Title',
    required: true,
    maxlength: LIMITS.short,
    hint: 'One line, e.g. "Unauthenticated RCE in the upload handler".',
  }),
  required('a title'),
  max(LIMITS.short),
);
const description = add(
  field('description', { label: 'Description', required: true, multiline: 6, hint: 'What is wrong, where, and in which versions.' }),
  required('a description'),
  max(LIMITS.text),
);
const exploitation = add(field('exploitation', { label: 'How it can be exploited', multiline: 3 }), max(LIMITS.text));
const impact = add(field('impact', { label: 'Impact', multiline: 3, hint: 'What an attacker gains.' }), max(LIMITS.text));
const discovery = add(field('discovery', { label: 'How you found it', multiline: 2 }), max(LIMITS.text));
const poc = add(
  field('evidence.proofOfConcept', { label: 'Proof of concept', multiline: 5, hint: 'Steps, a script or a request (up to 64 KiB).' }),
  max(LIMITS.poc),
);
const patch = add(field('evidence.patch', { label: 'Patch or mitigation', multiline: 3 }), max(LIMITS.poc));
const v2 = add(
  field('cvss.v2', { label: 'CVSS v2 vector', placeholder: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }),
  cvss(/^\(?AV:/, 'AV:N/AC:L/Au:N/C:P/I:P/A:P'),
  max(200),
);
const v3 = add(
  field('cvss.v3', { label: 'CVSS v3 vector', placeholder: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
  cvss(/^CVSS:3\.[01]\//, 'CVSS:3.1/AV:N/…'),
  max(200),
);
const v4 = add(
  field('cvss.v4', { label: 'CVSS v4 vector', placeholder: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }),
  cvss(/^CVSS:4\.0\//, 'CVSS:4.0/AV:N/…'),
  max(300),
);

const alreadyPublic = checkbox('alreadyPublic', 'This vulnerability is already public');
const publicRefs = add(field('publicReferences', { label: 'Where it is public (one URL per line)', multiline: 2 }), urlLines);
const exploited = checkbox('exploitedInTheWild', 'It is being exploited in the wild');
const exploitRefs = add(field('exploitReferences', { label: 'Evidence of exploitation (one URL per line)', multiline: 2 }), urlLines);
const intends = checkbox('disclosurePlans.intendsToDisclose', 'I plan to disclose it myself');
const planDate = add(field('disclosurePlans.date', { label: 'On (UTC)', type: 'datetime-local' }));
const planDetails = add(field('disclosurePlans.details', { label: 'Details (talk, blog post, paper…)', multiline: 2 }), max(LIMITS.text));
const toggle = (box: Field, ...shown: Field[]) => {
  const sub = h('div', { class: 'sub', hidden: true }, ...shown.map((f) => f.wrap));
  box.control.addEventListener('change', () => {
    sub.hidden = !(box.control as HTMLInputElement).checked;
  });
  return sub;
};
const service = radios(
  'requestedService',
  'What do you need from us? (required)',
  [
    ['coordination', 'Coordinate disclosure with the vendor(s)'],
    ['cve-id-only', 'Only a CVE ID'],
    ['publication-only', 'Only publish a note (the vendor already knows)'],
  ],
  'coordination',
);
const privateComments = add(
  field('privateComments', { label: 'Private comments to the coordinators', multiline: 2, hint: 'Never shown to vendors.' }),
  max(LIMITS.text),
);

// The terms come first: trying the vendor and checking an NDA are things to do before writing the report.
const policyLink = h('p', { id: 'policy-link', hidden: true });
const acceptTerms = add(
  checkbox(
    'acceptsTerms',
    'I have read these terms and accept the disclosure policy',
    false,
    'Required: we record your agreement with the report.',
  ),
  () => ((acceptTerms.control as HTMLInputElement).checked ? null : 'Accept the terms to send the report'),
);
const termsSection = h(
  'section',
  { id: 'terms', class: 'group', 'aria-labelledby': 'terms-heading' },
  h('h2', { id: 'terms-heading' }, 'Before you report'),
  ...REPORTER_TERMS.map((t) => h('div', { id: `terms-${t.id}` }, h('h3', {}, t.heading), h('p', {}, t.text))),
  policyLink,
  acceptTerms.wrap,
);

/** The deployment's policy page, if it names one: the Policy line of its own security.txt (https only). */
async function showPolicyLink(): Promise<void> {
  try {
    const r = await fetch('/.well-known/security.txt', { headers: { accept: 'text/plain' } });
    if (!r.ok) return;
    const m = /^Policy: (https:\/\/[^\s"'<>]+)$/m.exec(await r.text());
    if (!m?.[1] || m[1].startsWith(`${location.origin}/#`)) return;
    append(policyLink, [h('a', { href: m[1], rel: 'noopener' }, 'Read our full disclosure policy')]);
    policyLink.hidden = false;
  } catch {
    // No policy page: the terms above are the policy.
  }
}

const summary = h('div', { class: 'notice error', role: 'alert', tabindex: -1, hidden: true });
const submit = h('button', { type: 'submit' }, 'Send the report');
const form = h(
  'form',
  { novalidate: true, 'aria-describedby': 'intro' },
  summary,
  termsSection,
  section('About you', reporterName.wrap, reporterEmail.wrap, reporterOrg.wrap, pgp.wrap, share.wrap, credit.wrap),
  section('The product', productName.wrap, productVersion.wrap),
  section('Vendors', vendorList, addVendorButton, multipleVendors.wrap),
  section('The vulnerability', title.wrap, description.wrap, exploitation.wrap, impact.wrap, discovery.wrap),
  section('Evidence', poc.wrap, patch.wrap),
  section('Severity (optional)', v2.wrap, v3.wrap, v4.wrap),
  section(
    'Public knowledge',
    alreadyPublic.wrap,
    toggle(alreadyPublic, publicRefs),
    exploited.wrap,
    toggle(exploited, exploitRefs),
    intends.wrap,
    toggle(intends, planDate, planDetails),
  ),
  section('Your request', service.wrap, privateComments.wrap),
  h('div', { class: 'actions' }, submit),
);

const lines = (f: Field) =>
  f.control.value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const checked = (f: Field) => (f.control as HTMLInputElement).checked;
const val = (f: Field) => f.control.value.trim();

function body(): unknown {
  return {
    reporter: {
      name: val(reporterName),
      email: val(reporterEmail),
      organization: val(reporterOrg),
      pgpKey: val(pgp),
      shareContactWithVendors: checked(share),
      credit: credit.value(),
    },
    product: { name: val(productName), version: val(productVersion) },
    vendors: vendorRows.map((r) => ({
      name: val(r.name),
      ...(val(r.email) ? { contactEmail: val(r.email) } : {}),
      contacted: checked(r.contacted),
      firstContactAt: checked(r.contacted) ? utcInputToIso(r.when.control.value) : null,
      communication: checked(r.contacted) ? val(r.communication) : '',
    })),
    multipleVendors: checked(multipleVendors),
    title: val(title),
    description: val(description),
    exploitation: val(exploitation),
    impact: val(impact),
    discovery: val(discovery),
    evidence: { proofOfConcept: val(poc), patch: val(patch) },
    cvss: Object.fromEntries(
      (
        [
          ['v2', v2],
          ['v3', v3],
          ['v4', v4],
        ] as const
      )
        .filter(([, f]) => val(f))
        .map(([k, f]) => [k, val(f)]),
    ),
    alreadyPublic: checked(alreadyPublic),
    publicReferences: checked(alreadyPublic) ? lines(publicRefs) : [],
    exploitedInTheWild: checked(exploited),
    exploitReferences: checked(exploited) ? lines(exploitRefs) : [],
    disclosurePlans: {
      intendsToDisclose: checked(intends),
      date: checked(intends) ? utcInputToIso(planDate.control.value) : null,
      details: checked(intends) ? val(planDetails) : '',
    },
    requestedService: service.value(),
    privateComments: val(privateComments),
    ...(checked(acceptTerms) ? { acceptsTerms: true } : {}),
  };
}

/** The error summary: one link per invalid field, focused so screen readers read it. */
function showSummary(items: { text: string; target: HTMLElement | null }[]): void {
  clear(summary);
  if (items.length === 0) {
    summary.hidden = true;
    return;
  }
  append(summary, [
    h('h2', {}, items.length === 1 ? 'There is a problem' : `There are ${items.length} problems`),
    h(
      'ul',
      {},
      ...items.map((i) => {
        const a = h('a', { href: '#' }, i.text);
        a.addEventListener('click', (e) => {
          e.preventDefault();
          i.target?.focus();
        });
        return h('li', {}, a);
      }),
    ),
  ]);
  summary.hidden = false;
  summary.focus();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  void send();
});

async function send(): Promise<void> {
  const bad = entries.filter((x) => !validate(x));
  if (bad.length) {
    showSummary(bad.map((x) => ({ text: x.f.error.textContent ?? '', target: x.f.control })));
    return;
  }
  showSummary([]);
  submit.disabled = true;
  submit.textContent = 'Sending…';
  try {
    const r = await api<{ caseId: string; status: string; reporterToken: string; statusUrl: string }>('POST', '/reports', { body: body() });
    done(r);
  } catch (err) {
    if (err instanceof ApiError && err.errors.length) {
      const items = err.errors.map((fe) => {
        const match = entries.find((x) => x.f.wrap.isConnected && x.f.path === fe.path);
        if (match) setError(match.f, fe.message);
        return { text: fe.message, target: match?.f.control ?? null };
      });
      showSummary(items);
    } else {
      showSummary([{ text: describeError(err), target: null }]);
    }
  } finally {
    submit.disabled = false;
    submit.textContent = 'Send the report';
  }
}

function done(r: { caseId: string; reporterToken: string }): void {
  const link = `${location.origin}/status#token=${encodeURIComponent(r.reporterToken)}&case=${encodeURIComponent(r.caseId)}`;
  const main = $('main');
  clear(main);
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy the link');
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(link).then(() => notice(copied, 'ok', 'Copied.'));
  });
  const copied = h('p', { hidden: true });
  const heading = h('h1', { tabindex: -1 }, 'Thank you: we received your report');
  append(main, [
    heading,
    h('p', { class: 'notice ok', role: 'status' }, 'Your case id is ', h('strong', { id: 'case-id' }, r.caseId), '.'),
    h(
      'p',
      {},
      'Follow your case, answer questions and read the draft note on your status page. Keep this link private: anyone with it can act as you on this case. We also sent it to you by e-mail.',
    ),
    h('p', {}, h('a', { id: 'status-link', href: link }, 'Open your status page')),
    h('p', {}, h('code', { class: 'link' }, link)),
    h('div', { class: 'actions' }, copy),
    copied,
  ]);
  heading.focus();
}

const mount = $('#form');
clear(mount);
mount.append(form);
void showPolicyLink();
