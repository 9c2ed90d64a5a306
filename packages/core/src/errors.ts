import type { Problem } from './problem.ts';

/** Stable machine-readable error codes of problem+json responses. */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'idempotency_conflict',
  'precondition_failed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'network_error',
  'timeout',
  // The server's database cannot be reached right now (retry after Retry-After seconds).
  'unavailable',
  // A text search ran past the server's time budget and was cancelled (503 with Retry-After):
  // narrow it (more words, filters) or retry later.
  'search_timeout',
  // The contact manager's refusals (docs/contacts.md): an account keeps an admin, an admin
  // cannot lock themselves out, an email is one contact, invitations follow their state.
  'last_admin',
  'self_lockout',
  'contact_exists',
  'external_email_unconfirmed',
  'invitation_not_pending',
  // Provisioning (service API)
  'account_suspended',
  'contact_active_elsewhere',
  'built_in_role',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one error type the client throws. */
export class PorticoError extends Error {
  override readonly name = 'PorticoError';
  /** HTTP status, or 0 when the request never got an answer. */
  readonly status: number;
  readonly code: ErrorCode | (string & {});
  /** Per-field messages of a 422, keyed by field name. */
  readonly fieldErrors: Record<string, string[]> | undefined;
  /** Whether sending the same request again may succeed. */
  readonly retryable: boolean;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    fieldErrors?: Record<string, string[]> | undefined;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors;
    this.retryable = init.retryable ?? (init.status === 0 || init.status === 408 || init.status === 429 || init.status >= 500);
  }

  /** Builds the error from a problem+json body (or anything else the server answered). */
  static fromProblem(status: number, body: unknown): PorticoError {
    if (isProblem(body)) {
      const p = body;
      return new PorticoError({ status, code: p.code, message: p.detail ?? p.title, fieldErrors: p.fieldErrors });
    }
    return new PorticoError({ status, code: status >= 500 ? 'internal' : 'bad_request', message: `Request failed with status ${status}` });
  }
}

export function isPorticoError(value: unknown): value is PorticoError {
  return value instanceof Error && value.name === 'PorticoError';
}

/**
 * Whether a body has the shape of `ProblemSchema`. Hand-written rather than
 * `ProblemSchema.safeParse` so the browser's HTTP client does not pull zod in.
 */
export function isProblem(body: unknown): body is Problem {
  if (!isRecord(body)) return false;
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || typeof body.code !== 'string') return false;
  if (typeof body.status !== 'number') return false;
  if (body.detail !== undefined && typeof body.detail !== 'string') return false;
  return body.fieldErrors === undefined || isFieldErrors(body.fieldErrors);
}

/** A plain object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ field: ['message', …], … }`: every field's value a list of messages. */
function isFieldErrors(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return Object.values(value).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'));
}
