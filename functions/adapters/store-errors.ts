// The case store's errors: thrown, never returned, by both implementations and appendWithRetry.

/** Leaves room under DynamoDB's 400 KB item limit for keys and the other attributes. */
export const MAX_PAYLOAD_BYTES = 350_000;

export class ConcurrencyError extends Error {
  override readonly name: string = 'ConcurrencyError';
  constructor(
    readonly caseId: string,
    readonly expectedVersion: number,
    message = `case ${caseId} is no longer at version ${expectedVersion}`,
  ) {
    super(message);
  }
}

/** A create (expectedVersion 0) found the case already there. A ConcurrencyError, so retry loops reread. */
export class CaseExistsError extends ConcurrencyError {
  override readonly name: string = 'CaseExistsError';
  constructor(caseId: string) {
    super(caseId, 0, `case ${caseId} already exists`);
  }
}

export class CaseNotFoundError extends Error {
  override readonly name: string = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`case ${caseId} does not exist`);
  }
}

export class ItemTooLargeError extends Error {
  override readonly name: string = 'ItemTooLargeError';
  constructor(
    readonly caseId: string,
    readonly what: 'events' | 'snapshot',
    readonly bytes: number,
  ) {
    super(
      `the ${what} of case ${caseId} would take ${bytes} bytes; at most ${MAX_PAYLOAD_BYTES} fit ` +
        `in one DynamoDB item (400 KB with keys and attributes)`,
    );
  }
}

/** Events decided on a slice reached past it (EventLog.appendToSlice): nothing written; decide on the whole case. */
export class SliceTooNarrowError extends Error {
  override readonly name: string = 'SliceTooNarrowError';
  constructor(readonly caseId: string) {
    super(`case ${caseId}: the events reach past the slice they were decided on`);
  }
}

/** The stored log has a gap or an overlap: a bug or a manual edit, never a race. */
export class CorruptLogError extends Error {
  override readonly name: string = 'CorruptLogError';
}

export class InvalidCursorError extends Error {
  override readonly name: string = 'InvalidCursorError';
  constructor() {
    super('the cursor is not one this queue returned');
  }
}

export class GrantExistsError extends Error {
  override readonly name: string = 'GrantExistsError';
  constructor() {
    super('a grant with this token hash already exists');
  }
}

export class GrantNotFoundError extends Error {
  override readonly name: string = 'GrantNotFoundError';
  constructor() {
    super('no grant with this token hash');
  }
}

export class IdempotencyKeyNotFoundError extends Error {
  override readonly name: string = 'IdempotencyKeyNotFoundError';
  constructor() {
    super('no idempotency record with this key hash');
  }
}
