// CVSS metric objects in the FIRST JSON form that CSAF (cvss_v2, cvss_v3) and CVE JSON 5
// (cvssV2_0, cvssV3_x, cvssV4_0) embed. The vector is the truth: scores are recomputed here with
// our scorers (v2 to the FIRST guide with round-intermediate environmental, which the BSI CSAF
// validator's test 6.1.9 expects; v3/v4 by our own arithmetic to FIRST's calculators). Only the required fields and
// the scores are emitted: the per-metric properties would only repeat the vector.
import { scoreV2 } from '../scores/cvss-v2.js';
import { scoreV3, scoreV4, severityOf } from '../scores/cvss-v3-v4.js';

const upper = (s: string) => s.toUpperCase();

export interface CvssV2Json {
  version: '2.0';
  vectorString: string;
  baseScore: number;
  temporalScore?: number;
  environmentalScore?: number;
}

export interface CvssV3Json {
  version: '3.0' | '3.1';
  vectorString: string;
  baseScore: number;
  baseSeverity: string;
  temporalScore?: number;
  temporalSeverity?: string;
  environmentalScore?: number;
  environmentalSeverity?: string;
}

export interface CvssV4Json {
  version: '4.0';
  vectorString: string;
  baseScore: number;
  baseSeverity: string;
}

export function cvssV2Json(vector: string): CvssV2Json {
  const s = scoreV2(vector);
  return {
    version: '2.0',
    vectorString: s.vector,
    baseScore: s.base,
    ...(s.temporal !== undefined ? { temporalScore: s.temporal } : {}),
    ...(s.environmental !== undefined ? { environmentalScore: s.environmental } : {}),
  };
}

export function cvssV3Json(vector: string): CvssV3Json {
  const s = scoreV3(vector);
  return {
    version: s.version,
    vectorString: s.vector,
    baseScore: s.base,
    baseSeverity: upper(s.severity),
    ...(s.temporal !== undefined ? { temporalScore: s.temporal, temporalSeverity: upper(severityOf(s.temporal)) } : {}),
    ...(s.environmental !== undefined
      ? { environmentalScore: s.environmental, environmentalSeverity: upper(severityOf(s.environmental)) }
      : {}),
  };
}

/** CVSS v4.0 has one score per vector (CVSS-B, -BT, -BE or -BTE); the CVE schema carries it as baseScore. */
export function cvssV4Json(vector: string): CvssV4Json {
  const s = scoreV4(vector);
  return { version: '4.0', vectorString: s.vector, baseScore: s.score, baseSeverity: upper(s.severity) };
}

export interface VulnerabilityMetrics {
  v2?: CvssV2Json;
  v3?: CvssV3Json;
  v4?: CvssV4Json;
  /** Vectors that could not be scored: publication is blocked on them (assertPublishable). */
  errors: string[];
}

/** Scores every vector a vulnerability carries; a bad vector is reported, not thrown. */
export function metricsOf(cvss: { v2?: string | undefined; v3?: string | undefined; v4?: string | undefined }): VulnerabilityMetrics {
  const out: VulnerabilityMetrics = { errors: [] };
  const attempt = <T>(label: string, vector: string | undefined, f: (v: string) => T, keep: (t: T) => void) => {
    if (!vector?.trim()) return;
    try {
      keep(f(vector));
    } catch (e) {
      out.errors.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  attempt('CVSS v2', cvss.v2, cvssV2Json, (x) => (out.v2 = x));
  attempt('CVSS v3', cvss.v3, cvssV3Json, (x) => (out.v3 = x));
  attempt('CVSS v4', cvss.v4, cvssV4Json, (x) => (out.v4 = x));
  return out;
}
