/**
 * The empty view of a data element: what shows when a load found nothing. Styled by
 * `stateStyles` (styles/states.ts) like the loading and error views of internal/states.ts;
 * its part is `empty`.
 */
import { html, nothing, type TemplateResult } from 'lit';

/** A short title and an optional hint, announced politely. */
export function emptyView(title: string, hint?: string): TemplateResult {
  return html`<div part="empty" class="state" role="status">
    <p class="state-title">${title}</p>
    ${hint ? html`<p class="hint">${hint}</p>` : nothing}
  </div>`;
}
