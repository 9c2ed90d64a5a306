import '@portico/elements/define/portico-contacts.js';
import type { PorticoContacts } from '@portico/elements';
import { DEMO_ACCOUNTS, DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Pick<PorticoContacts, 'account' | 'pageSize'>;

const s = elementStories<Args>({
  args: { account: '', pageSize: 50 },
  docsHeight: 560,
  render: (args) => html`<portico-contacts account=${args.account} page-size=${args.pageSize}></portico-contacts>`,
});

export default { title: 'Widgets/Contacts', component: 'portico-contacts', tags: ['autodocs'], ...s.meta };
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

// The role decides between the manager and the read-only directory.
export const AsAdmin = s.as(
  DEMO_EMAILS.ada,
  'An admin: every contact with status, last seen and open tickets; invite, change roles, deactivate, resend or revoke.',
);
export const AsMember = s.as(DEMO_EMAILS.mia, 'A member: a read-only directory of active colleagues, no management control.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: the same read-only directory.');

/** A parent account's admin managing a child account. */
export const ChildAccount = {
  name: 'Child account (parent admin)',
  args: { account: DEMO_ACCOUNTS.acmeEmea },
  globals: { contact: DEMO_EMAILS.ada },
};
