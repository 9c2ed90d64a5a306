/**
 * `<agent-inbox>`: every account's tickets, filtered by status and text, newest activity first.
 * Refreshes every few seconds, so new customer tickets and replies show up.
 *
 * @fires agent-ticket-open - `{ ref }` when the agent opens a ticket.
 */
import type { Ticket } from '@portico/core';
import { LitElement, css, html } from 'lit';
import { listTickets } from './api.ts';

const STATUS_FILTERS: readonly [string, string][] = [
  ['new,open,pending', 'Unsolved'],
  ['new', 'New'],
  ['open', 'Open'],
  ['pending', 'Pending'],
  ['solved', 'Solved'],
  ['closed', 'Closed'],
  ['', 'All'],
];

export class AgentInbox extends LitElement {
  static override properties = { selected: {}, status: { state: true }, q: { state: true }, tickets: { state: true }, error: { state: true } };
  static override styles = css`
    :host {
      display: grid;
      gap: 0.5rem;
      align-content: start;
    }
    form {
      display: flex;
      gap: 0.5rem;
    }
    input {
      flex: 1;
      min-inline-size: 0;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 2px;
    }
    button.row {
      inline-size: 100%;
      text-align: start;
      border: 0;
      background: none;
      padding: 0.45rem 0.5rem;
      border-radius: 6px;
      cursor: pointer;
      font: inherit;
      color: inherit;
      display: grid;
      gap: 0.1rem;
    }
    button.row:hover,
    button.row[aria-current='true'] {
      background: color-mix(in srgb, #4f46e5 14%, transparent);
    }
    .meta {
      font-size: 0.8rem;
      opacity: 0.75;
    }
    .error {
      color: #b91c1c;
    }
  `;

  /** The ticket shown beside the inbox (its reference). */
  selected: string | null = null;
  private status = 'new,open,pending';
  private q = '';
  private tickets: Ticket[] = [];
  private error = '';
  #timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), 4000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  /** Loads the list again with the current filters. */
  async refresh(): Promise<void> {
    const query = new URLSearchParams({ limit: '50', sort: 'updated' });
    if (this.status) query.set('status', this.status);
    if (this.q.trim()) query.set('q', this.q.trim());
    try {
      this.tickets = (await listTickets(query)).items;
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  override render() {
    return html`
      <form role="search" @submit=${(e: Event) => e.preventDefault()}>
        <label
          >Status
          <select id="status-filter" @change=${(e: Event) => this.#filter({ status: (e.target as HTMLSelectElement).value })}>
            ${STATUS_FILTERS.map(([value, label]) => html`<option value=${value} ?selected=${value === this.status}>${label}</option>`)}
          </select>
        </label>
        <input
          id="search"
          type="search"
          placeholder="Search (ref, subject, text)"
          aria-label="Search tickets"
          .value=${this.q}
          @input=${(e: Event) => this.#filter({ q: (e.target as HTMLInputElement).value })}
        />
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <ul aria-label="Tickets">
        ${this.tickets.map(
          (t) =>
            html`<li>
              <button class="row" data-ref=${t.ref} aria-current=${String(t.ref === this.selected)} @click=${() => this.#open(t.ref)}>
                <span><strong>${t.ref}</strong> ${t.subject}</span>
                <span class="meta">${t.accountId} · ${t.status} · ${t.priority}${t.assignee ? ` · ${t.assignee}` : ''}</span>
              </button>
            </li>`,
        )}
      </ul>
      ${this.tickets.length === 0 && !this.error ? html`<p class="meta">No tickets match.</p>` : null}
    `;
  }

  #filter(change: { status?: string; q?: string }): void {
    if (change.status !== undefined) this.status = change.status;
    if (change.q !== undefined) this.q = change.q;
    void this.refresh();
  }

  #open(ref: string): void {
    this.dispatchEvent(new CustomEvent('agent-ticket-open', { detail: { ref }, bubbles: true, composed: true }));
  }
}
