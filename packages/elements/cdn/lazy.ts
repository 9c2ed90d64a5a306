/**
 * The CDN's lazy build (`portico.lazy.js`): registers nothing up front. It watches the page
 * for `portico-*` tags and downloads each element's chunk the first time one appears, the
 * provider first (so children find its context). Elements a Portico element renders in
 * its own shadow root are loaded by that element; for tags in your own shadow roots call
 * `discover(shadowRoot)`.
 */
const loads = new Map<string, Promise<void>>();

function load(tag: string): Promise<void> {
  let pending = loads.get(tag);
  if (!pending) {
    // esbuild turns this template into one chunk per file in ../src/define/.
    pending = import(`../src/define/${tag}.ts`).then(
      () => undefined,
      (error: unknown) => console.warn(`[portico] no element <${tag}> in this build:`, error),
    );
    loads.set(tag, pending);
  }
  return pending;
}

/** Loads every Portico element used below `root` (the document by default). */
export async function discover(root: ParentNode = document): Promise<void> {
  const tags = new Set<string>();
  if (root instanceof Element && root.localName.startsWith('portico-') && !customElements.get(root.localName)) tags.add(root.localName);
  for (const el of root.querySelectorAll(':not(:defined)')) {
    if (/^portico-[a-z0-9-]+$/.test(el.localName)) tags.add(el.localName);
  }
  if (tags.delete('portico-provider')) await load('portico-provider');
  await Promise.all([...tags].map(load));
}

const observer = new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) if (node instanceof Element) void discover(node);
  }
});

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', () => void discover(), { once: true });
} else {
  void discover();
}
observer.observe(document.documentElement, { childList: true, subtree: true });
