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
