import { adoptStyles, supportsAdoptingStyleSheets, type CSSResultOrNative, type LitElement } from 'lit';

const adopted = new WeakSet<ShadowRoot>();

/**
 * Adds styles an element needs only once it shows something it hides at first (the support
 * panel's drawer, the bell's list) to its shadow root, beside its `static styles`, once: a page
 * load then parses only the styles of what its elements show at first.
 */
export function adoptLaterStyles(host: LitElement, later: readonly CSSResultOrNative[]): void {
  const root = host.renderRoot;
  if (!(root instanceof ShadowRoot) || adopted.has(root)) return;
  adopted.add(root);
  // Adopted style sheets are replaced as a list; the fallback (<style> elements) only adds.
  const own = (host.constructor as typeof LitElement).elementStyles;
  adoptStyles(root, supportsAdoptingStyleSheets ? [...own, ...later] : [...later]);
}
