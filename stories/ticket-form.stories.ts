import '@portico/elements/define/portico-ticket-form.js';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Record<string, never>;

const s = elementStories<Args>({
  docsHeight: 720,
  render: () => html`<portico-ticket-form></portico-ticket-form>`,
});

export default { title: 'Widgets/Ticket form', component: 'portico-ticket-form', tags: ['autodocs'], ...s.meta };
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

// Who may file, and for whom: admins can file for a colleague, a viewer cannot file at all.
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin can file a ticket on behalf of a colleague.');
export const AsMember = s.as(DEMO_EMAILS.mia, 'A member files for themselves.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer may not create tickets.');
