import { PROBLEM_CONTENT_TYPE, type ErrorCode, type Problem } from '@portico/core';

/** Default titles, one per code: short, stable, human. `detail` says what happened this time. */
const TITLES: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  idempotency_conflict: 'Idempotency key reused',
  precondition_failed: 'Precondition failed',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal: 'Internal server error',
  network_error: 'Network error',
  timeout: 'Timeout',
  unavailable: 'Service unavailable',
  search_timeout: 'Search took too long',
  last_admin: 'The account needs an active admin',
  self_lockout: 'You cannot lock yourself out',
  contact_exists: 'Contact already exists',
  external_email_unconfirmed: "Email outside the account's domains",
  invitation_not_pending: 'No pending invitation',
  account_suspended: 'Account suspended',
  contact_active_elsewhere: 'Contact active in another account',
  built_in_role: 'Built-in role',
};

/** Where a problem type is explained; `type` is an identifier, not necessarily fetchable. */
export const PROBLEM_TYPE_BASE = 'https://portico.dev/problems/';

/** An error that becomes a problem+json response. Thrown by handlers and caught by `createApp`. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, code: ErrorCode, detail?: string, extra: { fieldErrors?: Record<string, string[]>; headers?: Record<string, string> } = {}) {
    super(detail ?? TITLES[code]);
    this.status = status;
    this.code = code;
    this.fieldErrors = extra.fieldErrors;
    this.headers = extra.headers;
  }

  /** The RFC 9457 body. */
  toProblem(): Problem {
    return problemBody(this.status, this.code, this.message, this.fieldErrors);
  }
}

/** Builds a problem body. */
export function problemBody(status: number, code: ErrorCode, detail?: string, fieldErrors?: Record<string, string[]>): Problem {
  return {
    type: PROBLEM_TYPE_BASE + code,
    title: TITLES[code],
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(fieldErrors ? { fieldErrors } : {}),
  };
}

/** A problem+json `Response`. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE },
  });
}

export const notFound = (detail = 'No such resource, or you may not see it.') => new ProblemError(404, 'not_found', detail);
export const validationFailed = (fieldErrors: Record<string, string[]>, detail = 'Some fields are invalid.') =>
  new ProblemError(422, 'validation_failed', detail, { fieldErrors });
