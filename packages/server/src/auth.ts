/**
 * Token verification (jose) and, for demos and tests, minting. Browser-safe: jose runs
 * on WebCrypto, so the mocks verify tokens exactly like the Node server does.
 */
import { NO_ACCESS_RULES, ROLES, ROLE_RULES, isBuiltInRole, type Role, type RoleRules } from '@portico/core';
import { ProblemError } from './problem.ts';
import type { Store } from './store.ts';
import { SignJWT, createRemoteJWKSet, importSPKI, jwtVerify, type CryptoKey, type JWTVerifyGetKey } from 'jose';

/** The audience every Portico token must carry. */
export const TOKEN_AUDIENCE = 'portico';
/** Longest accepted token lifetime, in seconds (DESIGN.md: ≤ 1 h). */
export const MAX_TOKEN_LIFETIME_S = 3600;
/** Shortest HS256 secret accepted (bytes): HS256 keys shorter than the hash are brute-forceable. */
export const MIN_SECRET_BYTES = 32;

/** Shortest time between two JWKS fetches caused by tokens whose `kid` is not in the cached set, ms. */
export const JWKS_REFETCH_COOLDOWN_MS = 10_000;
/** Longest time a fetched JWKS is used before it is fetched again, ms. */
export const JWKS_MAX_AGE_MS = 5 * 60_000;

/** Asymmetric algorithms accepted with a public key or JWKS. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'] as const;

interface CommonAuthOptions {
  /** Leeway for `exp`, `nbf` and `iat`, in seconds (default 30). */
  clockTolerance?: number;
}

/**
 * How tokens are verified: exactly one family.
 * - `secret`: HS256 with a shared secret (≥ 32 bytes);
 * - `publicKey`: RS256 / ES256 with a PEM (SPKI) public key;
 * - `jwksUrl`: RS256 / ES256 with keys from a JWKS endpoint.
 */
export type AuthConfig = CommonAuthOptions &
  (
    | { secret: string | Uint8Array; publicKey?: undefined; jwksUrl?: undefined }
    | { publicKey: string; secret?: undefined; jwksUrl?: undefined }
    | { jwksUrl: string | URL; secret?: undefined; publicKey?: undefined }
  );

/** The verified claims Portico uses. */
export interface TokenClaims {
  sub: string;
  email: string;
  name: string;
  /** The vendor's account id = the Portico account id. */
  account: string;
  /** A valid role claim, else undefined. */
  role: Role | undefined;
}

/** Why a token was refused; becomes a 401 problem. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
}

/** Verifies a compact JWT at a given time; rejects with `AuthError`. */
export type TokenVerifier = (token: string, now: Date) => Promise<TokenClaims>;

const encoder = new TextEncoder();

/** Builds the verifier of a config; throws when the config is not exactly one valid family. */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const families = [config.secret, config.publicKey, config.jwksUrl].filter((v) => v !== undefined && v !== '');
  if (families.length !== 1) {
    throw new Error('Portico auth: configure exactly one of secret (HS256), publicKey (RS256/ES256 PEM) or jwksUrl.');
  }
  const clockTolerance = config.clockTolerance ?? 30;
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.secret !== undefined) {
    key = typeof config.secret === 'string' ? encoder.encode(config.secret) : config.secret;
    if (key.byteLength < MIN_SECRET_BYTES) throw new Error(`Portico auth: the HS256 secret must be at least ${MIN_SECRET_BYTES} bytes.`);
    algorithms = ['HS256'];
  } else if (config.publicKey !== undefined) {
    const pem = config.publicKey;
    const imported = new Map<string, Promise<CryptoKey>>();
    // The key's type decides which of RS256/ES256 can verify; a mismatch fails the import, hence 401.
    key = (header) => {
      const alg = header.alg ?? '';
      let promise = imported.get(alg);
      if (!promise) imported.set(alg, (promise = importSPKI(pem, alg)));
      return promise;
    };
    algorithms = [...ASYMMETRIC_ALGORITHMS];
  } else {
    // An unknown `kid` (a key published by a rotation) refetches the set, at most once per
    // cooldown so forged kids cannot hammer the issuer; a fetched set is trusted for
    // JWKS_MAX_AGE_MS at most, and every refetch drops the keys the issuer has retired.
    key = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: JWKS_REFETCH_COOLDOWN_MS, cacheMaxAge: JWKS_MAX_AGE_MS });
    algorithms = [...ASYMMETRIC_ALGORITHMS];
  }

  // With a JWKS, the issuer may retire a key at any refetch, ending its tokens: those are verified every time.
  const verified = config.jwksUrl === undefined ? new VerifiedTokens() : undefined;
  return async (token, now) => {
    const cached = verified?.get(token, now);
    if (cached) return cached;
    let payload: Record<string, unknown>;
    try {
      const verified =
        typeof key === 'function'
          ? await jwtVerify(token, key, { audience: TOKEN_AUDIENCE, algorithms, requiredClaims: ['exp', 'iat', 'sub'], currentDate: now, clockTolerance })
          : await jwtVerify(token, key, { audience: TOKEN_AUDIENCE, algorithms, requiredClaims: ['exp', 'iat', 'sub'], currentDate: now, clockTolerance });
      payload = verified.payload;
    } catch (error) {
      throw new AuthError(describeJoseError(error));
    }
    const nowS = Math.floor(now.getTime() / 1000);
    const exp = payload.exp as number;
    const iat = payload.iat as number;
    if (exp - iat > MAX_TOKEN_LIFETIME_S) throw new AuthError('Token lifetime exceeds one hour.');
    if (exp - nowS > MAX_TOKEN_LIFETIME_S + clockTolerance) throw new AuthError('Token expires more than one hour from now.');
    if (iat > nowS + clockTolerance) throw new AuthError('Token issued in the future.');
    const { sub, email, name, account, role } = payload;
    if (typeof sub !== 'string' || !sub) throw new AuthError('Token claim "sub" is missing.');
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new AuthError('Token claim "email" is missing or invalid.');
    if (typeof account !== 'string' || !account) throw new AuthError('Token claim "account" is missing.');
    const claims: TokenClaims = {
      sub,
      email: email.trim().toLowerCase(),
      name: typeof name === 'string' && name.trim() ? name.trim() : email,
      account,
      role: ROLES.includes(role as Role) ? (role as Role) : undefined,
    };
    verified?.set(token, claims, now, (exp + clockTolerance) * 1000);
    return claims;
  };
}

/** Most tokens `VerifiedTokens` remembers; the oldest go first. */
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Tokens whose signature and claims were verified, with their claims, until they expire: a
 * client sends the same token on every request for up to an hour, and checking its signature
 * again each time is most of a small request's cost. Only the token itself is remembered:
 * who it names is resolved on every request (the caller's contact, account and role), so
 * revoking access still ends it on the next request. Not used with a JWKS (a retired key
 * ends its tokens at the next refetch); an entry never serves a clock earlier than the one it
 * was verified at.
 */
class VerifiedTokens {
  readonly #entries = new Map<string, { claims: TokenClaims; verifiedAt: number; until: number }>();

  get(token: string, now: Date): TokenClaims | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    const at = now.getTime();
    if (at >= entry.verifiedAt && at < entry.until) return { ...entry.claims };
    this.#entries.delete(token);
    return undefined;
  }

  set(token: string, claims: TokenClaims, now: Date, expiresAtMs: number): void {
    if (this.#entries.size >= VERIFIED_TOKENS_MAX) this.#entries.delete(this.#entries.keys().next().value!);
    const at = now.getTime();
    this.#entries.set(token, { claims, verifiedAt: at, until: expiresAtMs });
  }
}

/**
 * The rule of a contact's role as the role table holds it now: a built-in role's, a
 * vendor-defined one's (`PUT /v1/service/roles/{name}`), or none at all for a name nobody
 * defined. Read on every request, so a redefined role applies on the next one.
 */
export async function resolveRoleRules(store: Pick<Store, 'getRole'>, role: string): Promise<RoleRules> {
  if (isBuiltInRole(role)) return ROLE_RULES[role];
  return (await store.getRole(role))?.rules ?? NO_ACCESS_RULES;
}

/** The answer to any token of a suspended account (the vendor suspended it; its data is kept). */
export function accountSuspended(): ProblemError {
  return new ProblemError(403, 'account_suspended', 'This account is suspended: Portico is not available to its contacts. Contact your vendor.');
}

/** A short reason for a refused token, without echoing token contents. */
function describeJoseError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'Token expired.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `Token claim check failed: ${(error as Error).message}`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'Token algorithm not allowed.';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'Token signature invalid.';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'No key matches the token.';
    default:
      return 'Token invalid.';
  }
}

/** Claims of `mintToken`. */
export interface MintClaims {
  email: string;
  account: string;
  name?: string | undefined;
  role?: Role | undefined;
  /** Defaults to the email. */
  sub?: string | undefined;
  /** BCP 47 language of the user (`de`, `ar-EG`): the widgets speak it unless the provider sets `lang`. */
  locale?: string | undefined;
  /**
   * `session_exp`: when the user's session in your app ends (epoch seconds), after which your
   * backend mints no more tokens. The provider warns the user before it (docs/auth.md).
   */
  sessionExpiresAt?: number | undefined;
}

/** Options of `mintToken`. */
export interface MintOptions {
  /** HS256 secret (use `DEMO_JWT_SECRET` only for demos and tests). */
  secret: string | Uint8Array;
  /** Issue time (default: now). */
  now?: Date | undefined;
  /** Lifetime in seconds (default 900, max 3600 to be accepted). */
  ttlSeconds?: number | undefined;
}

/**
 * Mints an HS256 Portico token, as a vendor backend would. For the demo, the mocks and
 * tests; production tokens are minted by the vendor's own backend (see docs/auth.md).
 */
export async function mintToken(claims: MintClaims, options: MintOptions): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const secret = typeof options.secret === 'string' ? encoder.encode(options.secret) : options.secret;
  return new SignJWT({
    email: claims.email,
    name: claims.name ?? claims.email,
    account: claims.account,
    ...(claims.role ? { role: claims.role } : {}),
    ...(claims.locale ? { locale: claims.locale } : {}),
    ...(claims.sessionExpiresAt ? { session_exp: claims.sessionExpiresAt } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? claims.email)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSeconds ?? 900))
    .sign(secret);
}
