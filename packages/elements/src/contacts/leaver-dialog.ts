/**
 * The deactivate / transfer dialog of `<portico-contacts>`: loaded the first time an admin
 * deactivates someone or moves tickets, rendered into the element's shadow root. Not an
 * element of its own: the host owns it and renders `render()`.
 */
import { msg, str } from '@lit/localize';
import type { Contact, ContactChangeResult, PorticoClient } from '@portico/core';
import { html, nothing } from 'lit';
import { ROLE_LABELS, STATUS_LABELS } from '../internal/contact-labels.ts';
import { toPorticoError } from '../internal/errors.ts';
import type { PorticoContactDeactivatedDetail, PorticoContactUpdatedDetail } from './contacts.ts';

/** Deactivate a contact (optionally handing over their tickets), or only hand over the tickets. */
export type LeaverMode = 'deactivate' | 'transfer';

/** What the dialog needs from the element that shows it. */
export interface LeaverHost {
  readonly renderRoot: ParentNode;
  readonly updateComplete: Promise<boolean>;
  requestUpdate(): void;
  client(): PorticoClient | undefined;
  /** The `account` to list colleagues of (a child account), or undefined for the caller's own. */
  accountParam(): string | undefined;
  /** Shows the server's copy of a row (undefined: the contact is gone). */
  replaceRow(contact: Contact | undefined, id: string): void;
  /** The change went through: say so and tell the page. `moved` tickets changed requester. */
  announce(notice: string, event: CustomEvent, moved: number): void;
  /** The dialog closed (done or cancelled). */
  closed(contactId: string): void;
}

interface State {
  mode: LeaverMode;
  contact: Contact;
  /** Active colleagues who may receive the tickets (undefined while loading). */
  colleagues?: Contact[] | undefined;
  error?: string | undefined;
  busy?: boolean;
}

/** Domain events bubble and cross shadow roots. */
const init = { bubbles: true, composed: true } as const;

export class LeaverDialog {
  private state: State | undefined;

  constructor(private readonly host: LeaverHost) {}

  private get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector('dialog');
  }

  private set(state: State | undefined): void {
    this.state = state;
    this.host.requestUpdate();
  }

  /** Opens the dialog for a contact; loads the colleagues who could take their open tickets. */
  async open(mode: LeaverMode, contact: Contact): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    this.set({ mode, contact });
    await this.host.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    if (!contact.openTicketCount) return;
    try {
      const page = await client.listContacts({ status: ['active'], account: this.host.accountParam(), limit: 100 });
      if (this.state?.contact.id === contact.id) this.set({ ...this.state, colleagues: page.items.filter((x) => x.id !== contact.id) });
    } catch (error) {
      if (this.state?.contact.id === contact.id) this.set({ ...this.state, colleagues: [], error: toPorticoError(error).message });
    }
  }

  render() {
    const d = this.state;
    const c = d?.contact;
    const open = c?.openTicketCount ?? 0;
    const transfer = d?.mode === 'transfer';
    return html`<dialog part="dialog" class="dialog" aria-labelledby="dialog-title" @close=${this.onClose}>
      ${d && c
        ? html`<form method="dialog" class="dialog-form" @submit=${this.onSubmit}>
            <h3 id="dialog-title" class="form-title">
              ${transfer ? msg(str`Transfer ${c.name}’s open tickets`, { id: 'contacts.dialog.transfer-title' }) : msg(str`Deactivate ${c.name}?`, { id: 'contacts.dialog.title' })}
            </h3>
            ${transfer
              ? nothing
              : html`<p>${msg('They lose access immediately, even where they are signed in. Their tickets and comments stay.', { id: 'contacts.dialog.body' })}</p>`}
            ${open > 0 ? this.renderChoice(d, open) : nothing}
            ${d.error ? html`<p class="field-error" role="alert">${d.error}</p>` : nothing}
            <div class="form-actions">
              <button class=${`button primary ${transfer ? '' : 'danger'}`} type="submit" aria-disabled=${d.busy ? 'true' : 'false'}>
                ${transfer ? msg('Transfer', { id: 'contacts.dialog.transfer' }) : msg('Deactivate', { id: 'contacts.action.deactivate' })}
              </button>
              <button class="button quiet" type="button" @click=${() => this.dialog?.close()}>${msg('Cancel', { id: 'contacts.cancel' })}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }

  private renderChoice(d: State, open: number) {
    const colleagues = d.colleagues;
    const select = html`<select name="to" class="input" aria-label=${msg('Colleague who gets the tickets', { id: 'contacts.dialog.to' })} ?disabled=${!colleagues} @change=${this.onPick}>
      ${colleagues
        ? colleagues.map((x) => html`<option value=${x.id}>${x.name} · ${ROLE_LABELS[x.role]?.() ?? x.role}</option>`)
        : html`<option>${msg('Loading…', { id: 'contacts.more.loading' })}</option>`}
    </select>`;
    if (d.mode === 'transfer') return html`<p>${msg(str`Give the ${open} open tickets to:`, { id: 'contacts.dialog.give' })}</p>${select}`;
    return html`<fieldset class="choice">
      <legend>${msg(str`${d.contact.name} requested ${open} open tickets.`, { id: 'contacts.dialog.open-tickets' })}</legend>
      <label><input type="radio" name="tickets" value="leave" checked /> ${msg('Leave them as they are', { id: 'contacts.dialog.leave' })}</label>
      <label><input type="radio" name="tickets" value="transfer" /> ${msg('Transfer them to', { id: 'contacts.dialog.transfer-to' })}</label>
      ${select}
    </fieldset>`;
  }

  private async confirm(form: HTMLFormElement): Promise<void> {
    const d = this.state;
    const client = this.host.client();
    if (!d || !client || d.busy) return;
    const data = new FormData(form);
    const wantsTransfer = d.mode === 'transfer' || data.get('tickets') === 'transfer';
    const to = wantsTransfer ? String(data.get('to') ?? '') : '';
    const c = d.contact;
    if (wantsTransfer && !to) return this.set({ ...d, error: msg('Choose the colleague who gets the tickets.', { id: 'contacts.dialog.choose' }) });
    this.set({ ...d, busy: true, error: undefined });
    try {
      const result: ContactChangeResult =
        d.mode === 'transfer' ? await client.transferTickets(c.id, to) : await client.deactivateContact(c.id, { version: c.version, transferTo: to || undefined });
      const receiver = d.colleagues?.find((x) => x.id === to);
      this.host.replaceRow(result.contact, c.id);
      this.dialog?.close();
      const moved = result.transferred.length;
      const name = result.contact.name;
      const toName = receiver?.name ?? '';
      if (d.mode === 'transfer') {
        this.host.announce(
          msg(str`${moved} tickets of ${name} now belong to ${toName}.`, { id: 'contacts.notice.transferred' }),
          new CustomEvent<PorticoContactUpdatedDetail>('portico-contact-updated', {
            ...init,
            detail: { contact: result.contact, change: 'tickets-transferred', transferred: result.transferred },
          }),
          moved,
        );
      } else {
        this.host.announce(
          moved
            ? msg(str`${name} was deactivated. ${moved} open tickets now belong to ${toName}.`, { id: 'contacts.notice.deactivated-transferred' })
            : msg(str`${name} was deactivated.`, { id: 'contacts.notice.deactivated' }),
          new CustomEvent<PorticoContactDeactivatedDetail>('portico-contact-deactivated', {
            ...init,
            detail: { contact: result.contact, transferred: result.transferred, transferredTo: moved ? receiver : undefined },
          }),
          moved,
        );
      }
    } catch (error) {
      const e = toPorticoError(error);
      let message = e.message;
      if (e.status === 412) {
        const now = await client.getContact(c.id).catch(() => undefined);
        this.host.replaceRow(now, c.id);
        if (now) {
          message = msg(str`Someone else changed ${now.name} meanwhile (now ${ROLE_LABELS[now.role]()}, ${STATUS_LABELS[now.status]()}). Nothing was saved: check and confirm again.`, {
            id: 'contacts.conflict.deactivate',
          });
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

  private readonly onClose = (): void => {
    const id = this.state?.contact.id;
    this.set(undefined);
    if (id) this.host.closed(id);
  };
}
