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
