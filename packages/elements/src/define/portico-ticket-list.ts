import { defineElement } from '../define-element.ts';
import { PorticoTicketList } from '../ticket-list/ticket-list.ts';

defineElement('portico-ticket-list', PorticoTicketList);

export { PorticoTicketList };
export type { PorticoTicketSelectDetail, PorticoViewChangeDetail } from '../ticket-list/ticket-list.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-ticket-list': PorticoTicketList;
  }
}
