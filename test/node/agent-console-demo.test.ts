/**
 * The agent console end to end, in real Chromium, against the demo (`npm start`'s backend and
 * bundles, on SQLite): Mia has ticket T-1001 open in the customer app's support panel; an agent
 * in the console (/agent/) adds an internal note and then a reply. The reply appears in Mia's
 * panel live (no reload), and so does a status change; the note never does. The page's Mailbox shows the email the vendor
 * sends for a signed "agent replied" webhook, and refuses a badly signed one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Webhook } from 'standardwebhooks';
// @ts-expect-error: a plain .mjs script without types
import { findChrome } from '../../scripts/ensure-chromium.mjs';
// @ts-expect-error: a plain .mjs build helper without types
import { buildDemo } from '../../scripts/lib/demo-build.mjs';
import { startDemo, type DemoServer } from './demo-server.ts';

const SECRET = `whsec_${Buffer.from('portico-agent-console-test-secret').toString('base64')}`;

let demo: DemoServer;
let browser: Browser;
before(async () => {
  await buildDemo();
  demo = await startDemo({ PORTICO_DEMO_WEBHOOK_SECRET: SECRET });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  browser = await puppeteer.launch({ executablePath: findChrome(), args: asRoot ? ['--no-sandbox'] : [] });
});
after(async () => {
  await browser?.close();
  demo?.stop();
});

/** All text of the page, through every shadow root (what a user can read, roughly). */
const deepText = (page: Page) =>
  page.evaluate(() => {
    const walk = (node: Node): string => {
      let text = node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '') : '';
      if (node instanceof Element && node.shadowRoot) text += walk(node.shadowRoot);
      for (const child of node.childNodes) text += walk(child);
      return text;
    };
    return walk(document.body);
  });

async function waitForText(page: Page, text: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if ((await deepText(page)).includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`"${text}" did not appear within ${ms} ms`);
}

describe('agent console and customer panel (Chromium, demo on SQLite)', () => {
  it('an agent reply appears live in the customer’s panel; the internal note never does', async () => {
    const customer = await browser.newPage();
    await customer.evaluateOnNewDocument(() => localStorage.setItem('acme-analytics:signed-in-as', 'mia@acme.example'));
    await customer.goto(`${demo.base}/#support/tickets/tkt_1001`);
    // Mia's panel shows T-1001's conversation.
    await waitForText(customer, 'Metadata attached via the admin console upload', 15_000);

    const agent = await browser.newPage();
    await agent.goto(`${demo.base}/agent/#T-1001`);
    await agent.waitForSelector('pierce/#compose', { timeout: 15_000 });
    await waitForText(agent, 'Metadata attached via the admin console upload', 10_000);
    const stamp = Date.now().toString(36);
    const note = `Internal: customer ${stamp} is on the legacy contract`;
    const reply = `Fixed on our side (${stamp}), please try again.`;

    await agent.type('pierce/#compose', note);
    await agent.click('pierce/#note');
    await waitForText(agent, note, 5_000);
    const noteItem = await agent.waitForSelector('pierce/li.note', { timeout: 5_000 });
    assert.ok((await noteItem!.evaluate((li) => li.textContent ?? '')).includes('Internal note'), 'the console marks the note');

    await agent.type('pierce/#compose', reply);
    const sent = Date.now();
    await agent.click('pierce/#reply');
    // Live: Mia's open panel is never reloaded (a loaded shared machine can be slow, hence the margin).
    await waitForText(customer, reply, 8_000);
    const latency = Date.now() - sent;
    assert.ok(latency < 8_000, `reply reached Mia's open panel after ${latency} ms`);

    // Give any stray update time to arrive, then check the note is nowhere in Mia's page.
    await new Promise((r) => setTimeout(r, 1500));
    const seen = await deepText(customer);
    assert.ok(seen.includes(reply));
    assert.ok(!seen.includes(stamp + ' is on the legacy'), 'the internal note never reaches the customer');
    assert.ok(!seen.includes('legacy contract'));

    // A status change in the console shows in Mia's open ticket, live.
    await agent.select('pierce/#status', 'pending');
    await customer.waitForFunction(
      () => {
        const find = (root: Document | ShadowRoot): Element | null => {
          for (const el of root.querySelectorAll('*')) {
            if (el.localName === 'portico-ticket-detail') return el.shadowRoot?.querySelector('[part~="status"]') ?? null;
            const inner = el.shadowRoot && find(el.shadowRoot);
            if (inner) return inner;
          }
          return null;
        };
        return (find(document) as HTMLElement | null)?.dataset.status === 'pending';
      },
      // Poll on a timer: animation frames do not run in a background tab.
      { timeout: 8_000, polling: 100 },
    );

    // The console's inbox filters by status and text across accounts.
    await agent.select('pierce/#status-filter', 'pending');
    await agent.waitForSelector('pierce/button.row[data-ref="T-1001"]', { timeout: 5_000 });
    await agent.select('pierce/#status-filter', 'new,open,pending');
    await agent.type('pierce/#search', 'GDPR deletion');
    await agent.waitForSelector('pierce/button.row[data-ref="T-1039"]', { timeout: 5_000 });
    await agent.waitForFunction(
      () => document.querySelector('agent-console')?.shadowRoot?.querySelector('agent-inbox')?.shadowRoot?.querySelectorAll('button.row').length === 1,
      { timeout: 5_000, polling: 100 },
    );
    await customer.close();
    await agent.close();
  });

  it('the Mailbox shows the email for a signed "agent replied" webhook; a bad signature is refused', async () => {
    const payload = JSON.stringify({
      id: 'evt_test_1',
      type: 'ticket.commented',
      timestamp: new Date().toISOString(),
      data: {
        ticket: { id: 'tkt_1003', ref: 'T-1003', subject: 'Invoice shows wrong VAT rate', requester: { name: 'Ben', email: 'ben@acme.example' } },
        comment: { id: 'cmt_x', author: { kind: 'agent', name: 'Sam Patel' }, body: 'Corrected invoice is attached.', internal: false },
      },
    });
    const send = (secret: string, id: string) => {
      const at = new Date();
      const signature = new Webhook(secret).sign(id, at, payload);
      return fetch(`${demo.base}/demo/mailbox/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: payload,
      });
    };
    const forged = await send(`whsec_${Buffer.from('someone-else').toString('base64')}`, 'msg_forged');
    assert.equal(forged.status, 401);
    assert.equal((await send(SECRET, 'msg_1')).status, 204);
    assert.equal((await send(SECRET, 'msg_1')).status, 204, 'a redelivery is accepted');
    const mails = (await (await fetch(`${demo.base}/demo/mailbox/replies`)).json()) as { id: string; to: string; subject: string }[];
    assert.deepEqual(
      mails.filter((m) => m.id === 'msg_1').map((m) => [m.to, m.subject]),
      [['ben@acme.example', 'Re: [T-1003] Invoice shows wrong VAT rate']],
    );
    assert.ok(!mails.some((m) => m.id === 'msg_forged'));

    const page = await browser.newPage();
    await page.goto(`${demo.base}/`);
    await waitForText(page, 'Re: [T-1003] Invoice shows wrong VAT rate', 10_000);
    assert.ok((await deepText(page)).includes('Corrected invoice is attached.'));
    await page.close();
  });
});
