/**
 * The demo vendor app's backend, "Acme Analytics": serves the page, mounts the Portico
 * API under /api on embedded SQLite, and — in demo mode only — mints Portico tokens for
 * whichever demo contact the page signs in as. A real vendor mints the token for the user
 * its own session already knows (see docs/auth.md).
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { DEFAULT_SLA_POLICIES, type OutboxEvent, type Problem } from '@portico/core';
import { DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, demoSeed, mintToken, problemResponse } from '@portico/server';
import { startServer } from '@portico/server/node';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mountAgentConsole } from '../agent-console/server.ts';
import { mountReplyMailbox, registerReplyWebhook, type ReplyMailbox } from './reply-mail.ts';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Demo mode (`--demo` or `PORTICO_DEMO=1`; `npm start` sets it): the page may sign in as any
 * demo contact through /demo/session. Off by default, so this server with a real
 * PORTICO_JWT_SECRET never hands out tokens to whoever asks.
 */
const demoMode = process.argv.includes('--demo') || process.env.PORTICO_DEMO === '1';
const port = Number(process.env.PORT ?? 8787);
const db = process.env.PORTICO_DB ?? '.portico/demo.db';
const secret = process.env.PORTICO_JWT_SECRET ?? DEMO_JWT_SECRET;
const serviceKey = process.env.PORTICO_SERVICE_API_KEYS?.split(',')[0]?.trim() || DEMO_SERVICE_API_KEY;
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

/** Invitation emails the demo vendor "sent" (see readOutbox below). */
interface Mail {
  to: string;
  subject: string;
  sentAt: string;
}
const mailbox: Mail[] = [];
let outboxCursor = 0;
// Demo only: an urgent premier ticket's first-response target, in minutes (default 4, so a
// ticket Mia files turns "at risk" after 3 minutes while you watch; the end-to-end test
// shortens it). Real targets: DEFAULT_SLA_POLICIES.
const urgentFirstResponseMinutes = Number(process.env.PORTICO_DEMO_URGENT_FIRST_RESPONSE_MINUTES ?? 4);
if (!(urgentFirstResponseMinutes > 0)) {
  console.error(
    `PORTICO_DEMO_URGENT_FIRST_RESPONSE_MINUTES must be a positive number of minutes, not "${process.env.PORTICO_DEMO_URGENT_FIRST_RESPONSE_MINUTES}".`,
  );
  process.exit(1);
}

mkdirSync(dirname(db), { recursive: true });
let replyMailbox!: ReplyMailbox;
const server = await startServer({
  port,
  db,
  seed: 'demo',
  basePath: '/api',
  auth: { secret },
  // The demo's "agent" script drives the vendor side through the service API with this key.
  serviceApiKeys: [serviceKey],
  // The demo's own webhook receiver runs on this machine (localhost): a local demo may call
  // private addresses, a production server never (the CLI's --webhook-allow-private).
  webhooks: { allowPrivate: true },
  sla: {
    policies: {
      premier: {
        ...DEFAULT_SLA_POLICIES.premier,
        targets: { ...DEFAULT_SLA_POLICIES.premier.targets, urgent: { firstResponseMinutes: urgentFirstResponseMinutes, resolutionMinutes: 60 } },
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
    root.use('/app.js', serveStatic({ root: bundleDir }));
    root.use('/app.js.map', serveStatic({ root: bundleDir }));
    root.use('/portico.js', serveStatic({ root: bundleDir }));
    root.use('/portico.js.map', serveStatic({ root: bundleDir }));
    root.use('/chunks/*', serveStatic({ root: bundleDir }));
    // examples/cdn, on the CDN build of @portico/elements (after `npm run build`). A fresh clone
    // has no build: say so on /cdn/ rather than warn at every start (restart after building).
    if (existsSync(cdnDir)) root.use('/cdn/*', serveStatic({ root: cdnDir, rewriteRequestPath: (path) => path.replace(/^\/cdn/, '') }));
    else root.get('/cdn/*', (c) => c.text('The CDN build of @portico/elements is missing: run `npm run build`, then restart.', 404));
    root.use('/examples/cdn/*', serveStatic({ root: cdnExampleDir, rewriteRequestPath: (path) => path.replace(/^\/examples\/cdn/, '') }));
    // The demo's sign-in: demo mode only (see demoMode).
    if (demoMode) {
      // The seed's contacts, then anyone invited since (so the demo can sign in as an invitee).
      root.get('/demo/contacts', async (c) => {
        const known = new Set(demoContacts.map((d) => d.email));
        const added = [];
        for (const account of seed.accounts) {
          const { items } = await server.store.listContacts({ accountId: account.id, sort: 'created', dir: 'asc', offset: 0, limit: 1000 });
          for (const x of items) if (!known.has(x.email)) added.push({ email: x.email, name: x.name, role: x.role, account: account.name });
        }
        return c.json([...demoContacts, ...added]);
      });
      root.get('/demo/mailbox', (c) => c.json(mailbox.slice(0, 20)));
      replyMailbox = mountReplyMailbox(root, { secret: process.env.PORTICO_DEMO_WEBHOOK_SECRET });
      // The support team's side: examples/agent-console at /agent/, calling the agent API with
      // the service key through this backend. Demo only: a real vendor puts its own staff
      // sign-in in front of anything that holds the service key.
      mountAgentConsole(root, { portico: (path, init) => Promise.resolve(server.app.request(path, init)), serviceKey });
      root.post('/demo/session', async (c) => {
        // Only this page may sign in: another site's form or script (a `text/plain` POST needs no
        // CORS preflight) is refused by its Origin, and anything but JSON by its type.
        const refused = sessionRequestRefusal(c.req.raw);
        if (refused) return problemResponse(refused);
        const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
        const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
        let account;
        let contact;
        for (const a of seed.accounts) {
          contact = email ? await server.store.findContactByEmail(a.id, email) : undefined;
          if (contact) {
            account = a;
            break;
          }
        }
        if (!account || !contact) {
          return problemResponse({ type: 'about:blank', status: 404, code: 'not_found', title: 'Not Found', detail: `No demo contact ${email || '(empty)'}` });
        }
        const token = await mintToken({ email: contact.email, name: contact.name, account: account.id }, { secret });
        return c.json({ token });
      });
    }
    root.use('/*', serveStatic({ root: publicDir }));
  },
});

/**
 * Why a /demo/session request is refused (undefined when it is fine): it must be JSON and, when
 * a browser sends it, come from this app's own origin (`Origin` and `Sec-Fetch-Site`).
 */
function sessionRequestRefusal(request: Request): Problem | undefined {
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return { type: 'about:blank', status: 415, code: 'unsupported_media_type', title: 'Unsupported media type', detail: 'Send the body as application/json.' };
  }
  const origin = request.headers.get('Origin');
  const site = request.headers.get('Sec-Fetch-Site');
  const own = new URL(request.url).origin;
  if ((origin !== null && origin !== own) || (site !== null && site !== 'same-origin')) {
    return { type: 'about:blank', status: 403, code: 'forbidden', title: 'Forbidden', detail: "Demo sign-in is only for this app's own pages." };
  }
  return undefined;
}

// --- the vendor's side of invitations ---------------------------------------------
// A real vendor's backend polls Portico's service outbox for `contact.invited` and sends the
// invitation email (or provisions the user). The demo "sends" it into an in-memory mailbox
// the Team area shows. The cursor starts at the current end, so a restart re-sends nothing.

async function readOutbox(send: boolean): Promise<boolean> {
  const res = await server.app.request(`/v1/service/outbox?type=contact.invited&limit=100&after=${outboxCursor}`, {
    headers: { Authorization: `Bearer ${serviceKey}` },
  });
  if (!res.ok) return false;
  const page = (await res.json()) as { items: OutboxEvent[]; lastSequence: number; hasMore: boolean };
  for (const event of send ? page.items : []) {
    const data = event.data as { contact: { email: string }; account: { name: string }; invitedBy: { name: string }; resent: boolean };
    mailbox.unshift({
      to: data.contact.email,
      subject: `${data.resent ? 'Reminder: ' : ''}${data.invitedBy.name} invited you to ${data.account.name}'s support in Acme Analytics`,
      sentAt: new Date().toISOString(),
    });
  }
  outboxCursor = page.lastSequence;
  return page.hasMore;
}

while (await readOutbox(false));
let reading = false;
setInterval(() => {
  if (reading) return;
  reading = true;
  void readOutbox(true)
    .catch((error: unknown) => console.error('[demo] outbox read failed', error))
    .finally(() => (reading = false));
}, 1000).unref();

if (demoMode)
  await registerReplyWebhook(
    (path, init) => Promise.resolve(server.app.request(path, init)),
    serviceKey,
    `http://localhost:${server.port}${replyMailbox.path}`,
    replyMailbox,
  );

console.log(`\n  Acme Analytics demo (Portico embedded): http://localhost:${server.port}/`);
console.log(`  API: ${server.url}   SQLite: ${db}${server.seeded ? ' (seeded with the demo data)' : ''}`);
console.log(
  demoMode
    ? `  Demo sign-in on (/demo/session mints tokens for any demo contact). Agent console (the vendor's support team): http://localhost:${server.port}/agent/\n`
    : '  Demo sign-in and agent console off: run with --demo or PORTICO_DEMO=1 to sign in as a demo contact.\n',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
