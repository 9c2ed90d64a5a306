import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Page, PorticoClient, PorticoError, Ticket, TicketPriority, TicketStatus, TicketView } from '@portico/core';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { LiveEventsController } from '../internal/live-events.ts';
import { warnOnce } from '../internal/warn.ts';
import styles from './ticket-list.styles.ts';

/** Detail of `portico-ticket-select`. */
export interface PorticoTicketSelectDetail {
  /** Id of the chosen ticket. */
  id: string;
  /** The ticket as listed. */
  ticket: Ticket;
}

/** Detail of `portico-view-change`. */
export interface PorticoViewChangeDetail {
  /** The view the user picked (or kept). */
  view: TicketView;
  /** The statuses the user filters by; empty means every status. */
  status: TicketStatus[];
}

// Labels keyed by core's enums: the compiler fails here when core adds a value.
// (Local arrays instead of core's runtime constants keep zod out of the bundle.)
// Functions, not strings: msg() must run at render time to follow the active locale.
const VIEW_LABELS: Readonly<Record<TicketView, () => string>> = {
  mine: () => msg('My tickets', { id: 'ticket-list.view.mine' }),
  account: () => msg('Account', { id: 'ticket-list.view.account' }),
  following: () => msg('Following', { id: 'ticket-list.view.following' }),
  unsolved: () => msg('All unsolved', { id: 'ticket-list.view.unsolved' }),
};
const STATUS_LABELS: Readonly<Record<TicketStatus, () => string>> = {
  new: () => msg('New', { id: 'ticket.status.new' }),
  open: () => msg('Open', { id: 'ticket.status.open' }),
  pending: () => msg('Pending', { id: 'ticket.status.pending' }),
  solved: () => msg('Solved', { id: 'ticket.status.solved' }),
  closed: () => msg('Closed', { id: 'ticket.status.closed' }),
};
const PRIORITY_LABELS: Readonly<Record<TicketPriority, () => string>> = {
  low: () => msg('Low', { id: 'ticket.priority.low' }),
  normal: () => msg('Normal', { id: 'ticket.priority.normal' }),
  high: () => msg('High', { id: 'ticket.priority.high' }),
  urgent: () => msg('Urgent', { id: 'ticket.priority.urgent' }),
};
const VIEWS = Object.keys(VIEW_LABELS) as TicketView[];
const STATUSES = Object.keys(STATUS_LABELS) as TicketStatus[];

const DEFAULT_VIEW: TicketView = 'account';
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;
const SKELETON_ROWS = 4;

const isView = (value: unknown): value is TicketView => typeof value === 'string' && value in VIEW_LABELS;
const isStatus = (value: string): value is TicketStatus => value in STATUS_LABELS;

const lockIcon = html`<svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm1.5 0h5V5a2.5 2.5 0 0 0-5 0v2Z"
  />
</svg>`;

type ListArgs = readonly [client: PorticoClient | undefined, revision: number, view: TicketView, statuses: string, limit: number, reloads: number];

/**
 * @summary The account's tickets: views, a status filter, cursor paging, keyboard navigation.
 * @tag portico-ticket-list
 *
 * @fires {CustomEvent<PorticoTicketSelectDetail>} portico-ticket-select - The user chose a ticket (click, Enter or Space). Cancelable: cancel to keep it unmarked. Detail: `{ id, ticket }`.
 * @fires {CustomEvent<PorticoViewChangeDetail>} portico-view-change - The user picked another view or changed the status filter. Cancelable: cancel to keep the current view. Detail: `{ view, status }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The bar holding the views and the filters.
 * @csspart views - The tab list of views.
 * @csspart view - One view tab.
 * @csspart view-selected - The selected view tab (in addition to `view`).
 * @csspart filters - The status filter disclosure (`<details>`).
 * @csspart list - The list of tickets (a listbox).
 * @csspart row - One ticket.
 * @csspart ref - The ticket's reference, e.g. `T-1042`.
 * @csspart subject - The ticket's subject.
 * @csspart status - The status badge.
 * @csspart priority - The priority.
 * @csspart meta - Requester, last update and visibility.
 * @csspart loading - The placeholder rows shown while loading.
 * @csspart empty - The message shown when the view has no tickets.
 * @csspart error - The message and Retry button shown when loading failed.
 * @csspart load-more - The "Load more" button.
 *
 * @cssproperty --portico-ticket-list-row-background - Background of a row.
 * @cssproperty --portico-ticket-list-row-background-hover - Background of a hovered or selected row.
 * @cssproperty --portico-ticket-list-row-padding - Padding of a row.
 * @cssproperty --portico-color-accent - Accent (selected view, focus ring, buttons).
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-surface-alt - Hovered and selected rows, placeholders.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Secondary text.
 * @cssproperty --portico-color-border - Borders and separators.
 * @cssproperty --portico-color-danger - Errors and urgent priority.
 * @cssproperty --portico-font-family - Font family.
 * @cssproperty --portico-font-size - Base font size.
 * @cssproperty --portico-radius - Corner radius.
 * @cssproperty --portico-space-1 - Spacing scale, smallest step (also `-2`, `-3`, `-4`, `-6`).
 * @cssproperty --portico-focus-ring - Outline of focused controls.
 * @cssproperty --portico-duration - Transition duration (0 under `prefers-reduced-motion`).
 */
@localized()
export class PorticoTicketList extends LitElement {
  static override styles = styles;

  /** First page of the current view: re-runs when the client, session revision, view, filter or page size changes. */
  private readonly listTask = new Task<ListArgs, Page<Ticket>>(this, {
    task: async ([client, , view, statuses, limit], { signal }) => {
      this.#abortMore();
      if (!client) return initialState;
      return client.listTickets({ view, status: statuses ? statuses.split(',') : undefined, limit }, { signal });
    },
    args: () => [this.#client, this.session?.revision ?? 0, this.#view, this.#statuses.join(','), this.#pageSize, this.reloads],
    onComplete: (page) => {
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.activeIndex = 0;
      this.moreError = undefined;
    },
  });

  /** Live updates: a listed ticket is replaced in place; a new ticket reloads the first page. */
  protected readonly liveEvents = new LiveEventsController(this, {
    client: () => this.#client,
    onEvent: ({ activity, ticket }) => {
      if (!ticket) return;
      const index = this.items.findIndex((t) => t.id === ticket.id);
      if (index >= 0) this.items = this.items.map((t, i) => (i === index ? ticket : t));
      else if (activity.type === 'ticket.created' && this.listTask.status === TaskStatus.COMPLETE) this.reloads++;
    },
  });

  /** Which tickets to list: `mine`, `account`, `following` or `unsolved`. */
  @property() view: TicketView = DEFAULT_VIEW;

  /** Only tickets with these statuses, comma-separated (`open,pending`); empty for all. */
  @property() status = '';

  /** Tickets per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = DEFAULT_PAGE_SIZE;

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @consume({ context: clientContext, subscribe: true })
  @state()
  private contextClient: PorticoClient | undefined;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: SessionState | undefined;

  @state() private items: readonly Ticket[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;
  @state() private moreError: PorticoError | undefined;
  @state() private activeIndex = 0;
  @state() private selectedId: string | undefined;
  /** Bumped by Retry / `refresh()` to re-run the list task with otherwise equal args. */
  @state() private reloads = 0;

  #view: TicketView = DEFAULT_VIEW;
  #statuses: TicketStatus[] = [];
  #pageSize = DEFAULT_PAGE_SIZE;
  #more: AbortController | undefined;
  #resumeOnConnect = false;

  get #client(): PorticoClient | undefined {
    return this.client ?? this.contextClient;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#resumeOnConnect) {
      this.#resumeOnConnect = false;
      void this.listTask.run();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed list must not keep the network busy; it reloads if it comes back.
    if (this.listTask.status === TaskStatus.PENDING) {
      this.listTask.abort();
      this.#resumeOnConnect = true;
    }
    this.#abortMore();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view')) {
      if (isView(this.view)) this.#view = this.view;
      else {
        warnOnce(`<portico-ticket-list> view="${String(this.view)}" is not one of ${VIEWS.join(', ')}; showing "${DEFAULT_VIEW}".`);
        this.#view = DEFAULT_VIEW;
      }
    }
    if (changed.has('status')) this.#statuses = this.#parseStatuses(this.status);
    if (changed.has('pageSize')) {
      const size = Number(this.pageSize);
      if (Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE) this.#pageSize = size;
      else {
        warnOnce(`<portico-ticket-list> page-size="${String(this.pageSize)}" must be a whole number from 1 to ${MAX_PAGE_SIZE}; using ${DEFAULT_PAGE_SIZE}.`);
        this.#pageSize = DEFAULT_PAGE_SIZE;
      }
    }
  }

  /** Loads the first page of the current view again (e.g. after the host changed data). */
  refresh(): void {
    this.reloads++;
  }

  override render() {
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar">${this.renderViews()} ${this.renderFilters()}</div>
        <div class="panel" id="panel" role="tabpanel" aria-labelledby=${`view-${this.#view}`}>${this.renderBody()}</div>
      </div>
    `;
  }

  private renderViews() {
    return html`
      <div part="views" class="views" role="tablist" aria-label=${msg('Ticket views', { id: 'ticket-list.views.label' })} @keydown=${this.handleViewKeydown}>
        ${VIEWS.map((view) => {
          const selected = view === this.#view;
          return html`<button
            part=${selected ? 'view view-selected' : 'view'}
            class="view"
            id=${`view-${view}`}
            type="button"
            role="tab"
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls="panel"
            tabindex=${selected ? 0 : -1}
            data-view=${view}
            @click=${() => this.handleViewPick(view)}
          >
            ${VIEW_LABELS[view]()}
          </button>`;
        })}
      </div>
    `;
  }

  private renderFilters() {
    const chosen = new Set(this.#statuses);
    return html`
      <details part="filters" class="filters" @keydown=${this.handleFiltersKeydown}>
        <summary>
          ${msg('Status', { id: 'ticket-list.filter.status' })}${chosen.size ? html`<span class="count"> (${chosen.size})</span>` : nothing}
        </summary>
        <fieldset class="filter-options">
          <legend class="visually-hidden">${msg('Show only tickets with status', { id: 'ticket-list.filter.legend' })}</legend>
          ${STATUSES.map(
            (status) => html`<label class="option">
              <input type="checkbox" name="status" value=${status} .checked=${live(chosen.has(status))} @change=${this.handleStatusChange} />
              ${STATUS_LABELS[status]()}
            </label>`,
          )}
        </fieldset>
      </details>
    `;
  }

  private renderBody() {
    const status = this.listTask.status;
    const error = this.listTask.error;
    if (status === TaskStatus.ERROR && !isAbortError(error)) return this.renderError(toPorticoError(error));
    if (status !== TaskStatus.COMPLETE) return this.renderLoading();
    if (this.items.length === 0) return this.renderEmpty();
    return html`${this.renderRows()} ${this.renderFooter()}`;
  }

  private renderLoading() {
    return html`
      <div part="loading" class="loading" aria-busy="true">
        <span class="visually-hidden" role="status">${msg('Loading tickets…', { id: 'ticket-list.loading' })}</span>
        ${Array.from({ length: SKELETON_ROWS }, () => html`<div class="skeleton-row" aria-hidden="true"><span></span><span></span></div>`)}
      </div>
    `;
  }

  private renderEmpty() {
    return html`
      <div part="empty" class="empty" role="status">
        <p class="empty-title">${msg('No tickets in this view', { id: 'ticket-list.empty' })}</p>
        ${this.#statuses.length ? html`<p class="hint">${msg('Try clearing the status filter.', { id: 'ticket-list.empty.hint' })}</p>` : nothing}
      </div>
    `;
  }

  private renderError(error: PorticoError) {
    const message =
      error.status === 401 ? msg('Your session has expired. Sign in again to see your tickets.', { id: 'ticket-list.error.expired' }) : error.message;
    return html`
      <div part="error" class="error" role="alert">
        <p class="error-title">${msg('Couldn’t load tickets.', { id: 'ticket-list.error.title' })}</p>
        <p class="error-message">${message}</p>
        <button type="button" class="button" @click=${this.handleRetry}>${msg('Retry', { id: 'common.retry' })}</button>
      </div>
    `;
  }

  private renderRows() {
    const locale = localeOf(this);
    const now = Date.now();
    const active = Math.min(this.activeIndex, this.items.length - 1);
    return html`
      <ul
        part="list"
        class="list"
        role="listbox"
        aria-label=${msg(str`${VIEW_LABELS[this.#view]()} tickets`, { id: 'ticket-list.list.label' })}
        @keydown=${this.handleListKeydown}
        @click=${this.handleListClick}
        @focusin=${this.handleListFocus}
      >
        ${repeat(
          this.items,
          (ticket) => ticket.id,
          (ticket, index) => html`
            <li
              part="row"
              class="row"
              role="option"
              aria-selected=${ticket.id === this.selectedId ? 'true' : 'false'}
              tabindex=${index === active ? 0 : -1}
              data-index=${index}
            >
              <span part="ref" class="ref">${ticket.ref}</span>
              <span part="subject" class="subject">${ticket.subject}</span>
              <span part="status" class="status" data-status=${ticket.status}>${STATUS_LABELS[ticket.status]?.() ?? ticket.status}</span>
              <span part="priority" class="priority" data-priority=${ticket.priority}
                ><span class="visually-hidden">${msg('Priority:', { id: 'ticket-list.row.priority' })} </span>${PRIORITY_LABELS[ticket.priority]?.() ?? ticket.priority}</span
              >
              <span part="meta" class="meta">
                <span class="requester">${ticket.requester.name}</span>
                <span class="updated"
                  >${msg(html`Updated <time datetime=${ticket.updatedAt} title=${absoluteTime(ticket.updatedAt, locale)}>${relativeTime(ticket.updatedAt, locale, now)}</time>`, {
                    id: 'ticket-list.row.updated',
                  })}</span
                >
                ${ticket.visibility === 'private' ? html`<span class="private">${lockIcon} ${msg('Private', { id: 'ticket.visibility.private' })}</span>` : nothing}
              </span>
            </li>
          `,
        )}
      </ul>
    `;
  }

  private renderFooter() {
    const count = html`<p class="visually-hidden" role="status">
      ${this.nextCursor
        ? msg(str`${this.items.length} tickets shown, more available`, { id: 'ticket-list.count.more' })
        : msg(str`${this.items.length} tickets shown`, { id: 'ticket-list.count' })}
    </p>`;
    if (!this.nextCursor && !this.moreError) return count;
    return html`
      ${count}
      <div class="footer">
        ${this.moreError
          ? html`<p class="more-error" role="alert">${msg(str`Couldn’t load more tickets. ${this.moreError.message}`, { id: 'ticket-list.more.error' })}</p>`
          : nothing}
        ${this.nextCursor
          ? html`<button
              part="load-more"
              class="button load-more"
              type="button"
              aria-disabled=${this.loadingMore ? 'true' : 'false'}
              @click=${this.handleLoadMore}
            >
              ${this.loadingMore
                ? msg('Loading…', { id: 'common.loading' })
                : this.moreError
                  ? msg('Try again', { id: 'common.try-again' })
                  : msg('Load more', { id: 'ticket-list.load-more' })}
            </button>`
          : nothing}
      </div>
    `;
  }

  #parseStatuses(value: unknown): TicketStatus[] {
    const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
    const out: TicketStatus[] = [];
    for (const part of parts) {
      const status = part.trim();
      if (!status) continue;
      if (isStatus(status)) {
        if (!out.includes(status)) out.push(status);
      } else {
        warnOnce(`<portico-ticket-list> status "${status}" is not one of ${STATUSES.join(', ')}; ignoring it.`);
      }
    }
    return out;
  }

  #abortMore(): void {
    this.#more?.abort();
    this.#more = undefined;
    this.loadingMore = false;
  }

  async #loadMore(): Promise<void> {
    const client = this.#client;
    const cursor = this.nextCursor;
    if (!client || !cursor || this.#more) return;
    const controller = new AbortController();
    this.#more = controller;
    this.loadingMore = true;
    this.moreError = undefined;
    const focusNew = this.shadowRoot?.activeElement?.matches('[part~="load-more"]') ?? false;
    const firstNew = this.items.length;
    try {
      const page = await client.listTickets(
        { view: this.#view, status: this.#statuses.length ? this.#statuses : undefined, limit: this.#pageSize, cursor },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      const seen = new Set(this.items.map((t) => t.id));
      this.items = [...this.items, ...page.items.filter((t) => !seen.has(t.id))];
      this.nextCursor = page.nextCursor;
      if (focusNew && this.items.length > firstNew) {
        // The button may be gone (last page): keep focus in the list, on the first new row.
        this.activeIndex = firstNew;
        await this.updateComplete;
        this.#rows()[firstNew]?.focus();
      }
    } catch (error) {
      if (!controller.signal.aborted && !isAbortError(error)) this.moreError = toPorticoError(error);
    } finally {
      if (this.#more === controller) {
        this.#more = undefined;
        this.loadingMore = false;
      }
    }
  }

  #rows(): HTMLElement[] {
    return [...(this.shadowRoot?.querySelectorAll<HTMLElement>('[part~="row"]') ?? [])];
  }

  #focusRow(index: number): void {
    const rows = this.#rows();
    if (!rows.length) return;
    const next = Math.max(0, Math.min(index, rows.length - 1));
    this.activeIndex = next;
    rows[next]?.focus();
  }

  #select(index: number): void {
    const ticket = this.items[index];
    if (!ticket) return;
    this.activeIndex = index;
    const event = new CustomEvent<PorticoTicketSelectDetail>('portico-ticket-select', {
      detail: { id: ticket.id, ticket },
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (this.dispatchEvent(event)) this.selectedId = ticket.id;
  }

  /** Applies a user's change of view or filter unless the host cancels `portico-view-change`. */
  #change(view: TicketView, statuses: TicketStatus[]): boolean {
    const event = new CustomEvent<PorticoViewChangeDetail>('portico-view-change', {
      detail: { view, status: [...statuses] },
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (!this.dispatchEvent(event)) {
      this.requestUpdate();
      return false;
    }
    this.view = view;
    this.status = statuses.join(',');
    return true;
  }

  private handleViewPick(view: TicketView): void {
    if (view !== this.#view) this.#change(view, this.#statuses);
  }

  private handleViewKeydown(event: KeyboardEvent): void {
    const current = VIEWS.indexOf(this.#view);
    const rtl = this.matches(':dir(rtl)');
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
    let next: number;
    if (step !== undefined) next = (current + step + VIEWS.length) % VIEWS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = VIEWS.length - 1;
    else return;
    event.preventDefault();
    const view = VIEWS[next]!;
    if (this.#change(view, this.#statuses)) {
      void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(`[data-view="${view}"]`)?.focus());
    }
  }

  private handleStatusChange(): void {
    const boxes = this.shadowRoot?.querySelectorAll<HTMLInputElement>('input[name="status"]') ?? [];
    const statuses = STATUSES.filter((s) => [...boxes].some((box) => box.value === s && box.checked));
    this.#change(this.#view, statuses);
  }

  private handleFiltersKeydown(event: KeyboardEvent): void {
    const details = event.currentTarget as HTMLDetailsElement;
    if (event.key !== 'Escape' || !details.open) return;
    event.preventDefault();
    details.open = false;
    details.querySelector('summary')?.focus();
  }

  private handleListKeydown(event: KeyboardEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[part~="row"]');
    const index = row ? Number(row.dataset.index) : this.activeIndex;
    switch (event.key) {
      case 'ArrowDown':
        this.#focusRow(index + 1);
        break;
      case 'ArrowUp':
        this.#focusRow(index - 1);
        break;
      case 'Home':
        this.#focusRow(0);
        break;
      case 'End':
        this.#focusRow(this.items.length - 1);
        break;
      case 'Enter':
      case ' ':
        this.#select(index);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private handleListClick(event: MouseEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[part~="row"]');
    if (row) this.#select(Number(row.dataset.index));
  }

  private handleListFocus(event: FocusEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[part~="row"]');
    if (row) this.activeIndex = Number(row.dataset.index);
  }

  private handleRetry(): void {
    this.reloads++;
  }

  private handleLoadMore(): void {
    void this.#loadMore();
  }
}

declare global {
  interface HTMLElementEventMap {
    'portico-ticket-select': CustomEvent<PorticoTicketSelectDetail>;
    'portico-view-change': CustomEvent<PorticoViewChangeDetail>;
  }
}
