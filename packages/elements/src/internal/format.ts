import { appliedLocaleTag } from './localization.ts';

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "3 hours ago" / "yesterday" / "just now", in the given locale. */
export function relativeTime(iso: string, locale: string | undefined, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const key = locale ?? '';
  let format = relativeFormats.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(key, format);
  }
  const seconds = Math.round((then - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/** A full date and time, for a `title` beside a relative time. */
export function absoluteTime(iso: string, locale: string | undefined): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const key = locale ?? '';
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    dateFormats.set(key, format);
  }
  return format.format(then);
}

/**
 * The language in effect for an element: the nearest `lang` on it or an ancestor (crossing
 * shadow roots, stopping below `<html>`), else the one the provider applied (its `lang` or the
 * token's `locale` claim), else the page's, else the browser's.
 */
export function localeOf(element: Element): string | undefined {
  let node: Node | null = element;
  while (node && node !== document.documentElement) {
    if (node instanceof HTMLElement && node.lang) return node.lang;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return appliedLocaleTag() || document.documentElement.lang || navigator.language || undefined;
}
