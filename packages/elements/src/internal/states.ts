/**
 * The loading, empty and error views every data element shows, so they look and read the
 * same everywhere. Style them with `stateStyles` (styles/states.ts). Each view carries the
 * part name users of the element already know: `loading`, `empty`, `error`.
 */
import { html, nothing, type TemplateResult } from 'lit';

/** Placeholder rows with a screen-reader announcement; `aria-busy` while data is on its way. */
export function loadingView(label: string, rows = 4): TemplateResult {
  return html`<div part="loading" class="state loading" aria-busy="true">
    <span class="visually-hidden" role="status">${label}</span>
    ${Array.from({ length: rows }, () => html`<div class="skeleton" aria-hidden="true"><span></span><span></span></div>`)}
  </div>`;
}

/** A short title and an optional hint, announced politely. */
export function emptyView(title: string, hint?: string): TemplateResult {
  return html`<div part="empty" class="state" role="status">
    <p class="state-title">${title}</p>
    ${hint ? html`<p class="hint">${hint}</p>` : nothing}
  </div>`;
}

/** What failed, the explanation (the server's, or what to do) and a Retry button, as an alert. */
export function errorView(title: string, explanation: string, retryLabel: string, onRetry: () => void): TemplateResult {
  return html`<div part="error" class="state error" role="alert">
    <p class="state-title">${title}</p>
    <p class="hint">${explanation}</p>
    <button type="button" class="button" @click=${onRetry}>${retryLabel}</button>
  </div>`;
}
