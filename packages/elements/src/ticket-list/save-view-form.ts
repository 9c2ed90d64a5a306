/**
 * The "Save view" form of `<portico-ticket-list>`. Its code is loaded the first time a user
 * opens the form, so a page that only lists tickets never downloads it.
 */
import { msg } from '@lit/localize';
import type { PorticoClient, SavedView, SavedViewQuery } from '@portico/core';
import { html, nothing } from 'lit';

/** What the form shows and whom it tells. */
export interface SaveFormState {
  /** Whether the contact may share a view with the account (`view.share`). */
  canShare: boolean;
  /** A save is on its way. */
  pending: boolean;
  /** The message under the form, if any. */
  error: string | undefined;
  onSubmit(event: SubmitEvent): void;
  onKeydown(event: KeyboardEvent): void;
  onCancel(): void;
}

/** The form's own rules travel with it (the list's styles hold the shared ones). */
const style = html`<style>
  .save-form {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_portico-space-2) var(--_portico-space-3);
    padding: var(--_portico-space-2);
    background: var(--_portico-surface-alt);
    border-radius: var(--_portico-radius);
  }

  .save-form .field {
    flex: 1 1 12rem;
  }
</style>`;

export function renderSaveForm(form: SaveFormState) {
  return html`${style}
    <form part="save-form" class="save-form" novalidate @submit=${form.onSubmit} @keydown=${form.onKeydown}>
      <label class="field">
        <span>${msg('Name of the view', { id: 'ticket-list.saved.name' })}</span>
        <input name="name" required maxlength="80" autocomplete="off" aria-describedby="save-error" aria-invalid=${form.error ? 'true' : 'false'} />
      </label>
      ${
        form.canShare
          ? html`<label class="option"><input type="checkbox" name="shared" /> ${msg('Share with the account', { id: 'ticket-list.saved.share' })}</label>`
          : nothing
      }
      <button class="button small" type="submit" aria-disabled=${form.pending ? 'true' : 'false'}>${msg('Save', { id: 'ticket-list.saved.submit' })}</button>
      <button class="button small subtle" type="button" @click=${form.onCancel}>${msg('Cancel', { id: 'ticket-list.saved.cancel' })}</button>
      <p id="save-error" class="form-error" role="alert">${form.error ?? nothing}</p>
    </form>`;
}

/**
 * Saves the filters `query` under the name the form holds. Rejects with an `Error` saying the
 * name is missing, or with what the client threw.
 */
export function saveView(form: HTMLFormElement, client: PorticoClient, query: SavedViewQuery): Promise<SavedView> {
  const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
  const shared = (form.elements.namedItem('shared') as HTMLInputElement | null)?.checked ?? false;
  if (!name) return Promise.reject(new Error(msg('Give the view a name.', { id: 'ticket-list.saved.name-required' })));
  return client.createView({ name, shared, query });
}
