// `/status#token=…&case=…`: the reporter's view of their case, and their messages to us
// (more information, a comment, a comment on the draft, or notice of their own disclosure).
import {
  $,
  type Credentials,
  actionForm,
  api,
  append,
  clear,
  confirmDialog,
  describeError,
  draftView,
  embargoProposalSection,
  canPropose,
  facts,
  field,
  h,
  messageList,
  phaseLabel,
  setError,
  setFlash,
  takeFlash,
  utcInputToIso,
  when,
  withCredentials,
} from './lib.js';
import { type Caller, fileList, filePicker, uploadPicked } from './files.js';
import type { ReporterView as ServerReporterView } from '../../functions/app/api/views.js';

// The server's own view type: the page cannot drift from what the API sends.
type ReporterView = ServerReporterView;

const EXPLAIN: Record<string, string> = {
  intake: 'We received your report and are checking it.',
  triage: 'A coordinator is reviewing your report.',
  declined: 'We will not coordinate this report; the reasons are below.',
  outreach: 'We are contacting the vendors.',
  embargo: 'The vendors know; the details stay private until the embargo ends.',
  'draft-review': 'A draft of the public note is ready for your comments.',
  publication: 'Publication is approved.',
  published: 'The note is public.',
  closed: 'The case is closed.',
};

const app = $('#app');
withCredentials('cvd-reporter', app, (c) => void load(c));

async function load(c: Credentials, focus = true): Promise<void> {
  let v: ReporterView;
  try {
    v = await api<ReporterView>('GET', `/reports/${encodeURIComponent(c.caseId)}`, { token: c.token });
  } catch (e) {
    clear(app);
    append(app, [h('h1', {}, 'We could not open this case'), h('p', { class: 'notice error', role: 'alert' }, describeError(e))]);
    return;
  }
  clear(app);
  const heading = h('h1', { tabindex: -1 }, v.title || 'Your report');
  const questions = v.informationRequest?.questions;
  append(app, [
    heading,
    takeFlash(),
    h('p', { class: 'lead' }, h('span', { class: `phase phase-${v.status}` }, phaseLabel(v.status)), ' ', EXPLAIN[v.status] ?? ''),
    facts([
      ['Case id', h('strong', { id: 'case-id' }, v.caseId)],
      ['Received', when(v.receivedAt)],
      ['Embargo', v.embargo.state === 'NONE' ? 'none' : v.embargo.state.toLowerCase()],
      ['Embargo ends', v.embargo.endsAt ? when(v.embargo.endsAt) : ''],
      ['Planned publication', v.publishAt ? when(v.publishAt) : ''],
      ['Decision', v.triage ? `${v.triage.decision}${v.triage.reasons.length ? ` (${v.triage.reasons.join(', ')})` : ''}` : ''],
      ['Published', v.noteId ? h('a', { href: `/notes/${encodeURIComponent(v.noteId)}.html` }, `Read the note ${v.noteId}`) : ''],
      ['Closed', v.closed ? [when(v.closed.at), ` (${v.closed.closure})`] : ''],
    ]),
    v.informationRequest && !v.informationRequest.answeredAt
      ? h(
          'section',
          { class: 'card attention', 'aria-labelledby': 'info-h' },
          h('h2', { id: 'info-h' }, 'We need more information'),
          Array.isArray(questions)
            ? h('ul', {}, ...questions.map((q) => h('li', {}, q)))
            : h('p', {}, typeof questions === 'string' ? questions : ''),
          h('p', {}, 'Please answer by ', when(v.informationRequest.dueAt), ' with the form below ("More information").'),
        )
      : null,
    v.vulnerabilities.length
      ? h(
          'section',
          { 'aria-labelledby': 'vul-h' },
          h('h2', { id: 'vul-h' }, 'Vulnerabilities'),
          h('ul', {}, ...v.vulnerabilities.map((x) => h('li', {}, x.title, x.cveId ? ` · ${x.cveId}` : ''))),
        )
      : null,
    canPropose(v.status, v.embargo.state)
      ? embargoProposalSection({
          token: c.token,
          path: `/reports/${encodeURIComponent(c.caseId)}/embargo`,
          proposals: v.embargoProposals,
          done: () => load(c, false),
        })
      : null,
    h('section', { 'aria-labelledby': 'draft-h' }, h('h2', { id: 'draft-h' }, 'Draft note'), draftView(v.draft)),
    h(
      'section',
      { 'aria-labelledby': 'msg-h' },
      h('h2', { id: 'msg-h' }, 'Messages'),
      messageList(v.messages, (m) => fileList(m.files, asReporter(c))),
    ),
    h('section', { 'aria-labelledby': 'write-h' }, h('h2', { id: 'write-h' }, 'Write to us'), messageForm(c, v)),
  ]);
  if (focus) heading.focus();
}

/** The API as this reporter, under their own prefix. */
const asReporter =
  (c: Credentials): Caller =>
  <T>(method: string, tail: string, body?: unknown) =>
    api<T>(method, `/reports/${encodeURIComponent(c.caseId)}${tail}`, { token: c.token, ...(body !== undefined ? { body } : {}) });

function messageForm(c: Credentials, v: ReporterView): HTMLFormElement {
  const kinds: [string, string][] = [
    ['information', 'More information about the vulnerability'],
    ['comment', 'A comment or question'],
    ...(v.draft ? ([['draft-comment', 'A comment on the draft note']] as [string, string][]) : []),
    ['self-disclosure', 'I am disclosing (or have disclosed) it myself'],
  ];
  const kind = field('kind', {
    label: 'What is it?',
    options: kinds,
    value: v.informationRequest && !v.informationRequest.answeredAt ? 'information' : 'comment',
  });
  const body = field('body', { label: 'Message', required: true, multiline: 5 });
  const date = field('disclosureDate', { label: 'Public since / on (UTC)', type: 'datetime-local', hint: 'Leave empty for now.' });
  // A comment may answer one of the coordinators' messages to the reporter (only those are offered).
  const answerable = v.messages.filter((m) => m.messageId && m.from === 'coordinator');
  const reply = field('in-reply-to', {
    label: 'In reply to',
    options: [
      ['', 'Nothing in particular'],
      ...answerable.slice(-20).map((m): [string, string] => [m.messageId ?? '', `our message of ${m.at}`]),
    ],
  });
  const isComment = () => kind.control.value === 'comment' || kind.control.value === 'draft-comment';
  const picker = filePicker('report-files');
  date.wrap.hidden = true;
  reply.wrap.hidden = !answerable.length || !isComment();
  kind.control.addEventListener('change', () => {
    date.wrap.hidden = kind.control.value !== 'self-disclosure';
    reply.wrap.hidden = !answerable.length || !isComment();
    picker.wrap.hidden = kind.control.value === 'self-disclosure';
  });
  return actionForm({
    label: 'Send',
    children: [kind.wrap, reply.wrap, body.wrap, date.wrap, picker.wrap],
    run: async () => {
      const text = body.control.value.trim();
      setError(body, text ? null : 'Write a message');
      if (!text) {
        body.control.focus();
        return null;
      }
      const k = kind.control.value;
      if (
        k === 'self-disclosure' &&
        !(await confirmDialog(
          'Disclose it yourself?',
          'Telling us you disclose ends the embargo for every vendor. This cannot be undone.',
          'Yes, I disclose',
        ))
      )
        return null;
      const d = utcInputToIso(date.control.value);
      const attachmentIds = k === 'self-disclosure' ? [] : await uploadPicked(picker, asReporter(c));
      await api('POST', `/reports/${encodeURIComponent(c.caseId)}/messages`, {
        token: c.token,
        body: {
          kind: k,
          body: text,
          ...(k === 'self-disclosure' && d ? { disclosureDate: d } : {}),
          ...(isComment() && reply.control.value ? { inReplyTo: reply.control.value } : {}),
          ...(attachmentIds.length ? { attachmentIds } : {}),
        },
      });
      setFlash(k === 'self-disclosure' ? 'Thank you: we told the vendors the embargo ends.' : 'Sent: the coordinators will read it.');
      await load(c, false);
      return null;
    },
  });
}
