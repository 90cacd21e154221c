// Errors adapters throw for the workflow to handle by name: TransientError is retried with
// backoff by every Lambda task; MailRejected stops the case until a coordinator acts.

export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export class MailRejected extends Error {
  override readonly name = 'MailRejected';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

const TRANSIENT_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
]);

/** SDK errors worth retrying: throttling, 5xx, network. */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const meta = (e as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string }).$metadata;
  const code = (e as { code?: string }).code;
  return (
    TRANSIENT_NAMES.has(e.name) ||
    (code !== undefined && TRANSIENT_NAMES.has(code)) ||
    (meta?.httpStatusCode ?? 0) >= 500 ||
    (e as { $retryable?: unknown }).$retryable !== undefined
  );
}
