import '@portico/elements/define/portico-notifications.js';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Record<string, never>;

const s = elementStories<Args>({
  docsHeight: 480,
  render: () => html`<portico-notifications></portico-notifications>`,
});

export default { title: 'Widgets/Notifications', component: 'portico-notifications', tags: ['autodocs'], ...s.meta };
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

// Updates come from tickets the contact requested or follows, so each contact sees others.
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'Ada’s own and followed tickets.');
export const AsMember = s.as(DEMO_EMAILS.mia, 'Mia’s own and followed tickets.');
export const AsRequester = s.as(DEMO_EMAILS.jay, 'Jay’s own tickets.');
