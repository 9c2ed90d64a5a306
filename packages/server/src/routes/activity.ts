/**
 * The account activity timeline (`GET /v1/activity`) and the contact's notifications
 * (`GET /v1/notifications`, `POST /v1/notifications/seen`). An entry is visible only when
 * its subject is: a ticket's entries to those who may see the ticket now, contact entries
 * to those who manage the account's contacts (core's `canSeeContactActivity`).
 */
import {
  ACTIVITY_TYPES,
  ActivityQuerySchema,
  DEFAULT_PAGE_SIZE,
  can,
  isContactActivity,
  NotificationsSeenSchema,
  PageQuerySchema,
  ticketScope,
  type NotificationPage,
} from '@portico/core';
import { decodeCursor } from '../cursor.ts';
import { validationFailed } from '../problem.ts';
import type { ActivityFilter } from '../store.ts';
import { queryFieldErrors, type PorticoApp, type RouteKit } from './kit.ts';
import { activityReach, withTicketBriefs, type LiveKit } from './live-kit.ts';

/** Notifications look back this far at most. */
const NOTIFICATION_WINDOW_MS = 30 * 24 * 3600 * 1000;

function decodeActivityCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined;
  const after = decodeCursor(cursor, 'a', 'ss') as [string, string] | undefined;
  if (!after) throw validationFailed({ cursor: ['This cursor is invalid.'] }, 'The query is invalid.');
  return after;
}

export function registerActivityRoutes(app: PorticoApp, kit: RouteKit, live: LiveKit): void {
  app.get('/v1/activity', async (c) => {
    const caller = c.get('caller');
    const parsed = ActivityQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const q = parsed.data;
    if (q.from && q.to && q.from >= q.to) throw validationFailed({ to: ['to must be after from.'] }, 'The query is invalid.');
    const after = decodeActivityCursor(q.cursor);
    // Reading the timeline is a good moment to catch up on SLA crossings (throttled).
    await live.sweeper.maybeSweep();
    const requested = q.type && q.type.length ? q.type : undefined;
    // Contact entries only for those who manage the account's contacts (admins reach all they see).
    const types = can(caller.actor, 'contact.manage') ? requested : (requested ?? ACTIVITY_TYPES).filter((t) => !isContactActivity(t));
    if (types && types.length === 0) return c.json({ items: [], nextCursor: null });
    const filter: ActivityFilter = {
      types,
      ticketId: q.ticket,
      contactId: q.contact,
      from: q.from,
      to: q.to,
    };
    const page = await kit.store.searchActivity({ ...activityReach(caller, q.account), filter, after, limit: q.limit ?? DEFAULT_PAGE_SIZE });
    return c.json({ items: await withTicketBriefs(live.raw, page.items), nextCursor: page.nextCursor });
  });

  app.get('/v1/notifications', async (c) => {
    const caller = c.get('caller');
    const parsed = PageQuerySchema.safeParse(kit.query(c));
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues), 'The query is invalid.');
    const after = decodeActivityCursor(parsed.data.cursor);
    await live.sweeper.maybeSweep();
    const seenAt = await kit.store.getNotificationsSeenAt(caller.contact.id);
    const windowStart = new Date(kit.now().getTime() - NOTIFICATION_WINDOW_MS).toISOString();
    const search = {
      accountIds: [caller.account.id, ...caller.children.map((a) => a.id)],
      scope: ticketScope(caller.actor),
      filter: { involvingContactId: caller.contact.id, excludeActorId: caller.contact.id, from: windowStart } satisfies ActivityFilter,
    };
    const page = await kit.store.searchActivity({ ...search, after, limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE });
    // Unseen = strictly after the mark (timestamps have millisecond precision).
    const afterMark = seenAt ? new Date(Date.parse(seenAt) + 1).toISOString() : windowStart;
    const from = afterMark > windowStart ? afterMark : windowStart;
    const unseenCount = await kit.store.countActivity({ ...search, filter: { ...search.filter, from } });
    const items = (await withTicketBriefs(live.raw, page.items)).map((a) => ({ ...a, unseen: a.createdAt >= from }));
    const body: NotificationPage & { nextCursor: string | null } = { items, unseenCount, seenAt, nextCursor: page.nextCursor };
    return c.json(body);
  });

  app.post('/v1/notifications/seen', async (c) => {
    const caller = c.get('caller');
    const body = await kit.readJson(c);
    const parsed = NotificationsSeenSchema.safeParse(body ?? {});
    if (!parsed.success) throw validationFailed(queryFieldErrors(parsed.error.issues));
    const now = kit.now().toISOString();
    const until = parsed.data.until && parsed.data.until < now ? new Date(parsed.data.until).toISOString() : now;
    const previous = await kit.store.getNotificationsSeenAt(caller.contact.id);
    // Never move the mark backwards (two tabs marking at once).
    if (!previous || until > previous) await kit.store.setNotificationsSeenAt(caller.contact.id, until);
    return c.body(null, 204);
  });
}
