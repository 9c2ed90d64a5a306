/**
 * The behaviour every Portico data element shares (internal/data-controller.ts), as one suite
 * each element runs (the shared-suite style of Lion: a function that takes how to mount the
 * element and registers the tests):
 *
 * loading, empty, error and Retry, a 401 answered by one token refresh, abort on removal and
 * resume on re-attach, an explicit `client` without a provider, a refetch when the session
 * changes, and a live update.
 *
 * ```ts
 * runDataElementSuite({ tag: 'portico-timeline', template: () => html`<portico-timeline></portico-timeline>`, route: '/api/v1/activity', loaded: 'entry', … });
 * ```
 */
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { HttpClient, type PorticoClient } from '@portico/core';
import { DEMO_SERVICE_API_KEY, type MockApi } from '@portico/mocks';
import { html, render, type TemplateResult } from 'lit';
import { HttpResponse, http } from 'msw';
import { liveStreamOpen, mountWithProvider, part, useMockApi, waitForPart } from './fixtures.ts';

export interface DataElementSuiteOptions {
  /** The element's tag (its define module must be imported by the test file). */
  tag: string;
  /** The element as the page writes it. */
  template: () => TemplateResult;
  /**
   * The GET route (path under `/api`) of the element's first load. For an element whose data is
   * the session itself (`/api/v1/me`), the provider makes that request, and the element makes it
   * only when it has no provider: the cases below then check the element's views of the
   * provider's loading, failure and refresh, and its own load with an explicit `client`.
   */
  route: string;
  /** A part that shows once the data is on screen. */
  loaded: string;
  /** What a user does for the element to show its data, when it does not at once (opening the bell's list). */
  show?: (el: HTMLElement) => unknown;
  /** The body of an empty answer of `route`, for elements with an empty state. */
  empty?: Record<string, unknown>;
  /** Makes a change through the service API that the element must show live, and waits until it does (elements that update live). */
  live?: (el: HTMLElement) => Promise<void>;
  /**
   * A change to the signed-in contact on the server (`change`), and what the element must show
   * once the provider reloaded the session (`shows`, which waits for it). For elements that show
   * the session itself, where a new request for `route` alone proves nothing about the element.
   */
  sessionChange?: { change: () => Promise<void>; shows: (el: HTMLElement) => Promise<void> };
  /** The contact to sign in as (default: the fixtures' Mia). */
  as?: string;
}

/** An answer of the service API as the vendor's backend would make it (an agent's reply, a status change). */
export async function serviceCall(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`/api/v1/service${path}`, {
    method,
    headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path} answered ${res.status}`).to.equal(true);
}

const problem = (status: number, detail: string) =>
  HttpResponse.json({ type: 'about:blank', title: detail, status, code: status === 401 ? 'unauthorized' : 'internal', detail }, { status });

/** A gate a mocked route waits behind until the test opens it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** A real client that records the abort signal of every request it is asked to make. */
function recordingClient(api: MockApi, email: string): { client: PorticoClient; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const real = new HttpClient({ apiBase: '/api', getToken: () => api.tokenFor(email) });
  const client = new Proxy(real, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        for (const arg of args) {
          const signal = (arg as { signal?: unknown } | null)?.signal;
          if (signal instanceof AbortSignal) signals.push(signal);
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client, signals };
}

/** Registers the shared data-element tests for one element. */
export function runDataElementSuite(options: DataElementSuiteOptions): void {
  const { tag, template, route, loaded } = options;
  const email = options.as ?? 'mia@acme.example';
  const show = async (el: HTMLElement) => {
    if (!options.show) return;
    await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    await options.show(el);
  };
  const mount = async () => {
    const mounted = await mountWithProvider<HTMLElement>(template(), { as: email });
    await show(mounted.el);
    return mounted;
  };
  /** The element rendered into `host` without a provider, given `client`, and shown. */
  const mountWithClient = async (host: HTMLElement, client: PorticoClient) => {
    render(template(), host);
    const el = host.firstElementChild as HTMLElement & { client?: PorticoClient };
    el.client = client;
    await show(el);
    return el;
  };

  describe(`${tag}: the shared data-element behaviour`, () => {
    beforeEach(async () => {
      await useMockApi();
    });

    it('shows the loading view until the data arrives', async () => {
      const { worker } = await useMockApi();
      const held = gate();
      worker.use(http.get(route, async () => held.wait.then(() => undefined)));
      const { el } = await mount();
      await waitForPart(el, 'loading');
      expect(part(el, loaded)).to.equal(null);
      held.open();
      await waitForPart(el, loaded);
      expect(part(el, 'loading')).to.equal(null);
    });

    if (options.empty !== undefined) {
      it('shows the empty view when the server has nothing', async () => {
        const { worker } = await useMockApi();
        worker.use(
          http.get(route, () => HttpResponse.json(options.empty as Parameters<typeof HttpResponse.json>[0])),
          // A server with nothing sends no live events either (the demo's SLA marks would).
          http.get('/api/v1/events', () => new HttpResponse(new ReadableStream(), { headers: { 'Content-Type': 'text/event-stream' } })),
        );
        const { el } = await mount();
        await waitForPart(el, 'empty');
        expect(part(el, loaded)).to.equal(null);
      });
    }

    it('shows the error with Retry, and Retry loads again', async () => {
      const { worker } = await useMockApi();
      // Down until Retry (the client itself retries a 503 twice before giving up).
      let down = true;
      worker.use(http.get(route, () => (down ? problem(503, 'Down for maintenance') : undefined)));
      const { el } = await mount();
      const error = await waitForPart(el, 'error');
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('Down for maintenance');
      down = false;
      error.querySelector('button')!.click();
      await waitForPart(el, loaded);
      expect(part(el, 'error')).to.equal(null);
    });

    it('answers a 401 with one token refresh and shows the data', async () => {
      const { worker } = await useMockApi();
      let refused = 0;
      // The first request is refused as if the token had expired; the client asks for a new one and retries.
      worker.use(
        http.get(route, () => {
          if (refused > 0) return undefined;
          refused++;
          return problem(401, 'Token expired');
        }),
      );
      const { el } = await mount();
      await waitForPart(el, loaded);
      expect(refused).to.equal(1);
      expect(part(el, 'error')).to.equal(null);
    });

    it('aborts its request when removed, and loads again when put back', async () => {
      const { worker, api } = await useMockApi();
      const held = gate();
      let requests = 0;
      worker.use(
        http.get(route, async () => {
          requests++;
          if (requests === 1) await held.wait;
          return undefined;
        }),
      );
      const { client, signals } = recordingClient(api, email);
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = await mountWithClient(host, client);
      await waitUntil(() => requests === 1, 'the first request never left');
      const pending = signals.filter((s) => !s.aborted);
      el.remove();
      expect(
        pending.some((s) => s.aborted),
        'the request of a removed element is aborted',
      ).to.equal(true);
      held.open();
      host.append(el);
      await waitForPart(el, loaded);
      expect(requests).to.be.greaterThan(1);
    });

    it('loads through an explicit `client` without a provider', async () => {
      const { api } = await useMockApi();
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = await mountWithClient(host, new HttpClient({ apiBase: '/api', getToken: () => api.tokenFor(email) }));
      await waitForPart(el, loaded);
    });

    it('loads again when the session changes (the provider’s refresh)', async () => {
      const { worker } = await useMockApi();
      let requests = 0;
      worker.use(
        http.get(route, () => {
          requests++;
          return undefined;
        }),
      );
      const { el, provider } = await mount();
      await waitForPart(el, loaded);
      const before = requests;
      await options.sessionChange?.change();
      await provider.refresh();
      await waitUntil(() => requests > before, 'no new request after the session changed');
      await waitForPart(el, loaded);
      await options.sessionChange?.shows(el);
    });

    const { live } = options;
    if (live) {
      it('follows a live change without a reload', async () => {
        const { el } = await mount();
        await waitForPart(el, loaded);
        await liveStreamOpen();
        await live(el);
      });
    }
  });
}
