/**
 * `@open-wc/testing` for Portico's browser tests (web-test-runner.config.mjs resolves every
 * test's `import … from '@open-wc/testing'` here): the same exports, except that `waitUntil`
 * waits up to 5 s instead of 1 s when a test gives no timeout. Helpers share two cores on the
 * machines these tests run on, where a mock API round trip plus a render can take more than a
 * second; a wait that succeeds returns as soon as its condition holds, so only failures take longer.
 */
// The real module: this file is the one importer the config does not redirect.
import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

export * from '@open-wc/testing';

/** Default timeout of `waitUntil` (ms). */
export const WAIT_UNTIL_TIMEOUT = 5_000;

export function waitUntil(predicate: () => unknown | Promise<unknown>, message?: string, options: { interval?: number; timeout?: number } = {}): Promise<void> {
  return openWcWaitUntil(predicate, message, { timeout: WAIT_UNTIL_TIMEOUT, ...options });
}
