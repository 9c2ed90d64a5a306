/**
 * The deactivate / transfer dialog of `<portico-contacts>`: loaded the first time an admin
 * deactivates someone or moves tickets, rendered into the element's shadow root. Not an
 * element of its own: the host owns it and renders `render()`.
 */
import { msg, str } from '@lit/localize';
import type { Contact } from '@portico/core';
import { html, nothing } from 'lit';
import { STATUS_LABELS, roleLabel } from '../internal/contact-labels.ts';
import { toPorticoError } from '../internal/errors.ts';
import type { AdminHost } from './admin-host.ts';

/** Deactivate a contact (optionally handing over their tickets), or only hand over the tickets. */
export type LeaverMode = 'deactivate' | 'transfer';

interface State {
  mode: LeaverMode;
  contact: Contact;
  /** Active colleagues who may receive the tickets (undefined while loading). */
  colleagues?: Contact[] | undefined;
  error?: string | undefined;
  busy?: boolean;
}

export class LeaverDialog {
  private state: State | undefined;

  constructor(private readonly host: AdminHost) {}

  private get dialog(): HTMLDialogElement | null {
    return this.host.el.renderRoot.querySelector('dialog');
  }

  private set(state: State | undefined): void {
    this.state = state;
    this.host.el.requestUpdate();
  }

  /** Opens the dialog for a contact; loads the colleagues who could take their open tickets. */
  async open(mode: LeaverMode, contact: Contact): Promise<void> {
    const { client, accountId } = this.host.context();
    if (!client) return;
    this.set({ mode, contact });
    await this.host.el.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    if (!contact.openTicketCount) return;
    let loaded: Partial<State>;
    try {
      const page = await client.listContacts({ status: ['active'], account: accountId, limit: 100 });
      loaded = { colleagues: page.items.filter((x) => x.id !== contact.id) };
    } catch (error) {
      loaded = { colleagues: [], error: toPorticoError(error).message };
    }
    if (this.state?.contact.id === contact.id) this.set({ ...this.state, ...loaded });
  }

  render() {
    const d = this.state;
    const c = d?.contact;
    const open = c?.openTicketCount ?? 0;
    const transfer = d?.mode === 'transfer';
    return html`<dialog part="dialog" class="dialog" aria-labelledby="dialog-title" @close=${this.onClose}>
      ${
        d && c
          ? html`<form method="dialog" class="dialog-form" @submit=${this.onSubmit}>
              <h3 id="dialog-title" class="form-title">
                ${transfer ? msg(str`Transfer ${c.name}’s open tickets`, { id: 'contacts.dialog.transfer-title' }) : msg(str`Deactivate ${c.name}?`, { id: 'contacts.dialog.title' })}
              </h3>
              ${
                transfer
                  ? nothing
                  : html`<p>
                      ${msg('They lose access immediately, even where they are signed in. Their tickets and comments stay.', { id: 'contacts.dialog.body' })}
                    </p>`
              }
              ${open > 0 ? this.renderChoice(d, open) : nothing} ${d.error ? html`<p class="field-error" role="alert">${d.error}</p>` : nothing}
              <div class="form-actions">
                <button class=${`button primary ${transfer ? '' : 'danger'}`} type="submit" aria-disabled=${!!d.busy}>
                  ${transfer ? msg('Transfer', { id: 'contacts.dialog.transfer' }) : msg('Deactivate', { id: 'contacts.action.deactivate' })}
                </button>
                <button class="button quiet" type="button" @click=${() => this.dialog?.close()}>${msg('Cancel', { id: 'contacts.cancel' })}</button>
              </div>
            </form>`
          : nothing
      }
    </dialog>`;
  }

  private renderChoice(d: State, open: number) {
    const colleagues = d.colleagues;
    const select = html`<select
      name="to"
      class="input"
      aria-label=${msg('Colleague who gets the tickets', { id: 'contacts.dialog.to' })}
      ?disabled=${!colleagues}
      @change=${this.onPick}
    >
      ${
        colleagues
          ? colleagues.map((x) => html`<option value=${x.id}>${x.name} · ${roleLabel(x.role)}</option>`)
          : html`<option>${msg('Loading…', { id: 'contacts.more.loading' })}</option>`
      }
    </select>`;
    if (d.mode === 'transfer')
      return html`<p>${msg(str`Give the ${open} open tickets to:`, { id: 'contacts.dialog.give' })}</p>
        ${select}`;
    return html`<fieldset class="choice">
      <legend>${msg(str`${d.contact.name} requested ${open} open tickets.`, { id: 'contacts.dialog.open-tickets' })}</legend>
      <label><input type="radio" name="tickets" value="leave" checked /> ${msg('Leave them as they are', { id: 'contacts.dialog.leave' })}</label>
      <label><input type="radio" name="tickets" value="transfer" /> ${msg('Transfer them to', { id: 'contacts.dialog.transfer-to' })}</label>
      ${select}
    </fieldset>`;
  }

  private async confirm(form: HTMLFormElement): Promise<void> {
    const d = this.state;
    const { client } = this.host.context();
    if (!d || !client || d.busy) return;
    const data = new FormData(form);
    const transfer = d.mode === 'transfer';
    const wantsTransfer = transfer || data.get('tickets') === 'transfer';
    const to = wantsTransfer ? String(data.get('to') ?? '') : '';
    const c = d.contact;
    if (wantsTransfer && !to) return this.set({ ...d, error: msg('Choose the colleague who gets the tickets.', { id: 'contacts.dialog.choose' }) });
    this.set({ ...d, busy: true, error: undefined });
    try {
      const { contact, transferred } = transfer
        ? await client.transferTickets(c.id, to)
        : await client.deactivateContact(c.id, { version: c.version, transferTo: to || undefined });
      const receiver = d.colleagues?.find((x) => x.id === to);
      this.host.replaceRow(contact, c.id);
      this.dialog?.close();
      const moved = transferred.length;
      const name = contact.name;
      const toName = receiver?.name ?? '';
      if (transfer) {
        this.host.announce(msg(str`${moved} tickets of ${name} now belong to ${toName}.`, { id: 'contacts.notice.transferred' }), moved);
        this.host.emit('portico-contact-updated', { contact, change: 'tickets-transferred', transferred });
      } else {
        this.host.announce(
          moved
            ? msg(str`${name} was deactivated. ${moved} open tickets now belong to ${toName}.`, { id: 'contacts.notice.deactivated-transferred' })
            : msg(str`${name} was deactivated.`, { id: 'contacts.notice.deactivated' }),
          moved,
        );
        this.host.emit('portico-contact-deactivated', { contact, transferred, transferredTo: moved ? receiver : undefined });
      }
    } catch (error) {
      const e = toPorticoError(error);
      let message = e.message;
      if (e.status === 412) {
        const now = await client.getContact(c.id).catch(() => undefined);
        this.host.replaceRow(now, c.id);
        if (now) {
          message = msg(
            str`Someone else changed ${now.name} meanwhile (now ${roleLabel(now.role)}, ${STATUS_LABELS[now.status]()}). Nothing was saved: check and confirm again.`,
            {
              id: 'contacts.conflict.deactivate',
            },
          );
          if (this.state) this.state = { ...this.state, contact: now };
        }
      } else if (e.fieldErrors) {
        message = Object.values(e.fieldErrors).flat().join(' ') || message;
      }
      if (this.state) this.set({ ...this.state, busy: false, error: message });
    }
  }

  // Arrow functions: Lit calls listeners with the host element as `this` otherwise.
  private readonly onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    void this.confirm(e.currentTarget as HTMLFormElement);
  };

  /** Picking a receiver means transferring: select that choice for the user. */
  private readonly onPick = (e: Event): void => {
    const radio = (e.target as HTMLElement).closest('form')?.querySelector<HTMLInputElement>('input[value="transfer"]');
    if (radio) radio.checked = true;
  };

  private readonly onClose = async (): Promise<void> => {
    const id = this.state?.contact.id;
    this.set(undefined);
    if (!id) return;
    // The row's buttons may have been re-rendered (Deactivate → Reactivate): keep focus on the row.
    const el = this.host.el;
    await el.updateComplete;
    const row = el.renderRoot.querySelector(`[part~="row"][data-id="${CSS.escape(id)}"]`);
    if (row && !row.contains(el.shadowRoot!.activeElement)) (row.querySelector<HTMLElement>('[data-action]') ?? row.querySelector('select'))?.focus();
  };
}
