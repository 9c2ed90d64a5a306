/**
 * The mocked backend of every story: the server's own app on a fresh memory store
 * (via @portico/mocks), made anew for each story so one story's writes never leak
 * into the next, plus the per-story network states (loading, error, offline, slow).
 */
import { createMockApi, latencyHandlers, loadingHandlers, networkErrorHandlers, problemHandlers, type MockApi } from '@portico/mocks';
import type { SeedData } from '@portico/server';
import type { Loader } from '@storybook/web-components-vite';
import { getResponse, http, type HttpHandler } from 'msw';
import { longContentSeed } from './seeds.ts';

/** Where the stories' provider finds the API. */
export const API_BASE = '/api';

/** Which data a story starts with. `long` is the demo plus many long, awkward tickets. */
export type StorySeed = 'demo' | 'empty' | 'long' | SeedData;

/** How the network behaves for a story. */
export type NetworkState = 'loading' | 'error' | 'offline' | 'slow' | 'unauthorized';

/** `parameters.portico` of a story. */
export interface PorticoParameters {
  /** Data the story starts with (default `demo`). */
  seed?: StorySeed;
}

let current: MockApi | undefined;

/** The mock API of the story being rendered. */
export function currentApi(): MockApi {
  if (!current) throw new Error('stories: the mock API is created by the `mockApiLoader` loader (see .storybook/preview.ts)');
  return current;
}

/**
 * Loader: a fresh mock API for this story (seed from `parameters.portico.seed`).
 * Returned as `loaded.porticoApi` too, for stories that want to inspect the store.
 */
export const mockApiLoader: Loader = async (context) => {
  const params = (context.parameters.portico ?? {}) as PorticoParameters;
  const seed = params.seed ?? 'demo';
  const api = createMockApi({ apiBase: API_BASE, seed: seed === 'long' ? longContentSeed(new Date()) : seed });
  await api.ready;
  current = api;
  return { porticoApi: api };
};

/**
 * The one handler the worker always has: forwards every API request to the current
 * story's mock API. Defined once, so `parameters.msw` stays static.
 */
export const apiHandlers: HttpHandler[] = [http.all(`${API_BASE}/*`, async ({ request }) => (current ? getResponse(current.handlers, request) : undefined))];

/**
 * Handlers for a network state; they go in `parameters.msw.handlers.state`, which
 * comes before `api` and so wins.
 */
export function stateHandlers(state: NetworkState): HttpHandler[] {
  switch (state) {
    case 'loading':
      return loadingHandlers(API_BASE);
    case 'error':
      return problemHandlers(API_BASE, 503, 'internal', 'The support service is down for maintenance. Try again in a few minutes.');
    case 'offline':
      return networkErrorHandlers(API_BASE);
    case 'slow':
      return latencyHandlers(1500, API_BASE);
    case 'unauthorized':
      return problemHandlers(API_BASE, 401, 'unauthorized', 'The token has expired.');
  }
}

/**
 * `parameters` for a network state: the MSW handlers (merged over the global `api` group),
 * and for the story smoke test: `smoke.networkErrors` where requests fail on purpose (it then
 * accepts the browser's "Failed to load resource" lines), `smoke.staysBusy` where they never end.
 */
export function networkState(state: NetworkState) {
  const fails = state === 'error' || state === 'offline' || state === 'unauthorized';
  const smoke = { ...(fails ? { networkErrors: true } : {}), ...(state === 'loading' ? { staysBusy: true } : {}) };
  return { msw: { handlers: { state: stateHandlers(state) } }, smoke };
}

/** `parameters` of a story whose requests fail on purpose (for the story smoke test). */
export const expectNetworkErrors = { smoke: { networkErrors: true } } as const;
