import { createContext } from '@lit/context';
import type { PorticoClient, PorticoError, Session } from '@portico/core';

/** Where the session stands. */
export const SESSION_STATUSES = ['loading', 'ready', 'error', 'expired'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * The session as the provider shares it. Immutable: the provider replaces the object
 * on every change, so `subscribe: true` consumers re-render.
 */
export interface SessionState {
  readonly status: SessionStatus;
  /** The loaded session (kept while a refresh is loading). */
  readonly session?: Session | undefined;
  /** Why loading failed (`error`) or the 401 that ended it (`expired`). */
  readonly error?: PorticoError | undefined;
  /** Bumped by `refresh()` and on client change: data consumers refetch when it changes. */
  readonly revision: number;
}

/** The backend adapter, provided by `<portico-provider>`. Keyed globally so two SDK copies agree. */
export const clientContext = createContext<PorticoClient | undefined>(Symbol.for('portico/client@1'));

/** The session state, provided by `<portico-provider>`. */
export const sessionContext = createContext<SessionState | undefined>(Symbol.for('portico/session@1'));
