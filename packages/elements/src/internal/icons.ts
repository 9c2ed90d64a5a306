import { html } from 'lit';

/** A padlock, for private tickets. Decorative: always paired with text. */
export const lockIcon = html`<svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm1.5 0h5V5a2.5 2.5 0 0 0-5 0v2Z"
  />
</svg>`;
