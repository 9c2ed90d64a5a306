import { defineElement } from '../define-element.ts';
import { PorticoProvider } from '../provider/provider.ts';

defineElement('portico-provider', PorticoProvider);
// The provider's own warning dialog before the session ends (not a public element) is imported
// and registered by the provider once a session end is known (see provider.ts).

export { PorticoProvider };
export type { PorticoSessionChangeDetail, PorticoSessionExpiredDetail, PorticoSessionWarningDetail } from '../provider/provider.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-provider': PorticoProvider;
  }
}
