/**
 * A vendor theme as a brand team might first write it, and the same brand fixed to keep WCAG
 * contrast (docs/theming.md, "Accessible tokens"). The "Accessible theme" story shows both with
 * the contrast computed in the page; test/browser/a11y/theme-contrast.test.ts runs the same check.
 */

/**
 * "Sunrise", first draft: a bright orange accent, a light grey for secondary text and pale
 * field borders. White on the orange is 2.8:1, the grey is 2.5:1, the borders 1.3:1.
 */
export const SUNRISE_FAILING: Readonly<Record<string, string>> = {
  '--portico-color-accent': '#f97316',
  '--portico-color-accent-contrast': '#ffffff',
  '--portico-color-surface': '#fffbf5',
  '--portico-color-surface-alt': '#fff1e0',
  '--portico-color-text': '#3b2f2a',
  '--portico-color-muted': '#a8a29e',
  '--portico-color-border': '#fde3c8',
  '--portico-color-field-border': '#fed7aa',
};

/**
 * "Sunrise", fixed: the same hues, darker where text or a field's outline needs it — the
 * accent 5.2:1 under white text, secondary text 5.6:1 or more, field borders 3.8:1 or more.
 * Surfaces and the decorative border stay as the brand wanted them.
 */
export const SUNRISE_FIXED: Readonly<Record<string, string>> = {
  ...SUNRISE_FAILING,
  '--portico-color-accent': '#c2410c',
  '--portico-color-muted': '#6b5e55',
  '--portico-color-field-border': '#a0714f',
};
