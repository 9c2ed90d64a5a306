// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
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
