import '@portico/elements/define/portico-ticket-form.js';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import './support/contrast-report.ts';
import { SUNRISE_FAILING, SUNRISE_FIXED } from './support/vendor-themes.ts';

/**
 * A vendor theme failing WCAG contrast and the same brand fixed (docs/theming.md, "Accessible
 * tokens"). Under each, the contrast of what the widget paints is computed in the page by the
 * same check as the accessibility tests (test/browser/a11y/contrast.ts).
 */
export default {
  title: 'Guides/Accessible theme',
  // The light scheme: the vendor's tokens are light colours, and the report reads them as painted.
  globals: { theme: 'light' },
  render: (_args: unknown, { parameters }: { parameters: { tokens: Readonly<Record<string, string>> } }) =>
    html`<div id="themed" style=${styleMap(parameters.tokens)}><portico-ticket-form></portico-ticket-form></div>
      <story-contrast-report for="themed"></story-contrast-report>`,
};

/** The brand team's first draft: the report lists the secondary text, the button text on the accent and the field borders. */
export const Failing = {
  name: 'Vendor theme failing',
  parameters: {
    tokens: SUNRISE_FAILING,
    // This story shows a contrast failure on purpose: the smoke test's axe run skips that one rule here.
    smoke: { axeRulesOff: ['color-contrast'] },
    docs: { description: { story: 'Orange accent `#f97316` under white text, grey `#a8a29e` secondary text, pale field borders: below WCAG AA.' } },
  },
};

/** The same brand with darker accent, secondary text and field borders: nothing fails. */
export const Fixed = {
  name: 'Vendor theme fixed',
  parameters: {
    tokens: SUNRISE_FIXED,
    docs: { description: { story: 'Accent `#c2410c`, secondary text `#6b5e55`, field borders `#a0714f`: every pair meets WCAG AA.' } },
  },
};
