// Named domain errors. Handlers throw them (never return them); the API maps them to HTTP and
// the workflow catches them by name.

export type DomainErrorCode =
  | 'InvalidCommand' // the command itself is malformed (400)
  | 'NotFound' // the case, vendor or vulnerability does not exist (404)
  | 'InvalidTransition' // the case's state forbids this (409)
  | 'EmbargoActive' // publication or closing blocked by an active embargo (409)
  | 'NotAllowed'; // the actor may not do this (403)

export interface StateSummary {
  phase: string;
  rm: string;
  em: string;
}

export class DomainError extends Error {
  override readonly name: DomainErrorCode;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The case state that forbade the command, when a state did. */
    readonly state?: StateSummary,
    /** What the case allows in that state, in command names. */
    readonly allowed: readonly string[] = [],
  ) {
    super(message);
    this.name = code;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/**
 * A slice of a large case (its core and some parts) was asked what only the whole case can say:
 * facts computed under another basis, or mail sent without the record of it. Never answered wrong:
 * the workflow retries the step by this name (lib/workflow-states.ts TransientError), and the
 * retry reads the whole case; a change decided on a slice is decided again on the whole case.
 */
export class SliceTooNarrow extends Error {
  override readonly name = 'SliceTooNarrowError';
}

/** Either SliceTooNarrow: the domain's, or the case store's refusal of an append on a slice (same name). */
export const isSliceTooNarrow = (e: unknown): boolean => e instanceof Error && e.name === 'SliceTooNarrowError';
