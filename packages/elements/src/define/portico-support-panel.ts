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
