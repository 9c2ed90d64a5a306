/**
 * The invite form of `<portico-contacts>`: loaded on first use (only admins who open it pay
 * for it), rendered into the element's shadow root, so its styles, labels and
 * `aria-describedby` resolve there. Not an element of its own: the host owns it and renders
 * `render()` where the form goes.
 */
import { msg, str } from '@lit/localize';
import { isExternalEmail, isValidEmail, normalizeEmail, type Contact, type PorticoClient, type Role } from '@portico/core';
import { html, nothing } from 'lit';
import { ROLE_LABELS } from '../internal/contact-labels.ts';
import { toPorticoError } from '../internal/errors.ts';

const ROLE_HINTS: Record<Role, () => string> = {
  admin: () => msg('Sees every ticket and manages contacts.', { id: 'contacts.role-hint.admin' }),
  member: () => msg('Sees own, followed and account-wide tickets.', { id: 'contacts.role-hint.member' }),
  billing: () => msg('Like member, for billing tickets only.', { id: 'contacts.role-hint.billing' }),
  requester: () => msg('Files tickets and sees only own and followed ones. Least privilege.', { id: 'contacts.role-hint.requester' }),
  viewer: () => msg('Reads account-wide tickets, cannot write.', { id: 'contacts.role-hint.viewer' }),
};
const ROLES = Object.keys(ROLE_LABELS) as Role[];

/** What the form needs from the element that shows it. */
export interface InviteHost {
  readonly renderRoot: ParentNode;
  readonly updateComplete: Promise<boolean>;
  requestUpdate(): void;
  /** The client; the child account to invite into (undefined = the caller's own); the own account's domains when inviting there. */
  inviteContext(): { client: PorticoClient | undefined; accountId: string | undefined; domains: readonly string[] | undefined };
  /** The invitation went through. */
  invited(contact: Contact): void;
  /** Cancel or Escape. */
  closeInvite(): void;
}

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

  constructor(private readonly host: InviteHost) {}

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
    const { domains } = this.host.inviteContext();
    const external = this.serverWantsConfirm || (!!domains && isValidEmail(email) && isExternalEmail(email, domains));
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const fieldError = (name: string) =>
      errors[name]?.length ? html`<p class="field-error" id=${`${name}-error`}>${errors[name]!.join(' ')}</p>` : nothing;
    const invalid = (name: string) => (errors[name]?.length ? 'true' : 'false');
    const describedBy = (name: string, extra = '') => [errors[name]?.length ? `${name}-error` : '', extra].filter(Boolean).join(' ') || nothing;
    return html`
      <form part="invite-form" id="invite" class="invite-form" novalidate aria-labelledby="invite-title" @submit=${this.onSubmit} @keydown=${this.onKeydown}>
        <h3 id="invite-title" class="form-title">${msg('Invite a colleague', { id: 'contacts.invite.title' })}</h3>
        <div class="field">
          <label for="invite-email">${msg('Email', { id: 'contacts.invite.email' })}</label>
          <input
            id="invite-email"
            name="email"
            class="input"
            type="email"
            autocomplete="off"
            required
            .value=${this.email}
            aria-invalid=${invalid('email')}
            aria-describedby=${describedBy('email')}
            @input=${this.onEmail}
            @blur=${this.onEmailBlur}
          />
          ${fieldError('email')}
        </div>
        <div class="field">
          <label for="invite-name">${msg('Name (optional)', { id: 'contacts.invite.name' })}</label>
          <input id="invite-name" name="name" class="input" autocomplete="off" aria-invalid=${invalid('name')} aria-describedby=${describedBy('name')} @input=${this.onDirty} />
          ${fieldError('name')}
        </div>
        <div class="field">
          <label for="invite-role">${msg('Role', { id: 'contacts.invite.role' })}</label>
          <select id="invite-role" name="role" class="input" aria-invalid=${invalid('role')} aria-describedby=${describedBy('role', 'invite-role-hint')} @change=${this.onRole}>
            ${ROLES.map((r) => html`<option value=${r} ?selected=${r === this.role}>${ROLE_LABELS[r]()}</option>`)}
          </select>
          <p class="hint" id="invite-role-hint">${ROLE_HINTS[this.role]()}</p>
          ${fieldError('role')}
        </div>
        ${external
          ? html`<label class="confirm">
              <input type="checkbox" name="confirmExternal" aria-describedby="confirm-hint" @change=${this.onDirty} />
              <span id="confirm-hint"
                >${domain
                  ? msg(str`${domain} is outside your company's email domains. Invite this person anyway.`, { id: 'contacts.invite.confirm-external' })
                  : msg("This address is outside the account's email domains. Invite this person anyway.", { id: 'contacts.invite.confirm-external-generic' })}</span
              >
            </label>`
          : nothing}
        ${fieldError('accountId')} ${this.failure ? html`<p class="field-error" role="alert">${this.failure}</p>` : nothing}
        <div class="form-actions">
          <button class="button primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${this.busy ? msg('Sending…', { id: 'contacts.invite.sending' }) : msg('Send invitation', { id: 'contacts.invite.submit' })}
          </button>
          <button class="button quiet" type="button" @click=${() => this.host.closeInvite()}>${msg('Cancel', { id: 'contacts.cancel' })}</button>
        </div>
      </form>
    `;
  }

  private update(): void {
    this.host.requestUpdate();
  }

  private async submit(form: HTMLFormElement): Promise<void> {
    const { client, accountId } = this.host.inviteContext();
    if (!client || this.busy) return;
    const data = new FormData(form);
    const email = normalizeEmail(String(data.get('email') ?? ''));
    const errors = this.validate(email);
    if (form.querySelector('[name="confirmExternal"]') && !data.get('confirmExternal')) {
      errors.email = [...(errors.email ?? []), msg('Tick the box below to confirm inviting someone outside the company.', { id: 'contacts.invite.confirm-needed' })];
    }
    this.errors = errors;
    this.failure = '';
    if (Object.keys(errors).length) return this.focusFirstInvalid();
    const input = {
      email,
      name: String(data.get('name') ?? '').trim() || undefined,
      role: this.role,
      ...(accountId ? { accountId } : {}),
      ...(data.get('confirmExternal') ? { confirmExternal: true } : {}),
    };
    this.key ??= crypto.randomUUID();
    this.busy = true;
    this.update();
    try {
      const contact = await client.inviteContact(input, { idempotencyKey: this.key });
      this.reset();
      this.host.invited(contact);
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
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('#invite [aria-invalid="true"]')?.focus();
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

  private readonly onEmail = (event: Event): void => {
    this.email = (event.target as HTMLInputElement).value;
    this.serverWantsConfirm = false;
    this.onDirty();
  };

  /** Validate after blur, but never nag about an empty field the user has not typed in. */
  private readonly onEmailBlur = (): void => {
    if (!this.email.trim()) return;
    this.errors = { ...this.errors, ...this.validate(normalizeEmail(this.email)) };
    this.update();
  };

  private readonly onRole = (event: Event): void => {
    this.role = (event.target as HTMLSelectElement).value as Role;
    this.onDirty();
  };

  /** The input changed: it is a new invitation attempt (new key), and old errors are stale. */
  private readonly onDirty = (): void => {
    this.key = undefined;
    this.errors = {};
    this.failure = '';
    this.update();
  };
}
