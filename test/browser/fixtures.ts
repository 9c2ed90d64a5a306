/**
 * Browser-test helpers: the MSW worker running the server's own app (via @portico/mocks),
 * and `mountWithProvider`, which mounts any element inside a `<portico-provider>` signed in
 * as a demo contact.
 */
import { fixture, waitUntil } from '@open-wc/testing';
import { createMockApi, type MockApi, type MockApiOptions } from '@portico/mocks';
import '@portico/elements/define/portico-provider.js';
import type { PorticoProvider } from '@portico/elements/define/portico-provider.js';
import { html, type TemplateResult } from 'lit';
import { setupWorker, type SetupWorker } from 'msw/browser';
import './page-focus.ts';
import './serializable-failures.ts';

let worker: SetupWorker | undefined;
let starting: Promise<SetupWorker> | undefined;
let api: MockApi | undefined;
/** Event streams (`GET /v1/events`) the current mock API has answered. */
let streamsOpened = 0;

/** Starts the MSW worker once per test page. */
export function startWorker(): Promise<SetupWorker> {
  starting ??= (async () => {
    const w = setupWorker();
    await w.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledFrame: 'bypass' });
    w.events.on('response:mocked', ({ request }) => {
      if (new URL(request.url).pathname.endsWith('/v1/events')) streamsOpened++;
    });
    worker = w;
    return w;
  })();
  return starting;
}

/**
 * A fresh mocked API (new memory store, `demo` seed unless told otherwise) behind the worker;
 * drops handlers a previous test added with `worker.use()`.
 */
export async function useMockApi(options: MockApiOptions = {}): Promise<{ api: MockApi; worker: SetupWorker }> {
  const w = await startWorker();
  api = createMockApi({ apiBase: '/api', ...options });
  w.resetHandlers(...api.handlers);
  streamsOpened = 0;
  await api.ready;
  return { api, worker: w };
}

export interface MountOptions {
  /** Demo contact to sign in as (default mia@acme.example, a member of Acme Corp). */
  as?: string;
  /** Seed of a fresh mock API; when absent the current one is kept (or a demo one made). */
  seed?: MockApiOptions['seed'];
}

/**
 * Mounts `template` inside `<portico-provider api-base="/api">` whose `getToken` mints a
 * demo token for `as`. Returns the provider, the first child element and the mock API.
 */
export async function mountWithProvider<T extends HTMLElement>(
  template: TemplateResult,
  options: MountOptions = {},
): Promise<{ provider: PorticoProvider; el: T; api: MockApi; worker: SetupWorker }> {
  if (!api || options.seed) await useMockApi(options.seed ? { seed: options.seed } : {});
  const current = api!;
  const email = options.as ?? 'mia@acme.example';
  const provider = await fixture<PorticoProvider>(
    html`<portico-provider api-base="/api" .getToken=${() => current.tokenFor(email)}>${template}</portico-provider>`,
  );
  const el = provider.firstElementChild as T;
  return { provider, el, api: current, worker: worker! };
}

/** Every element in `el`'s shadow root whose `part` contains `name`. */
export function parts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return [...(el.shadowRoot?.querySelectorAll<T & Element>(`[part~="${name}"]`) ?? [])] as T[];
}

/** The first element in `el`'s shadow root whose `part` contains `name`. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T | null {
  return el.shadowRoot?.querySelector<T & Element>(`[part~="${name}"]`) ?? null;
}

/** Waits until `el`'s shadow root shows a `name` part, and returns it. */
export async function waitForPart<T extends Element = HTMLElement>(el: Element, name: string, message?: string): Promise<T> {
  await waitUntil(() => part(el, name), message ?? `part "${name}" never appeared`, { timeout: 5000 });
  return part<T>(el, name)!;
}

/**
 * The element's polite live region (one per data element, see DataController): what a screen
 * reader hears of its status messages.
 */
export function announcer(el: Element): HTMLElement | null {
  return el.shadowRoot?.querySelector<HTMLElement>('[data-portico-announcer]') ?? null;
}

/** What the element's live region says now, without the no-break space that marks a repeat. */
export function announced(el: Element): string {
  return (announcer(el)?.textContent ?? '').replace(/\u00a0$/, '');
}

/** Resolves on the next `type` event dispatched on `target`. */
export function nextEvent<T extends Event = CustomEvent>(target: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event as T), { once: true }));
}

/**
 * Waits until the current mock API has answered a live event stream: from then on, every
 * change reaches the page (the stream starts at the activity it had when it opened), so a
 * test can make one and expect it to arrive.
 */
export async function liveStreamOpen(): Promise<void> {
  await waitUntil(() => streamsOpened > 0, 'the live event stream never opened', { timeout: 5000 });
}
