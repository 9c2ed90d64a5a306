/**
 * The dialog `<portico-provider>` shows before the user's session ends (WCAG 2.2.1 Timing
 * Adjustable). It is the provider's own part, not a public element: the provider imports and
 * registers it once a session end is known (most sessions renew without one), so it is not in
 * a page's first load.
 */
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { appliedLocaleTag } from '../internal/localization.ts';
import { forms } from '../styles/forms.ts';
import { tokens } from '../styles/tokens.ts';

/** Where the warning stands: shown, asking the host for a longer session, or that failed. */
export type SessionWarningState = 'shown' | 'extending' | 'failed';

/**
 * @internal Rendered by `<portico-provider>` only; styled through its `session-warning` part.
 * @summary The provider's warning that the session is about to end.
 * @fires portico-session-warning-extend - (internal) the user chose Stay signed in.
 * @fires portico-session-warning-dismiss - (internal) the user dismissed the warning.
 * @csspart session-warning - The modal dialog.
 */
@localized()
export class PorticoSessionWarning extends LitElement {
  static override styles = [
    tokens,
    forms,
    css`
      .dialog {
        max-inline-size: min(28rem, calc(100vw - 2rem));
        padding: var(--_portico-space-4);
        border: 1px solid var(--_portico-border);
        border-radius: var(--_portico-radius);
        background: var(--_portico-surface);
        color: var(--_portico-text);
      }
      .dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      h2 {
        margin: 0 0 var(--_portico-space-2);
        font-size: 1.1em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_portico-space-2);
        margin-block-start: var(--_portico-space-4);
      }
    `,
  ];

  /** When the session ends (epoch ms). */
  @property({ attribute: false }) endsAt = 0;
  @property({ attribute: false }) state: SessionWarningState = 'shown';
  /** The language tag for the time (the provider's). */
  @property({ attribute: false }) locale = 'en';

  @query('dialog') private _dialog!: HTMLDialogElement;

  protected override firstUpdated(): void {
    // A modal dialog focuses its first control: Stay signed in.
    this._dialog.showModal();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Stay signed in is gone once extending failed: keep focus in the dialog, on Dismiss.
    if (changed.has('state') && this.state === 'failed') this.renderRoot.querySelector<HTMLButtonElement>('.actions button')?.focus();
  }

  /** Closes the dialog (focus returns where it was before the warning). */
  close(): void {
    this._dialog?.close();
  }

  private _tell(type: 'portico-session-warning-extend' | 'portico-session-warning-dismiss') {
    return (event?: Event) => {
      event?.preventDefault();
      this.dispatchEvent(new Event(type));
    };
  }

  override render() {
    const time = new Intl.DateTimeFormat(appliedLocaleTag() ?? this.locale, { timeStyle: 'short' }).format(this.endsAt);
    const busy = this.state === 'extending';
    return html`<dialog
      part="session-warning"
      class="dialog"
      role="alertdialog"
      aria-labelledby="title"
      aria-describedby="text"
      @cancel=${this._tell('portico-session-warning-dismiss')}
    >
      <h2 id="title">${msg('Your support session is about to end', { id: 'provider.session-warning.title' })}</h2>
      <p id="text">
        ${
          this.state === 'failed'
            ? msg(str`Your session could not be extended. It ends at ${time}; sign in again after that. What you typed stays here.`, {
                id: 'provider.session-warning.failed',
              })
            : msg(str`It ends at ${time}. Stay signed in to keep working; what you typed stays here.`, { id: 'provider.session-warning.text' })
        }
      </p>
      <div class="actions">
        ${
          this.state === 'failed'
            ? nothing
            : html`<button type="button" class="button primary" aria-disabled=${busy ? 'true' : 'false'} @click=${this._tell('portico-session-warning-extend')}>
                ${busy ? msg('Extending…', { id: 'provider.session-warning.extending' }) : msg('Stay signed in', { id: 'provider.session-warning.extend' })}
              </button>`
        }
        <button type="button" class="button" @click=${this._tell('portico-session-warning-dismiss')}>
          ${msg('Dismiss', { id: 'provider.session-warning.dismiss' })}
        </button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portico-session-warning': PorticoSessionWarning;
  }
}
