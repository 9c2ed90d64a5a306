import { defineElement } from '../define-element.ts';
import { PorticoProvider } from '../provider/provider.ts';
import { setSessionWarningLoader } from '../provider/session-warning-load.ts';

defineElement('portico-provider', PorticoProvider);
// The provider's own warning dialog before the session ends (not a public element), imported
// and registered when the provider asks: once a session end is known.
setSessionWarningLoader(() =>
  import('../provider/session-warning.ts').then(({ PorticoSessionWarning }) => defineElement('portico-session-warning', PorticoSessionWarning)),
);

export { PorticoProvider };
export type { PorticoSessionChangeDetail, PorticoSessionExpiredDetail, PorticoSessionWarningDetail } from '../provider/provider.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-provider': PorticoProvider;
  }
}
