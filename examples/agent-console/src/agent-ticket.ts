/**
 * `<agent-ticket>`: one ticket as an agent works on it: the thread with internal notes marked,
 * a composer that sends a public reply or adds an internal note, and the status.
 *
 * @fires agent-ticket-changed - `{ ref }` after a reply, note or status change.
 */
import { TICKET_STATUSES, type Comment, type Ticket } from '@portico/core';
import { LitElement, css, html } from 'lit';
import { addNote, getThread, getTicket, reply, setStatus } from './api.ts';

export class AgentTicket extends LitElement {
  static override properties = { ref: {}, ticket: { state: true }, thread: { state: true }, error: { state: true }, busy: { state: true } };
  static override styles = css`
    :host {
      display: grid;
      gap: 0.75rem;
      align-content: start;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: baseline;
    }
    h2 {
      margin: 0;
      font-size: 1.15rem;
      flex-basis: 100%;
    }
    .meta {
      font-size: 0.85rem;
      opacity: 0.75;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    li {
      border: 1px solid color-mix(in srgb, CanvasText 14%, transparent);
      border-radius: 8px;
      padding: 0.5rem 0.75rem;
    }
    li.note {
      background: color-mix(in srgb, #f59e0b 16%, Canvas);
      border-style: dashed;
    }
    .who {
      font-size: 0.8rem;
      opacity: 0.8;
      display: flex;
      gap: 0.5rem;
    }
    .tag {
      font-weight: 600;
      color: #92400e;
    }
    p.body {
      margin: 0.25rem 0 0;
      white-space: pre-wrap;
    }
    textarea {
      inline-size: 100%;
      box-sizing: border-box;
      min-block-size: 5rem;
      font: inherit;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
    }
    .error {
      color: #b91c1c;
    }
  `;

  /** The open ticket's reference (`T-1001`), or null. */
  ref: string | null = null;
  private ticket: Ticket | null = null;
  private thread: Comment[] = [];
  private error = '';
  private busy = false;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('ref')) void this.#load();
  }

  override render() {
    if (!this.ref) return html`<p class="meta">Pick a ticket from the inbox.</p>`;
    const t = this.ticket;
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${
        t
          ? html`<header>
                <h2>${t.ref} · ${t.subject}</h2>
                <span class="meta">${t.accountId} · ${t.requester.name} &lt;${t.requester.email}&gt; · ${t.priority} · ${t.category}</span>
                ${t.mergedInto ? html`<span class="meta">Merged into ${t.mergedInto.ref}</span>` : null}
                <label
                  >Status
                  <select
                    id="status"
                    ?disabled=${this.busy}
                    @change=${(e: Event) => this.#changeStatus((e.target as HTMLSelectElement).value as Ticket['status'])}
                  >
                    ${TICKET_STATUSES.map((s) => html`<option value=${s} ?selected=${s === t.status}>${s}</option>`)}
                  </select>
                </label>
              </header>
              <p class="body">${t.description}</p>`
          : null
      }
      <ol aria-label="Conversation">
        ${this.thread.map(
          (c) =>
            html`<li class=${c.internal ? 'note' : 'comment'}>
              <span class="who"
                >${c.internal ? html`<span class="tag">Internal note</span>` : null}<span>${c.author.name} (${c.author.kind})</span
                ><time datetime=${c.createdAt}>${new Date(c.createdAt).toLocaleString()}</time></span
              >
              <p class="body">${c.body}</p>
            </li>`,
        )}
      </ol>
      <form @submit=${(e: Event) => e.preventDefault()}>
        <label for="compose">Message</label>
        <textarea id="compose" ?disabled=${this.busy}></textarea>
        <div class="actions">
          <button id="reply" type="button" ?disabled=${this.busy} @click=${() => this.#send('reply')}>Send reply to customer</button>
          <button id="note" type="button" ?disabled=${this.busy} @click=${() => this.#send('note')}>Add internal note</button>
        </div>
      </form>
    `;
  }

  async #load(): Promise<void> {
    if (!this.ref) return;
    const ref = this.ref;
    try {
      const [ticket, thread] = await Promise.all([getTicket(ref), getThread(ref)]);
      if (ref !== this.ref) return;
      this.ticket = ticket;
      this.thread = thread.items;
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async #send(kind: 'reply' | 'note'): Promise<void> {
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>('#compose')!;
    const text = box.value.trim();
    if (!this.ref || !text) return;
    await this.#write(async (ref) => {
      await (kind === 'reply' ? reply(ref, text) : addNote(ref, text));
      box.value = '';
    });
  }

  async #changeStatus(status: Ticket['status']): Promise<void> {
    await this.#write((ref) => setStatus(ref, status));
  }

  async #write(action: (ref: string) => Promise<unknown>): Promise<void> {
    const ref = this.ref!;
    this.busy = true;
    try {
      await action(ref);
      this.dispatchEvent(new CustomEvent('agent-ticket-changed', { detail: { ref }, bubbles: true, composed: true }));
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
      await this.#load();
    }
  }
}
