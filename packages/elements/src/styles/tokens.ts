import { css } from 'lit';

/**
 * Design tokens shared by every Portico element. Public tokens are `--portico-*`
 * custom properties a host page may set anywhere above an element; each element
 * reads them through private `--_portico-*` aliases that carry the fallbacks.
 *
 * Colors use `light-dark()`, so they follow the `color-scheme` of the page (or of
 * any ancestor, or the element itself): set `color-scheme: light dark` to follow
 * the OS, or `dark` to force the dark palette; `<portico-provider theme>` does the same.
 *
 * The `@cssproperty` lines below are the one source of these tokens' documentation: the
 * manifest build (custom-elements-manifest.config.mjs) adds them to every element whose
 * styles include `tokens`, and scripts/check-manifest.mjs checks them against the CSS.
 *
 * @cssproperty --portico-color-accent - Accent: selected tabs, focus ring, buttons, links.
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background of widgets.
 * @cssproperty --portico-color-surface-alt - Hovered and selected rows, placeholders, subtle fills.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Secondary text.
 * @cssproperty --portico-color-border - Borders of cards and separators (decorative: any contrast).
 * @cssproperty --portico-color-field-border - Borders of text fields and selects: keep at least 3:1 against the surface (docs/theming.md).
 * @cssproperty --portico-color-danger - Errors, destructive actions, urgent priority.
 * @cssproperty --portico-font-family - Font family.
 * @cssproperty --portico-font-size - Base font size (default `0.875rem`).
 * @cssproperty --portico-radius - Corner radius (default `0.375rem`).
 * @cssproperty --portico-density - Multiplies the whole spacing scale: `0.75` compact, `1` default, `1.25` roomy.
 * @cssproperty --portico-space-1 - Spacing step 1 (default `0.25rem` × density).
 * @cssproperty --portico-space-2 - Spacing step 2 (default `0.5rem` × density).
 * @cssproperty --portico-space-3 - Spacing step 3 (default `0.75rem` × density).
 * @cssproperty --portico-space-4 - Spacing step 4 (default `1rem` × density).
 * @cssproperty --portico-space-6 - Spacing step 6 (default `1.5rem` × density).
 * @cssproperty --portico-focus-ring - Outline of focused controls (default `2px solid` accent).
 * @cssproperty --portico-duration - Transition duration (0 under `prefers-reduced-motion`).
 */
export const tokens = css`
  :host {
    --_portico-accent: var(--portico-color-accent, light-dark(#1d4ed8, #8ab4ff));
    --_portico-accent-contrast: var(--portico-color-accent-contrast, light-dark(#ffffff, #0b1220));
    --_portico-surface: var(--portico-color-surface, light-dark(#ffffff, #17191e));
    --_portico-surface-alt: var(--portico-color-surface-alt, light-dark(#f4f5f7, #22252c));
    --_portico-text: var(--portico-color-text, light-dark(#1b1d21, #e9ebef));
    --_portico-muted: var(--portico-color-muted, light-dark(#555c68, #a9b0bc));
    --_portico-border: var(--portico-color-border, light-dark(#d5d9df, #3a3f49));
    /* Field borders are the only outline of a text field, so they keep 3:1 (WCAG 1.4.11). */
    --_portico-field-border: var(--portico-color-field-border, light-dark(#6b7280, #7d8593));
    --_portico-danger: var(--portico-color-danger, light-dark(#b42318, #ff9b91));
    /* Every browser with light-dark() (which the colors need) knows system-ui. */
    --_portico-font-family: var(--portico-font-family, system-ui, sans-serif);
    --_portico-font-size: var(--portico-font-size, 0.875rem);
    --_portico-radius: var(--portico-radius, 0.375rem);
    /* Density scales the whole spacing scale: 0.75 compact, 1 default, 1.25 roomy. */
    --_portico-density: var(--portico-density, 1);
    --_portico-space-1: var(--portico-space-1, calc(0.25rem * var(--_portico-density)));
    --_portico-space-2: var(--portico-space-2, calc(0.5rem * var(--_portico-density)));
    --_portico-space-3: var(--portico-space-3, calc(0.75rem * var(--_portico-density)));
    --_portico-space-4: var(--portico-space-4, calc(1rem * var(--_portico-density)));
    --_portico-space-6: var(--portico-space-6, calc(1.5rem * var(--_portico-density)));
    --_portico-focus-ring: var(--portico-focus-ring, 2px solid var(--_portico-accent));
    --_portico-duration: var(--portico-duration, 150ms);

    font-family: var(--_portico-font-family);
    font-size: var(--_portico-font-size);
    line-height: 1.4;
    color: var(--_portico-text);
  }

  @media (prefers-reduced-motion: reduce) {
    :host {
      --_portico-duration: 0s;
    }
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: var(--_portico-focus-ring);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;
