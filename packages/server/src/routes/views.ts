/**
 * Saved views (`/v1/views`): named list filters, personal or shared with the account.
 * Everyone may keep personal views; only admins (`view.share`) share or delete shared ones.
 */
import { SavedViewCreateSchema, can, fieldErrorsOf, reachableAccountIds, type SavedView } from '@portico/core';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import { newId } from '../store.ts';
import { contactActor } from './ticket-actions.ts';
import type { PorticoApp, RouteKit } from './kit.ts';

/** Most personal views one contact keeps, and most shared views one account keeps. */
export const MAX_PERSONAL_VIEWS = 50;
export const MAX_SHARED_VIEWS = 50;

export function registerViewRoutes(app: PorticoApp, kit: RouteKit): void {
  app.get('/v1/views', async (c) => {
    const { account, contact } = c.get('caller');
    return c.json({ items: await kit.store.listSavedViews(account.id, contact.id) });
  });

  app.post('/v1/views', async (c) => {
    const caller = c.get('caller');
    const { actor, account, contact } = caller;
    const body = await kit.readJson(c);
    const parsed = SavedViewCreateSchema.safeParse(body);
    if (!parsed.success) throw validationFailed(fieldErrorsOf(parsed.error.issues));
    const input = parsed.data;
    if (input.shared && !can(actor, 'view.share')) throw new ProblemError(403, 'forbidden', 'Only account admins can share views with the account.');
    const target = input.query.account;
    if (target && target !== 'all' && !reachableAccountIds(actor).includes(target)) {
      throw validationFailed({ 'query.account': ['Choose your account, one of its child accounts, or all.'] });
    }
    return kit.idempotent(c, contact.id, body, async (idempotency) => {
      const existing = await kit.store.listSavedViews(account.id, contact.id);
      const mine = existing.filter((v) => (input.shared ? v.shared : !v.shared && v.ownerId === contact.id));
      const max = input.shared ? MAX_SHARED_VIEWS : MAX_PERSONAL_VIEWS;
      if (mine.length >= max) {
        throw new ProblemError(409, 'conflict', `There are already ${max} ${input.shared ? 'shared' : 'personal'} views; delete one first.`);
      }
      const view: SavedView = {
        id: newId('vw'),
        accountId: account.id,
        ownerId: contact.id,
        ownerName: contact.name,
        name: input.name,
        shared: input.shared,
        query: input.query,
        createdAt: kit.now().toISOString(),
      };
      const created = await kit.store.createSavedView(view, { idempotency });
      return c.json(created, 201, { Location: `${c.req.path.replace(/\/$/, '')}/${encodeURIComponent(created.id)}` });
    });
  });

  app.delete('/v1/views/:id', async (c) => {
    const caller = c.get('caller');
    const { actor, account, contact } = caller;
    const view = await kit.store.getSavedView(c.req.param('id'));
    // Another contact's personal view, or another account's view, does not exist for the caller.
    if (!view || view.accountId !== account.id || (!view.shared && view.ownerId !== contact.id)) throw notFound('No such view, or you may not see it.');
    if (view.shared && !can(actor, 'view.share')) throw new ProblemError(403, 'forbidden', 'Only account admins can delete shared views.');
    await kit.store.deleteSavedView(view.id, contactActor(caller), kit.now().toISOString());
    return c.body(null, 204);
  });
}
