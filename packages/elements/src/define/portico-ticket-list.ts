// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
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
