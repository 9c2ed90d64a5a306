import { defineElement } from '../define-element.ts';
import { PorticoContacts } from '../contacts/contacts.ts';

defineElement('portico-contacts', PorticoContacts);

export { PorticoContacts };
export type {
  PorticoContactChange,
  PorticoContactDeactivatedDetail,
  PorticoContactInvitedDetail,
  PorticoContactUpdatedDetail,
} from '../contacts/contacts.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-contacts': PorticoContacts;
  }
}
