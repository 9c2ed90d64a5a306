// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
import { defineElement } from '../define-element.ts';
import { PorticoTicketForm } from '../ticket-form/ticket-form.ts';

defineElement('portico-ticket-form', PorticoTicketForm);

export { PorticoTicketForm };
export type { PorticoTicketCreatedDetail, PorticoTicketFollowedDetail, PorticoTicketSubmitDetail } from '../ticket-form/ticket-form.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-ticket-form': PorticoTicketForm;
  }
}
