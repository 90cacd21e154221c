// Scoring: CVSS v2 implemented to the FIRST v2 guide, v3.x and v4.0 by our own arithmetic to FIRST's
// calculators (cvss31-math.ts, cvss40-math.ts), every vector validated strictly first. Pure functions; no I/O.
export { CvssError, isCvssError, type CvssVersion } from './cvss-error.js';
export {
  type CvssV2BaseMetrics,
  type CvssV2EnvironmentalMetrics,
  type CvssV2Metrics,
  type CvssV2Score,
  type CvssV2Severity,
  type CvssV2TemporalMetrics,
  type V2MetricName,
  type V2MetricValue,
  V2_BASE_METRICS,
  V2_ENVIRONMENTAL_METRICS,
  V2_TEMPORAL_METRICS,
  formatV2Vector,
  parseV2Metrics,
  roundTo1Decimal,
  scoreV2,
  scoreV2Metrics,
  v2Severity,
} from './cvss-v2.js';
export {
  type CvssSeverity,
  type CvssV3Score,
  type CvssV4Nomenclature,
  type CvssV4Score,
  scoreV3,
  scoreV4,
  severityOf,
} from './cvss-v3-v4.js';
export { type CvssField, type CvssFieldError, type CvssVectors, type ScoreAllResult, scoreAll } from './score-all.js';
