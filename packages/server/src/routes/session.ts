/** `GET /v1/me`: who the caller is, which accounts they reach, what they may do. */
import { permissionsOf, reachableAccountIds, rulesOf, type Session } from '@portico/core';
import type { PorticoApp } from './kit.ts';

export function registerSessionRoutes(app: PorticoApp): void {
  app.get('/v1/me', (c) => {
    const { actor, contact, account, children } = c.get('caller');
    const reachable = new Set(reachableAccountIds(actor));
    const rules = rulesOf(actor);
    const session: Session = {
      contact,
      account,
      accounts: [account, ...children].filter((a) => reachable.has(a.id)).map((a) => ({ id: a.id, name: a.name, parentId: a.parentId })),
      permissions: permissionsOf(actor),
      rules: { ...rules, seesShared: typeof rules.seesShared === 'boolean' ? rules.seesShared : [...rules.seesShared] },
    };
    return c.json(session);
  });
}
