import { defineElement } from '../define-element.ts';
import { PorticoProvider } from '../provider/provider.ts';

defineElement('portico-provider', PorticoProvider);

export { PorticoProvider };
export type { PorticoSessionChangeDetail, PorticoSessionExpiredDetail } from '../provider/provider.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-provider': PorticoProvider;
  }
}
