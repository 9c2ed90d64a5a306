/**
 * The agent console's backend half, mounted by the demo vendor backend
 * (examples/vendor-app/server.ts) under `/agent`: the page and its script, and a proxy from
 * `/agent/api/tickets...` to Portico's agent API (`/v1/service/tickets...`) that adds the
 * service API key on the server, so the key never reaches a browser. Only the ticket routes
 * pass; the rest of the service API (webhooks, outbox) stays unreachable from the page.
 *
 * A real vendor puts its own staff login in front of this; the demo has none.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface AgentConsoleOptions {
  /** Sends a request to the Portico app (path relative to it, e.g. `/v1/service/tickets`). */
  portico(path: string, init: RequestInit): Promise<Response>;
  /** The service API key the proxy adds. */
  serviceKey: string;
}

const PROXIED_METHODS = new Set(['GET', 'POST', 'PATCH']);

export function mountAgentConsole(root: Hono, options: AgentConsoleOptions): void {
  root.all('/agent/api/tickets/*', proxy);
  root.all('/agent/api/tickets', proxy);
  root.get('/agent', (c) => c.redirect('/agent/'));
  // The script (bundled by scripts/start.mjs into dist/), then the page and its stylesheet.
  const files = (dir: string) => serveStatic({ root: relative(process.cwd(), join(here, dir)), rewriteRequestPath: (p) => p.replace(/^\/agent/, '') });
  root.use('/agent/console.js', files('dist'));
  root.use('/agent/console.js.map', files('dist'));
  root.use('/agent/*', files('public'));

  async function proxy(c: Context): Promise<Response> {
    if (!PROXIED_METHODS.has(c.req.method)) return c.json({ title: 'Method Not Allowed', status: 405 }, 405);
    const url = new URL(c.req.url);
    const path = url.pathname.replace(/^\/agent\/api/, '/v1/service') + url.search;
    const headers: Record<string, string> = { Authorization: `Bearer ${options.serviceKey}` };
    for (const name of ['content-type', 'if-match', 'idempotency-key']) {
      const value = c.req.header(name);
      if (value) headers[name] = value;
    }
    const body = c.req.method === 'GET' ? undefined : await c.req.arrayBuffer();
    const res = await options.portico(path, { method: c.req.method, headers, body });
    const out = new Headers();
    for (const name of ['content-type', 'etag']) {
      const value = res.headers.get(name);
      if (value) out.set(name, value);
    }
    return new Response(res.body, { status: res.status, headers: out });
  }
}
