// Publication settings from the environment, apart from the renderers so that every handler can
// read them without bundling the CSAF, CVE and OSV builders.
import { DEFAULT_OSV_PREFIX } from '../domain/publication/osv-prefix.js';

export interface PublicationConfig {
  publicBaseUrl: string;
  coordinatorName: string;
  cveOrgId: string;
  cveShortName?: string;
  osvPrefix: string;
  cveMode: 'pool' | 'cve-services' | 'manual';
  /** Refuse to publish while a vulnerability lacks a CVE ID; default: when cveMode is not manual. */
  requireCveIds: boolean;
}

/** PUBLIC_BASE_URL, COORDINATOR_NAME, CVE_ORG_ID, CVE_SHORT_NAME, OSV_PREFIX, CVE_MODE, REQUIRE_CVE_IDS. */
export function publicationConfigFromEnv(env: Readonly<Record<string, string | undefined>>): PublicationConfig {
  const cveMode = env.CVE_MODE === 'pool' || env.CVE_MODE === 'cve-services' ? env.CVE_MODE : 'manual';
  return {
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, ''),
    coordinatorName: env.COORDINATOR_NAME?.trim() || 'CVD Coordinator',
    // The CVE schema needs the CNA's org UUID; when unset, assertPublishable refuses any CVE record (not a note without one).
    cveOrgId: env.CVE_ORG_ID?.trim() ?? '',
    ...(env.CVE_SHORT_NAME?.trim() ? { cveShortName: env.CVE_SHORT_NAME.trim() } : {}),
    osvPrefix: env.OSV_PREFIX?.trim() || DEFAULT_OSV_PREFIX,
    cveMode,
    requireCveIds: env.REQUIRE_CVE_IDS !== undefined ? env.REQUIRE_CVE_IDS === 'true' : cveMode !== 'manual',
  };
}

