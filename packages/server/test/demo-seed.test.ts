/**
 * The demo seed looks like a healthy account whenever it is seeded: most unsolved tickets
 * well within their SLA, a few at risk, a few breached, and CSAT ratings on solved tickets,
 * on weekdays and weekends (standard accounts keep business hours), with the default
 * policies and with the tight ones the demo app runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SLA_POLICIES, UNSOLVED_STATUSES, type Ticket } from '@portico/core';
import { DEMO_ACCOUNTS, DEMO_JWT_SECRET, MemoryStore, createApp, demoSeed, fillSla, mintToken, type SlaConfig } from '@portico/server';

const unsolved: readonly string[] = UNSOLVED_STATUSES;

async function slaStates(now: Date, sla: SlaConfig = {}): Promise<Record<'ok' | 'at_risk' | 'breached', number>> {
  const store = new MemoryStore();
  const seed = demoSeed(now, { sla });
  await store.load(seed);
  const tickets: Ticket[] = seed.tickets.filter((t) => unsolved.includes(t.status)).map((t) => ({ ...t }));
  await fillSla(store, tickets, sla, now);
  const out = { ok: 0, at_risk: 0, breached: 0 };
  for (const t of tickets) {
    const states = [t.sla!.firstResponse.state, t.sla!.resolution.state];
    out[states.includes('breached') ? 'breached' : states.includes('at_risk') ? 'at_risk' : 'ok']++;
  }
  return out;
}

// What examples/vendor-app runs: urgent premier tickets answer in minutes, so SLA changes show live.
const DEMO_APP_SLA: SlaConfig = {
  policies: {
    premier: {
      ...DEFAULT_SLA_POLICIES.premier,
      targets: { ...DEFAULT_SLA_POLICIES.premier.targets, urgent: { firstResponseMinutes: 4, resolutionMinutes: 60 } },
    },
  },
};

describe('demo seed', () => {
  const moments = ['2026-03-02T10:00:00Z', '2026-03-07T03:30:00Z', '2026-03-08T23:59:00Z', '2026-07-15T16:45:00Z'].map((s) => new Date(s));
  for (const now of moments) {
    for (const [name, sla] of [
      ['default policies', {}],
      ['the demo app’s policies', DEMO_APP_SLA],
    ] as const) {
      it(`at ${now.toISOString()} with ${name}: most SLAs met, some at risk, a few breached`, async () => {
        const states = await slaStates(now, sla);
        const total = states.ok + states.at_risk + states.breached;
        assert.ok(states.ok >= 0.8 * total, JSON.stringify(states));
        assert.ok(states.at_risk >= 2 && states.at_risk <= 6, JSON.stringify(states));
        assert.ok(states.breached >= 2 && states.breached <= 4, JSON.stringify(states));
      });
    }
  }

  it('carries CSAT ratings that the account summary shows', async () => {
    const now = moments[0]!;
    const seed = demoSeed(now);
    const rated = seed.tickets.filter((t) => t.satisfaction);
    assert.ok(rated.length >= 10);
    assert.ok(rated.every((t) => t.status === 'solved' || t.status === 'closed'));
    assert.ok(
      rated.some((t) => t.satisfaction!.rating === 'bad'),
      'an honest demo has a bad rating too',
    );
    // Every rating has its activity, which the summary counts.
    for (const t of rated)
      assert.ok(seed.activity.some((a) => a.type === 'ticket.satisfaction_rated' && a.ticketId === t.id && a.data.rating === t.satisfaction!.rating));
    const store = new MemoryStore();
    await store.load(seed);
    const app = createApp({ store, auth: { secret: DEMO_JWT_SECRET }, now: () => now });
    const token = await mintToken({ email: 'ada@acme.example', account: DEMO_ACCOUNTS.acme }, { secret: DEMO_JWT_SECRET, now });
    const summary = await (await app.request('/v1/summary?account=all', { headers: { Authorization: `Bearer ${token}` } })).json();
    assert.ok(summary.figures.csat.good > 0 && summary.figures.csat.ratio > 0.5, JSON.stringify(summary.figures.csat));
    assert.ok(summary.figures.slaCompliance.ratio > 0.5, JSON.stringify(summary.figures.slaCompliance));
  });

  it('leaves some solved tickets unrated, for the rating form', () => {
    const seed = demoSeed(moments[0]!);
    for (const id of ['tkt_1004', 'tkt_1009', 'tkt_1021']) assert.equal(seed.tickets.find((t) => t.id === id)!.satisfaction, undefined, id);
  });
});
