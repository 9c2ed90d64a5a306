/**
 * `GET /v1/summary`: the account's KPIs, computed here from the same data the lists show
 * (never in the browser from a page of tickets), over the tickets the caller may see.
 * `account=all` rolls up every reachable account (parent admins) and lists each one too.
 */
import {
  SummaryQuerySchema,
  TICKET_CATEGORIES,
  UNSOLVED_STATUSES,
  pauseIntervals,
  type Account,
  type AccountSummary,
  type SummaryFigures,
  type Ticket,
  type TicketScope,
} from '@portico/core';
import { validationFailed } from '../problem.ts';
import { slaFacts } from '../sla.ts';
import type { Store } from '../store.ts';
import { queryFieldErrors, type PorticoApp, type RouteKit } from './kit.ts';
import { activityReach, type LiveKit } from './live-kit.ts';

const DAY = 24 * 3600 * 1000;
const PAGE = 500;

export function registerSummaryRoutes(app: PorticoApp, kit: RouteKit, live: LiveKit): void {
  app.get('/v1/summary', async (c) => {
    const caller = c.get('caller');
    const parsed = SummaryQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const days = parsed.data.days ?? 30;
    const wanted = parsed.data.account || caller.account.id;
    const { accountIds, scope } = activityReach(caller, wanted);
    const now = kit.now();
    const period = { from: new Date(now.getTime() - days * DAY).toISOString(), to: now.toISOString() };
    await live.sweeper.maybeSweep();

    const accounts = [caller.account, ...caller.children].filter((a) => accountIds.includes(a.id));
    const perAccount: { account: Account; figures: SummaryFigures; tickets: Ticket[] }[] = [];
    for (const account of accounts) {
      const tickets = await visibleTickets(kit.store, scope, account.id);
      perAccount.push({ account, tickets, figures: await figuresOf(kit.store, live.raw, tickets, scope, [account.id], period) });
    }
    const ref = (a: Account) => ({ id: a.id, name: a.name, parentId: a.parentId });
    const rollUp = accounts.length > 1;
    const body: AccountSummary = {
      account: rollUp ? null : ref(accounts[0]!),
      from: period.from,
      to: period.to,
      figures: rollUp
        ? await figuresOf(
            kit.store,
            live.raw,
            perAccount.flatMap((p) => p.tickets),
            scope,
            accountIds,
            period,
          )
        : perAccount[0]!.figures,
      accounts: rollUp ? perAccount.map((p) => ({ account: ref(p.account), figures: p.figures })) : [],
    };
    return c.json(body);
  });
}

/** Every ticket of an account inside the caller's scope, with `sla` filled. */
async function visibleTickets(store: Store, scope: TicketScope, accountId: string): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let after;
  for (;;) {
    const page = await store.searchTickets({ scope, filter: { accountIds: [accountId] }, sort: 'created', after, limit: PAGE });
    out.push(...page.items);
    if (!page.nextCursor || page.items.length === 0) break;
    const last = page.items.at(-1)!;
    after = [last.createdAt, last.id] as const;
  }
  return out;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
};

async function figuresOf(
  store: Store,
  raw: Store,
  tickets: readonly Ticket[],
  scope: TicketScope,
  accountIds: readonly string[],
  period: { from: string; to: string },
): Promise<SummaryFigures> {
  const unsolved: readonly string[] = UNSOLVED_STATUSES;
  const open = { new: 0, open: 0, pending: 0, total: 0 };
  const slaNow = { atRisk: 0, breached: 0 };
  const compliance = { met: 0, breached: 0 };
  const byCategory = Object.fromEntries(TICKET_CATEGORIES.map((k) => [k, 0])) as SummaryFigures['byCategory'];
  const recent = tickets.filter((t) => t.createdAt >= period.from && t.createdAt < period.to);
  for (const t of tickets) {
    if (!unsolved.includes(t.status)) continue;
    open[t.status as 'new' | 'open' | 'pending']++;
    open.total++;
    const states = [t.sla?.firstResponse.state, t.sla?.resolution.state];
    if (states.includes('breached')) slaNow.breached++;
    else if (states.includes('at_risk')) slaNow.atRisk++;
  }
  const history = await raw.getSlaHistory(recent.map((t) => t.id));
  const firstResponse: number[] = [];
  const resolution: number[] = [];
  const nowMs = Date.parse(period.to);
  for (const t of recent) {
    byCategory[t.category]++;
    for (const clock of [t.sla?.firstResponse, t.sla?.resolution]) {
      if (clock?.state === 'met') compliance.met++;
      if (clock?.state === 'breached') compliance.breached++;
    }
    const h = history.get(t.id);
    const created = Date.parse(t.createdAt);
    if (h?.firstResponseAt) firstResponse.push((Date.parse(h.firstResponseAt) - created) / 60_000);
    const { resolvedAt } = pauseIntervals(slaFacts(t, h), nowMs);
    if (resolvedAt !== null) resolution.push((resolvedAt - created) / 60_000);
  }
  const ratings = await allActivity(store, scope, accountIds, ['ticket.satisfaction_rated'], period);
  const good = ratings.filter((a) => a.data.rating === 'good').length;
  const bad = ratings.filter((a) => a.data.rating === 'bad').length;
  const deflections = await store.countActivity({ scope, accountIds, filter: { types: ['article.deflected'], from: period.from, to: period.to } });
  const ratio = (a: number, b: number) => (a + b === 0 ? null : a / (a + b));
  return {
    open,
    slaNow,
    slaCompliance: { ...compliance, ratio: ratio(compliance.met, compliance.breached) },
    medianFirstResponseMinutes: median(firstResponse),
    medianResolutionMinutes: median(resolution),
    csat: { good, bad, ratio: ratio(good, bad) },
    byCategory,
    deflections,
  };
}

async function allActivity(
  store: Store,
  scope: TicketScope,
  accountIds: readonly string[],
  types: Parameters<Store['countActivity']>[0]['filter']['types'],
  period: { from: string; to: string },
) {
  const out = [];
  let after: readonly [string, string] | undefined;
  for (;;) {
    const page = await store.searchActivity({ scope, accountIds, filter: { types, from: period.from, to: period.to }, after, limit: PAGE });
    out.push(...page.items);
    const last = page.items.at(-1);
    if (!page.nextCursor || !last) break;
    after = [last.createdAt, last.id];
  }
  return out;
}
