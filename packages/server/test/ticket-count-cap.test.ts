/**
 * The list's per-view counts with search words stop at SEARCH_COUNT_CAP and name the views
 * that reached it (`countsCapped`); counts without words stay exact.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEARCH_COUNT_CAP, type TicketVisibility } from '@portico/core';
import { DEMO_CONTACTS, NOW, harness, visibleIds, type DemoKey, type Harness } from './helpers.ts';

for (const kind of ['memory', 'sqlite'] as const) {
  describe(`capped search counts of the ticket list on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
      const file = (key: DemoKey, visibility: TicketVisibility, followerIds: string[] = []) =>
        h.store.createTicket({
          accountId: 'acc_acme',
          requesterId: DEMO_CONTACTS[key],
          subject: 'Quokka sighting in the warehouse',
          description: 'Another one.',
          category: 'technical',
          priority: 'normal',
          visibility,
          followerIds,
          actor: { kind: 'contact', id: DEMO_CONTACTS[key], name: key },
          now: NOW.toISOString(),
        });
      // Mia's own: exactly the cap. Jay's: one shared that Mia follows, three private ones Mia may not see.
      for (let i = 0; i < SEARCH_COUNT_CAP; i++) await file('mia', 'private');
      await file('jay', 'account', [DEMO_CONTACTS.mia]);
      for (let i = 0; i < 3; i++) await file('jay', 'private');
    });
    after(() => h.dispose());

    it('reports a view past the cap as the cap and names it; a view at the cap is exact and not named', async () => {
      const res = await h.call('GET', '/v1/tickets?q=quokka&counts=true&limit=1', { as: 'mia' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.counts, { mine: SEARCH_COUNT_CAP, account: SEARCH_COUNT_CAP, following: 1, unsolved: SEARCH_COUNT_CAP });
      assert.deepEqual(res.body.countsCapped, ['account', 'unsolved']);
    });

    it('never counts a ticket the caller may not see toward the cap', async () => {
      // Jay sees his own four and nothing of Mia's private ones: far below the cap, exact.
      const res = await h.call('GET', '/v1/tickets?q=quokka&counts=true&limit=1', { as: 'jay' });
      assert.deepEqual(res.body.counts, { mine: 4, account: 4, following: 0, unsolved: 4 });
      assert.equal('countsCapped' in res.body, false);
    });

    it('leaves counts without words exact, past the cap too', async () => {
      const res = await h.call('GET', '/v1/tickets?counts=true&limit=1', { as: 'mia' });
      const mia = h.seed.contacts.find((c) => c.id === DEMO_CONTACTS.mia)!;
      assert.equal(res.body.counts.account, visibleIds(h.seed, mia).length + SEARCH_COUNT_CAP + 1);
      assert.equal('countsCapped' in res.body, false);
    });
  });
}
