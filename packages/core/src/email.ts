/**
 * Email helpers shared by the invite form (browser) and the server. Zod-free on purpose:
 * the contacts element imports them without pulling zod into the bundle.
 */

/** Longest address accepted (RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254;

/**
 * What Portico accepts as an invitation address: `local@domain.tld`, no spaces, one `@`,
 * a domain of dot-separated labels. Deliberately simple; the vendor's email delivery is
 * the real test.
 */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Trimmed and lower-cased: contacts are matched by email case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Whether `email` (after normalizing) is an address Portico accepts. */
export function isValidEmail(email: string): boolean {
  const normalized = normalizeEmail(email);
  return normalized.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(normalized);
}

/** The domain part of an address, lower-cased (empty when there is no `@`). */
export function emailDomain(email: string): string {
  const normalized = normalizeEmail(email);
  const at = normalized.lastIndexOf('@');
  return at < 0 ? '' : normalized.slice(at + 1);
}

/** Whether an address is outside an account's email domains (exact domain match, case-insensitive). */
export function isExternalEmail(email: string, domains: readonly string[]): boolean {
  const domain = emailDomain(email);
  return !domains.some((d) => d.toLowerCase() === domain);
}
