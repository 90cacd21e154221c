// Scores whatever vectors a report carries, for the pre-screen: a bad vector becomes an error on
// its field for the reporter or coordinator to fix, never an exception that would stop the workflow.
import { type CvssV2Score, scoreV2 } from './cvss-v2.js';
import { type CvssV3Score, type CvssV4Score, scoreV3, scoreV4 } from './cvss-v3-v4.js';
import { isCvssError } from './cvss-error.js';

/** A report's `cvss` field; null is tolerated because stored JSON may carry it. */
export interface CvssVectors {
  v2?: string | null;
  v3?: string | null;
  v4?: string | null;
}

export type CvssField = 'cvss.v2' | 'cvss.v3' | 'cvss.v4';

export interface CvssFieldError {
  field: CvssField;
  message: string;
}

export interface ScoreAllResult {
  scores: { v2?: CvssV2Score; v3?: CvssV3Score; v4?: CvssV4Score };
  errors: CvssFieldError[];
}

/** Scores each non-blank vector; never throws. */
export function scoreAll(vectors: CvssVectors | null | undefined): ScoreAllResult {
  const result: ScoreAllResult = { scores: {}, errors: [] };
  const attempt = <S>(field: CvssField, value: unknown, score: (vector: string) => S, keep: (s: S) => void): void => {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') {
      result.errors.push({ field, message: `${field} must be a CVSS vector string` });
      return;
    }
    if (value.trim() === '') return;
    try {
      keep(score(value));
    } catch (e) {
      // Anything other than CvssError is our bug; the reporter still gets a readable line, not a crash.
      const message = isCvssError(e) ? e.message : `${field} could not be scored: ${e instanceof Error ? e.message : String(e)}`;
      result.errors.push({ field, message });
    }
  };
  attempt('cvss.v2', vectors?.v2, scoreV2, (s) => (result.scores.v2 = s));
  attempt('cvss.v3', vectors?.v3, scoreV3, (s) => (result.scores.v3 = s));
  attempt('cvss.v4', vectors?.v4, scoreV4, (s) => (result.scores.v4 = s));
  return result;
}
