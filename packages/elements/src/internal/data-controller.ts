/**
 * What every Portico data element shares, in one place (see docs/architecture.md, "Data
 * elements"):
 *
 * - **the client**: the element's own `client` property wins over the one `<portico-provider>`
 *   shares through `clientContext`;
 * - **the session** from `sessionContext`, and its `revision`: a change reloads every task;
 * - **tasks** (`@lit/task`) whose args are `[client, revision, own args]`, compared with
 *   `argsEqual` (the client by identity, the element's own args deeply), so an equal filter
 *   never loads twice;
 * - **abort on removal, resume on re-attach**: a removed element keeps no request going, and
 *   loads again when it comes back;
 * - **page-size checks** (1–100, a warning and the default otherwise);
 * - **live events** through the shared per-client stream;
 * - **Retry**: `refresh()` runs every task again;
 * - **status messages** (WCAG 4.1.3): one polite live region per element, written by
 *   `announce(message)` and by any rendered element carrying a `data-announce` message (the
 *   loading and empty views do), so a screen reader hears each message once, from this
 *   element and never from the host page's own live regions.
 *
 * The loading / empty / error views that go with it are `dataView()` in internal/states.ts.
 *
 * ```ts
 * private readonly data = new DataController(this, { live: (event) => this.onLive(event) });
 * private readonly listTask = this.data.task({
 *   args: () => [this.account, this.data.pageSize(this.pageSize, 25)] as const,
 *   load: (client, [account, limit], { signal }) => client.listActivity({ account, limit }, { signal }),
 * });
 * render() { return dataView(this.data, this.listTask, { loading: '…', error: '…', retry: 'Retry', complete: (page) => … }); }
 * ```
 */
import { ContextConsumer } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import { deepArrayEquals } from '@lit/task/deep-equals.js';
import type { LiveEvent, PorticoClient, Session } from '@portico/core';
import type { LitElement, ReactiveController } from 'lit';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { LiveEventsController } from './live-events.ts';
import { pageSizeOf } from './page-size.ts';
import { afterLoadWhenIdle } from './idle.ts';

/** A data element: a Lit element with the public `client` property that wins over the provider's. */
export type DataHost = LitElement & { client?: PorticoClient | undefined };

/** What a data task's args are: the client and session revision, then the element's own. */
export type DataTaskArgs<A extends readonly unknown[]> = readonly [client: PorticoClient | undefined, revision: number, own: A];

export interface DataControllerOptions {
  /** Called with each live event (the stream is open while the element is connected). */
  live?: (event: LiveEvent) => void;
  /**
   * When the element's first requests and its live stream start: `now` (the default), or
   * `idle`, once the page has loaded and the browser is idle (at most a second later), for an
   * element beside the page's content (the notification bell) whose work should not compete
   * with the page's own load.
   */
  start?: 'now' | 'idle';
}

export interface DataTaskOptions<A extends readonly unknown[], R> {
  /** The element's own inputs (ids, filters, page size). Compared deeply: an equal value does not load again. */
  args: () => A;
  /** Loads with the chosen client; `signal` aborts when the args change or the element is removed. */
  load: (client: PorticoClient, args: A, options: { signal: AbortSignal }) => Promise<R | typeof initialState> | R | typeof initialState;
  /** Takes a completed value (e.g. into the element's own state, which live events then change). */
  onComplete?: (value: R) => void;
}

/**
 * Visually hidden, still read: the usual clip pattern, set through the CSSOM so it needs no
 * style sheet of the element's and passes a strict `style-src` Content Security Policy.
 */
const VISUALLY_HIDDEN: Partial<CSSStyleDeclaration> = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  padding: '0',
  border: '0',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
};

/** The client by identity (two clients may look alike and still differ), everything else deeply. */
const sameArgs = <A extends readonly unknown[]>(a: DataTaskArgs<A>, b: DataTaskArgs<A>): boolean =>
  a[0] === b[0] && a[1] === b[1] && deepArrayEquals(a[2], b[2]);

/** Client, session, tasks and views of a data element. */
export class DataController implements ReactiveController {
  readonly #host: DataHost;
  readonly #client: ContextConsumer<typeof clientContext, DataHost>;
  readonly #session: ContextConsumer<typeof sessionContext, DataHost>;
  readonly #tasks: Task<DataTaskArgs<never>, unknown>[] = [];
  /** Tasks aborted by a removal: they load again on re-attach. */
  readonly #resume = new Set<Task<DataTaskArgs<never>, unknown>>();
  /** Whether requests may start (see `DataControllerOptions.start`). */
  #started: boolean;
  /** With `start: 'idle'`: the page is idle, but the element was removed meanwhile (it starts when it is back). */
  #startOnConnect = false;
  /** The element's one polite live region (made on first connect, kept across re-attach). */
  #region: HTMLElement | undefined;
  /** The `data-announce` message last announced for each rendered element. */
  readonly #announced = new WeakMap<Element, string>();

  constructor(host: DataHost, options: DataControllerOptions = {}) {
    this.#host = host;
    host.addController(this);
    // Each consumer requests an update of the host when its value changes.
    this.#client = new ContextConsumer(host, { context: clientContext, subscribe: true });
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true });
    this.#started = options.start !== 'idle';
    if (!this.#started) {
      // A removed element starts nothing (a disconnected Lit element still updates, and its
      // request would outlive it): it starts when it is attached again.
      afterLoadWhenIdle(() => {
        if (host.isConnected) this.#start();
        else this.#startOnConnect = true;
      });
    }
    const { live } = options;
    if (live) new LiveEventsController(host, { client: () => this.#requestClient, onEvent: live });
  }

  #start(): void {
    this.#started = true;
    this.#startOnConnect = false;
    this.#host.requestUpdate();
  }

  /** The client for requests: none until they may start. */
  get #requestClient(): PorticoClient | undefined {
    return this.#started ? this.client : undefined;
  }

  /** The client to use: the element's own `client` property, else the provider's. */
  get client(): PorticoClient | undefined {
    return this.#host.client ?? this.#client.value;
  }

  /** The session as the provider shares it (undefined without a provider). */
  get session(): SessionState | undefined {
    return this.#session.value;
  }

  /** The signed-in contact's session, once loaded. */
  get me(): Session | undefined {
    return this.#session.value?.session;
  }

  /** A task of this element: it loads with the chosen client and reloads when the session's revision changes. */
  task<A extends readonly unknown[], R>(options: DataTaskOptions<A, R>): Task<DataTaskArgs<A>, R> {
    const task = new Task<DataTaskArgs<A>, R>(this.#host, {
      task: ([client, , own], { signal }) => (client ? options.load(client, own, { signal }) : initialState),
      args: () => [this.#requestClient, this.session?.revision ?? 0, options.args()],
      argsEqual: sameArgs,
      ...(options.onComplete ? { onComplete: options.onComplete } : {}),
    });
    this.#tasks.push(task as unknown as Task<DataTaskArgs<never>, unknown>);
    return task;
  }

  /** Loads every task again (Retry, `refresh()`, a live change that needs the server's figures). */
  refresh(): void {
    for (const task of this.#tasks) void task.run();
  }

  /** A `page-size` property as a page limit: 1–100, else `fallback` with one warning. */
  pageSize(value: unknown, fallback: number): number {
    return pageSizeOf(this.#host, value, fallback);
  }

  /**
   * Says `message` through the element's polite live region, once. The same message twice in
   * a row is still said twice (a second save is news too): screen readers skip a region whose
   * text did not change, so the repeat differs by a trailing no-break space, which is not read.
   */
  announce(message: string): void {
    const region = this.#liveRegion();
    if (!region || !message) return;
    region.textContent = region.textContent === message ? `${message}\u00a0` : message;
  }

  hostConnected(): void {
    this.#liveRegion();
    if (this.#startOnConnect) this.#start();
    for (const task of this.#resume) void task.run();
    this.#resume.clear();
  }

  /** Announces each `data-announce` message of the render that is new or changed (a view that just appeared). */
  hostUpdated(): void {
    const root = this.#host.renderRoot;
    if (!root) return;
    for (const el of root.querySelectorAll('[data-announce]')) {
      const message = el.getAttribute('data-announce') ?? '';
      if (message === (this.#announced.get(el) ?? '')) continue;
      this.#announced.set(el, message);
      this.announce(message);
    }
  }

  hostDisconnected(): void {
    // A removed element must not keep the network busy; it loads again if it comes back.
    for (const task of this.#tasks) {
      if (task.status !== TaskStatus.PENDING) continue;
      task.abort();
      this.#resume.add(task);
    }
  }

  /**
   * The live region, made once. It goes before what Lit renders, outside Lit's part: a change
   * of view (loading → data) clears that part, and a region must outlive the views to be heard.
   */
  #liveRegion(): HTMLElement | undefined {
    if (this.#region) return this.#region;
    const root = this.#host.renderRoot;
    if (!root) return undefined;
    const region = document.createElement('div');
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('aria-atomic', 'true');
    region.dataset.porticoAnnouncer = '';
    // The class every element's styles hide the same way (styles/tokens.ts); the inline style
    // below holds where they do not.
    region.className = 'visually-hidden';
    Object.assign(region.style, VISUALLY_HIDDEN);
    root.insertBefore(region, root.firstChild);
    return (this.#region = region);
  }
}
