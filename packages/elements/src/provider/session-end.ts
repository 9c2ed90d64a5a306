import { tokenClaims } from '@portico/core/http-client.js';

/**
 * When the signed-in user's session can no longer be renewed, in epoch ms: the token's
 * `session_exp` claim (the vendor's own session end), or — for a fixed token that nobody
 * refreshes — its `exp`. Undefined when tokens are renewed without an end (a `getToken` and
 * no `session_exp`). Unverified on purpose: it only decides when to warn the user.
 */
export function sessionEndOf(token: string | undefined, renewable: boolean): number | undefined {
  const { session_exp: sessionExp, exp } = tokenClaims(token);
  if (typeof sessionExp === 'number') return sessionExp * 1000;
  if (!renewable && typeof exp === 'number') return exp * 1000;
  return undefined;
}
