/**
 * `<story-session-card>`: a story-only element that shows what `<portico-provider>` shares
 * through context (who is signed in, the role, what they may do), so the provider's stories
 * have something to see. Not part of the SDK.
 */
import { consume } from '@lit/context';
import { sessionContext, type SessionState } from '@portico/elements';
import { LitElement, css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';

export class StorySessionCard extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font:
        0.875rem/1.4 system-ui,
        sans-serif;
      color: light-dark(#1b1d21, #e9ebef);
    }
    .card {
      padding: 0.75rem 1rem;
      border: 1px solid light-dark(#d5d9df, #3a3f49);
      border-radius: 0.375rem;
      background: light-dark(#ffffff, #17191e);
    }
    h2 {
      margin: 0 0 0.25rem;
      font-size: 1rem;
    }
    p {
      margin: 0 0 0.5rem;
    }
    ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      padding: 0 0.5rem;
      border-radius: 999px;
      background: light-dark(#eceef1, #2b2f36);
    }
    li[data-allowed='false'] {
      text-decoration: line-through;
      color: light-dark(#555c68, #a9b0bc);
    }
    .status {
      font-weight: 600;
    }
  `;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: SessionState | undefined;

  override render() {
    const state = this.session;
    if (!state) return html`<div class="card"><p>No provider around this element.</p></div>`;
    const s = state.session;
    return html`<section class="card" aria-label="Session">
      <p>Session: <span class="status">${state.status}</span>${state.error ? html` — ${state.error.message}` : nothing}</p>
      ${
        s
          ? html`<h2>${s.contact.name}</h2>
              <p>${s.contact.role} of ${s.account.name} · ${s.contact.email}</p>
              <p>Reaches: ${s.accounts.map((a) => a.name).join(', ')}</p>
              <ul aria-label="Permissions">
                ${Object.entries(s.permissions).map(([action, allowed]) => html`<li data-allowed=${String(allowed)}>${action}: ${allowed ? 'yes' : 'no'}</li>`)}
              </ul>`
          : nothing
      }
    </section>`;
  }
}

if (!customElements.get('story-session-card')) customElements.define('story-session-card', StorySessionCard);

declare global {
  interface HTMLElementTagNameMap {
    'story-session-card': StorySessionCard;
  }
}
