import { defineElement } from '../define-element.ts';
import { PorticoProvider } from '../provider/provider.ts';
import { PorticoSessionWarning } from '../provider/session-warning.ts';

defineElement('portico-provider', PorticoProvider);
// The provider's own warning dialog before the session ends (not a public element).
defineElement('portico-session-warning', PorticoSessionWarning);

export { PorticoProvider };
export type { PorticoSessionChangeDetail, PorticoSessionExpiredDetail, PorticoSessionWarningDetail } from '../provider/provider.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-provider': PorticoProvider;
  }
}
