// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
import { defineElement } from '../define-element.ts';
import { PorticoAccountSummary } from '../account-summary/account-summary.ts';

defineElement('portico-account-summary', PorticoAccountSummary);

export { PorticoAccountSummary };

declare global {
  interface HTMLElementTagNameMap {
    'portico-account-summary': PorticoAccountSummary;
  }
}
