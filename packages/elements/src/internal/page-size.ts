import { warnOnce } from './warn.ts';

/** The most items one page may hold: every list route of the API refuses `limit` above 100. */
export const MAX_PAGE_SIZE = 100;

/**
 * A widget's `page-size` as a page limit: a whole number from 1 to 100, or else `fallback`
 * with a console warning that names the element and the value it got.
 */
export function pageSizeOf(host: Element, value: unknown, fallback: number): number {
  const size = Number(value);
  if (Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE) return size;
  warnOnce(`<${host.localName}> page-size="${String(value)}" must be a whole number from 1 to ${MAX_PAGE_SIZE}; using ${fallback}.`);
  return fallback;
}
