import '@portico/elements/define/portico-support-panel.js';
import type { PorticoSupportPanel } from '@portico/elements';
import { DEMO_EMAILS } from '@portico/mocks';
import { html } from 'lit';
import { elementStories } from './support/element-stories.ts';

type Args = Pick<PorticoSupportPanel, 'mode' | 'view' | 'open'>;

// storage-key="" keeps the panel from remembering its place between stories.
const s = elementStories<Args>({
  args: { mode: 'inline', view: 'tickets', open: false },
  docsHeight: 640,
  render: (args) => html`<portico-support-panel mode=${args.mode} view=${args.view} ?open=${args.open} storage-key=""></portico-support-panel>`,
});

export default { title: 'Widgets/Support panel', component: 'portico-support-panel', tags: ['autodocs'], ...s.meta };
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

// The tabs follow the role's permissions (a viewer has no contact management, for example).
export const AsAdmin = s.as(DEMO_EMAILS.ada, 'An admin: every tab this build has.');
export const AsMember = s.as(DEMO_EMAILS.mia, 'A member.');
export const AsViewer = s.as(DEMO_EMAILS.val, 'A viewer: read-only.');

/** Launcher mode: a floating Support button; here with its drawer open. */
export const LauncherOpen = {
  name: 'Launcher, open',
  args: { mode: 'launcher', open: true },
  parameters: { layout: 'fullscreen' },
};

/** Launcher mode, closed: only the floating button. */
export const LauncherClosed = {
  name: 'Launcher, closed',
  args: { mode: 'launcher', open: false },
  parameters: { layout: 'fullscreen' },
};
