/**
 * The page `npm run bench:browser` drives (bundled by scripts/bench-browser.mjs): the real
 * `<portico-ticket-list>` beside a hand-written DOM version of the same rows, and the
 * operations both are timed on. Each operation's data is made before the clock starts, so
 * what is timed is only the DOM work (the Lit element's render, or the hand-written loop).
 */
import type { PorticoClient, Ticket, TicketPage } from '@portico/core';
import '@portico/elements/define/portico-provider.js';
import '@portico/elements/define/portico-ticket-list.js';
import '@portico/elements/define/portico-support-panel.js';
import type { PorticoTicketList } from '@portico/elements';
import { adoptStyles, type CSSResultOrNative } from 'lit';
import { absoluteTime, relativeTime } from '../../packages/elements/src/internal/format.ts';
import { priorityLabel, statusLabel } from '../../packages/elements/src/internal/labels.ts';
import listStyles from '../../packages/elements/src/ticket-list/ticket-list.styles.ts';

const STATUSES = ['new', 'open', 'pending', 'solved'] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const CATEGORIES = ['technical', 'billing', 'account', 'feature_request'] as const;
const WORDS = ['Export', 'fails', 'for', 'large', 'dashboards', 'after', 'the', 'upgrade', 'billing', 'invoice', 'missing', 'SSO', 'login', 'loop'];

let serial = 0;

/** `count` new tickets (fresh ids each call, as after a reload of another view). */
export function makeTickets(count: number): Ticket[] {
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const n = ++serial;
    const at = new Date(now - n * 37_000).toISOString();
    return {
      id: `tkt_b${n}`,
      ref: `T-${10_000 + n}`,
      accountId: 'acc_acme',
      subject: Array.from({ length: 6 }, (_, i) => WORDS[(n * 7 + i * 3) % WORDS.length]).join(' '),
      description: '',
      status: STATUSES[n % 4]!,
      priority: PRIORITIES[n % 4]!,
      category: CATEGORIES[n % 4]!,
      visibility: n % 5 === 0 ? 'private' : 'account',
      requester: { id: `con_${n % 40}`, name: `Person ${n % 40}`, email: `p${n % 40}@acme.example` },
      followerIds: [],
      assignee: null,
      escalated: n % 9 === 0,
      commentCount: n % 7,
      createdAt: at,
      updatedAt: at,
      version: 1,
      sla: null,
    } as Ticket;
  });
}

/** Every 10th ticket changed (a new object, as a live update makes); the others kept as they are. */
export const everyTenthChanged = (tickets: readonly Ticket[]): Ticket[] =>
  tickets.map((t, i) => (i % 10 === 0 ? { ...t, subject: `${t.subject} !!!`, version: t.version + 1 } : t));

/** A client that answers the list's first request with an empty page: the rows come from the benchmark. */
const emptyClient = {
  listTickets: async (): Promise<TicketPage> => ({ items: [], nextCursor: null, counts: { mine: 0, account: 0, following: 0, unsolved: 0 } }),
  listViews: async () => ({ items: [] }),
} as unknown as PorticoClient;

/** What both versions offer the benchmark. */
export interface ListUnderTest {
  /** Shows exactly `tickets`; resolves when the DOM shows them. */
  set(tickets: readonly Ticket[]): Promise<void>;
  /** The scrolling box around the rows. */
  readonly box: HTMLElement;
  /** How many rows the DOM holds. */
  rows(): number;
}

function scrollBox(): HTMLElement {
  const box = document.createElement('div');
  box.style.cssText = 'height: 600px; overflow: auto; inline-size: 720px;';
  document.body.append(box);
  return box;
}

/** The real element, fed through the same state its live updates set. */
export async function litList(): Promise<ListUnderTest> {
  const box = scrollBox();
  const list = document.createElement('portico-ticket-list') as PorticoTicketList;
  list.client = emptyClient;
  box.append(list);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await list.updateComplete;
  const state = list as unknown as { items: readonly Ticket[] };
  return {
    box,
    async set(tickets) {
      state.items = tickets;
      await list.updateComplete;
    },
    rows: () => list.shadowRoot!.querySelectorAll('[part~="row"]').length,
  };
}

/**
 * The same rows written by hand. On an update, `patch: 'row'` writes every field of each row
 * whose ticket changed (what a hand-written list must do when any field may have changed);
 * `patch: 'subject'` writes only the subject, knowing that is all that changed (a lower bound).
 */
export function vanillaList(patch: 'row' | 'subject' = 'row'): ListUnderTest {
  const box = scrollBox();
  const host = document.createElement('div');
  box.append(host);
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, [listStyles].flat(3) as CSSResultOrNative[]);
  const ul = document.createElement('ul');
  ul.className = 'list';
  ul.setAttribute('role', 'listbox');
  root.append(ul);
  let shown: readonly Ticket[] = [];
  const rows = new Map<string, Record<'ref' | 'subject' | 'status' | 'priority' | 'requester' | 'time' | 'flags', HTMLElement> & { time: HTMLTimeElement }>();
  const span = (part: string, text: string) => {
    const el = document.createElement('span');
    el.setAttribute('part', part);
    el.className = part;
    el.textContent = text;
    return el;
  };
  /** A row's elements, made once; `fill` writes every field (a changed ticket may differ in any). */
  const row = (t: Ticket, index: number) => {
    const li = document.createElement('li');
    li.setAttribute('part', 'row');
    li.className = 'row';
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    li.tabIndex = index === 0 ? 0 : -1;
    li.dataset.index = String(index);
    li.dataset.id = t.id;
    const time = document.createElement('time');
    const updated = document.createElement('span');
    updated.append('Updated ', time);
    const meta = span('meta', '');
    const fields = {
      ref: span('ref', ''),
      subject: span('subject', ''),
      status: span('status', ''),
      priority: span('priority', ''),
      requester: span('requester', ''),
      time,
      flags: span('flags', ''),
    };
    meta.append(fields.requester, updated, fields.flags);
    li.append(fields.ref, fields.subject, fields.status, fields.priority, meta);
    rows.set(t.id, fields);
    return li;
  };
  const fill = (t: Ticket, now: number) => {
    const f = rows.get(t.id)!;
    f.ref.textContent = t.ref;
    f.subject.textContent = t.subject;
    f.status.textContent = statusLabel(t.status);
    f.status.dataset.status = t.status;
    f.priority.textContent = priorityLabel(t.priority);
    f.priority.dataset.priority = t.priority;
    f.requester.textContent = t.requester.name;
    f.time.dateTime = t.updatedAt;
    f.time.title = absoluteTime(t.updatedAt, 'en');
    f.time.textContent = relativeTime(t.updatedAt, 'en', now);
    f.flags.textContent = [t.visibility === 'private' ? 'Private' : '', t.escalated ? 'Escalated' : ''].join(' ');
  };
  return {
    box,
    async set(tickets) {
      const now = Date.now();
      if (!tickets.length) {
        ul.textContent = '';
        rows.clear();
      } else if (shown.length === tickets.length && shown[0]?.id === tickets[0]?.id) {
        // Same rows: write the fields of those whose ticket changed.
        for (let i = 0; i < tickets.length; i++) {
          const t = tickets[i]!;
          if (t === shown[i]) continue;
          if (patch === 'row') fill(t, now);
          else rows.get(t.id)!.subject.textContent = t.subject;
        }
      } else {
        rows.clear();
        const fragment = document.createDocumentFragment();
        tickets.forEach((t, i) => {
          fragment.append(row(t, i));
          fill(t, now);
        });
        ul.replaceChildren(fragment);
      }
      shown = tickets;
    },
    rows: () => ul.children.length,
  };
}

export interface OpTiming {
  /** From the change to the DOM holding it (script). */
  script: number;
  /** The same plus style and layout (forced). */
  total: number;
}

/** Times one change of `list` from `before` to `after` (`before` is set first, untimed). */
export async function timeOp(list: ListUnderTest, before: readonly Ticket[], after: readonly Ticket[]): Promise<OpTiming> {
  await list.set(before);
  void list.box.offsetHeight;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const t0 = performance.now();
  await list.set(after);
  const t1 = performance.now();
  void list.box.offsetHeight;
  const t2 = performance.now();
  if (list.rows() !== after.length) throw new Error(`expected ${after.length} rows, the DOM has ${list.rows()}`);
  return { script: t1 - t0, total: t2 - t0 };
}

/** Frame intervals while scrolling `list` through `count` rows, `step` pixels a frame. */
export async function scrollFrames(list: ListUnderTest, count: number, step = 120, frames = 240): Promise<{ createMs: number; intervals: number[] }> {
  const tickets = makeTickets(count);
  const t0 = performance.now();
  await list.set(tickets);
  void list.box.offsetHeight;
  const createMs = performance.now() - t0;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const intervals: number[] = [];
  await new Promise<void>((done) => {
    let last = performance.now();
    let n = 0;
    const tick = (now: number) => {
      intervals.push(now - last);
      last = now;
      list.box.scrollTop += step;
      if (++n < frames) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame((now) => {
      last = now;
      list.box.scrollTop += step;
      requestAnimationFrame(tick);
    });
  });
  return { createMs, intervals };
}

/** Mounts a provider with `token` around a support panel; resolves when `ready(panel)` holds. */
export async function mountPanel(token: string, mode: 'inline' | 'launcher', ready: (panel: Element) => boolean): Promise<number> {
  const t0 = performance.now();
  const provider = document.createElement('portico-provider');
  provider.setAttribute('api-base', '/api');
  provider.setAttribute('token', token);
  const panel = document.createElement('portico-support-panel');
  panel.setAttribute('mode', mode);
  provider.append(panel);
  document.body.append(provider);
  while (!ready(panel)) await new Promise((resolve) => setTimeout(resolve, 5));
  const wall = performance.now() - t0;
  provider.remove();
  return wall;
}

declare global {
  interface Window {
    bench: typeof import('./bench-page.ts');
  }
}
window.bench = { makeTickets, everyTenthChanged, litList, vanillaList, timeOp, scrollFrames, mountPanel };
