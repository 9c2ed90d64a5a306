/**
 * The invite form of `<portico-contacts>`: loaded on first use (only admins who open it pay
 * for it), rendered into the element's shadow root, so its styles, labels and
 * `aria-describedby` resolve there. Not an element of its own: the host owns it and renders
 * `render()` where the form goes.
 */
import { msg, str } from '@lit/localize';
import type { Role } from '@portico/core';
import { isExternalEmail, isValidEmail, normalizeEmail } from '@portico/core/email.js';
import { html, nothing, type TemplateResult } from 'lit';
import { ROLE_LABELS, roleLabel } from '../internal/contact-labels.ts';
import { toPorticoError } from '../internal/errors.ts';
import type { AdminHost } from './admin-host.ts';

const ROLE_HINTS: Record<Role, () => string> = {
  admin: () => msg('Sees every ticket and manages contacts.', { id: 'contacts.role-hint.admin' }),
  member: () => msg('Sees own, followed and account-wide tickets.', { id: 'contacts.role-hint.member' }),
  billing: () => msg('Like member, for billing tickets only.', { id: 'contacts.role-hint.billing' }),
  requester: () => msg('Files tickets and sees only own and followed ones. Least privilege.', { id: 'contacts.role-hint.requester' }),
  viewer: () => msg('Reads account-wide tickets, cannot write.', { id: 'contacts.role-hint.viewer' }),
};

export class InviteForm {
  private email = '';
  private role: Role = 'requester';
  private errors: Record<string, string[]> = {};
  private failure = '';
  private busy = false;
  /** The server asked for confirmation of an external address (child accounts' domains are not in the session). */
  private serverWantsConfirm = false;
  /** One Idempotency-Key per invitation attempt, reused on retries of the same input. */
  private key: string | undefined;

  constructor(private readonly host: AdminHost) {}

  /** Forgets the last attempt (the form was closed or the account changed). */
  reset(): void {
    this.email = '';
    this.role = 'requester';
    this.errors = {};
    this.failure = '';
    this.serverWantsConfirm = false;
    this.key = undefined;
  }

  render() {
    const errors = this.errors;
    const email = normalizeEmail(this.email);
    const { domains } = this.host.context();
    const external = this.serverWantsConfirm || (!!domains && isValidEmail(email) && isExternalEmail(email, domains));
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const invalid = (name: string) => !!errors[name]?.length;
    const describedBy = (name: string, extra = '') => `${invalid(name) ? `${name}-error` : ''} ${extra}`.trim() || nothing;
    const error = (name: string) => (invalid(name) ? html`<p class="field-error" id="${name}-error">${errors[name]!.join(' ')}</p>` : nothing);
    // A labelled field (its control has the id `invite-${name}`) and its error.
    const field = (name: string, label: string, control: TemplateResult) =>
      html`<div class="field"><label for="invite-${name}">${label}</label>${control}${error(name)}</div>`;
    return html`
      <form
        part="invite-form"
        id="invite"
        class="invite-form"
        novalidate
        aria-labelledby="invite-title"
        @submit=${this.onSubmit}
        @keydown=${this.onKeydown}
        @input=${this.onInput}
      >
        <h3 id="invite-title" class="form-title">${msg('Invite a colleague', { id: 'contacts.invite.title' })}</h3>
        ${field(
          'email',
          msg('Email', { id: 'contacts.invite.email' }),
          html`<input
            id="invite-email"
            name="email"
            class="input"
            type="email"
            autocomplete="off"
            required
            .value=${this.email}
            aria-invalid=${invalid('email')}
            aria-describedby=${describedBy('email')}
            @blur=${this.onEmailBlur}
          />`,
        )}
        ${field(
          'name',
          msg('Name (optional)', { id: 'contacts.invite.name' }),
          html`<input id="invite-name" name="name" class="input" autocomplete="off" aria-invalid=${invalid('name')} aria-describedby=${describedBy('name')} />`,
        )}
        ${field(
          'role',
          msg('Role', { id: 'contacts.invite.role' }),
          html`<select
              id="invite-role"
              name="role"
              class="input"
              aria-invalid=${invalid('role')}
              aria-describedby=${describedBy('role', 'invite-role-hint')}
              @change=${this.onInput}
            >
              ${Object.entries(ROLE_LABELS).map(([role, label]) => html`<option value=${role} ?selected=${role === this.role}>${label()}</option>`)}
            </select>
            <p class="hint" id="invite-role-hint">${ROLE_HINTS[this.role]()}</p>`,
        )}
        ${
          external
            ? html`<label class="confirm">
                <input type="checkbox" name="confirmExternal" aria-describedby="confirm-hint" />
                <span id="confirm-hint"
                  >${
                    domain
                      ? msg(str`${domain} is outside your company's email domains. Invite this person anyway.`, { id: 'contacts.invite.confirm-external' })
                      : msg("This address is outside the account's email domains. Invite this person anyway.", {
                          id: 'contacts.invite.confirm-external-generic',
                        })
                  }</span
                >
              </label>`
            : nothing
        }
        ${error('accountId')} ${this.failure ? html`<p class="field-error" role="alert">${this.failure}</p>` : nothing}
        <div class="form-actions">
          <button class="button primary" type="submit" aria-disabled=${this.busy}>
            ${this.busy ? msg('Sending…', { id: 'contacts.invite.sending' }) : msg('Send invitation', { id: 'contacts.invite.submit' })}
          </button>
          <button class="button quiet" type="button" @click=${() => this.host.closeInvite()}>${msg('Cancel', { id: 'contacts.cancel' })}</button>
        </div>
      </form>
    `;
  }

  private update(): void {
    this.host.el.requestUpdate();
  }

  private async submit(form: HTMLFormElement): Promise<void> {
    const { client, accountId } = this.host.context();
    if (!client || this.busy) return;
    const data = new FormData(form);
    const email = normalizeEmail(String(data.get('email') ?? ''));
    const confirmExternal = !!data.get('confirmExternal');
    const errors = this.validate(email);
    if (form.querySelector('[name="confirmExternal"]') && !confirmExternal) {
      errors.email = [
        ...(errors.email ?? []),
        msg('Tick the box below to confirm inviting someone outside the company.', { id: 'contacts.invite.confirm-needed' }),
      ];
    }
    this.errors = errors;
    this.failure = '';
    if (Object.keys(errors).length) return this.focusFirstInvalid();
    // Absent keys stay out of the JSON body.
    const input = {
      email,
      name: String(data.get('name') ?? '').trim() || undefined,
      role: this.role,
      accountId,
      confirmExternal: confirmExternal || undefined,
    };
    this.key ??= crypto.randomUUID();
    this.busy = true;
    this.update();
    try {
      const contact = await client.inviteContact(input, { idempotencyKey: this.key });
      this.reset();
      this.host.announce(msg(str`Invitation sent to ${contact.email} as ${roleLabel(contact.role)}.`, { id: 'contacts.notice.invited' }), true);
      this.host.emit('portico-contact-invited', { contact });
      this.host.closeInvite();
    } catch (error) {
      const e = toPorticoError(error);
      // What the user typed stays in the form; a retry of the same input reuses the key.
      if (e.code === 'external_email_unconfirmed') this.serverWantsConfirm = true;
      if (e.fieldErrors && Object.keys(e.fieldErrors).length) {
        this.errors = e.fieldErrors;
        void this.focusFirstInvalid();
      } else this.failure = e.message;
      if (e.status && e.status < 500) this.key = undefined;
    } finally {
      this.busy = false;
      this.update();
    }
  }

  private validate(email: string): Record<string, string[]> {
    if (!email) return { email: [msg('Enter an email address.', { id: 'contacts.invite.email-required' })] };
    if (!isValidEmail(email)) return { email: [msg('Enter a valid email address, like name@company.com.', { id: 'contacts.invite.email-invalid' })] };
    return {};
  }

  private async focusFirstInvalid(): Promise<void> {
    this.update();
    await this.host.el.updateComplete;
    this.host.el.renderRoot.querySelector<HTMLElement>('#invite [aria-invalid="true"]')?.focus();
  }

  // Arrow functions: Lit calls listeners with the element as `this` otherwise.
  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.submit(event.currentTarget as HTMLFormElement);
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.host.closeInvite();
  };

  /** A field changed: it is a new invitation attempt (new key), and old errors are stale. */
  private readonly onInput = (event: Event): void => {
    const { name, value } = event.target as HTMLInputElement;
    if (name === 'email') {
      this.email = value;
      this.serverWantsConfirm = false;
    }
    if (name === 'role') this.role = value as Role;
    this.key = undefined;
    this.errors = {};
    this.failure = '';
    this.update();
  };

  /** Validate after blur, but never nag about an empty field the user has not typed in. */
  private readonly onEmailBlur = (): void => {
    if (!this.email.trim()) return;
    this.errors = { ...this.errors, ...this.validate(normalizeEmail(this.email)) };
    this.update();
  };
}
