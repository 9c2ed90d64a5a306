/**
 * `<agent-console>`: the inbox beside the open ticket; the open ticket follows the URL hash
 * (`#T-1001`), so a ticket can be linked.
 */
import { LitElement, css, html } from 'lit';
import type { AgentInbox } from './agent-inbox.ts';

export class AgentConsole extends LitElement {
  static override properties = { ref: { state: true } };
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: minmax(18rem, 26rem) 1fr;
      gap: 1.5rem;
      padding: 1rem 1.25rem;
    }
    @media (max-width: 800px) {
      :host {
        grid-template-columns: 1fr;
      }
    }
  `;

  private ref: string | null = location.hash.slice(1) || null;
  readonly #onHash = () => (this.ref = location.hash.slice(1) || null);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.#onHash);
  }

  override render() {
    return html`
      <agent-inbox .selected=${this.ref} @agent-ticket-open=${(e: CustomEvent<{ ref: string }>) => (location.hash = e.detail.ref)}></agent-inbox>
      <agent-ticket .ref=${this.ref} @agent-ticket-changed=${() => void this.renderRoot.querySelector<AgentInbox>('agent-inbox')?.refresh()}></agent-ticket>
    `;
  }
}
