// The leak oracle: random cases with 1–8 vendors whose names are 1–3 characters, sit inside one
// another and inside statements, differ only in case, and carry Markdown and HTML in every report
// and vendor field. Each vendor gets a canary of its own in its statement, its contacts and its
// messages. The case runs through the real API and workflow steps to the shared draft; then
// nothing a vendor or the reporter can read (every API response to them, their drafts, their
// e-mails, their own CSAF document) may hold another vendor's canary, or another vendor's name where the reader could not
// have known it; nor may any reader see a directory organisation's alias (one vendor comes from the
// directory by vendorRef). The coordinators write to each vendor alone, to the reporter alone, and an
// internal note: each message's canary reaches its audience only (lists, views and e-mails, with
// and without details in the mail), and the note reaches no participant. Each vendor's references
// carry its canary too (URL and summary). Files travel the same way: each vendor sends one, the
// coordinators send one to each vendor and one with the internal note, each named with its canary;
// every reader asks for every file, and only the readers of a message that carries it get it.
// Some contacts and the reporter have an OpenPGP key: their mail carries every detail, so the same
// oracle reads it, and each encrypted mail goes to its one reader, sealed to that reader's key only.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TeamKeyPair, generateTeamKey } from '../../functions/adapters/openpgp-seal.js';
import type { VendorView } from '../../functions/app/api/views.js';
import { preScreen } from '../../functions/app/prescreen.js';
import * as wf from '../../functions/app/workflow.js';
import * as cve from '../../functions/app/cve-ids.js';
import { addDays } from '../../functions/domain/index.js';
import { aTestApp } from '../builders/app.js';
import { aReportInput } from '../builders/case.js';
import { ANONYMOUS, COORDINATOR_CALLER, type Caller, bearer, call } from '../builders/http.js';

/** Structure a participant might try to smuggle in: Markdown sections, tables, links, HTML. */
const HOSTILE = [
  '\n\n## Vendor information\n\n| x | y |\n|---|---|\n',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '**bold** _it_ `code`',
  '[link](javascript:alert(1))',
  '> quoted',
  '# heading',
  '| a | b |',
  '&amp; &lt;',
];

const multi = fc.array(fc.constantFrom(...HOSTILE, 'plain words', 'more text'), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(' '));
const single = fc
  .array(fc.constantFrom('<b>x</b>', '**y**', '# z', '| w', '[a](b)', 'plain', '&'), { minLength: 1, maxLength: 3 })
  .map((xs) => xs.join(' '));

/** Short names, case variants and names inside names; unique ignoring case, as the API insists. */
const names = fc
  .uniqueArray(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,2}$/),
      fc.constantFrom('Glo', 'Globex', 'Globex Corporation', 'HP', 'Hp Inc', 'Ab', 'ABC', 'a', 'B'),
    ),
    { minLength: 1, maxLength: 8, selector: (n) => n.toLowerCase() },
  )
  .filter((ns) => ns.every((n) => n.trim() === n && n.length > 0));

interface Plan {
  names: string[];
  /** How many of the vendors the reporter names (the rest a coordinator adds). */
  reported: number;
  statuses: ('affected' | 'not-affected' | 'unknown')[];
  fixes: boolean[];
  /** Which other vendor (index) each vendor's statement mentions by name, if any. */
  mentions: (number | null)[];
  report: { description: string; impact: string; title: string; product: string };
  statementNoise: string[];
  /** MAIL_DETAIL: whether mail carries the words of messages. */
  fullMail: boolean;
  /** Which vendors' contacts, and whether the reporter, have an OpenPGP key (their mail is then full and encrypted). */
  pgp: boolean[];
  reporterPgp: boolean;
}

const plan: fc.Arbitrary<Plan> = names.chain((ns) =>
  fc.record({
    names: fc.constant(ns),
    reported: fc.integer({ min: 1, max: ns.length }),
    statuses: fc.array(fc.constantFrom('affected', 'not-affected', 'unknown'), { minLength: ns.length, maxLength: ns.length }),
    fixes: fc.array(fc.boolean(), { minLength: ns.length, maxLength: ns.length }),
    mentions: fc.array(fc.option(fc.integer({ min: 0, max: ns.length - 1 }), { nil: null }), {
      minLength: ns.length,
      maxLength: ns.length,
    }),
    report: fc.record({ description: multi, impact: multi, title: single, product: single }),
    statementNoise: fc.array(multi, { minLength: ns.length, maxLength: ns.length }),
    fullMail: fc.boolean(),
    pgp: fc.array(fc.boolean(), { minLength: ns.length, maxLength: ns.length }),
    reporterPgp: fc.boolean(),
  }),
);

/** In the vendor's statement and messages. */
const canary = (i: number, run: number) => `canary${run}x${i}q`;
/** In the vendor's contact address (which the reporter may have suggested, and so knows). */
const mailCanary = (i: number, run: number) => `mail${run}x${i}q`;
/** In a directory organisation's alias: the directory is the coordinators' alone. */
const directoryCanary = (i: number, run: number) => `dir${run}x${i}q`;
/** In the coordinators' internal note and their message to the reporter. */
const noteCanary = (run: number) => `note${run}x9q`;
const reporterCanary = (run: number) => `rep${run}x8q`;
const tokenIn = (text: string): string | null => {
  const m = /#token=([A-Za-z0-9_%-]+)/.exec(text);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
};

let runs = 0;

/** The team's key, and one key per vendor index and for the reporter, made once for every run. */
let keys: { team: TeamKeyPair; vendors: TeamKeyPair[]; reporter: TeamKeyPair };
beforeAll(async () => {
  const pair = (email: string) => generateTeamKey({ name: 'k', email });
  const [team, reporter, ...vendors] = await Promise.all([
    pair('team@x.example'),
    pair('rep@x.example'),
    ...[...Array(8)].map((_, i) => pair(`v${i}@x.example`)),
  ]);
  keys = { team: team!, reporter: reporter!, vendors };
});

/** A file on the case: its id, and who may have it (a vendor's index, or 'coordinators' alone). */
interface SentFile {
  attachmentId: string;
  reader: number | 'coordinators';
}

/** Declares a file named `name` through `path` as `caller`, and puts its bytes where the presigned PUT would. */
async function upload(app: ReturnType<typeof aTestApp>, caseId: string, path: string, caller: Caller, name: string) {
  const bytes = Buffer.from(`contents of ${name}`);
  const r = await call(app.deps, 'POST', path, {
    params: { caseId },
    caller,
    body: { filename: name, contentType: 'text/plain', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
  });
  expect(r.status, r.raw).toBe(201);
  const { attachmentId } = r.body as { attachmentId: string };
  app.files.store.put(`cases/${caseId}/${attachmentId}`, bytes);
  return attachmentId;
}

async function runCase(p: Plan) {
  const run = ++runs;
  const app = aTestApp(undefined, { teamKey: keys.team.privateKey });
  app.deps.config.mailDetail = p.fullMail ? 'full' : 'minimal';
  // Inbound mail on: every participant's mail carries a reply address, which must be that reader's alone.
  app.deps.config.replyDomain = 'cert.example';
  const n = p.names.length;
  const contactOf = (i: number) => `c-${mailCanary(i, run)}@v${i}.example`;
  const contactFor = (i: number) => ({ email: contactOf(i), ...(p.pgp[i] ? { pgpKey: keys.vendors[i]!.publicKey } : {}) });
  const reporter = aReportInput().reporter;

  // The reporter names the first vendors, suggesting each one's (canary) address.
  const input = aReportInput({
    title: p.report.title,
    description: p.report.description,
    impact: p.report.impact,
    product: { name: p.report.product, version: '1.0' },
    vendors: p.names.slice(0, p.reported).map((name, i) => ({ name, contactEmail: contactOf(i), contacted: false })),
    reporter: { ...reporter, ...(p.reporterPgp ? { pgpKey: keys.reporter.publicKey } : {}) },
  });
  const submitted = await call(app.deps, 'POST', '/reports', { body: input });
  expect(submitted.status, submitted.raw).toBe(201);
  const { caseId, reporterToken } = submitted.body as { caseId: string; reporterToken: string };
  await wf.registerCase(app.deps, { caseId });
  await preScreen(app.deps, { caseId });
  const coord = (method: 'POST' | 'PUT', path: string, body: unknown, params: Record<string, string> = {}) =>
    call(app.deps, method, path, { params: { caseId, ...params }, caller: COORDINATOR_CALLER, body });
  expect(
    (
      await coord('POST', '/cases/{caseId}/triage', {
        decision: 'accept',
        reasons: [],
        comment: 'we coordinate this, whatever the recommendation',
      })
    ).status,
  ).toBe(202);
  await wf.advance(app.deps, { caseId });

  // The coordinator confirms the suggested addresses and adds the other vendors with theirs.
  for (let i = 0; i < p.reported; i++)
    expect(
      (await coord('PUT', '/cases/{caseId}/vendors/{vendorId}', { contacts: [contactFor(i)] }, { vendorId: `vendor-${i + 1}` })).status,
    ).toBe(202);
  if (p.reported < n) {
    // The first of them from the vendor directory (by vendorRef, with an alias only coordinators see), the rest typed in.
    const j = p.reported;
    const entry = await call(app.deps, 'POST', '/directory/vendors', {
      caller: COORDINATOR_CALLER,
      body: { name: p.names[j], aliases: [directoryCanary(j, run)], contacts: [contactFor(j)] },
    });
    expect(entry.status, entry.raw).toBe(201);
    const more = [
      { vendorRef: (entry.body as { vendorRef: string }).vendorRef },
      ...p.names.slice(j + 1).map((name, k) => ({ name, contacts: [contactFor(j + 1 + k)] })),
    ];
    const added = await coord('POST', '/cases/{caseId}/vendors', { vendors: more });
    expect(added.status, added.raw).toBe(202);
  }
  await wf.advance(app.deps, { caseId });
  await wf.openEmbargo(app.deps, { caseId });

  // Each vendor answers through its own link: statement, status, fix, a message, each with its canary.
  const vendorTokens: string[] = [];
  const files: SentFile[] = [];
  for (let i = 0; i < n; i++) {
    const mail = app.mailer.sent.find((m) => m.to.includes(contactOf(i)) && tokenIn(m.text));
    const token = mail ? tokenIn(mail.text) : null;
    expect(token, `vendor ${i} got no link`).toBeTruthy();
    vendorTokens.push(token!);
    const mention = p.mentions[i];
    const statement = `${p.statementNoise[i]} ${canary(i, run)}${mention !== null && mention !== undefined ? ` we ship ${p.names[mention]}'s code` : ''}`;
    const as = bearer(token!);
    expect((await call(app.deps, 'POST', '/vendor/cases/{caseId}/acknowledge', { params: { caseId }, caller: as, body: {} })).status).toBe(
      202,
    );
    const st = await call(app.deps, 'PUT', '/vendor/cases/{caseId}/status', {
      params: { caseId },
      caller: as,
      body: {
        vulnerabilities: [{ id: 'vul-1', status: p.statuses[i] }],
        fixReady: p.fixes[i],
        statement,
        // Its references are as private as its statement until publication: the canary in the URL and the summary.
        references: [
          { url: `https://v${i}.example/${canary(i, run)}`, kind: 'advisory', summary: `advisory ${canary(i, run)} ${HOSTILE[4]}` },
        ],
      },
    });
    expect(st.status, st.raw).toBe(202);
    const own = await upload(app, caseId, '/vendor/cases/{caseId}/attachments', as, `from ${canary(i, run)}.diff`);
    files.push({ attachmentId: own, reader: i });
    expect(
      (
        await call(app.deps, 'POST', '/vendor/cases/{caseId}/messages', {
          params: { caseId },
          caller: as,
          body: { body: `note from ${canary(i, run)} ${HOSTILE[0]}`, attachmentIds: [own] },
        })
      ).status,
    ).toBe(202);
    // An embargo proposal whose reason is as private as the statement.
    const proposed = await call(app.deps, 'PUT', '/vendor/cases/{caseId}/embargo', {
      params: { caseId },
      caller: as,
      body: { endsAt: addDays(app.clock.now, 50 + i), reason: `release of ${canary(i, run)} ${HOSTILE[2]}` },
    });
    expect(proposed.status, proposed.raw).toBe(202);
  }
  // The coordinator accepts the first vendor's proposal: everyone is told the new date, not its reason.
  const firstProposal = (await app.store.load(caseId))!.state.embargo.requests?.find((r) => r.answer === 'open');
  expect((await coord('PUT', '/cases/{caseId}/embargo', { acceptProposal: firstProposal?.proposalId })).status).toBe(202);
  expect(
    (
      await call(app.deps, 'POST', '/reports/{caseId}/messages', {
        params: { caseId },
        caller: bearer(reporterToken),
        body: { kind: 'comment', body: `reporter note ${HOSTILE[1]}` },
      })
    ).status,
  ).toBe(202);
  // The coordinators write to each vendor alone, to the reporter, and a note for themselves.
  for (let i = 0; i < n; i++) {
    const sent = await upload(app, caseId, '/cases/{caseId}/attachments', COORDINATOR_CALLER, `for ${canary(i, run)}.txt`);
    files.push({ attachmentId: sent, reader: i });
    const r = await coord('POST', '/cases/{caseId}/messages', {
      to: { vendorIds: [`vendor-${i + 1}`] },
      body: `to you ${canary(i, run)} ${HOSTILE[2]}`,
      attachmentIds: [sent],
    });
    expect(r.status, r.raw).toBe(202);
  }
  const noteFile = await upload(app, caseId, '/cases/{caseId}/attachments', COORDINATOR_CALLER, `internal ${noteCanary(run)}.txt`);
  files.push({ attachmentId: noteFile, reader: 'coordinators' });
  expect((await coord('POST', '/cases/{caseId}/messages', { to: 'reporter', body: `to the reporter ${reporterCanary(run)}` })).status).toBe(
    202,
  );
  expect(
    (await coord('POST', '/cases/{caseId}/messages', { to: 'internal', body: `internal ${noteCanary(run)}`, attachmentIds: [noteFile] }))
      .status,
  ).toBe(202);
  await wf.advance(app.deps, { caseId });

  // The draft date: the system drafts, and shares the draft with everyone.
  const endsAt = (await app.store.load(caseId))!.state.embargo.endsAt!;
  app.clock.set(addDays(endsAt, -14));
  await wf.advance(app.deps, { caseId });
  await cve.assignCveIds(app.deps, { caseId });
  await wf.draftNote(app.deps, { caseId });
  await wf.shareDraft(app.deps, { caseId });
  const s = (await app.store.load(caseId))!.state;
  expect(s.phase).toBe('draft-review');
  expect(s.draft.shared).not.toBeNull();

  const mailsTo = (address: string) =>
    app.mailer.sent.filter((m) => m.to.includes(address)).map((m) => `${m.subject}\n${m.text}\n${m.html}\n${m.replyTo ?? ''}`);
  // Encrypted mail: one reader, sealed to that reader's own key, exactly for the readers with a key; nothing readable outside.
  const keyOf = (address: string): string | undefined =>
    address === input.reporter.email
      ? input.reporter.pgpKey
      : p.names.map((_, i) => contactFor(i)).find((c) => c.email === address)?.pgpKey;
  for (const m of app.mailer.sent) {
    const [to] = m.to;
    if (m.to.length !== 1 || to === undefined || to === 'coord@cert.example') {
      expect(m.raw, `a mail to ${m.to.join(', ')} is encrypted`).toBeUndefined();
      continue;
    }
    expect(m.encryptTo?.trim(), `the mail to ${to} is sealed to its key exactly when it has one`).toBe(keyOf(to)?.trim());
    expect(m.raw !== undefined).toBe(keyOf(to) !== undefined);
    if (m.raw) for (let i = 0; i < n; i++) expect(squash(Buffer.from(m.raw).toString('latin1'))).not.toContain(canary(i, run));
  }
  // Each reader's mail names one reply address, its own: nobody can answer as another participant.
  const replyAddresses = [s.report?.reporter.email ?? '', ...p.names.map((_, i) => contactOf(i))].map(
    (address) => new Set(app.mailer.sent.filter((m) => m.to.includes(address)).map((m) => m.replyTo)),
  );
  for (const set of replyAddresses.filter((x) => x.size > 0)) {
    expect(set.size).toBe(1);
    expect([...set][0]).toMatch(/^case\+vu-[0-9a-z]+\.[a-z2-7]{26}@cert\.example$/);
  }
  const allReply = replyAddresses.flatMap((x) => [...x]);
  expect(new Set(allReply).size).toBe(allReply.length);
  const vendorReads = await Promise.all(
    vendorTokens.map(async (t, i) => {
      const v = await call(app.deps, 'GET', '/vendor/cases/{caseId}', { params: { caseId }, caller: bearer(t) });
      expect(v.status).toBe(200);
      const list = await call(app.deps, 'GET', '/vendor/cases/{caseId}/messages', { params: { caseId }, caller: bearer(t) });
      expect(list.status).toBe(200);
      // Its own CSAF document, built for it: its statement is there, nobody else's part.
      const csaf = await call(app.deps, 'GET', '/vendor/cases/{caseId}/csaf.json', { params: { caseId }, caller: bearer(t) });
      expect(csaf.status, csaf.raw).toBe(200);
      expect(squash(csaf.raw), `vendor ${i}'s CSAF lacks its own statement`).toContain(canary(i, run));
      // Every file of the case asked for: its own two come, every other is the same 404 as an unknown id.
      const fetched = await Promise.all(
        files.map(async (f) => {
          const r = await call(app.deps, 'GET', '/vendor/cases/{caseId}/attachments/{attachmentId}', {
            params: { caseId, attachmentId: f.attachmentId },
            caller: bearer(t),
          });
          expect(r.status, `vendor ${i} asks for a file of ${f.reader}`).toBe(f.reader === i ? 200 : 404);
          return r.raw;
        }),
      );
      return {
        view: v.body as VendorView,
        text: [v.raw, list.raw, csaf.raw, ...fetched, (v.body as VendorView).draft?.markdown ?? '', ...mailsTo(contactOf(i))].join('\n'),
      };
    }),
  );
  const reporterView = await call(app.deps, 'GET', '/reports/{caseId}', { params: { caseId }, caller: bearer(reporterToken) });
  const reporterList = await call(app.deps, 'GET', '/reports/{caseId}/messages', { params: { caseId }, caller: bearer(reporterToken) });
  const reporterFiles = await Promise.all(
    files.map(async (f) => {
      const r = await call(app.deps, 'GET', '/reports/{caseId}/attachments/{attachmentId}', {
        params: { caseId, attachmentId: f.attachmentId },
        caller: bearer(reporterToken),
      });
      expect(r.status, 'the reporter asks for a file not theirs').toBe(404);
      return r.raw;
    }),
  );
  // The reporter's token opens no vendor's CSAF document.
  const reporterCsaf = await call(app.deps, 'GET', '/vendor/cases/{caseId}/csaf.json', {
    params: { caseId },
    caller: bearer(reporterToken),
  });
  expect(reporterCsaf.status).toBe(404);
  const reporterText = [reporterView.raw, reporterList.raw, reporterCsaf.raw, ...reporterFiles, ...mailsTo(input.reporter.email)].join(
    '\n',
  );
  // Anonymous callers get nothing of the case at all.
  expect((await call(app.deps, 'GET', '/reports/{caseId}', { params: { caseId }, caller: ANONYMOUS })).status).toBe(401);
  return { run, contactOf, vendorReads, reporterText, input, state: s };
}

/** A name is a usable detector only where the reader could not have known it: not inside their own texts. */
const known = (name: string, ownTexts: readonly string[]) => ownTexts.some((t) => t.toLowerCase().includes(name.toLowerCase()));
// JSON escapes < > & in responses; Markdown escapes punctuation. Compare on letters and digits only.
const squash = (x: string) =>
  x
    .toLowerCase()
    .replace(/\\u003c|\\u003e|\\u0026/g, ' ')
    .replace(/[^a-z0-9]/g, '');

describe('the leak oracle', () => {
  it('lets no vendor or the reporter read another vendor’s canary, or a name they could not know, before publication', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async (p) => {
        const { run, vendorReads, reporterText, input, state } = await runCase(p);
        const reportTexts = [
          input.title ?? '',
          input.description ?? '',
          input.impact ?? '',
          input.product?.name ?? '',
          input.exploitation ?? '',
          input.evidence?.proofOfConcept ?? '',
        ];
        p.names.forEach((_, i) => {
          const own = vendorReads[i]!;
          const ownTexts = [p.names[i]!, ...reportTexts, state.vendors[i]!.statement ?? ''];
          p.names.forEach((other, j) => {
            if (i === j) return;
            expect(squash(own.text), `vendor ${i} reads vendor ${j}'s canary`).not.toContain(canary(j, run));
            expect(squash(own.text), `vendor ${i} reads vendor ${j}'s contact`).not.toContain(mailCanary(j, run));
            if (!known(other, ownTexts) && squash(other).length >= 4)
              expect(squash(own.text), `vendor ${i} (${p.names[i]}) reads vendor ${j}'s name "${other}"`).not.toContain(squash(other));
          });
          // Its own part is there: its statement and references in the draft, its row, the message written to it.
          expect(squash(own.view.draft?.markdown ?? '')).toContain(canary(i, run));
          expect(own.view.draft?.markdown ?? '').toContain(`<https://v${i}.example/${canary(i, run)}>`);
          expect(own.view.messages.some((m) => m.from === 'coordinator' && m.body.includes(canary(i, run)))).toBe(true);
          expect(squash(own.text), `vendor ${i} reads the internal note`).not.toContain(noteCanary(run));
          expect(squash(own.text), `vendor ${i} reads the reporter's message`).not.toContain(reporterCanary(run));
          for (let j = 0; j < p.names.length; j++)
            expect(squash(own.text), `vendor ${i} reads a directory alias`).not.toContain(directoryCanary(j, run));
        });
        expect(squash(reporterText), 'the reporter reads the internal note').not.toContain(noteCanary(run));
        expect(squash(reporterText)).toContain(reporterCanary(run));
        const reporterKnows = [...reportTexts, ...p.names.slice(0, p.reported)];
        p.names.forEach((name, j) => {
          expect(squash(reporterText), `the reporter reads vendor ${j}'s canary`).not.toContain(canary(j, run));
          expect(squash(reporterText), 'the reporter reads a directory alias').not.toContain(directoryCanary(j, run));
          if (j >= p.reported) expect(squash(reporterText), `the reporter reads vendor ${j}'s contact`).not.toContain(mailCanary(j, run));
          if (j >= p.reported && !known(name, reporterKnows) && squash(name).length >= 4)
            expect(squash(reporterText), `the reporter reads "${name}"`).not.toContain(squash(name));
        });
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
