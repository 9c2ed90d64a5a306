/**
 * Live events for elements (the whole path, from a write to the element, is in
 * docs/architecture.md): one SSE connection per client, shared by every element that
 * listens (browsers allow few connections per origin), opened while at least one element
 * is connected and closed when the last one goes.
 *
 * Use it from any element (the ticket detail too):
 *
 * ```ts
 * private readonly live = new LiveEventsController(this, {
 *   client: () => this.client ?? this.contextClient,
 *   onEvent: (event) => { if (event.ticket?.id === this.ticketId) this.ticket = event.ticket; },
 * });
 * // and in updated(): this.live.sync();  (re-subscribes when the client changed)
 * ```
 *
 * Events carry the activity entry and the ticket as it is now (with `sla`), already
 * filtered by the server for the signed-in contact.
 */
import type { LiveEvent, PorticoClient } from '@portico/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { warnOnce } from './warn.ts';

type Listener = (event: LiveEvent) => void;

interface Hub {
  listeners: Set<Listener>;
  stop: () => void;
}

const hubs = new WeakMap<PorticoClient, Hub>();

/** Subscribes a listener to a client's shared event stream; returns the unsubscribe function. */
export function subscribeLive(client: PorticoClient, listener: Listener): () => void {
  if (typeof client.subscribeEvents !== 'function') return () => {};
  let hub = hubs.get(client);
  if (!hub) {
    const listeners = new Set<Listener>();
    let stop: () => void;
    try {
      stop = client.subscribeEvents({
        onEvent: (event) => {
          for (const l of [...listeners]) {
            try {
              l(event);
            } catch (error) {
              console.error('[portico] live event listener failed', error);
            }
          }
        },
      });
    } catch (error) {
      // A wrapped or hand-made client whose subscribeEvents cannot run (e.g. an
      // `Object.create(httpClient)` wrapper, whose private fields are missing): the element
      // still works, only without live updates.
      warnOnce(`live updates are off: the client's subscribeEvents() failed (${error instanceof Error ? error.message : String(error)}).`);
      return () => {};
    }
    hubs.set(client, (hub = { listeners, stop }));
  }
  hub.listeners.add(listener);
  const current = hub;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0 && hubs.get(client) === current) {
      current.stop();
      hubs.delete(client);
    }
  };
}

export interface LiveEventsOptions {
  /** The client to listen through (read on connect and on `sync()`). */
  client: () => PorticoClient | undefined;
  onEvent: Listener;
}

/** Listens to live events while the host is connected. Call `sync()` after the client may have changed. */
export class LiveEventsController implements ReactiveController {
  #client: PorticoClient | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected = false;
  readonly #options: LiveEventsOptions;

  constructor(host: ReactiveControllerHost, options: LiveEventsOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = undefined;
  }

  hostUpdated(): void {
    this.sync();
  }

  /** (Re)subscribes when the client changed. */
  sync(): void {
    if (!this.#connected) return;
    const client = this.#options.client();
    if (client === this.#client) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = client;
    if (client) this.#unsubscribe = subscribeLive(client, (event) => this.#options.onEvent(event));
  }
}
