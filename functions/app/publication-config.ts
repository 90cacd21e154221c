// Publication settings, apart from the renderers so that every handler can carry them without
// bundling the CSAF, CVE and OSV builders. Handlers fill them from the environment
// (functions/environment.ts, CoreEnv) in functions/handlers/runtime.ts.
import type { CveMode } from '../environment.js';

export interface PublicationConfig {
  publicBaseUrl: string;
  coordinatorName: string;
  cveOrgId: string;
  /** The CNA's short name (CNA_SHORT_NAME). */
  cveShortName?: string;
  osvPrefix: string;
  cveMode: CveMode;
  /** Refuse to publish while a vulnerability lacks a CVE ID; default: when cveMode is not manual. */
  requireCveIds: boolean;
}
