import '@portico/elements/define/portico-ticket-list.js';
import type { PorticoTicketList } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { elementStories } from './support/element-stories.ts';

type Args = Pick<PorticoTicketList, 'view' | 'status' | 'priority' | 'q' | 'sort' | 'pageSize'>;

const s = elementStories<Args>({
  args: { view: 'account', status: '', priority: '', q: '', sort: 'updated', pageSize: 25 },
  render: (args) =>
    html`<portico-ticket-list
      view=${args.view}
      status=${ifDefined(args.status || undefined)}
      priority=${ifDefined(args.priority || undefined)}
      q=${ifDefined(args.q || undefined)}
      sort=${args.sort}
      page-size=${args.pageSize}
    ></portico-ticket-list>`,
});

export default {
  title: 'Widgets/Ticket list',
  component: 'portico-ticket-list',
  tags: ['autodocs'],
  ...s.meta,
};
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

// The role decides which tickets the account view holds (docs/access-model.md).
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin sees every ticket of Acme, private ones included.');
export const AsMember = s.as(DEMO_EMAILS.mia, 'A member sees their own, followed and account-visible tickets.');
export const AsBilling = s.as(DEMO_EMAILS.ben, 'Billing sees account-visible tickets of the billing category, plus their own and followed.');
export const AsRequester = s.as(DEMO_EMAILS.jay, 'A requester sees only their own and followed tickets.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer sees account-visible tickets, read-only.');
export const AsChildAccountAdmin = s.as(DEMO_EMAILS.emil, 'An admin of Acme EMEA, a child account of Acme Corp.');

/** The "Unsolved" view with a status filter, and a small page so "Load more" shows. */
export const FilteredAndPaged = {
  name: 'Filtered, paged',
  args: { view: 'unsolved', status: 'open,pending', pageSize: 3 },
};

/** Full-text search over subject, description and comments. */
export const Search = { args: { q: 'SSO' } };

/** Urgent and high tickets, the SLA closest to breach first. */
export const UrgentBySlaDue = { name: 'Urgent, by SLA due', args: { view: 'unsolved', priority: 'urgent,high', sort: 'sla_due' } };
