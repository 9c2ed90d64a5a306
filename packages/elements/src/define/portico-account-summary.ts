import { defineElement } from '../define-element.ts';
import { PorticoAccountSummary } from '../account-summary/account-summary.ts';

defineElement('portico-account-summary', PorticoAccountSummary);

export { PorticoAccountSummary };

declare global {
  interface HTMLElementTagNameMap {
    'portico-account-summary': PorticoAccountSummary;
  }
}
