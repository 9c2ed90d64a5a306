import { localized, msg, str } from '@lit/localize';
import { TaskStatus, initialState } from '@lit/task';
import type { LiveEvent, NotificationPage, PorticoClient, PorticoError } from '@portico/core';
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { activitySentence } from '../internal/activity-text.ts';
import { DataController } from '../internal/data-controller.ts';
import { dataView } from '../internal/states.ts';
import { emptyView } from '../internal/empty-view.ts';
import { toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { stateStyles } from '../styles/states.ts';
import { emitter } from '../events.ts';
import { tokens } from '../styles/tokens.ts';

type Item = NotificationPage['items'][number];

/** Detail of `portico-ticket-select` fired by the bell. */
export interface PorticoNotificationSelectDetail {
  /** Id of the ticket the user chose. */
  id: string;
}

const bell = html`<svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v2.6L2.2 11a.75.75 0 0 0 .65 1.1h10.3a.75.75 0 0 0 .65-1.1L12.5 8.6V6A4.5 4.5 0 0 0 8 1.5ZM6.3 13.2a1.8 1.8 0 0 0 3.4 0H6.3Z"
  />
</svg>`;

/**
 * The badge counts updates by others (replies, status changes) to tickets the signed-in contact
 * requested or follows, since they last marked them as seen; it grows live. The list opens
 * below the bell; choosing an update fires `portico-ticket-select` so the page can open that
 * ticket. Escape closes the list. To keep the page's load light, the bell asks for its updates
 * and opens its live stream once the page has loaded and is idle (within about a second), and
 * builds the list (its `item` parts) only when it is first opened. Until its first count has
 * arrived (or failed) the bell button is `aria-busy="true"`.
 *
 * @summary A bell with the number of unseen updates to tickets the contact requested or follows, and their list.
 * @tag portico-notifications
 *
 * @fires {CustomEvent<PorticoNotificationSelectDetail>} portico-ticket-select - The user chose an update. Detail: `{ id }` of its ticket.
 *
 * @csspart base - The wrapper.
 * @csspart button - The bell button.
 * @csspart count - The badge with the unseen count.
 * @csspart panel - The list of updates, shown while open.
 * @csspart item - One update.
 * @csspart mark-seen - The "Mark all as seen" button.
 * @csspart loading - Shown while the updates load.
 * @csspart empty - Shown when there is nothing to show.
 * @csspart error - Shown when loading or marking as seen failed (loading: with Retry).
 *
 * @cssproperty --portico-notifications-panel-width - Width of the panel.
 * @cssproperty --portico-color-accent - The badge.
 * @cssproperty --portico-color-surface - Panel background.
 * @cssproperty --portico-color-border - Panel border.
 */
@localized()
export class PorticoNotifications extends LitElement {
  static override styles = [
    tokens,
    stateStyles,
    css`
      :host {
        display: inline-block;
        position: relative;
      }
      button {
        font: inherit;
        color: inherit;
        cursor: pointer;
      }
      .bell {
        position: relative;
        background: none;
        border: 1px solid transparent;
        border-radius: var(--_portico-radius);
        padding: var(--_portico-space-1);
        line-height: 0;
      }
      .count {
        position: absolute;
        inset-block-start: -0.35em;
        inset-inline-end: -0.45em;
        min-inline-size: 1.35em;
        padding: 0 0.3em;
        border-radius: 1em;
        background: var(--_portico-accent);
        color: var(--_portico-accent-contrast);
        font-size: 0.75em;
        line-height: 1.35em;
        text-align: center;
      }
      .panel {
        position: absolute;
        inset-inline-end: 0;
        z-index: 10;
        inline-size: var(--portico-notifications-panel-width, 22rem);
        max-block-size: 28rem;
        overflow: auto;
        margin-block-start: var(--_portico-space-1);
        background: var(--_portico-surface);
        border: 1px solid var(--_portico-border);
        border-radius: var(--_portico-radius);
        box-shadow: 0 6px 24px rgb(0 0 0 / 0.15);
        padding: var(--_portico-space-2);
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: center;
        padding: var(--_portico-space-1) var(--_portico-space-2);
      }
      h2 {
        font-size: 1em;
        margin: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .item {
        display: block;
        inline-size: 100%;
        text-align: start;
        background: none;
        border: 0;
        border-radius: var(--_portico-radius);
        padding: var(--_portico-space-2);
      }
      .item:hover {
        background: var(--_portico-surface-alt);
      }
      .item[data-unseen] {
        font-weight: 600;
      }
      .when {
        display: block;
        color: var(--_portico-muted);
        font-weight: normal;
        font-size: 0.85em;
      }
      .link {
        background: none;
        border: 0;
        padding: 0;
        color: var(--_portico-accent);
      }
      .mark-error {
        padding: var(--_portico-space-2);
        color: var(--_portico-danger);
      }
    `,
  ];

  // Beside the page's content: its request and live stream wait until the page has loaded.
  private readonly data = new DataController(this, { live: (event) => this._live(event), start: 'idle' });

  private readonly emit = emitter<'portico-notifications'>(this);

  /** The latest updates and the unseen count; reloads when the signed-in contact changes. */
  private readonly listTask = this.data.task({
    // The contact is an arg so that another contact's session loads their own updates. While
    // the provider's first session load is on its way there is no contact yet: loading then
    // too would ask the server twice at page load, so the bell waits for it (and loads if it fails).
    args: () => [this.data.me?.contact.id, !this.data.me && this.data.session?.status === 'loading'] as const,
    load: async (client, [, waitingForSession], { signal }) => {
      if (waitingForSession) return initialState;
      // A "mark all as seen" still on its way would otherwise be undone by an older count.
      await this._marking;
      return client.listNotifications({ limit: 20 }, { signal });
    },
    onComplete: (page) => {
      this.items = page.items;
      this.unseen = page.unseenCount;
      // Entries up to the newest one loaded are in the server's count already.
      this._loadedAt = page.items[0]?.createdAt ?? '';
      this.markError = undefined;
    },
  });

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @state() private items: Item[] = [];
  @state() private unseen = 0;
  @state() private open = false;
  /** Why the last "mark all as seen" failed. */
  @state() private markError: PorticoError | undefined;

  /** Whether the list was ever opened: it is rendered from then on (kept while closed). */
  private _listShown = false;
  /** Whether the first load has ended (loaded or failed): until then the count is on its way. */
  private _settled = false;
  private _loadedAt = '';
  /** The last "mark all as seen" request (settled or not); reloads wait for it. */
  private _marking: Promise<void> = Promise.resolve();

  /** Whether the updates have loaded (live ones count from then on). */
  private get loaded(): boolean {
    return this.listTask.status === TaskStatus.COMPLETE;
  }

  /** Loads the updates and the unseen count again. */
  async reload(): Promise<void> {
    await this.listTask.run();
  }

  protected override willUpdate(): void {
    // The list (its items, their sentences and times) is built when first opened: at page load
    // only the bell and its badge show, and nobody may ever open it.
    if (this.open) this._listShown = true;
    const status = this.listTask.status;
    if (status === TaskStatus.COMPLETE || status === TaskStatus.ERROR) this._settled = true;
  }

  override render() {
    const label =
      this.unseen > 0
        ? msg(str`Notifications, ${this.unseen} unseen`, { id: 'notifications.button.unseen' })
        : msg('Notifications', { id: 'notifications.button' });
    // Busy from the moment it has a client until its first count arrived (its request waits for
    // the page's idle time): the label is about to change, and whoever waits for the page's
    // widgets to settle (a test, a screenshot) waits for the count too.
    const busy = !this._settled && !!this.data.client;
    return html`<div part="base">
      <button
        part="button"
        class="bell"
        type="button"
        aria-label=${label}
        aria-expanded=${this.open}
        aria-controls="panel"
        aria-busy=${ifDefined(busy ? 'true' : undefined)}
        @click=${this.handleToggle}
      >
        ${bell}${this.unseen > 0 ? html`<span part="count" class="count" aria-hidden="true">${this.unseen > 99 ? '99+' : this.unseen}</span>` : nothing}
      </button>
      <div part="panel" class="panel" id="panel" ?hidden=${!this.open} @keydown=${this.handleKeydown}>
        <div class="head">
          <h2>${msg('Updates', { id: 'notifications.title' })}</h2>
          ${this.unseen > 0 ? html`<button part="mark-seen" class="link" type="button" @click=${this.handleMarkSeen}>${msg('Mark all as seen', { id: 'notifications.mark-seen' })}</button>` : nothing}
        </div>
        ${this._listShown ? this.renderList() : nothing}
      </div>
    </div>`;
  }

  private renderList() {
    if (this.markError) {
      return html`<p part="error" class="mark-error" role="alert">
        ${msg(str`Couldn’t mark updates as seen. ${this.markError.message}`, { id: 'notifications.mark-error' })}
      </p>`;
    }
    return dataView(this.data, this.listTask, {
      loading: msg('Loading…', { id: 'notifications.loading' }),
      error: msg('Couldn’t load updates.', { id: 'notifications.load-error' }),
      retry: msg('Retry', { id: 'notifications.retry' }),
      // Marking as seen or a live update reloads nothing the reader has in front of them.
      keepWhileReloading: true,
      empty: () => (this.items.length ? undefined : emptyView(msg('No updates on your tickets.', { id: 'notifications.empty' }))),
      complete: () => this.renderItems(),
    });
  }

  private renderItems() {
    const locale = localeOf(this);
    const now = Date.now();
    // The times show in the open list only (a closed list kept from an earlier opening is not
    // read): formatting dates is costly the first time (the browser loads the language's data).
    const open = this.open;
    return html`<ul>
      ${this.items.map(
        (item) =>
          html`<li>
            <button part="item" class="item" type="button" ?data-unseen=${item.unseen} @click=${() => this._select(item)}>
              ${item.unseen ? html`<span class="visually-hidden">${msg('Unseen:', { id: 'notifications.unseen' })} </span>` : nothing}
              ${activitySentence(item, item.ticket?.ref ?? String(item.data.ref ?? ''))}
              <time class="when" datetime=${item.createdAt} title=${ifDefined(open ? absoluteTime(item.createdAt, locale) : undefined)}
                >${open ? relativeTime(item.createdAt, locale, now) : nothing}</time
              >
            </button>
          </li>`,
      )}
    </ul>`;
  }

  private _select(item: Item): void {
    if (!item.ticketId) return;
    this.emit('portico-ticket-select', { id: item.ticketId });
  }

  /** A live event counts when it is about a ticket the contact requested or follows, by someone else. */
  private _live({ activity, ticket }: LiveEvent): void {
    const me = this.data.me?.contact.id;
    if (!me || !ticket || activity.actor.id === me) return;
    if (ticket.requester.id !== me && !ticket.followerIds.includes(me)) return;
    if (!this.loaded || this.items.some((i) => i.id === activity.id) || activity.createdAt <= this._loadedAt) return;
    this.items = [{ ...activity, ticket: { id: ticket.id, ref: ticket.ref, subject: ticket.subject }, unseen: true }, ...this.items].slice(0, 50);
    this.unseen++;
  }

  private handleToggle(): void {
    this.open = !this.open;
  }

  private handleKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    this.open = false;
    this.shadowRoot?.querySelector<HTMLButtonElement>('.bell')?.focus();
  }

  private async handleMarkSeen(): Promise<void> {
    const client = this.data.client;
    if (!client) return;
    const until = this.items[0]?.createdAt;
    const previous = { items: this.items, unseen: this.unseen };
    this.items = this.items.map((i) => ({ ...i, unseen: false }));
    this.unseen = 0;
    const marking = client.markNotificationsSeen(until);
    this._marking = marking.catch(() => {});
    try {
      await marking;
    } catch (error) {
      // Put the marks back: the server still counts them as unseen.
      this.items = previous.items;
      this.unseen = previous.unseen;
      this.markError = toPorticoError(error);
    }
  }
}
