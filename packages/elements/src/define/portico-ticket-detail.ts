import { defineElement } from '../define-element.ts';
import { PorticoTicketDetail } from '../ticket-detail/ticket-detail.ts';

defineElement('portico-ticket-detail', PorticoTicketDetail);

export { PorticoTicketDetail };
export type { PorticoCommentCreatedDetail, PorticoTicketEscalatedDetail, PorticoTicketUpdatedDetail } from '../ticket-detail/ticket-detail.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-ticket-detail': PorticoTicketDetail;
  }
}
