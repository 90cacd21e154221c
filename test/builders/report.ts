// Builds valid reports for tests: aReport().withPoc().cveIdOnly().build(). Every build goes through
// ReportSchema.parse, so a test can never hold a report the API would have rejected.
import { ReportSchema, type Report, type ReportInput } from '../../functions/domain/report.js';

type VendorInput = ReportInput['vendors'][number];

const DEFAULT_REPORT: ReportInput = {
  reporter: { name: 'Ada Reporter', email: 'ada@researcher.example' },
  product: { name: 'Widget Server', version: '2.4.1' },
  vendors: [{ name: 'Acme', contactEmail: 'security@acme.example' }],
  title: 'Heap overflow in the Widget Server request parser',
  description: 'A long Content-Length header makes the request parser write past its buffer.',
  requestedService: 'coordination',
};

export class ReportBuilder {
  constructor(private readonly draft: ReportInput = DEFAULT_REPORT) {}

  private with(changes: Partial<ReportInput>): ReportBuilder {
    return new ReportBuilder({ ...this.draft, ...changes });
  }

  private get evidence(): NonNullable<ReportInput['evidence']> {
    return this.draft.evidence ?? {};
  }

  withPoc(proofOfConcept = 'curl -H "Content-Length: 99999999999" http://target/'): ReportBuilder {
    return this.with({ evidence: { ...this.evidence, proofOfConcept } });
  }

  withPatch(
    patch = '--- a/parser.c\n+++ b/parser.c\n-  memcpy(buf, src, len);\n+  memcpy(buf, src, min(len, sizeof buf));',
  ): ReportBuilder {
    return this.with({ evidence: { ...this.evidence, patch } });
  }

  withoutEvidence(): ReportBuilder {
    return this.with({ evidence: { proofOfConcept: '', patch: '' } });
  }

  withDescription(description: string): ReportBuilder {
    return this.with({ description });
  }

  withExploitation(exploitation: string): ReportBuilder {
    return this.with({ exploitation });
  }

  withVersion(version: string): ReportBuilder {
    return this.with({ product: { ...this.draft.product, version } });
  }

  withoutVersion(): ReportBuilder {
    return this.withVersion('');
  }

  /** Replaces the vendor list with one vendor. */
  withVendor(name: string, details: Omit<VendorInput, 'name'> = { contactEmail: `security@${name.toLowerCase()}.example` }): ReportBuilder {
    return this.with({ vendors: [{ name, ...details }] });
  }

  /** Adds a vendor to the list. */
  andVendor(name: string, details: Omit<VendorInput, 'name'> = { contactEmail: `security@${name.toLowerCase()}.example` }): ReportBuilder {
    return this.with({ vendors: [...this.draft.vendors, { name, ...details }] });
  }

  /** Marks every named vendor as contacted by the reporter, with what was said. */
  vendorContacted(
    communication = 'Reported to security@ on 1 March; they acknowledged and are working on a fix.',
    firstContactAt = '2026-03-01T09:00:00Z',
  ): ReportBuilder {
    return this.with({ vendors: this.draft.vendors.map((v) => ({ ...v, contacted: true, communication, firstContactAt })) });
  }

  /** The reporter contacted the vendor and heard nothing back. */
  vendorSilent(): ReportBuilder {
    return this.vendorContacted('Sent the details to security@ on 1 March and again on 15 March; no reply.');
  }

  withoutVendorContactDetails(): ReportBuilder {
    return this.with({ vendors: this.draft.vendors.map(({ contactEmail: _dropped, ...v }) => v) });
  }

  multipleVendors(): ReportBuilder {
    return this.with({ multipleVendors: true });
  }

  alreadyPublic(): ReportBuilder {
    return this.with({ alreadyPublic: true });
  }

  withPublicReference(url = 'https://blog.example/widget-overflow'): ReportBuilder {
    return this.with({ publicReferences: [...(this.draft.publicReferences ?? []), url] });
  }

  withExploitReference(url = 'https://exploits.example/widget-overflow'): ReportBuilder {
    return this.with({ exploitReferences: [...(this.draft.exploitReferences ?? []), url] });
  }

  exploitedInTheWild(): ReportBuilder {
    return this.with({ exploitedInTheWild: true });
  }

  withCvss(cvss: NonNullable<ReportInput['cvss']>): ReportBuilder {
    return this.with({ cvss: { ...this.draft.cvss, ...cvss } });
  }

  coordination(): ReportBuilder {
    return this.with({ requestedService: 'coordination' });
  }

  cveIdOnly(): ReportBuilder {
    return this.with({ requestedService: 'cve-id-only' });
  }

  publicationOnly(): ReportBuilder {
    return this.with({ requestedService: 'publication-only' });
  }

  /** Escape hatch for fields without a named method. */
  withFields(changes: Partial<ReportInput>): ReportBuilder {
    return this.with(changes);
  }

  input(): ReportInput {
    return this.draft;
  }

  build(): Report {
    return ReportSchema.parse(this.draft);
  }
}

export const aReport = (): ReportBuilder => new ReportBuilder();
