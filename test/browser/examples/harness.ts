/**
 * Loads a BUILT example (examples/<name>/dist, made by `node scripts/build-examples.mjs`, a step
 * of `npm test`) into the test page: its markup, then its scripts, with the MSW mocks standing
 * in for the demo backend (the Portico API and /demo/session). Imports no Portico source, so the
 * elements on the page are exactly the example's own bundled copy.
 */
import { createMockApi, type MockApi } from '@portico/mocks';
import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import '../serializable-failures.ts';

let api: MockApi | undefined;

async function startMocks(): Promise<MockApi> {
  if (api) return api;
  const mock = createMockApi({ apiBase: '/api' });
  const session = http.post('/demo/session', async ({ request }) => {
    const { email } = (await request.json()) as { email: string };
    return HttpResponse.json({ token: await mock.tokenFor(email) });
  });
  const worker = setupWorker(session, ...mock.handlers);
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledFrame: 'bypass' });
  await mock.ready;
  api = mock;
  return mock;
}

/** Mounts `url` (an example's built index.html) into this page and runs its module scripts (unless `scripts: false`). */
export async function mountBuiltExample(url: string, { scripts = true } = {}): Promise<MockApi> {
  const mock = await startMocks();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}. Build the examples first: node scripts/build-examples.mjs`);
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const node of [...doc.body.children]) if (node.localName !== 'script') document.body.append(document.importNode(node, true));
  if (!scripts) return mock;
  for (const script of doc.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')) {
    const src = script.getAttribute('src')!;
    // Root-relative paths are the demo backend's routes (/cdn/… serves packages/elements/dist/cdn).
    const href = src.startsWith('/cdn/') ? `/packages/elements/dist${src}` : new URL(src, new URL(url, location.href)).href;
    await import(/* @vite-ignore */ href);
  }
  return mock;
}

/** The element in `host`'s shadow root matching `selector`. */
export const inShadow = <T extends Element = HTMLElement>(host: Element | null | undefined, selector: string): T | null =>
  host?.shadowRoot?.querySelector<T>(selector) ?? null;

/** Text of every `[part~="view"]` tab of a ticket list. */
/** The ticket list's view tab labels (each tab also shows a count once the per-view counts arrive). */
export const viewTabs = (list: Element | null) =>
  [...(list?.shadowRoot?.querySelectorAll('[part~="view"]') ?? [])].map((t) => (t.querySelector('.label') ?? t).textContent!.trim());
