// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
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
