/**
 * View counts from counters: a ticket count decomposed into sums of counter rows that the SQL
 * stores keep in the writing transaction (per account, per requester, per follower). The plan
 * is store-neutral; each store turns its terms into SQL (see docs/performance.md).
 */
import type { TicketScope } from '@portico/core';
import { searchWords, type TicketFilter } from './store.ts';

type ScopeClause = TicketScope[number];
/** A `shared` scope clause: which categories of the account's shared tickets it reaches (null = all). */
export type SharedCategories = readonly string[] | null;

/**
 * One sum of counter rows of one account, restricted by the filter's status, priority and
 * category lists. `ticket_counts`: every ticket of the account; `requester_counts`: the tickets
 * `contactId` requested; `follower_counts`: the tickets `contactId` follows (`requested`: only
 * those they also requested, or only those they did not). `shared` keeps only the tickets a
 * shared clause reaches, `notShared` only those it does not.
 */
export interface CounterTerm {
  table: 'ticket_counts' | 'requester_counts' | 'follower_counts';
  accountId: string;
  contactId?: string | undefined;
  requested?: boolean | undefined;
  shared?: SharedCategories | undefined;
  notShared?: SharedCategories | undefined;
}

/** A scope's clauses by account. */
function scopeByAccount(scope: TicketScope): Map<string, ScopeClause[]> {
  const byAccount = new Map<string, ScopeClause[]>();
  for (const clause of scope) byAccount.set(clause.accountId, [...(byAccount.get(clause.accountId) ?? []), clause]);
  return byAccount;
}

/**
 * The counter sums whose total is exactly the number of tickets inside `scope` passing `f`, or
 * undefined when the filter reads what no counter keeps (text, assignee, time, a requester and
 * a follower together) or the scope has a shape this does not decompose. A ticket is counted
 * once, and only when the scope lets the caller see it.
 */
export function planCount(scope: TicketScope, f: TicketFilter): CounterTerm[] | undefined {
  if (f.text !== undefined || f.assignees !== undefined || f.updatedSince !== undefined) return undefined;
  if (f.requesterIds !== undefined && f.followerId !== undefined) return undefined;
  const terms: CounterTerm[] = [];
  for (const [accountId, clauses] of scopeByAccount(scope)) {
    if (f.accountIds && !f.accountIds.includes(accountId)) continue;
    const all = clauses.some((c) => c.kind === 'all');
    const shared = clauses.filter((c) => c.kind === 'shared');
    const involved = clauses.filter((c) => c.kind === 'involved');
    if (!all && (shared.length > 1 || involved.length > 1)) return undefined;
    const sharedCategories = shared[0]?.categories;
    const involvedId = involved[0]?.contactId;
    if (f.requesterIds !== undefined) {
      for (const contactId of new Set(f.requesterIds)) {
        const term = { table: 'requester_counts', accountId, contactId } as const;
        if (all || involvedId === contactId) terms.push(term);
        // Another contact's tickets that the caller follows: no counter knows these.
        else if (involvedId !== undefined) return undefined;
        else if (shared[0]) terms.push({ ...term, shared: sharedCategories });
      }
    } else if (f.followerId !== undefined) {
      const term = { table: 'follower_counts', accountId, contactId: f.followerId } as const;
      if (all || involvedId === f.followerId) terms.push(term);
      else if (involvedId !== undefined) return undefined;
      else if (shared[0]) terms.push({ ...term, shared: sharedCategories });
    } else if (all) {
      terms.push({ table: 'ticket_counts', accountId });
    } else {
      // The shared tickets, then the caller's own that are not shared: requested, or followed
      // but requested by someone else.
      if (shared[0]) terms.push({ table: 'ticket_counts', accountId, shared: sharedCategories });
      if (involvedId !== undefined) {
        const notShared = shared[0] ? sharedCategories : undefined;
        const own = { accountId, contactId: involvedId, notShared };
        terms.push({ table: 'requester_counts', ...own }, { table: 'follower_counts', ...own, requested: false });
      }
    }
  }
  return terms;
}

/** The key column naming the contact of each counter table. */
const CONTACT_COLUMN = { ticket_counts: undefined, requester_counts: 'requester_id', follower_counts: 'follower_id' } as const;

/** The conditions of a term's counter rows besides its account and contact (see `counterSumSql`). */
function termConditions(term: CounterTerm, f: TicketFilter, param: (value: string | number) => string): string[] {
  const inList = (column: string, values: readonly string[]) => (values.length === 0 ? 'false' : `${column} IN (${values.map((v) => param(v)).join(', ')})`);
  const sharedSql = (categories: SharedCategories) => `(visibility = 'account' AND ${categories === null ? 'true' : inList('category', categories)})`;
  const parts: string[] = [];
  if (term.requested !== undefined) parts.push(`requested = ${param(term.requested ? 1 : 0)}`);
  if (term.shared !== undefined) parts.push(sharedSql(term.shared));
  if (term.notShared !== undefined) parts.push(`NOT ${sharedSql(term.notShared)}`);
  if (f.statuses) parts.push(inList('status', f.statuses));
  if (f.priorities) parts.push(inList('priority', f.priorities));
  if (f.categories) parts.push(inList('category', f.categories));
  return parts;
}

/** The key conditions of a term: its account, and its contact in the tables keyed by one. */
function termKey(term: CounterTerm, param: (value: string | number) => string): string[] {
  const contactColumn = CONTACT_COLUMN[term.table];
  return [`account_id = ${param(term.accountId)}`, ...(contactColumn !== undefined ? [`${contactColumn} = ${param(term.contactId!)}`] : [])];
}

/**
 * One SQL expression (valid in SQLite and PostgreSQL) adding up `terms` under the filter's
 * status, priority and category lists; `param` binds a value and returns its placeholder, in
 * the order the placeholders appear.
 */
export function counterSumSql(terms: readonly CounterTerm[], f: TicketFilter, param: (value: string | number) => string): string {
  if (terms.length === 0) return '0';
  const sums = terms.map((term) => {
    const parts = [...termKey(term, param), ...termConditions(term, f, param)];
    return `(SELECT coalesce(sum(n), 0) FROM ${term.table} WHERE ${parts.join(' AND ')})`;
  });
  return sums.join(' + ');
}

/**
 * One PostgreSQL statement answering the counts of `plans` (each the terms of `filters[i]`, as
 * `n0`, `n1`, …) that reads the counter rows of each table, account and contact once: a list's
 * four view counts name the same few keys again and again (a member's own requester rows in
 * three of them), and each sub-select of `counterSumSql` read them afresh. The terms become
 * `sum(n) FILTER (WHERE …)` columns of one aggregate per key. `param` binds a value and returns
 * its placeholder (`$n`: PostgreSQL only, the placeholders are not in binding order).
 */
export function counterSumsSql(
  plans: readonly (readonly CounterTerm[])[],
  filters: readonly TicketFilter[],
  param: (value: string | number) => string,
): string {
  const groups = new Map<string, { alias: string; table: string; key: string[]; sums: string[] }>();
  const columns = plans.map((terms, i) => {
    const sum = terms.map((term) => {
      const id = JSON.stringify([term.table, term.accountId, CONTACT_COLUMN[term.table] === undefined ? null : term.contactId]);
      let group = groups.get(id);
      if (!group) {
        group = { alias: `k${groups.size}`, table: term.table, key: termKey(term, param), sums: [] };
        groups.set(id, group);
      }
      const conditions = termConditions(term, filters[i]!, param);
      group.sums.push(conditions.length ? `sum(n) FILTER (WHERE ${conditions.join(' AND ')})` : 'sum(n)');
      return `coalesce(${group.alias}.s${group.sums.length - 1}, 0)`;
    });
    return `${sum.length ? sum.join(' + ') : '0'} AS n${i}`;
  });
  const from = [...groups.values()].map(
    (g) => `(SELECT ${g.sums.map((s, j) => `${s} AS s${j}`).join(', ')} FROM ${g.table} WHERE ${g.key.join(' AND ')}) ${g.alias}`,
  );
  return `SELECT ${columns.join(', ')}${from.length ? ` FROM ${from.join(', ')}` : ''}`;
}

/** Whether `countTicketsEach` with `cap` bounds the count of `f`: a count of search words (counter counts stay exact). */
export const isCappedCount = (f: TicketFilter, cap: number | undefined): cap is number =>
  cap !== undefined && f.text !== undefined && searchWords(f.text).length > 0;

/**
 * `Store.countTicketsEach` with a cap, for a SQL store: the filters without search words through
 * `exact` (its counters, unchanged), those with words through `upTo` (each at most `cap + 1`
 * matches), answered in the filters' order; undefined when no filter is capped (the store
 * counts them all exactly itself).
 */
export async function countEachCapped(
  filters: readonly TicketFilter[],
  cap: number | undefined,
  exact: (filters: readonly TicketFilter[]) => Promise<number[]>,
  upTo: (filters: readonly TicketFilter[], most: number) => number[] | Promise<number[]>,
): Promise<number[] | undefined> {
  const capped = filters.map((f) => isCappedCount(f, cap));
  if (!capped.includes(true)) return undefined;
  const counts = await exact(filters.filter((_, i) => !capped[i]));
  const bounded = await upTo(
    filters.filter((_, i) => capped[i]),
    cap! + 1,
  );
  return capped.map((c) => (c ? bounded.shift()! : counts.shift()!));
}
