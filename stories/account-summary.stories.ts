import '@portico/elements/define/portico-account-summary.js';
import type { PorticoAccountSummary } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Pick<PorticoAccountSummary, 'account' | 'days'>;

const s = elementStories<Args>({
  args: { account: '', days: 30 },
  docsHeight: 520,
  render: (args) => html`<portico-account-summary account=${args.account} days=${args.days}></portico-account-summary>`,
});

export default { title: 'Widgets/Account summary', component: 'portico-account-summary', tags: ['autodocs'], ...s.meta };
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

// The figures count only the tickets the role may see.
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin: every ticket of Acme Corp counts.');
export const AsMember = s.as(DEMO_EMAILS.mia, 'A member: only the tickets a member may see count.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: account-visible tickets only.');

/** A parent account's admin rolls up Acme Corp, Acme EMEA and Acme Labs. */
export const RollUpOfChildAccounts = {
  name: 'Roll-up of child accounts (admin)',
  args: { account: 'all', days: 90 },
  globals: { contact: DEMO_EMAILS.ada },
};
