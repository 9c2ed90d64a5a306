import { html, nothing } from 'lit';

/**
 * A field's error text (`${id}-error`), announced through the form's one live region when it
 * appears or changes (`data-announce`, see DataController); hidden by CSS while empty.
 */
export const fieldError = (id: string, error: string | undefined) =>
  html`<p id=${`${id}-error`} part="field-error" class="field-error" data-announce=${error ?? ''}>${error ?? ''}</p>`;

/**
 * One field of the form: label, control, hint (`${id}-hint`) and error (`${id}-error`), in the
 * form's shadow root so `for` and `aria-describedby` resolve. `name` is the field's `data-field`;
 * the label is for the control `forId` (by default `id`).
 */
export const field = (name: string, id: string, label: string, control: unknown, hint: string | undefined, error: string | undefined, forId = id) => html`
  <div part="field" class="field" data-field=${name}>
    <label part="label" for=${forId}>${label}</label>
    ${control} ${hint ? html`<p id=${`${id}-hint`} part="hint" class="hint">${hint}</p>` : nothing} ${fieldError(id, error)}
  </div>
`;
