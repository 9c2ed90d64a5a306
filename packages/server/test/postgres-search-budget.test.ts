/**
 * The PostgreSQL store's search budget, on a real PostgreSQL server: a text search that runs
 * past it is cancelled by the database and answers 503 problem+json `search_timeout` with
 * Retry-After; lists without words and searches within the budget answer as before.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ACCOUNTS, DEMO_EMAILS, DEMO_JWT_SECRET, createApp, demoSeed, mintToken } from '@portico/server';
import { PostgresStore } from '@portico/server/node';
import { SEARCH_COUNT_CAP } from '@portico/core';
import { startPgCluster } from '../../../test/support/postgres.ts';

const cluster = await startPgCluster();
after(() => cluster.stop());

const NOW = new Date('2026-03-02T12:00:00.000Z');

it('PostgreSQL: a search past its time budget answers 503 search_timeout with Retry-After; within it, 200', async () => {
  // Enough tickets with one word that counting them cannot finish within a millisecond.
  const seed = demoSeed(NOW);
  const template = seed.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acme && t.visibility === 'account')!;
  const many = Array.from({ length: 20_000 }, (_, i) => ({
    ...template,
    id: `tkt_budget_${i}`,
    ref: `T-${90_000 + i}`,
    subject: `Printer jam number ${i}`,
    description: 'The printer on the third floor jams again',
    followerIds: [],
  }));
  const setup = await PostgresStore.open(cluster.url);
  await setup.load({ ...seed, tickets: [...seed.tickets, ...many] });
  await setup.close();

  const tight = new PostgresStore(cluster.url, { searchTimeoutMs: 1 });
  const roomy = new PostgresStore(cluster.url);
  try {
    const token = await mintToken({ email: DEMO_EMAILS.ada, account: DEMO_ACCOUNTS.acme }, { secret: DEMO_JWT_SECRET, now: NOW });
    const get = (store: PostgresStore, path: string) =>
      createApp({ store, auth: { secret: DEMO_JWT_SECRET }, now: () => NOW }).request(path, { headers: { Authorization: `Bearer ${token}` } });

    const cut = await get(tight, '/v1/tickets?q=printer&counts=true');
    assert.equal(cut.status, 503);
    assert.match(cut.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.ok(Number(cut.headers.get('retry-after')) > 0);
    assert.equal(((await cut.json()) as { code: string }).code, 'search_timeout');

    // The budget holds for words only; the connection is usable again afterwards.
    assert.equal((await get(tight, '/v1/tickets?limit=5')).status, 200);
    const whole = await get(roomy, '/v1/tickets?q=printer&counts=true&limit=5');
    assert.equal(whole.status, 200);
    const body = (await whole.json()) as { items: unknown[]; counts: { account: number }; countsCapped?: string[] };
    assert.equal(body.items.length, 5);
    // More matches than the cap: the count reports the cap and says so.
    assert.equal(body.counts.account, SEARCH_COUNT_CAP);
    assert.ok(body.countsCapped?.includes('account'));
  } finally {
    await tight.close();
    await roomy.close();
  }
});
