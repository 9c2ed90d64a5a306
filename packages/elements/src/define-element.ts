import { warnOnce } from './internal/warn.ts';

/**
 * Registers a custom element without ever breaking the host page: a no-op when the
 * same class already holds the tag, one console warning when another class (say, a
 * second copy of the SDK) does. Call only from `define/*` modules.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === ctor) return;
  if (existing) {
    warnOnce(`<${tag}> is already defined by another class (two copies of @portico/elements on the page?); keeping the first one.`);
    return;
  }
  try {
    customElements.define(tag, ctor);
  } catch (error) {
    // The same constructor under another tag, or an invalid name: report, never throw.
    console.warn(`[portico] could not define <${tag}>:`, error);
  }
}
