// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
import { defineElement } from '../define-element.ts';
import { PorticoContacts } from '../contacts/contacts.ts';

defineElement('portico-contacts', PorticoContacts);

export { PorticoContacts };
export type { PorticoContactChange, PorticoContactDeactivatedDetail, PorticoContactInvitedDetail, PorticoContactUpdatedDetail } from '../contacts/contacts.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-contacts': PorticoContacts;
  }
}
