import '@portico/elements/define/portico-ticket-list.js';
import type { PorticoProvider } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { providerFor, storyGlobals } from './support/decorators.ts';
import { elementStories } from './support/element-stories.ts';
import { expectNetworkErrors } from './support/mock-api.ts';
import './support/session-card.ts';

type Args = Pick<PorticoProvider, 'apiBase'> & { token?: string };

// The provider renders nothing itself: these stories show what it shares (the session card)
// and one widget using its client. The stories build the provider themselves (wrap: false).
const s = elementStories<Args>({
  parameters: { portico: { wrap: false } },
  docsHeight: 560,
  render: (args, context) =>
    providerFor(
      storyGlobals(context.globals),
      html`<story-session-card></story-session-card> <portico-ticket-list page-size="5" style="margin-block-start: 1rem"></portico-ticket-list>`,
      args.token ? { token: args.token } : {},
    ),
});

export default {
  title: 'Widgets/Provider',
  component: 'portico-provider',
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

export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin: every permission, and the child accounts Acme EMEA and Acme Labs.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: read-only, cannot create or comment.');
export const AsDeactivated = s.as(DEMO_EMAILS.dan, 'A deactivated contact: the server answers 401, the session expires.', expectNetworkErrors);

/** A fixed token the server rejects: `portico-session-expired` fires and the widgets say so. */
export const ExpiredToken = {
  name: 'Expired token',
  args: { token: 'not-a-valid-token' },
  parameters: expectNetworkErrors,
};
