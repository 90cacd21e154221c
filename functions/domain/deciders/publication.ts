// Vulnerabilities, CVE IDs, the draft and the publication decision.
import { DomainError } from '../errors.js';
import { publicationAtOrNow } from '../embargo.js';
import type { Decisions } from '../command.js';
import { ms, normalize } from '../time.js';
import { CVE_ID, conflict, invalid, knownVendor, notFound } from './guards.js';
import { decideNoteUpdate } from './note-update.js';

export const publicationDecisions: Decisions<
  'add-vulnerability' | 'update-vulnerability' | 'set-cve' | 'assign-cve' | 'revise-draft' | 'share-draft' | 'decide-publication'
> = {
  'add-vulnerability': (s, c, { base }) => {
    if (!c.vulnerability.title.trim()) throw invalid('a vulnerability needs a title');
    return [{ ...base, type: 'vulnerability-added', vulnerabilityId: `vul-${s.vulnerabilities.length + 1}`, ...c.vulnerability }];
  },

  'update-vulnerability': (s, c, { base }) => {
    if (!s.vulnerabilities.some((v) => v.vulnerabilityId === c.vulnerabilityId))
      throw notFound(`no vulnerability ${c.vulnerabilityId} on this case`);
    return [{ ...base, type: 'vulnerability-updated', vulnerabilityId: c.vulnerabilityId, ...c.changes }];
  },

  // Only a coordinator sets an ID: by hand, by accepting a vendor's proposal, or clearing it.
  'set-cve': (s, c, { base }) => {
    const vul = s.vulnerabilities.find((x) => x.vulnerabilityId === c.vulnerabilityId);
    if (!vul) throw notFound(`no vulnerability ${c.vulnerabilityId} on this case`);
    let cveId = c.cveId ?? null;
    let fromVendor: string | undefined;
    if (c.acceptProposalFrom !== undefined) {
      const v = knownVendor(s, c.acceptProposalFrom);
      const proposal = v.proposals.cveIds[vul.vulnerabilityId];
      if (!proposal) throw invalid(`vendor ${v.vendorId} proposed no CVE ID for ${vul.vulnerabilityId}`);
      if (cveId !== null && cveId !== proposal.cveId) throw invalid(`vendor ${v.vendorId} proposed ${proposal.cveId}, not ${cveId}`);
      cveId = proposal.cveId;
      fromVendor = v.vendorId;
    }
    if (cveId === null) {
      if (c.cveId === undefined) throw invalid('give a cveId, null to clear it, or acceptProposalFrom');
      return vul.cveId ? [{ ...base, type: 'cve-cleared', vulnerabilityId: vul.vulnerabilityId, previousCveId: vul.cveId }] : [];
    }
    if (!CVE_ID.test(cveId)) throw invalid(`"${cveId}" is not a CVE ID (CVE-YYYY-NNNN)`);
    const taken = s.vulnerabilities.find((x) => x.vulnerabilityId !== vul.vulnerabilityId && x.cveId === cveId);
    if (taken) throw invalid(`${cveId} is already the ID of ${taken.vulnerabilityId}`);
    if (vul.cveId === cveId && vul.cveVendorId === fromVendor) return [];
    return [
      {
        ...base,
        type: 'cve-assigned',
        vulnerabilityId: vul.vulnerabilityId,
        cveId,
        source: fromVendor ? 'vendor' : 'manual',
        ...(fromVendor ? { vendorId: fromVendor } : {}),
        ...(vul.cveId ? { previousCveId: vul.cveId } : {}),
      },
    ];
  },

  'assign-cve': (s, c, { base }) => {
    const vul = s.vulnerabilities.find((x) => x.vulnerabilityId === c.vulnerabilityId);
    if (!vul) throw notFound(`no vulnerability ${c.vulnerabilityId} on this case`);
    if (!CVE_ID.test(c.cveId)) throw invalid(`"${c.cveId}" is not a CVE ID`);
    if (vul.cveId === c.cveId) return [];
    if (vul.cveId) throw conflict(s, `${c.vulnerabilityId} already has ${vul.cveId}`, []);
    return [{ ...base, type: 'cve-assigned', vulnerabilityId: c.vulnerabilityId, cveId: c.cveId, source: c.source }];
  },

  // After publication too: the draft of the note's next revision (published by an approval).
  'revise-draft': (s, c, { base }) => {
    if (!c.markdown.trim()) throw invalid('the draft must not be empty');
    const revision = (s.draft.revisions.at(-1)?.revision ?? 0) + 1;
    return [{ ...base, type: 'draft-revised', revision, markdown: c.markdown, ...(c.reason ? { reason: c.reason } : {}) }];
  },

  'share-draft': (s, _c, { base, now }) => {
    const latest = s.draft.revisions.at(-1);
    if (!latest) throw conflict(s, 'there is no draft to share', []);
    if (s.draft.shared?.revision === latest.revision) return [];
    return [{ ...base, type: 'draft-shared', revision: latest.revision, publishAt: publicationAtOrNow(s, now) }];
  },

  'decide-publication': (s, c, x) => {
    if (s.phase === 'published') return decideNoteUpdate(s, c, x);
    if (c.changeSummary !== undefined || c.acceptUpdates !== undefined)
      throw invalid('changeSummary and acceptUpdates are for updating a published note; this case is not published yet');
    const { base } = x;
    const reason = c.reason?.trim();
    if (c.decision === 'do-not-publish' && !reason) throw invalid('deciding not to publish needs a reason');
    if (c.decision === 'revise') return [{ ...base, type: 'publication-decided', decision: 'revise', ...(reason ? { reason } : {}) }];
    if (c.decision === 'do-not-publish')
      return [{ ...base, type: 'publication-decided', decision: 'do-not-publish', reason: reason ?? '' }];
    const latest = s.draft.revisions.at(-1);
    if (!latest || s.draft.shared?.revision !== latest.revision)
      throw conflict(s, `the latest draft revision (${latest?.revision ?? 'none'}) has not been shared with the participants yet`, [
        'revise-draft',
        'decide-publication',
      ]);
    const publishAt = c.publishAt ? normalize(c.publishAt) : s.draft.shared.publishAt;
    if ((s.embargo.state === 'ACTIVE' || s.embargo.state === 'REVISE') && s.embargo.endsAt && ms(publishAt) < ms(s.embargo.endsAt))
      throw new DomainError(
        'EmbargoActive',
        `the embargo is active until ${s.embargo.endsAt}; publication cannot be earlier (change the embargo first)`,
        { phase: s.phase, rm: s.rm, em: s.embargo.state },
        ['set-embargo', 'raise-signal'],
      );
    return [{ ...base, type: 'publication-decided', decision: 'approve', publishAt, ...(reason ? { reason } : {}) }];
  },
};
