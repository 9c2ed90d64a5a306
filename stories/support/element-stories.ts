/**
 * `elementStories()`: the standard set of stories every Portico element has (Default,
 * Loading, Empty, Error, Offline, Slow, Long content, Themed, Dark, RTL) plus `as()` for
 * the per-role stories. A new element's stories file is a dozen lines; see docs/storybook.md.
 */
import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import type { TemplateResult } from 'lit';
import { DEMO_USERS } from './globals.ts';
import { networkState, type PorticoParameters } from './mock-api.ts';

/** Options of `elementStories`. */
export interface ElementStoriesOptions<Args> {
  /** Renders the element from its args; the global decorator wraps it in a provider. */
  render: (args: Args, context: StoryContext) => TemplateResult;
  /** Default args (the element's properties, by property name). */
  args?: Partial<Args>;
  /** Extra `parameters` for every story (e.g. `layout`, or `portico: { wrap: false }`). */
  parameters?: Record<string, unknown>;
  /** Height of each story's iframe on the docs page (default 420). */
  docsHeight?: number;
}

type Story<Args> = StoryObj<Args>;

/** The stories every element has, and `as(email)` for role stories. */
export interface ElementStories<Args> {
  /**
   * Meta without `title`, `component` and `tags`: Storybook's indexer reads those from the
   * file itself, so the stories file writes them literally and spreads this in.
   */
  meta: Meta<Args>;
  Default: Story<Args>;
  Loading: Story<Args>;
  Empty: Story<Args>;
  Error: Story<Args>;
  Offline: Story<Args>;
  Slow: Story<Args>;
  LongContent: Story<Args>;
  Themed: Story<Args>;
  Dark: Story<Args>;
  RTL: Story<Args>;
  /** A story signed in as `email` (pins the "Signed in as" toolbar); `parameters` are added to it. */
  as(email: string, description?: string, parameters?: Record<string, unknown>): Story<Args>;
}

const portico = (p: PorticoParameters) => ({ portico: p });

/** Builds the standard stories of one element. */
export function elementStories<Args = Record<string, unknown>>(options: ElementStoriesOptions<Args>): ElementStories<Args> {
  const meta: Meta<Args> = {
    render: options.render as Meta<Args>['render'],
    ...(options.args ? { args: options.args } : {}),
    parameters: {
      // Each story on the docs page gets its own iframe, so one story's mocks never leak into another.
      docs: { story: { inline: false, iframeHeight: options.docsHeight ?? 420 } },
      ...options.parameters,
    },
  };
  const story = (name: string, description: string, extra: Partial<Story<Args>> = {}): Story<Args> => ({
    name,
    ...extra,
    parameters: { ...extra.parameters, docs: { description: { story: description } } },
  });
  return {
    meta,
    Default: story('Default', 'The demo data, signed in as the toolbar’s contact.'),
    Loading: story('Loading', 'The API never answers: the loading state.', { parameters: networkState('loading') }),
    Empty: story('Empty', 'The demo accounts and contacts, but no tickets.', { parameters: portico({ seed: 'empty' }) }),
    Error: story('Error', 'Every request answers 503 with a problem+json body.', { parameters: networkState('error') }),
    Offline: story('Offline', 'Every request fails at the network level (offline, DNS, CORS).', { parameters: networkState('offline') }),
    Slow: story('Slow', 'Every request takes 1.5 s.', { parameters: networkState('slow') }),
    LongContent: story('Long content', 'Sixty extra tickets with very long subjects and names, mixed scripts and emoji.', {
      parameters: portico({ seed: 'long' }),
    }),
    Themed: story('Themed', 'The branded example theme: tokens set on the provider (docs/theming.md).', { globals: { theme: 'branded' } }),
    Dark: story('Dark', 'The provider’s `theme="dark"`.', { globals: { theme: 'dark' } }),
    RTL: story('RTL', 'Right to left, Arabic locale.', { globals: { dir: 'rtl', locale: 'ar' } }),
    as(email: string, description?: string, parameters: Record<string, unknown> = {}) {
      const user = DEMO_USERS.find((u) => u.email === email);
      if (!user) throw new Error(`stories: ${email} is not a demo contact`);
      const name = `As ${user.role} (${user.name.split(' ')[0]}, ${user.account})`;
      return story(name, description ?? `Signed in as ${user.name}, ${user.role} of ${user.account}.`, { globals: { contact: email }, parameters });
    },
  };
}
