// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
import { defineElement } from '../define-element.ts';
import { PorticoSupportPanel } from '../support-panel/support-panel.ts';

defineElement('portico-support-panel', PorticoSupportPanel);

export { PorticoSupportPanel };
export type { PanelMode, PanelPlace, PanelView, PorticoNavigateDetail, PorticoPanelToggleDetail } from '../support-panel/support-panel.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-support-panel': PorticoSupportPanel;
  }
}
