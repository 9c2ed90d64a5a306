import '@portico/elements/define/portico-contacts.js';
import type { PorticoContacts } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Pick<PorticoContacts, 'account' | 'pageSize'>;

const s = elementStories<Args>({
  args: { account: '', pageSize: 25 },
  docsHeight: 560,
  render: (args) => html`<portico-contacts account=${args.account} page-size=${args.pageSize}></portico-contacts>`,
});

export default { title: 'Widgets/Contacts', component: 'portico-contacts', tags: ['autodocs'], ...s.meta };
// Admins manage contacts; everyone else gets the directory of active colleagues.
export const Default = { ...s.as(DEMO_EMAILS.ada, 'An admin manages the account’s contacts: invite, change roles, deactivate.'), name: 'Default (admin)' };
export const Loading = s.Loading;
export const Empty = s.Empty;
export const Error = s.Error;
export const Offline = s.Offline;
export const Slow = s.Slow;
export const LongContent = s.LongContent;
export const Themed = { ...s.Themed, globals: { ...s.Themed.globals, contact: DEMO_EMAILS.ada } };
export const Dark = { ...s.Dark, globals: { ...s.Dark.globals, contact: DEMO_EMAILS.ada } };
export const RTL = { ...s.RTL, globals: { ...s.RTL.globals, contact: DEMO_EMAILS.ada } };

export const AsMember = s.as(DEMO_EMAILS.mia, 'A member sees the directory of active colleagues, without management.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: the directory only.');
export const AsChildAccountAdmin = s.as(DEMO_EMAILS.emil, 'The admin of Acme EMEA manages only that account.');

/** The admin of the parent account manages a child account's contacts. */
export const ParentAdminOnChildAccount = {
  name: 'Parent admin on a child account',
  args: { account: 'acc_acme_emea' },
  globals: { contact: DEMO_EMAILS.ada },
};
