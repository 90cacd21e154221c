// Whether a string is a vector of the given CVSS version, by the same strict parsers that score it.
import { scoreV2 } from './cvss-v2.js';
import { scoreV3, scoreV4 } from './cvss-v3-v4.js';

const SCORERS = { v2: scoreV2, v3: scoreV3, v4: scoreV4 } as const;

export function isValidVector(version: 'v2' | 'v3' | 'v4', vector: string): boolean {
  try {
    SCORERS[version](vector);
    return true;
  } catch {
    return false;
  }
}
