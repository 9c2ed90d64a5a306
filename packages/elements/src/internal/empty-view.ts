/**
 * The empty view of a data element: what shows when a load found nothing. Styled by
 * `stateStyles` (styles/states.ts) like the loading and error views of internal/states.ts;
 * its part is `empty`.
 */
import { html, nothing, type TemplateResult } from 'lit';

/** A short title and an optional hint; the title is announced through the element's live region (see DataController). */
export function emptyView(title: string, hint?: string): TemplateResult {
  return html`<div part="empty" class="state" data-announce=${title}>
    <p class="state-title">${title}</p>
    ${hint ? html`<p class="hint">${hint}</p>` : nothing}
  </div>`;
}
