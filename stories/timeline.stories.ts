import '@portico/elements/define/portico-timeline.js';
import type { PorticoTimeline } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Pick<PorticoTimeline, 'ticketId' | 'types' | 'account' | 'pageSize'>;

const s = elementStories<Args>({
  args: { ticketId: '', types: '', account: '', pageSize: 25 },
  docsHeight: 520,
  render: (args) =>
    html`<portico-timeline ticket-id=${args.ticketId} types=${args.types} account=${args.account} page-size=${args.pageSize}></portico-timeline>`,
});

export default { title: 'Widgets/Timeline', component: 'portico-timeline', tags: ['autodocs'], ...s.meta };
export const Default = s.Default;
export const Loading = s.Loading;
export const Empty = s.Empty;
export const Error = s.Error;
export const Offline = s.Offline;
export const Slow = s.Slow;
export const LongContent = s.LongContent;
export const Themed = s.Themed;
export const Dark = s.Dark;
export const RTL = s.RTL;

// The timeline shows only what the role may see (and admins see their child accounts too).
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin: every ticket and contact change of Acme Corp and its child accounts.');
export const AsMember = s.as(DEMO_EMAILS.mia, 'A member: activity of the tickets a member may see.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: account-visible tickets only.');

/** Only SLA warnings and breaches. */
export const SlaOnly = {
  name: 'SLA events only',
  args: { types: 'sla.at_risk,sla.breached' },
  globals: { contact: DEMO_EMAILS.ada },
};
