// Vendors: who is on the case and how to reach them (a coordinator's word), their links, and what
// they say (status, statement; CNA status and CVE IDs only as proposals).
import { isTerminal, linkOf } from '../case.js';
import { confirmedContactOf, vendorUnreachable } from '../reachability.js';
import type { CaseEvent } from '../events.js';
import { referencesProblem } from '../vendor-references.js';
import type { Decisions } from '../command.js';
import { CVE_ID, conflict, invalid, knownVendor, linkHolders, notFound, uniqueContacts, vendorOf } from './guards.js';

/** Where vendors can be added or edited: from triage until publication. */

export const vendorDecisions: Decisions<
  | 'add-vendors'
  | 'update-vendor'
  | 'manage-links'
  | 'acknowledge'
  | 'update-vendor-status'
  | 'record-vendor-contact'
  | 'mark-unresponsive'
  | 'escalate-vendor-contact'
  | 'record-bounce'
> = {
  'add-vendors': (s, c, { base }) => {
    if (c.vendors.length === 0) throw invalid('name at least one vendor');
    const known = new Set(s.vendors.map((v) => v.name.toLowerCase()));
    const refs = new Set(s.vendors.flatMap((v) => (v.vendorRef ? [v.vendorRef] : [])));
    let n = s.vendors.length;
    return c.vendors.map((v) => {
      const name = v.name.trim();
      if (!name) throw invalid('a vendor needs a name');
      // One organisation once per case, whatever it is called there.
      if (v.vendorRef && refs.has(v.vendorRef)) throw conflict(s, `directory vendor ${v.vendorRef} is already on the case`, []);
      if (known.has(name.toLowerCase())) throw invalid(`vendor "${name}" is already on the case`);
      known.add(name.toLowerCase());
      if (v.vendorRef) refs.add(v.vendorRef);
      return {
        ...base,
        type: 'vendor-added' as const,
        vendorId: `vendor-${++n}`,
        name,
        // Typed in by a coordinator: confirmed.
        contacts: uniqueContacts(v.contacts),
        isCna: !!v.isCna,
        ...(v.cnaShortName ? { cnaShortName: v.cnaShortName } : {}),
        downstream: !!v.downstream,
        ...(v.vendorRef ? { vendorRef: v.vendorRef } : {}),
      };
    });
  },

  'update-vendor': (s, c, { base }) => {
    const v = knownVendor(s, c.vendorId);
    const name = c.name?.trim();
    if (c.name !== undefined && !name) throw invalid('a vendor needs a name');
    if (c.vendorRef !== undefined && c.vendorRef !== v.vendorRef) {
      if (v.vendorRef) throw conflict(s, `vendor ${v.vendorId} is already directory vendor ${v.vendorRef}`, []);
      if (s.vendors.some((x) => x.vendorRef === c.vendorRef))
        throw conflict(s, `directory vendor ${c.vendorRef} is already on the case`, []);
    }
    if (name && s.vendors.some((x) => x.vendorId !== v.vendorId && x.name.toLowerCase() === name.toLowerCase()))
      throw invalid(`vendor "${name}" is already on the case`);
    // The directory's contacts join those the vendor has (or is given): none loses its link.
    const contacts =
      c.addContacts === undefined
        ? c.contacts
        : [
            ...(c.contacts ??
              v.contacts.map(({ email, name, pgpKey }) => ({ email, ...(name ? { name } : {}), ...(pgpKey ? { pgpKey } : {}) }))),
            ...c.addContacts,
          ];
    const changes = {
      ...(name !== undefined && name !== v.name ? { name } : {}),
      ...(c.vendorRef !== undefined && c.vendorRef !== v.vendorRef ? { vendorRef: c.vendorRef } : {}),
      ...(contacts !== undefined ? { contacts: uniqueContacts(contacts) } : {}),
      ...(c.isCna !== undefined ? { isCna: c.isCna } : {}),
      ...(c.cnaShortName !== undefined ? { cnaShortName: c.cnaShortName } : {}),
      ...(c.downstream !== undefined ? { downstream: c.downstream } : {}),
    };
    if (Object.keys(changes).length === 0) throw invalid('name at least one field to change');
    return [{ ...base, type: 'vendor-updated', vendorId: v.vendorId, ...changes }];
  },

  // Any phase: a link can always be revoked; a new one only while the case can still be worked on.
  'manage-links': (s, c, { base }) => {
    if (s.version === 0) throw notFound('no such case');
    if (c.action === 'reissue' && (s.phase === 'closed' || s.phase === 'declined')) throw conflict(s, 'reissuing a link on a closed case');
    return linkHolders(s, c.vendorId, c.email).flatMap((holder): CaseEvent[] => {
      const link = linkOf(s, holder);
      if (!link) return [];
      if (c.action === 'revoke') return link.revokedAt ? [] : [{ ...base, type: 'link-revoked', holder }];
      return [{ ...base, type: 'link-reissued', holder, generation: link.generation + 1 }];
    });
  },

  acknowledge: (s, _c, { base, actor }) => {
    const v = vendorOf(s, actor);
    if (s.phase === 'closed' || s.phase === 'declined') throw conflict(s, 'acknowledging a closed case', []);
    if (v.acknowledgedAt) return [];
    return [{ ...base, type: 'vendor-acknowledged', vendorId: v.vendorId }];
  },

  'update-vendor-status': (s, c, { base, actor }) => {
    const v = vendorOf(s, actor);
    if (s.phase === 'closed' || s.phase === 'declined') throw conflict(s, 'updating status on a closed case', []);
    const refsProblem = c.references ? referencesProblem(c.references) : null;
    if (refsProblem) throw invalid(refsProblem);
    for (const st of c.statuses)
      if (!s.vulnerabilities.some((x) => x.vulnerabilityId === st.vulnerabilityId))
        throw notFound(`no vulnerability ${st.vulnerabilityId} on this case`);
    const events: CaseEvent[] = [
      {
        ...base,
        type: 'vendor-status-updated',
        vendorId: v.vendorId,
        statuses: c.statuses,
        ...(c.fixReady !== undefined ? { fixReady: c.fixReady } : {}),
        ...(c.fixDeployed !== undefined ? { fixDeployed: c.fixDeployed } : {}),
        ...(c.statement !== undefined ? { statement: c.statement } : {}),
        ...(c.isCna !== undefined ? { isCna: c.isCna } : {}),
        // Always the actor's own vendor: no command names another.
        ...(c.references !== undefined ? { references: c.references } : {}),
      },
    ];
    const statuses = { ...v.statuses, ...Object.fromEntries(c.statuses.map((x) => [x.vulnerabilityId, x.status])) };
    for (const a of c.cveIds ?? []) {
      // A vendor proposes; only a coordinator assigns (set-cve). A proposal must at least be an ID
      // for a vulnerability this vendor says it is affected by.
      if (!CVE_ID.test(a.cveId)) throw invalid(`"${a.cveId}" is not a CVE ID (CVE-YYYY-NNNN)`);
      const vul = s.vulnerabilities.find((x) => x.vulnerabilityId === a.vulnerabilityId);
      if (!vul) throw notFound(`no vulnerability ${a.vulnerabilityId} on this case`);
      if (statuses[a.vulnerabilityId] !== 'affected')
        throw invalid(`a CVE ID can be proposed only for a vulnerability you are affected by; ${a.vulnerabilityId} is not marked affected`);
      if (v.proposals.cveIds[a.vulnerabilityId]?.cveId !== a.cveId && vul.cveId !== a.cveId)
        events.push({ ...base, type: 'vendor-cve-proposed', vendorId: v.vendorId, vulnerabilityId: a.vulnerabilityId, cveId: a.cveId });
    }
    return events;
  },

  'record-vendor-contact': (s, c, { base }) => {
    const v = knownVendor(s, c.vendorId);
    if (v.firstContactAt) return []; // the first contact happens once; later attempts are reminders
    // The embargo clock starts at a real attempt: to an address a coordinator confirmed that does not bounce.
    if (vendorUnreachable(v)) throw conflict(s, `vendor ${v.vendorId} has no confirmed contact to reach`, []);
    return [{ ...base, type: 'vendor-contacted', vendorId: v.vendorId, attempt: 1, purpose: c.purpose }];
  },

  'mark-unresponsive': (s, c, { base }) => {
    const v = knownVendor(s, c.vendorId);
    // A vendor nobody can reach is not silent: it waits for a coordinator (vendor-contact), never for this.
    if (v.acknowledgedAt || v.unresponsiveAt || vendorUnreachable(v)) return [];
    return [{ ...base, type: 'vendor-unresponsive', vendorId: v.vendorId }];
  },

  'escalate-vendor-contact': (s, c, { base }) => {
    const v = knownVendor(s, c.vendorId);
    if (!vendorUnreachable(v) || isTerminal(s)) return [];
    return [{ ...base, type: 'escalated', kind: 'vendor-contact', vendorId: v.vendorId, count: v.contactEscalations + 1 }];
  },

  // SES's bounce and complaint notifications (functions/app/mail-feedback.ts). Only an address that
  // is a confirmed contact on this case is marked: another address changes nothing, so a notification
  // naming a case cannot touch a vendor that never had that address. A finished case is left alone.
  'record-bounce': (s, c, { base }) => {
    if (s.version === 0 || isTerminal(s)) return [];
    const reporter = s.report?.reporter.email;
    const reporterBounced =
      reporter && !s.reporterBounced && reporter.trim().toLowerCase() === c.email.trim().toLowerCase()
        ? [{ ...base, type: 'reporter-bounced' as const, kind: c.kind }]
        : [];
    return [
      ...reporterBounced,
      ...s.vendors.flatMap((v) => {
        const contact = confirmedContactOf(v, c.email);
        if (!contact || contact.bounced) return [];
        return [{ ...base, type: 'contact-bounced' as const, vendorId: v.vendorId, email: contact.email, kind: c.kind }];
      }),
    ];
  },
};
