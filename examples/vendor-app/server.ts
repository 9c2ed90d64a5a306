/**
 * The demo vendor app's backend, "Acme Analytics": serves the page, mounts the Portico
 * API under /api on embedded SQLite, and — in demo mode only — mints Portico tokens for
 * whichever demo contact the page signs in as. A real vendor mints the token for the user
 * its own session already knows (see docs/auth.md).
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { DEFAULT_SLA_POLICIES } from '@portico/core';
import { DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, demoSeed, mintToken, problemResponse } from '@portico/server';
import { startServer } from '@portico/server/node';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const db = process.env.PORTICO_DB ?? '.portico/demo.db';
const secret = process.env.PORTICO_JWT_SECRET ?? DEMO_JWT_SECRET;
const publicDir = relative(process.cwd(), join(here, 'public'));
const bundleDir = relative(process.cwd(), join(here, 'dist'));
const cdnDir = relative(process.cwd(), join(here, '../../packages/elements/dist/cdn'));
const cdnExampleDir = relative(process.cwd(), join(here, '../cdn'));

/** Strict CSP: the widgets need no inline script, eval or inline style attribute. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

const seed = demoSeed();
const demoContacts = seed.contacts.map((c) => ({
  email: c.email,
  name: c.name,
  role: c.role,
  account: seed.accounts.find((a) => a.id === c.accountId)?.name ?? c.accountId,
}));

mkdirSync(dirname(db), { recursive: true });
const server = await startServer({
  port,
  db,
  seed: 'demo',
  basePath: '/api',
  auth: { secret },
  // The demo's "agent" script drives the vendor side through the service API with this key.
  serviceApiKeys: [process.env.PORTICO_SERVICE_API_KEYS ?? DEMO_SERVICE_API_KEY],
  // Demo only: an urgent premier ticket gets a 4-minute first-response target, so a ticket
  // Mia files turns "at risk" after 3 minutes while you watch. Real targets: DEFAULT_SLA_POLICIES.
  sla: {
    policies: {
      premier: {
        ...DEFAULT_SLA_POLICIES.premier,
        targets: { ...DEFAULT_SLA_POLICIES.premier.targets, urgent: { firstResponseMinutes: 4, resolutionMinutes: 60 } },
      },
    },
  },
  slaSweepMs: 5_000,
  extend(root) {
    root.use('*', async (c, next) => {
      await next();
      if (!c.req.path.startsWith('/api/')) {
        c.res.headers.set('Content-Security-Policy', CSP);
        c.res.headers.set('X-Content-Type-Options', 'nosniff');
      }
    });
    root.get('/demo/contacts', (c) => c.json(demoContacts));
    root.post('/demo/session', async (c) => {
      const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
      const domain = email.split('@')[1] ?? '';
      const account = seed.accounts.find((a) => a.domains.includes(domain));
      const contact = account && (await server.store.findContactByEmail(account.id, email));
      if (!account || !contact) {
        return problemResponse({ type: 'about:blank', status: 404, code: 'not_found', title: 'Not Found', detail: `No demo contact ${email || '(empty)'}` });
      }
      const token = await mintToken({ email: contact.email, name: contact.name, account: account.id }, { secret });
      return c.json({ token });
    });
    root.use('/app.js', serveStatic({ root: bundleDir }));
    root.use('/app.js.map', serveStatic({ root: bundleDir }));
    root.use('/chunks/*', serveStatic({ root: bundleDir }));
    // examples/cdn, on the CDN build of @portico/elements (after `npm run build`).
    root.use('/cdn/*', serveStatic({ root: cdnDir, rewriteRequestPath: (path) => path.replace(/^\/cdn/, '') }));
    root.use('/examples/cdn/*', serveStatic({ root: cdnExampleDir, rewriteRequestPath: (path) => path.replace(/^\/examples\/cdn/, '') }));
    root.use('/*', serveStatic({ root: publicDir }));
  },
});

console.log(`\n  Acme Analytics demo (Portico embedded): http://localhost:${server.port}/`);
console.log(`  API: ${server.url}   SQLite: ${db}${server.seeded ? ' (seeded with the demo data)' : ''}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
