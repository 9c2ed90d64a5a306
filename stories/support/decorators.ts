/**
 * The global decorator: every story renders inside `<portico-provider>` on the mocked API,
 * signed in as the toolbar's contact, with the toolbar's theme, locale and direction.
 */
import '@portico/elements/define/portico-provider.js';
import type { Decorator } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { BRANDED_TOKENS, DEFAULT_CONTACT, type StoryTheme } from './globals.ts';
import type { MockApi } from '@portico/mocks';
import { API_BASE, currentApi } from './mock-api.ts';

/** What a story reads from the toolbars. */
export interface StoryGlobals {
  contact: string;
  theme: StoryTheme;
  locale: string;
  dir: 'ltr' | 'rtl';
}

/** The toolbars' values with defaults filled in. */
export function storyGlobals(globals: Record<string, unknown>): StoryGlobals {
  return {
    contact: typeof globals.contact === 'string' ? globals.contact : DEFAULT_CONTACT,
    theme: (globals.theme as StoryTheme | undefined) ?? 'light',
    locale: typeof globals.locale === 'string' ? globals.locale : 'en',
    dir: globals.dir === 'rtl' ? 'rtl' : 'ltr',
  };
}

/** The provider's `theme` for a toolbar theme (`branded` is light plus brand tokens). */
export function providerTheme(theme: StoryTheme): 'light' | 'dark' | 'auto' {
  return theme === 'branded' ? 'light' : theme;
}

/** Inline brand tokens for the `branded` theme, nothing otherwise. */
export function themeStyle(theme: StoryTheme) {
  return styleMap(theme === 'branded' ? BRANDED_TOKENS : {});
}

/**
 * A provider on the story's mock API, signed in as `contact`. Stories that show the provider
 * itself call this with their own children (and `parameters.portico.wrap = false`).
 */
export function providerFor(globals: StoryGlobals, content: unknown, extra: { token?: string } = {}): TemplateResult {
  const getToken = extra.token ? undefined : tokenGetter(currentApi(), globals.contact);
  return html`<portico-provider
    api-base=${API_BASE}
    lang=${globals.locale}
    dir=${globals.dir}
    theme=${providerTheme(globals.theme)}
    style=${themeStyle(globals.theme)}
    .token=${extra.token}
    .getToken=${getToken}
    >${content}</portico-provider
  >`;
}

const getters = new WeakMap<MockApi, Map<string, () => Promise<string>>>();

/** One stable `getToken` per API and contact, so re-rendering a story (controls) keeps the client. */
function tokenGetter(api: MockApi, email: string): () => Promise<string> {
  let byEmail = getters.get(api);
  if (!byEmail) getters.set(api, (byEmail = new Map()));
  let getter = byEmail.get(email);
  if (!getter) byEmail.set(email, (getter = () => api.tokenFor(email)));
  return getter;
}

/** Sets the page's own scheme so the canvas around the widgets matches the theme. */
function paintCanvas(theme: StoryTheme): void {
  document.documentElement.dataset.porticoTheme = theme;
}

export const withPortico: Decorator = (story, context) => {
  const globals = storyGlobals(context.globals);
  paintCanvas(globals.theme);
  const wrap = (context.parameters.portico as { wrap?: boolean } | undefined)?.wrap !== false;
  return html`<div class="portico-stage" lang=${globals.locale} dir=${globals.dir}>${wrap ? providerFor(globals, story()) : story()}</div>`;
};
