import '@portico/elements/define/portico-ticket-detail.js';
import type { PorticoTicketDetail } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';
import { expectNetworkErrors } from './support/mock-api.ts';

type Args = Pick<PorticoTicketDetail, 'ticketId' | 'pageSize'>;

// T-1001: Mia's open, account-visible SSO ticket with a three-comment conversation.
const s = elementStories<Args>({
  args: { ticketId: 'tkt_1001', pageSize: 25 },
  docsHeight: 640,
  render: (args) => html`<portico-ticket-detail ticket-id=${args.ticketId} page-size=${args.pageSize}></portico-ticket-detail>`,
});

export default { title: 'Widgets/Ticket detail', component: 'portico-ticket-detail', tags: ['autodocs'], ...s.meta };
export const Default = s.Default;
export const Loading = s.Loading;
/** With no tickets in the data, the ticket is not found: the same answer as for one the contact may not see. */
export const Empty = { ...s.Empty, name: 'Empty (no such ticket)', parameters: { ...s.Empty.parameters, ...expectNetworkErrors } };
export const Error = s.Error;
export const Offline = s.Offline;
export const Slow = s.Slow;
/** A long subject in mixed scripts, from the long-content data. */
export const LongContent = { ...s.LongContent, args: { ticketId: 'tkt_5001' } };
export const Themed = s.Themed;
export const Dark = s.Dark;
export const RTL = s.RTL;

// What a role may do with the same ticket: reply, follow, close, escalate, change visibility.
export const AsRequester = s.as(DEMO_EMAILS.mia, 'Mia requested it: she can reply, close, escalate and change its visibility.');
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin of the account: can act on every ticket of the account.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: reads the conversation, cannot reply or change anything.');
export const AsOtherAccount = s.as(DEMO_EMAILS.gus, 'Gus is at Globex: the ticket is not found (404, never 403).', expectNetworkErrors);

/** A new ticket without replies yet. */
export const NoRepliesYet = { name: 'No replies yet', args: { ticketId: 'tkt_1025' } };

/** A solved ticket its requester can rate (CSAT) or reopen. */
export const SolvedRateIt = { name: 'Solved: rate it', args: { ticketId: 'tkt_1021' }, globals: { contact: DEMO_EMAILS.mia } };

/** A private ticket, seen by its requester. */
export const Private = { name: 'Private ticket', args: { ticketId: 'tkt_1017' }, globals: { contact: DEMO_EMAILS.mia } };
