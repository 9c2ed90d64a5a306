import { defineElement } from '../define-element.ts';
import { PorticoNotifications } from '../notifications/notifications.ts';

defineElement('portico-notifications', PorticoNotifications);

export { PorticoNotifications };
export type { PorticoNotificationSelectDetail } from '../notifications/notifications.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-notifications': PorticoNotifications;
  }
}
