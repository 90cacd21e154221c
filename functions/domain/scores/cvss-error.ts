// The one error every scoring function throws for a vector it will not score, so callers (the
// pre-screen, the coordinator API) can catch it by name and show the message to a person.

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0' | 'unknown';

/** Long vectors are cut in messages so an error stays one readable line; `vector` keeps the whole. */
const MAX_QUOTED = 120;

const label = (version: CvssVersion): string => (version === 'unknown' ? 'CVSS' : `CVSS v${version === '2.0' ? '2' : version}`);

export class CvssError extends Error {
  override readonly name = 'InvalidCvssVector';
  constructor(
    /** The version the vector was read as; 'unknown' when its prefix named no version we score. */
    readonly version: CvssVersion,
    /** The vector exactly as given. */
    readonly vector: string,
    /** What is wrong, e.g. `AC must be one of H, M, L (got "Q")`. */
    readonly problem: string,
  ) {
    const quoted = vector.length > MAX_QUOTED ? `${vector.slice(0, MAX_QUOTED)}…` : vector;
    super(`${label(version)} vector "${quoted}": ${problem}`);
  }
}

export const isCvssError = (e: unknown): e is CvssError => e instanceof CvssError;

/** `"A", "B" or "C"`-style list for messages; metric values are short codes, so plain commas suffice. */
export const oneOf = (values: readonly string[]): string => values.join(', ');
