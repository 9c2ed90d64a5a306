import type { Contact, PorticoClient } from '@portico/core';
import type { LitElement } from 'lit';
import type { Emit } from '../events.ts';

/**
 * What the admin parts of `<portico-contacts>` that load on first use (the invite form, the
 * deactivate / transfer dialog) may ask of the element that shows them.
 */
export interface AdminHost {
  /** The element: they render into its shadow root and dispatch its events. */
  readonly el: LitElement;
  /** The client; the child account to act in (undefined = the caller's own); the own account's domains when acting there. */
  context(): { client: PorticoClient | undefined; accountId: string | undefined; domains: readonly string[] | undefined };
  /** Shows the server's copy of a row (undefined: the contact is gone). */
  replaceRow(contact: Contact | undefined, id: string): void;
  /** A change went through: says so; `reload` when other rows changed too (new contact, moved tickets). */
  announce(notice: string, reload: unknown): void;
  /** Dispatches one of the element's events (bubbling, composed). */
  readonly emit: Emit<'portico-contacts'>;
  /** Closes the invite form (sent, cancelled or Escape) and returns focus to its button. */
  closeInvite(): void;
}
