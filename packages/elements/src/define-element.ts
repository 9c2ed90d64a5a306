import { ContextRoot } from '@lit/context';

const warned = new Set<string>();

/**
 * Registers a custom element without ever breaking the host page: a no-op when the
 * same class already holds the tag, one console warning when another class (say, a
 * second copy of the SDK) does. Call only from `define/*` modules.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  attachContextRoot();
  const existing = customElements.get(tag);
  if (existing === ctor) return;
  if (existing) {
    if (!warned.has(tag)) {
      warned.add(tag);
      console.warn(`[portico] <${tag}> is already defined by another class (two copies of @portico/elements on the page?); keeping the first one.`);
    }
    return;
  }
  try {
    customElements.define(tag, ctor);
  } catch (error) {
    // The same constructor under another tag, or an invalid name: report, never throw.
    console.warn(`[portico] could not define <${tag}>:`, error);
  }
}

const ROOT_KEY = Symbol.for('portico/context-root@1');

/**
 * Lets widgets find a `<portico-provider>` that is upgraded after them. Bundlers that split
 * code may evaluate a widget's define module before the provider's (the widget's chunk is
 * shared with a lazy import), so the widget asks for the client before any provider can
 * answer; a ContextRoot keeps such requests and replays them when a provider appears.
 * Once per page, whatever the number of SDK copies.
 */
function attachContextRoot(): void {
  const global = globalThis as { [ROOT_KEY]?: boolean };
  if (global[ROOT_KEY] || typeof document === 'undefined') return;
  global[ROOT_KEY] = true;
  new ContextRoot().attach(document.documentElement);
}
