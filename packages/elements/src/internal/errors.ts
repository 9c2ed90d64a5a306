import { PorticoError, isPorticoError } from '@portico/core/errors.js';

/** Whether a rejection is a cancelled request rather than a failure to show. */
export function isAbortError(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && error.name === 'AbortError';
}

/** Anything a client threw, as a `PorticoError`. */
export function toPorticoError(error: unknown): PorticoError {
  if (isPorticoError(error)) return error;
  return new PorticoError({
    status: 0,
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}
