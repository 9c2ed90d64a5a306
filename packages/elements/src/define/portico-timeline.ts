// The provider registers first: a code-splitting bundler may evaluate this module's chunk
// before the page's own, and a widget upgraded before its provider never gets the client.
import './portico-provider.ts';
import { defineElement } from '../define-element.ts';
import { PorticoTimeline } from '../timeline/timeline.ts';

defineElement('portico-timeline', PorticoTimeline);

export { PorticoTimeline };
export type { PorticoTimelineTicketSelectDetail } from '../timeline/timeline.ts';

declare global {
  interface HTMLElementTagNameMap {
    'portico-timeline': PorticoTimeline;
  }
}
