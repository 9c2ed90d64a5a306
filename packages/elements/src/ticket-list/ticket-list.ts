import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus, initialState } from '@lit/task';
import type {
  PorticoClient,
  PorticoError,
  SavedView,
  Ticket,
  TicketCategory,
  TicketPage,
  TicketPriority,
  TicketSort,
  TicketStatus,
  TicketView,
  TicketViewCounts,
} from '@portico/core';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { LiveEventsController } from '../internal/live-events.ts';
import { lockIcon } from '../internal/icons.ts';
import {
  CATEGORIES,
  PRIORITIES,
  SORTS,
  STATUSES,
  VIEWS,
  categoryLabel,
  priorityLabel,
  slaSummary,
  sortLabel,
  statusLabel,
  viewLabel,
} from '../internal/labels.ts';
import { warnOnce } from '../internal/warn.ts';
import styles from './ticket-list.styles.ts';

/** Detail of `portico-ticket-select`. */
export interface PorticoTicketSelectDetail {
  /** Id of the chosen ticket. */
  id: string;
  /** The ticket as listed. */
  ticket: Ticket;
}

/** Everything that decides which tickets the list shows: the detail of `portico-view-change`. */
export interface TicketListFilters {
  view: TicketView;
  /** Statuses to show; empty means every status. */
  status: TicketStatus[];
  priority: TicketPriority[];
  category: TicketCategory[];
  /** Contact id of the requester, or `''` for anyone. */
  requester: string;
  /** A reachable account id, or `''` for every account the contact reaches. */
  account: string;
  /** Full-text search over subject, description and comments. */
  q: string;
  sort: TicketSort;
}

/** Detail of `portico-view-change`. */
export type PorticoViewChangeDetail = TicketListFilters;

const DEFAULT_VIEW: TicketView = 'account';
const DEFAULT_SORT: TicketSort = 'updated';
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;
const SKELETON_ROWS = 4;
/** Typing pauses this long before the search runs. */
const SEARCH_DELAY_MS = 300;

type ListArgs = readonly [client: PorticoClient | undefined, revision: number, key: string, limit: number, reloads: number];
type ViewsArgs = readonly [client: PorticoClient | undefined, revision: number, reloads: number];

/**
 * @summary The account's tickets: views with counts, filters, full-text search, sort, saved views, cursor paging and keyboard navigation.
 * @tag portico-ticket-list
 *
 * @fires {CustomEvent<PorticoTicketSelectDetail>} portico-ticket-select - The user chose a ticket (click, Enter or Space). Cancelable: cancel to keep it unmarked. Detail: `{ id, ticket }`.
 * @fires {CustomEvent<PorticoViewChangeDetail>} portico-view-change - The user changed the view, a filter, the search, the sort or applied a saved view; sync your URL with it. Cancelable: cancel to keep the current filters. Detail: `{ view, status, priority, category, requester, account, q, sort }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The bar holding the views, search and filters.
 * @csspart views - The tab list of views.
 * @csspart view - One view tab.
 * @csspart view-selected - The selected view tab (in addition to `view`).
 * @csspart count - The number of tickets in a view tab.
 * @csspart account-picker - The account select (admins of a parent account only).
 * @csspart search - The search field.
 * @csspart filters - The filter disclosure (`<details>`): status, priority, category, requester.
 * @csspart sort - The sort select.
 * @csspart saved-views - The saved-view select and its buttons.
 * @csspart save-form - The form naming a view to save.
 * @csspart list - The list of tickets (a listbox).
 * @csspart row - One ticket.
 * @csspart unread - The dot on followed tickets changed since last seen.
 * @csspart ref - The ticket's reference, e.g. `T-1042`.
 * @csspart subject - The ticket's subject.
 * @csspart status - The status badge.
 * @csspart priority - The priority.
 * @csspart sla - The SLA state, when the ticket has one.
 * @csspart meta - Requester, last update and visibility.
 * @csspart loading - The placeholder rows shown while loading.
 * @csspart empty - The message shown when the view has no tickets.
 * @csspart error - The message and Retry button shown when loading failed.
 * @csspart load-more - The "Load more" button.
 *
 * @cssproperty --portico-ticket-list-row-background - Background of a row.
 * @cssproperty --portico-ticket-list-row-background-hover - Background of a hovered or selected row.
 * @cssproperty --portico-ticket-list-row-padding - Padding of a row.
 * @cssproperty --portico-color-accent - Accent (selected view, focus ring, buttons, unread dot).
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-surface-alt - Hovered and selected rows, placeholders.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Secondary text.
 * @cssproperty --portico-color-border - Borders and separators.
 * @cssproperty --portico-color-danger - Errors, urgent priority, breached SLA.
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

  /** First page of the current filters (with per-view counts): re-runs when the client, session revision, filters or page size change. */
  private readonly listTask = new Task<ListArgs, TicketPage>(this, {
    task: async ([client, , key, limit], { signal }) => {
      this.#abortMore();
      if (!client) return initialState;
      return client.listTickets({ ...this.#query(JSON.parse(key) as TicketListFilters), limit, counts: true }, { signal });
    },
    args: () => [this.#client, this.session?.revision ?? 0, JSON.stringify(this.#filters), this.#pageSize, this.reloads],
    onComplete: (page) => {
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.counts = page.counts;
      this.activeIndex = 0;
      this.moreError = undefined;
      this.#learnRequesters(page.items);
    },
  });

  /** Live updates: a listed ticket is replaced in place; a new ticket reloads the first page. */
  protected readonly liveEvents = new LiveEventsController(this, {
    client: () => this.#client,
    onEvent: ({ activity, ticket }) => {
      if (!ticket) return;
      const index = this.items.findIndex((t) => t.id === ticket.id);
      if (index >= 0) this.items = this.items.map((t, i) => (i === index ? this.#withUnread(t, ticket, activity.actor.id) : t));
      else if (activity.type === 'ticket.created' && this.listTask.status === TaskStatus.COMPLETE) this.reloads++;
    },
  });

  /** The saved views the contact may use (its own and the account's shared ones). */
  private readonly viewsTask = new Task<ViewsArgs, SavedView[]>(this, {
    task: async ([client], { signal }) => {
      if (!client || typeof client.listViews !== 'function') return [];
      try {
        return (await client.listViews({ signal })).items;
      } catch (error) {
        if (isAbortError(error)) throw error;
        // Saved views are a convenience: the list works without them.
        return [];
      }
    },
    args: () => [this.#client, this.session?.revision ?? 0, this.viewReloads],
  });

  /** Which tickets to list: `mine`, `account`, `following` or `unsolved`. */
  @property() view: TicketView = DEFAULT_VIEW;

  /** Only tickets with these statuses, comma-separated (`open,pending`); empty for all. */
  @property() status = '';

  /** Only tickets with these priorities, comma-separated (`high,urgent`); empty for all. */
  @property() priority = '';

  /** Only tickets of these categories, comma-separated (`billing`); empty for all. */
  @property() category = '';

  /** Only tickets requested by this contact id; empty for anyone. */
  @property() requester = '';

  /** Only tickets of this account (own or a child account); empty or `all` for every reachable account. */
  @property() account = '';

  /** Full-text search over subject, description and comments. */
  @property() q = '';

  /** Order: `updated` (default), `created`, `priority` or `sla_due`. */
  @property() sort: TicketSort = DEFAULT_SORT;

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
  @state() private counts: TicketViewCounts | undefined;
  @state() private loadingMore = false;
  @state() private moreError: PorticoError | undefined;
  @state() private activeIndex = 0;
  @state() private selectedId: string | undefined;
  /** Bumped by Retry / `refresh()` to re-run the list task with otherwise equal args. */
  @state() private reloads = 0;
  @state() private viewReloads = 0;
  /** The saved view whose filters are applied, until the user changes one. */
  @state() private savedViewId = '';
  @state() private saving = false;
  @state() private saveError: string | undefined;
  @state() private savePending = false;
  @state() private searchDraft: string | undefined;

  #filters: TicketListFilters = {
    view: DEFAULT_VIEW,
    status: [],
    priority: [],
    category: [],
    requester: '',
    account: '',
    q: '',
    sort: DEFAULT_SORT,
  };
  #pageSize = DEFAULT_PAGE_SIZE;
  #more: AbortController | undefined;
  #resumeOnConnect = false;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requesters seen in any loaded page: the requester filter's choices. */
  #requesters = new Map<string, string>();
  #eventSource: EventTarget | undefined;

  get #client(): PorticoClient | undefined {
    return this.client ?? this.contextClient;
  }

  /** The filters in effect (after validating the properties). */
  get filters(): TicketListFilters {
    return structuredClone(this.#filters);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#resumeOnConnect) {
      this.#resumeOnConnect = false;
      void this.listTask.run();
    }
    // Sibling widgets (the ticket detail) announce changes; keep the rows current without a reload.
    this.#eventSource = this.closest('portico-provider') ?? document;
    this.#eventSource.addEventListener('portico-ticket-updated', this.#onTicketUpdated);
    this.#eventSource.addEventListener('portico-comment-created', this.#onCommentCreated);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed list must not keep the network busy; it reloads if it comes back.
    if (this.listTask.status === TaskStatus.PENDING) {
      this.listTask.abort();
      this.#resumeOnConnect = true;
    }
    this.#abortMore();
    clearTimeout(this.#searchTimer);
    this.#eventSource?.removeEventListener('portico-ticket-updated', this.#onTicketUpdated);
    this.#eventSource?.removeEventListener('portico-comment-created', this.#onCommentCreated);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const f = this.#filters;
    if (changed.has('view')) f.view = this.#oneOf('view', this.view, VIEWS, DEFAULT_VIEW);
    if (changed.has('sort')) f.sort = this.#oneOf('sort', this.sort, SORTS, DEFAULT_SORT);
    if (changed.has('status')) f.status = this.#list('status', this.status, STATUSES);
    if (changed.has('priority')) f.priority = this.#list('priority', this.priority, PRIORITIES);
    if (changed.has('category')) f.category = this.#list('category', this.category, CATEGORIES);
    if (changed.has('requester')) f.requester = String(this.requester ?? '').trim();
    if (changed.has('account')) f.account = String(this.account ?? '').trim() === 'all' ? '' : String(this.account ?? '').trim();
    if (changed.has('q')) f.q = String(this.q ?? '').trim();
    if (changed.has('pageSize')) {
      const size = Number(this.pageSize);
      if (Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE) this.#pageSize = size;
      else {
        warnOnce(`<portico-ticket-list> page-size="${String(this.pageSize)}" must be a whole number from 1 to ${MAX_PAGE_SIZE}; using ${DEFAULT_PAGE_SIZE}.`);
        this.#pageSize = DEFAULT_PAGE_SIZE;
      }
    }
  }

  /** Loads the first page of the current filters again (e.g. after the host changed data). */
  refresh(): void {
    this.reloads++;
  }


  /**
   * A listed ticket replaced by its live version: events carry no per-contact `unread`, so keep
   * the marker, and set it when someone else changed a ticket the contact requested or follows.
   */
  #withUnread(listed: Ticket, live: Ticket, actorId: string): Ticket {
    const me = this.session?.session?.contact.id;
    const mine = me !== undefined && (live.requester.id === me || live.followerIds.includes(me));
    const changedByOthers = live.updatedAt > listed.updatedAt && actorId !== me;
    return { ...live, unread: listed.unread === true || (mine && changedByOthers) };
  }
  override render() {
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar">
          <div class="toolbar-row">${this.renderViews()} ${this.renderAccountPicker()}</div>
          <div class="toolbar-row controls">
            ${this.renderSearch()} ${this.renderFilters()} ${this.renderSort()} ${this.renderSavedViews()}
          </div>
          ${this.saving ? this.renderSaveForm() : nothing}
        </div>
        <div class="panel" id="panel" role="tabpanel" aria-labelledby=${`view-${this.#filters.view}`}>${this.renderBody()}</div>
      </div>
    `;
  }

  private renderViews() {
    const format = new Intl.NumberFormat(localeOf(this));
    return html`
      <div part="views" class="views" role="tablist" aria-label=${msg('Ticket views', { id: 'ticket-list.views' })} @keydown=${this.handleViewKeydown}>
        ${VIEWS.map((view) => {
          const selected = view === this.#filters.view;
          const count = this.counts?.[view];
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
            <span class="label">${viewLabel(view)}</span>${count === undefined ? nothing : html` <span part="count" class="count">${format.format(count)}</span>`}
          </button>`;
        })}
      </div>
    `;
  }

  private renderAccountPicker() {
    const accounts = this.session?.session?.accounts ?? [];
    if (accounts.length < 2) return nothing;
    return html`<label part="account-picker" class="field inline">
      <span>${msg('Accounts', { id: 'ticket-list.account-picker' })}</span>
      <select @change=${this.handleAccountChange}>
        <option value="" ?selected=${!this.#filters.account}>${msg('All accounts', { id: 'ticket-list.account-picker.all' })}</option>
        ${accounts.map((a) => html`<option value=${a.id} ?selected=${a.id === this.#filters.account}>${a.name}</option>`)}
      </select>
    </label>`;
  }

  private renderSearch() {
    const value = this.searchDraft ?? this.#filters.q;
    return html`<label part="search" class="search">
      <span class="visually-hidden">${msg('Search tickets', { id: 'ticket-list.search.label' })}</span>
      <input
        type="search"
        .value=${live(value)}
        placeholder=${msg('Search tickets and comments', { id: 'ticket-list.search.placeholder' })}
        maxlength="200"
        @input=${this.handleSearchInput}
        @keydown=${this.handleSearchKeydown}
      />
    </label>`;
  }

  private renderFilters() {
    const f = this.#filters;
    const chosen = f.status.length + f.priority.length + f.category.length + (f.requester ? 1 : 0);
    const me = this.session?.session?.contact;
    const requesters = [...this.#requesters].filter(([id]) => id !== me?.id).sort((a, b) => a[1].localeCompare(b[1]));
    if (f.requester && f.requester !== me?.id && !this.#requesters.has(f.requester)) requesters.push([f.requester, f.requester]);
    const group = <T extends string>(name: string, legend: string, values: readonly T[], picked: readonly T[], label: (v: T) => string) => html`
      <fieldset class="filter-group">
        <legend>${legend}</legend>
        ${values.map(
          (v) => html`<label class="option">
            <input type="checkbox" name=${name} value=${v} .checked=${live(picked.includes(v))} @change=${this.handleFilterChange} />
            ${label(v)}
          </label>`,
        )}
      </fieldset>
    `;
    return html`
      <details part="filters" class="filters" @keydown=${this.handleFiltersKeydown}>
        <summary>
          ${msg('Filters', { id: 'ticket-list.filters' })}${chosen ? html`<span class="chosen"> (${chosen})</span>` : nothing}
        </summary>
        <div class="filter-options">
          ${group('status', msg('Status', { id: 'ticket-list.filter.status' }), STATUSES, f.status, statusLabel)}
          ${group('priority', msg('Priority', { id: 'ticket-list.filter.priority' }), PRIORITIES, f.priority, priorityLabel)}
          ${group('category', msg('Category', { id: 'ticket-list.filter.category' }), CATEGORIES, f.category, categoryLabel)}
          <label class="field">
            <span>${msg('Requester', { id: 'ticket-list.filter.requester' })}</span>
            <select name="requester" @change=${this.handleFilterChange}>
              <option value="" ?selected=${!f.requester}>${msg('Anyone', { id: 'ticket-list.filter.requester.anyone' })}</option>
              ${me ? html`<option value=${me.id} ?selected=${f.requester === me.id}>${msg('Me', { id: 'ticket-list.filter.requester.me' })}</option>` : nothing}
              ${requesters.map(([id, name]) => html`<option value=${id} ?selected=${f.requester === id}>${name}</option>`)}
            </select>
          </label>
          ${chosen
            ? html`<button type="button" class="link" @click=${this.handleClearFilters}>${msg('Clear filters', { id: 'ticket-list.filters.clear' })}</button>`
            : nothing}
        </div>
      </details>
    `;
  }

  private renderSort() {
    return html`<label part="sort" class="field inline">
      <span>${msg('Sort', { id: 'ticket-list.sort' })}</span>
      <select @change=${this.handleSortChange}>
        ${SORTS.map((s) => html`<option value=${s} ?selected=${s === this.#filters.sort}>${sortLabel(s)}</option>`)}
      </select>
    </label>`;
  }

  private renderSavedViews() {
    const views = this.viewsTask.value ?? [];
    const me = this.session?.session;
    const personal = views.filter((v) => !v.shared);
    const shared = views.filter((v) => v.shared);
    const current = views.find((v) => v.id === this.savedViewId);
    const mayDelete = current && (current.shared ? me?.permissions['view.share'] === true : current.ownerId === me?.contact.id);
    return html`<div part="saved-views" class="saved-views">
      ${views.length
        ? html`<label class="field inline">
            <span class="visually-hidden">${msg('Saved views', { id: 'ticket-list.saved.label' })}</span>
            <select @change=${this.handleSavedViewPick}>
              <option value="" ?selected=${!current}>${msg('Saved views…', { id: 'ticket-list.saved.placeholder' })}</option>
              ${personal.length
                ? html`<optgroup label=${msg('Mine', { id: 'ticket-list.saved.personal' })}>
                    ${personal.map((v) => html`<option value=${v.id} ?selected=${v.id === this.savedViewId}>${v.name}</option>`)}
                  </optgroup>`
                : nothing}
              ${shared.length
                ? html`<optgroup label=${msg('Shared with the account', { id: 'ticket-list.saved.shared' })}>
                    ${shared.map((v) => html`<option value=${v.id} ?selected=${v.id === this.savedViewId}>${v.name}</option>`)}
                  </optgroup>`
                : nothing}
            </select>
          </label>`
        : nothing}
      ${me
        ? html`<button type="button" class="button small" aria-expanded=${this.saving ? 'true' : 'false'} @click=${this.handleSaveToggle}>
            ${msg('Save view', { id: 'ticket-list.saved.save' })}
          </button>`
        : nothing}
      ${current && mayDelete
        ? html`<button type="button" class="button small subtle" @click=${this.handleDeleteView}>
            ${msg(str`Delete “${current.name}”`, { id: 'ticket-list.saved.delete' })}
          </button>`
        : nothing}
    </div>`;
  }

  private renderSaveForm() {
    const canShare = this.session?.session?.permissions['view.share'] === true;
    return html`<form part="save-form" class="save-form" novalidate @submit=${this.handleSaveSubmit} @keydown=${this.handleSaveKeydown}>
      <label class="field">
        <span>${msg('Name of the view', { id: 'ticket-list.saved.name' })}</span>
        <input name="name" required maxlength="80" autocomplete="off" aria-describedby="save-error" aria-invalid=${this.saveError ? 'true' : 'false'} />
      </label>
      ${canShare
        ? html`<label class="option"><input type="checkbox" name="shared" /> ${msg('Share with the account', { id: 'ticket-list.saved.share' })}</label>`
        : nothing}
      <button class="button small" type="submit" aria-disabled=${this.savePending ? 'true' : 'false'}>${msg('Save', { id: 'ticket-list.saved.submit' })}</button>
      <button class="button small subtle" type="button" @click=${this.handleSaveToggle}>${msg('Cancel', { id: 'ticket-list.saved.cancel' })}</button>
      <p id="save-error" class="form-error" role="alert">${this.saveError ?? nothing}</p>
    </form>`;
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
    const f = this.#filters;
    const filtered = f.q || f.status.length || f.priority.length || f.category.length || f.requester;
    return html`
      <div part="empty" class="empty" role="status">
        <p class="empty-title">
          ${f.q ? msg(str`No tickets match “${f.q}”`, { id: 'ticket-list.empty.search' }) : msg('No tickets in this view', { id: 'ticket-list.empty' })}
        </p>
        ${filtered ? html`<p class="hint">${msg('Try clearing the search or the filters.', { id: 'ticket-list.empty.hint' })}</p>` : nothing}
      </div>
    `;
  }

  private renderError(error: PorticoError) {
    const message =
      error.status === 401 ? msg('Your session has expired. Sign in again to see your tickets.', { id: 'ticket-list.error.expired' }) : error.message;
    return html`
      <div part="error" class="error" role="alert">
        <p class="error-title">${msg('Couldn’t load tickets.', { id: 'ticket-list.error' })}</p>
        <p class="error-message">${message}</p>
        <button type="button" class="button" @click=${this.handleRetry}>${msg('Retry', { id: 'ticket-list.retry' })}</button>
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
        aria-label=${msg(str`${viewLabel(this.#filters.view)} tickets`, { id: 'ticket-list.list.label' })}
        @keydown=${this.handleListKeydown}
        @click=${this.handleListClick}
        @focusin=${this.handleListFocus}
      >
        ${repeat(
          this.items,
          (ticket) => ticket.id,
          (ticket, index) => {
            const sla = slaSummary(ticket, locale, now);
            return html`
              <li
                part="row"
                class="row"
                role="option"
                aria-selected=${ticket.id === this.selectedId ? 'true' : 'false'}
                tabindex=${index === active ? 0 : -1}
                data-index=${index}
                data-id=${ticket.id}
              >
                <span part="ref" class="ref">${ticket.ref}</span>
                <span part="subject" class="subject"
                  >${ticket.unread
                    ? html`<span part="unread" class="unread"><span class="visually-hidden">${msg('Unread:', { id: 'ticket-list.unread' })} </span></span>`
                    : nothing}${ticket.subject}</span
                >
                <span part="status" class="status" data-status=${ticket.status}>${statusLabel(ticket.status)}</span>
                <span part="priority" class="priority" data-priority=${ticket.priority}
                  ><span class="visually-hidden">${msg('Priority:', { id: 'ticket-list.priority' })} </span>${priorityLabel(ticket.priority)}</span
                >
                <span part="meta" class="meta">
                  <span class="requester">${ticket.requester.name}</span>
                  <span class="updated"
                    >${msg('Updated', { id: 'ticket-list.updated' })} <time datetime=${ticket.updatedAt} title=${absoluteTime(ticket.updatedAt, locale)}
                      >${relativeTime(ticket.updatedAt, locale, now)}</time
                    ></span
                  >
                  ${ticket.visibility === 'private' ? html`<span class="private">${lockIcon} ${msg('Private', { id: 'ticket.private' })}</span>` : nothing}
                  ${ticket.escalated ? html`<span class="escalated">${msg('Escalated', { id: 'ticket.escalated' })}</span>` : nothing}
                  ${sla ? html`<span part="sla" class="sla" data-state=${sla.state}>${sla.text}</span>` : nothing}
                </span>
              </li>
            `;
          },
        )}
      </ul>
    `;
  }

  private renderFooter() {
    if (!this.nextCursor && !this.moreError) return nothing;
    return html`
      <div class="footer">
        ${this.moreError
          ? html`<p class="more-error" role="alert">${msg('Couldn’t load more tickets.', { id: 'ticket-list.more.error' })} ${this.moreError.message}</p>`
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
                ? msg('Loading…', { id: 'ticket-list.more.loading' })
                : this.moreError
                  ? msg('Try again', { id: 'ticket-list.more.retry' })
                  : msg('Load more', { id: 'ticket-list.more' })}
            </button>`
          : nothing}
      </div>
    `;
  }

  // --- state helpers ---------------------------------------------------------

  #oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (allowed.includes(value as T)) return value as T;
    warnOnce(`<portico-ticket-list> ${name}="${String(value)}" is not one of ${allowed.join(', ')}; using "${fallback}".`);
    return fallback;
  }

  #list<T extends string>(name: string, value: unknown, allowed: readonly T[]): T[] {
    const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
    const out: T[] = [];
    for (const part of parts) {
      const v = part.trim() as T;
      if (!v) continue;
      if (allowed.includes(v)) {
        if (!out.includes(v)) out.push(v);
      } else {
        warnOnce(`<portico-ticket-list> ${name} "${v}" is not one of ${allowed.join(', ')}; ignoring it.`);
      }
    }
    return out;
  }

  /** The API query of some filters. */
  #query(f: TicketListFilters) {
    return {
      view: f.view,
      status: f.status,
      priority: f.priority,
      category: f.category,
      requester: f.requester || undefined,
      account: f.account || undefined,
      q: f.q || undefined,
      sort: f.sort,
    };
  }

  #learnRequesters(tickets: readonly Ticket[]): void {
    for (const t of tickets) this.#requesters.set(t.requester.id, t.requester.name);
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
      const page = await client.listTickets({ ...this.#query(this.#filters), limit: this.#pageSize, cursor }, { signal: controller.signal });
      if (controller.signal.aborted) return;
      const seen = new Set(this.items.map((t) => t.id));
      this.items = [...this.items, ...page.items.filter((t) => !seen.has(t.id))];
      this.nextCursor = page.nextCursor;
      this.#learnRequesters(page.items);
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
    if (!this.dispatchEvent(event)) return;
    this.selectedId = ticket.id;
    // Opening it is seeing it: the detail records that on the server.
    if (ticket.unread) this.#patchItem({ ...ticket, unread: false });
  }

  #patchItem(ticket: Ticket): void {
    this.items = this.items.map((t) => (t.id === ticket.id ? { ...t, ...ticket } : t));
  }

  /**
   * Applies a user's change of filters unless the host cancels `portico-view-change`.
   * `fromSavedView` keeps the saved view marked as current.
   */
  #change(next: TicketListFilters, fromSavedView = ''): boolean {
    const event = new CustomEvent<PorticoViewChangeDetail>('portico-view-change', {
      detail: structuredClone(next),
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (!this.dispatchEvent(event)) {
      this.requestUpdate();
      return false;
    }
    this.savedViewId = fromSavedView;
    this.searchDraft = undefined;
    this.view = next.view;
    this.status = next.status.join(',');
    this.priority = next.priority.join(',');
    this.category = next.category.join(',');
    this.requester = next.requester;
    this.account = next.account;
    this.q = next.q;
    this.sort = next.sort;
    return true;
  }

  #onTicketUpdated = (event: Event): void => {
    const ticket = (event as CustomEvent<{ ticket?: Ticket }>).detail?.ticket;
    if (ticket && this.items.some((t) => t.id === ticket.id)) this.#patchItem({ ...ticket, unread: false });
  };

  #onCommentCreated = (event: Event): void => {
    const detail = (event as CustomEvent<{ ticketId?: string; comment?: { createdAt: string } }>).detail;
    const current = this.items.find((t) => t.id === detail?.ticketId);
    if (current && detail?.comment) {
      this.#patchItem({ ...current, updatedAt: detail.comment.createdAt, commentCount: current.commentCount + 1, unread: false });
    }
  };

  // --- handlers --------------------------------------------------------------

  private handleViewPick(view: TicketView): void {
    if (view !== this.#filters.view) this.#change({ ...this.#filters, view });
  }

  private handleViewKeydown(event: KeyboardEvent): void {
    const current = VIEWS.indexOf(this.#filters.view);
    const rtl = this.matches(':dir(rtl)');
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
    let next: number;
    if (step !== undefined) next = (current + step + VIEWS.length) % VIEWS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = VIEWS.length - 1;
    else return;
    event.preventDefault();
    const view = VIEWS[next]!;
    if (this.#change({ ...this.#filters, view })) {
      void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(`[data-view="${view}"]`)?.focus());
    }
  }

  private handleAccountChange(event: Event): void {
    this.#change({ ...this.#filters, account: (event.target as HTMLSelectElement).value });
  }

  private handleSortChange(event: Event): void {
    this.#change({ ...this.#filters, sort: (event.target as HTMLSelectElement).value as TicketSort });
  }

  private handleSearchInput(event: Event): void {
    this.searchDraft = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#commitSearch(), SEARCH_DELAY_MS);
  }

  private handleSearchKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    clearTimeout(this.#searchTimer);
    this.#commitSearch();
  }

  #commitSearch(): void {
    if (this.searchDraft === undefined) return;
    const q = this.searchDraft.trim();
    if (q === this.#filters.q) return;
    this.#change({ ...this.#filters, q });
  }

  private handleFilterChange(): void {
    const root = this.shadowRoot!;
    const checked = <T extends string>(name: string, values: readonly T[]) =>
      values.filter((v) => root.querySelector<HTMLInputElement>(`input[name="${name}"][value="${v}"]`)?.checked);
    this.#change({
      ...this.#filters,
      status: checked('status', STATUSES),
      priority: checked('priority', PRIORITIES),
      category: checked('category', CATEGORIES),
      requester: root.querySelector<HTMLSelectElement>('select[name="requester"]')?.value ?? '',
    });
  }

  private handleClearFilters(): void {
    this.#change({ ...this.#filters, status: [], priority: [], category: [], requester: '' });
  }

  private handleFiltersKeydown(event: KeyboardEvent): void {
    const details = event.currentTarget as HTMLDetailsElement;
    if (event.key !== 'Escape' || !details.open) return;
    event.preventDefault();
    details.open = false;
    details.querySelector('summary')?.focus();
  }

  private handleSavedViewPick(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const view = (this.viewsTask.value ?? []).find((v) => v.id === select.value);
    if (!view) {
      this.savedViewId = '';
      return;
    }
    const q = view.query;
    const reachable = new Set((this.session?.session?.accounts ?? []).map((a) => a.id));
    this.#change(
      {
        view: q.view,
        status: [...(q.status ?? [])],
        priority: [...(q.priority ?? [])],
        category: [...(q.category ?? [])],
        requester: q.requester ?? '',
        // A shared view may name a child account this contact does not reach.
        account: q.account && q.account !== 'all' && reachable.has(q.account) ? q.account : '',
        q: q.q ?? '',
        sort: q.sort ?? DEFAULT_SORT,
      },
      view.id,
    );
  }

  private handleSaveToggle(): void {
    this.saving = !this.saving;
    this.saveError = undefined;
    if (this.saving) void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLInputElement>('input[name="name"]')?.focus());
  }

  private handleSaveKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.saving = false;
    }
  }

  private async handleSaveSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.#client;
    const form = event.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const shared = (form.elements.namedItem('shared') as HTMLInputElement | null)?.checked ?? false;
    if (!client || this.savePending) return;
    if (!name) {
      this.saveError = msg('Give the view a name.', { id: 'ticket-list.saved.name-required' });
      return;
    }
    const f = this.#filters;
    this.savePending = true;
    this.saveError = undefined;
    try {
      const view = await client.createView({
        name,
        shared,
        query: {
          view: f.view,
          ...(f.status.length ? { status: f.status } : {}),
          ...(f.priority.length ? { priority: f.priority } : {}),
          ...(f.category.length ? { category: f.category } : {}),
          ...(f.requester ? { requester: f.requester } : {}),
          ...(f.account ? { account: f.account } : {}),
          ...(f.q ? { q: f.q } : {}),
          sort: f.sort,
        },
      });
      this.saving = false;
      this.savedViewId = view.id;
      this.viewReloads++;
    } catch (error) {
      const e = toPorticoError(error);
      this.saveError = e.fieldErrors?.name?.[0] ?? e.message;
    } finally {
      this.savePending = false;
    }
  }

  private async handleDeleteView(): Promise<void> {
    const client = this.#client;
    const id = this.savedViewId;
    if (!client || !id) return;
    try {
      await client.deleteView(id);
      this.savedViewId = '';
      this.viewReloads++;
    } catch (error) {
      this.saving = true;
      this.saveError = toPorticoError(error).message;
    }
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
