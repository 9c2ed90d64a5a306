import { localized, msg, str } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import type {
  PorticoClient,
  PorticoError,
  SavedView,
  SavedViewQuery,
  Ticket,
  TicketCategory,
  TicketPage,
  TicketPriority,
  TicketSort,
  TicketStatus,
  TicketView,
} from '@portico/core';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { DataController } from '../internal/data-controller.ts';
import { dataView } from '../internal/states.ts';
import { emptyView } from '../internal/empty-view.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { renderedLocale } from '../internal/localization.ts';
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
import { tabKeyTarget } from '../internal/tab-keys.ts';
import { warnOnce } from '../internal/warn.ts';
import { emitter, type PorticoEventMap } from '../events.ts';
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

const DEFAULT_PAGE_SIZE = 25;
/** Typing pauses this long before the search runs. */
const SEARCH_DELAY_MS = 300;
const MINUTE_MS = 60_000;
/** The filters when no property narrows them. */
const DEFAULT_FILTERS: TicketListFilters = { view: 'account', status: [], priority: [], category: [], requester: '', account: '', q: '', sort: 'updated' };
/** The filters that hold several values, with the values each allows. */
const LIST_FILTERS = [
  ['status', STATUSES],
  ['priority', PRIORITIES],
  ['category', CATEGORIES],
] as const;

/**
 * The signed-in contact's tickets in views (mine, the account's, followed, unsolved) with
 * counts, filters by status, priority, category and requester, full-text search, sort, saved
 * views and cursor paging. Rows update live. Arrow keys move between rows and views; Enter or
 * a click fires `portico-ticket-select`. Filter changes fire `portico-view-change`, so the
 * page can keep them in its URL and set them back as attributes.
 *
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

  private readonly emit = emitter<'portico-ticket-list'>(this);

  /** Live updates: a listed ticket is replaced in place; a new ticket reloads the first page. */
  private readonly data = new DataController(this, {
    live: ({ activity, ticket }) => {
      if (!ticket) return;
      const index = this.items.findIndex((t) => t.id === ticket.id);
      if (index >= 0) this.items = this.items.map((t, i) => (i === index ? this._withUnread(t, ticket, activity.actor.id) : t));
      else if (activity.type === 'ticket.created' && this.listTask.status === TaskStatus.COMPLETE) void this.listTask.run();
    },
  });

  /** First page of the current filters (with per-view counts): re-runs when the client, session revision, filters or page size change. */
  private readonly listTask = this.data.task({
    args: () => [this._query, this._pageSize] as const,
    load: (client, [query, limit], { signal }): Promise<TicketPage> => {
      this._abortMore();
      return client.listTickets({ ...query, limit, counts: true }, { signal });
    },
    onComplete: (page) => {
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.counted = page;
      this.activeIndex = 0;
      this.moreError = undefined;
      this._learnRequesters(page.items);
    },
  });

  /** The saved views the contact may use (its own and the account's shared ones). */
  private readonly viewsTask = this.data.task({
    args: () => [] as const,
    load: async (client, _noArgs, { signal }): Promise<SavedView[]> => {
      try {
        return (await client.listViews({ signal })).items;
      } catch (error) {
        if (isAbortError(error)) throw error;
        // Saved views are a convenience: the list works without them (or with a client that lacks them).
        return [];
      }
    },
  });

  /** Which tickets to list: `mine`, `account`, `following` or `unsolved`. */
  @property() view: TicketView = 'account';

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
  @property() sort: TicketSort = 'updated';

  /** Tickets per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = DEFAULT_PAGE_SIZE;

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @state() private items: readonly Ticket[] = [];
  @state() private nextCursor: string | null = null;
  /** The first page, for its per-view counts and which of them stopped at the server's cap. */
  @state() private counted: TicketPage | undefined;
  @state() private loadingMore = false;
  @state() private moreError: PorticoError | undefined;
  @state() private activeIndex = 0;
  @state() private selectedId: string | undefined;
  /** The saved view whose filters are applied, until the user changes one. */
  @state() private savedViewId = '';
  @state() private saving = false;
  @state() private saveError: string | undefined;
  @state() private savePending = false;
  /** The "Save view" form's module: loaded the first time the form opens. */
  @state() private saveForm: typeof import('./save-view-form.ts') | undefined;
  @state() private searchDraft: string | undefined;

  private _filters: TicketListFilters = { ...DEFAULT_FILTERS };
  private _pageSize = DEFAULT_PAGE_SIZE;
  private _more: AbortController | undefined;
  private _searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requesters seen in any loaded page: the requester filter's choices. */
  private _requesters = new Map<string, string>();
  /** Where sibling widgets' events arrive: the provider, or the page's root element without one. */
  private _eventSource: HTMLElement | undefined;

  /** The filters in effect as an API query: those left empty are left out. */
  private get _query(): SavedViewQuery {
    return Object.fromEntries(Object.entries(this._filters).filter(([, value]) => value.length)) as SavedViewQuery;
  }

  /** The filters in effect (after validating the properties). */
  get filters(): TicketListFilters {
    return structuredClone(this._filters);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Sibling widgets (the ticket detail) announce changes; keep the rows current without a reload.
    this._eventSource = this.closest<HTMLElement>('portico-provider') ?? document.documentElement;
    this._eventSource.addEventListener('portico-ticket-updated', this._onTicketUpdated);
    this._eventSource.addEventListener('portico-comment-created', this._onCommentCreated);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._abortMore();
    clearTimeout(this._searchTimer);
    this._eventSource?.removeEventListener('portico-ticket-updated', this._onTicketUpdated);
    this._eventSource?.removeEventListener('portico-comment-created', this._onCommentCreated);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const f = this._filters;
    const text = (value: unknown) => String(value ?? '').trim();
    if (changed.has('view')) f.view = this._oneOf('view', this.view, VIEWS, DEFAULT_FILTERS.view);
    if (changed.has('sort')) f.sort = this._oneOf('sort', this.sort, SORTS, DEFAULT_FILTERS.sort);
    for (const [name, allowed] of LIST_FILTERS) if (changed.has(name)) (f[name] as string[]) = this._list(name, this[name], allowed);
    if (changed.has('requester')) f.requester = text(this.requester);
    if (changed.has('account')) f.account = text(this.account) === 'all' ? '' : text(this.account);
    if (changed.has('q')) f.q = text(this.q);
    if (changed.has('pageSize')) this._pageSize = this.data.pageSize(this.pageSize, DEFAULT_PAGE_SIZE);
  }

  /** Loads the first page of the current filters again (e.g. after the host changed data). */
  refresh(): void {
    void this.listTask.run();
  }

  /**
   * A listed ticket replaced by its live version: events carry no per-contact `unread`, so keep
   * the marker, and set it when someone else changed a ticket the contact requested or follows.
   */
  private _withUnread(listed: Ticket, live: Ticket, actorId: string): Ticket {
    const me = this.data.me?.contact.id;
    const mine = [live.requester.id, ...live.followerIds].includes(me as string);
    const changedByOthers = live.updatedAt > listed.updatedAt && actorId !== me;
    return { ...live, unread: listed.unread === true || (mine && changedByOthers) };
  }

  override render() {
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar">
          <div class="toolbar-row">${this.renderViews()} ${this.renderAccountPicker()}</div>
          <div class="toolbar-row controls">${this.renderSearch()} ${this.renderFilters()} ${this.renderSort()} ${this.renderSavedViews()}</div>
          ${
            this.saving
              ? this.saveForm
                ? this.saveForm.renderSaveForm({
                    canShare: this.data.me?.permissions['view.share'] === true,
                    pending: this.savePending,
                    error: this.saveError,
                    // Lit calls template listeners with the host as `this`.
                    onSubmit: this.handleSaveSubmit,
                    onKeydown: this.handleSaveKeydown,
                    onCancel: this.handleSaveToggle,
                  })
                : html`<p class="form-error" role="alert">${this.saveError ?? nothing}</p>`
              : nothing
          }
        </div>
        <div id="panel" role="tabpanel" aria-labelledby=${`view-${this._filters.view}`}>${this.renderBody()}</div>
      </div>
    `;
  }

  private renderViews() {
    const format = new Intl.NumberFormat(localeOf(this));
    return html`
      <div part="views" class="views" role="tablist" aria-label=${msg('Ticket views', { id: 'ticket-list.views' })} @keydown=${this.handleViewKeydown}>
        ${VIEWS.map((view) => {
          const selected = view === this._filters.view;
          const count = this.counted?.counts?.[view];
          // A count that stopped at the server's cap (search words) reads "1,000+".
          const capped = this.counted?.countsCapped?.includes(view);
          return html`<button
            part=${selected ? 'view view-selected' : 'view'}
            class="view"
            id=${`view-${view}`}
            type="button"
            role="tab"
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls="panel"
            tabindex=${selected ? 0 : -1}
            @click=${() => this.handleViewPick(view)}
          >
            <span class="label">${viewLabel(view)}</span>${
              count === undefined
                ? nothing
                : html` <span part="count" class="count"
                    >${capped ? msg(str`${format.format(count)}+`, { id: 'ticket-list.count.capped' }) : format.format(count)}</span
                  >`
            }
          </button>`;
        })}
      </div>
    `;
  }

  private renderAccountPicker() {
    const accounts = this.data.me?.accounts ?? [];
    if (accounts.length < 2) return nothing;
    return html`<label part="account-picker" class="field inline">
      <span>${msg('Accounts', { id: 'ticket-list.account-picker' })}</span>
      <select @change=${this.handleAccountChange}>
        <option value="" ?selected=${!this._filters.account}>${msg('All accounts', { id: 'ticket-list.account-picker.all' })}</option>
        ${accounts.map((a) => html`<option value=${a.id} ?selected=${a.id === this._filters.account}>${a.name}</option>`)}
      </select>
    </label>`;
  }

  private renderSearch() {
    const value = this.searchDraft ?? this._filters.q;
    return html`<label part="search" class="search">
      <span class="visually-hidden">${msg('Search tickets', { id: 'ticket-list.search.label' })}</span>
      <input
        type="search"
        .value=${value}
        placeholder=${msg('Search tickets and comments', { id: 'ticket-list.search.placeholder' })}
        maxlength="200"
        @input=${this.handleSearchInput}
        @keydown=${this.handleSearchKeydown}
      />
    </label>`;
  }

  private renderFilters() {
    const f = this._filters;
    const chosen = f.status.length + f.priority.length + f.category.length + (f.requester ? 1 : 0);
    const me = this.data.me?.contact;
    const requesters = [...this._requesters].filter(([id]) => id !== me?.id).sort((a, b) => a[1].localeCompare(b[1]));
    if (f.requester && f.requester !== me?.id && !this._requesters.has(f.requester)) requesters.push([f.requester, f.requester]);
    const group = <T extends string>(name: string, legend: string, values: readonly T[], picked: readonly T[], label: (v: T) => string) => html`
      <fieldset class="filter-group">
        <legend>${legend}</legend>
        ${values.map((v) => {
          // As text: lit-analyzer does not follow the `T extends string` constraint into a template.
          const value: string = v;
          return html`<label class="option">
            <input type="checkbox" name=${name} value=${value} .checked=${picked.includes(v)} @change=${this.handleFilterChange} />
            ${label(v)}
          </label>`;
        })}
      </fieldset>
    `;
    return html`
      <details part="filters" class="filters" @keydown=${this.handleFiltersKeydown}>
        <summary>${msg('Filters', { id: 'ticket-list.filters' })}${chosen ? ` (${chosen})` : nothing}</summary>
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
          ${
            chosen
              ? html`<button type="button" class="link" @click=${this.handleClearFilters}>${msg('Clear filters', { id: 'ticket-list.filters.clear' })}</button>`
              : nothing
          }
        </div>
      </details>
    `;
  }

  private renderSort() {
    return html`<label part="sort" class="field inline">
      <span>${msg('Sort', { id: 'ticket-list.sort' })}</span>
      <select @change=${this.handleSortChange}>
        ${SORTS.map((s) => html`<option value=${s} ?selected=${s === this._filters.sort}>${sortLabel(s)}</option>`)}
      </select>
    </label>`;
  }

  private renderSavedViews() {
    const views = this.viewsTask.value ?? [];
    const me = this.data.me;
    const personal = views.filter((v) => !v.shared);
    const shared = views.filter((v) => v.shared);
    const current = views.find((v) => v.id === this.savedViewId);
    const mayDelete = current && (current.shared ? me?.permissions['view.share'] === true : current.ownerId === me?.contact.id);
    return html`<div part="saved-views" class="saved-views">
      ${
        views.length
          ? html`<label class="field inline">
              <span class="visually-hidden">${msg('Saved views', { id: 'ticket-list.saved.label' })}</span>
              <select @change=${this.handleSavedViewPick}>
                <option value="" ?selected=${!current}>${msg('Saved views…', { id: 'ticket-list.saved.placeholder' })}</option>
                ${
                  personal.length
                    ? html`<optgroup label=${msg('Mine', { id: 'ticket-list.saved.personal' })}>
                        ${personal.map((v) => html`<option value=${v.id} ?selected=${v.id === this.savedViewId}>${v.name}</option>`)}
                      </optgroup>`
                    : nothing
                }
                ${
                  shared.length
                    ? html`<optgroup label=${msg('Shared with the account', { id: 'ticket-list.saved.shared' })}>
                        ${shared.map((v) => html`<option value=${v.id} ?selected=${v.id === this.savedViewId}>${v.name}</option>`)}
                      </optgroup>`
                    : nothing
                }
              </select>
            </label>`
          : nothing
      }
      ${
        me
          ? html`<button type="button" class="button small" aria-expanded=${this.saving ? 'true' : 'false'} @click=${this.handleSaveToggle}>
              ${msg('Save view', { id: 'ticket-list.saved.save' })}
            </button>`
          : nothing
      }
      ${
        current && mayDelete
          ? html`<button type="button" class="button small subtle" @click=${this.handleDeleteView}>
              ${msg(str`Delete “${current.name}”`, { id: 'ticket-list.saved.delete' })}
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderBody() {
    const f = this._filters;
    return dataView(this.data, this.listTask, {
      loading: msg('Loading tickets…', { id: 'ticket-list.loading' }),
      error: msg('Couldn’t load tickets.', { id: 'ticket-list.error' }),
      expired: msg('Your session has expired. Sign in again to see your tickets.', { id: 'ticket-list.error.expired' }),
      retry: msg('Retry', { id: 'ticket-list.retry' }),
      empty: () =>
        this.items.length
          ? undefined
          : emptyView(
              f.q ? msg(str`No tickets match “${f.q}”`, { id: 'ticket-list.empty.search' }) : msg('No tickets in this view', { id: 'ticket-list.empty' }),
              f.q || f.status.length || f.priority.length || f.category.length || f.requester
                ? msg('Try clearing the search or the filters.', { id: 'ticket-list.empty.hint' })
                : undefined,
            ),
      complete: () => html`${this.renderRows()} ${this.renderFooter()}`,
    });
  }

  private renderRows() {
    const locale = localeOf(this);
    // The texts' language: it follows `lang` once its translations have loaded, which may be a
    // render later than `locale` (the rows then render again in it).
    const texts = renderedLocale();
    // Relative times and SLA states read in minutes: a row's template re-runs when its minute
    // changes, not on every render.
    const minute = Math.floor(Date.now() / MINUTE_MS);
    const active = Math.min(this.activeIndex, this.items.length - 1);
    return html`
      <ul
        part="list"
        class="list"
        role="listbox"
        aria-label=${msg(str`${viewLabel(this._filters.view)} tickets`, { id: 'ticket-list.list.label' })}
        @keydown=${this.handleListKeydown}
        @click=${this.handleListClick}
        @focusin=${this.handleListFocus}
      >
        ${repeat(
          this.items,
          (ticket) => ticket.id,
          // A row's template runs again only when something it shows changed: live updates
          // replace the changed ticket objects and keep the others, so updating a few rows of
          // a long list costs a few rows (see docs/performance.md).
          (ticket, index) =>
            guard([ticket, index, index === active, ticket.id === this.selectedId, locale, texts, minute], () =>
              this.renderRow(ticket, index, index === active, locale, minute * MINUTE_MS),
            ),
        )}
      </ul>
    `;
  }

  private renderRow(ticket: Ticket, index: number, active: boolean, locale: string | undefined, now: number) {
    const sla = slaSummary(ticket, locale, now);
    return html`
      <li
        part="row"
        class="row"
        role="option"
        aria-selected=${ticket.id === this.selectedId ? 'true' : 'false'}
        tabindex=${active ? 0 : -1}
        data-index=${index}
        data-id=${ticket.id}
      >
        <span part="ref" class="ref">${ticket.ref}</span>
        <span part="subject" class="subject"
          >${
            ticket.unread
              ? html`<span part="unread" class="unread"><span class="visually-hidden">${msg('Unread:', { id: 'ticket-list.unread' })} </span></span>`
              : nothing
          }${ticket.subject}</span
        >
        <span part="status" class="status" data-status=${ticket.status}>${statusLabel(ticket.status)}</span>
        <span part="priority" class="priority" data-priority=${ticket.priority}
          ><span class="visually-hidden">${msg('Priority:', { id: 'ticket-list.priority' })} </span>${priorityLabel(ticket.priority)}</span
        >
        <span part="meta" class="meta">
          <span>${ticket.requester.name}</span>
          <span
            >${msg('Updated', { id: 'ticket-list.updated' })}
            <time datetime=${ticket.updatedAt} title=${absoluteTime(ticket.updatedAt, locale)}>${relativeTime(ticket.updatedAt, locale, now)}</time></span
          >
          ${ticket.visibility === 'private' ? html`<span class="private">${lockIcon} ${msg('Private', { id: 'ticket.private' })}</span>` : nothing}
          ${ticket.escalated ? html`<span class="escalated">${msg('Escalated', { id: 'ticket.escalated' })}</span>` : nothing}
          ${sla ? html`<span part="sla" class="sla" data-state=${sla.state}>${sla.text}</span>` : nothing}
        </span>
      </li>
    `;
  }

  private renderFooter() {
    if (!this.nextCursor && !this.moreError) return nothing;
    return html`
      <div class="footer">
        ${
          this.moreError
            ? html`<p class="more-error" role="alert">${msg('Couldn’t load more tickets.', { id: 'ticket-list.more.error' })} ${this.moreError.message}</p>`
            : nothing
        }
        ${
          this.nextCursor
            ? html`<button
                part="load-more"
                class="button load-more"
                type="button"
                aria-disabled=${this.loadingMore ? 'true' : 'false'}
                @click=${this._loadMore}
              >
                ${
                  this.loadingMore
                    ? msg('Loading…', { id: 'ticket-list.more.loading' })
                    : this.moreError
                      ? msg('Try again', { id: 'ticket-list.more.retry' })
                      : msg('Load more', { id: 'ticket-list.more' })
                }
              </button>`
            : nothing
        }
      </div>
    `;
  }

  // --- state helpers ---------------------------------------------------------

  private _oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (allowed.includes(value as T)) return value as T;
    warnOnce(`<portico-ticket-list> ${name}="${String(value)}" is not one of ${allowed.join(', ')}; using "${fallback}".`);
    return fallback;
  }

  private _list<T extends string>(name: string, value: unknown, allowed: readonly T[]): T[] {
    const out: T[] = [];
    for (const part of Array.isArray(value) ? value : String(value ?? '').split(',')) {
      const v = String(part).trim() as T;
      if (!v || out.includes(v)) continue;
      if (allowed.includes(v)) out.push(v);
      else warnOnce(`<portico-ticket-list> ${name} "${v}" is not one of ${allowed.join(', ')}; ignoring it.`);
    }
    return out;
  }

  private _learnRequesters(tickets: readonly Ticket[]): void {
    for (const t of tickets) this._requesters.set(t.requester.id, t.requester.name);
  }

  private _abortMore(): void {
    this._more?.abort();
    this._more = undefined;
    this.loadingMore = false;
  }

  private async _loadMore(): Promise<void> {
    const client = this.data.client;
    const cursor = this.nextCursor;
    if (!client || !cursor || this._more) return;
    const controller = new AbortController();
    this._more = controller;
    this.loadingMore = true;
    this.moreError = undefined;
    const focusNew = this.shadowRoot?.activeElement?.matches('[part~="load-more"]') ?? false;
    const firstNew = this.items.length;
    try {
      const page = await client.listTickets({ ...this._query, limit: this._pageSize, cursor }, { signal: controller.signal });
      if (controller.signal.aborted) return;
      const seen = new Set(this.items.map((t) => t.id));
      this.items = [...this.items, ...page.items.filter((t) => !seen.has(t.id))];
      this.nextCursor = page.nextCursor;
      this._learnRequesters(page.items);
      if (focusNew && this.items.length > firstNew) {
        // The button may be gone (last page): keep focus in the list, on the first new row.
        this.activeIndex = firstNew;
        await this.updateComplete;
        this._rows()[firstNew]?.focus();
      }
    } catch (error) {
      if (!controller.signal.aborted && !isAbortError(error)) this.moreError = toPorticoError(error);
    } finally {
      if (this._more === controller) {
        this._more = undefined;
        this.loadingMore = false;
      }
    }
  }

  private _rows(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="row"]')];
  }

  private _focusRow(index: number): void {
    const rows = this._rows();
    if (!rows.length) return;
    const next = Math.max(0, Math.min(index, rows.length - 1));
    this.activeIndex = next;
    rows[next]?.focus();
  }

  private _select(index: number): void {
    const ticket = this.items[index];
    if (!ticket) return;
    this.activeIndex = index;
    if (!this.emit('portico-ticket-select', { id: ticket.id, ticket }, { cancelable: true })) return;
    this.selectedId = ticket.id;
    // Opening it is seeing it: the detail records that on the server.
    if (ticket.unread) this._patchItem({ ...ticket, unread: false });
  }

  private _patchItem(ticket: Ticket): void {
    this.items = this.items.map((t) => (t.id === ticket.id ? { ...t, ...ticket } : t));
  }

  /**
   * Applies a user's change of filters unless the host cancels `portico-view-change`.
   * `fromSavedView` keeps the saved view marked as current.
   */
  private _change(next: TicketListFilters, fromSavedView = ''): boolean {
    if (!this.emit('portico-view-change', structuredClone(next), { cancelable: true })) {
      // The boxes the user ticked stay as the filters in effect say (the template's value did not change).
      for (const box of this.renderRoot.querySelectorAll<HTMLInputElement>('.filter-group input')) {
        box.checked = this._filters[box.name as 'status'].includes(box.value as TicketStatus);
      }
      this.requestUpdate();
      return false;
    }
    this.savedViewId = fromSavedView;
    this.searchDraft = undefined;
    Object.assign(this, { ...next, status: next.status.join(','), priority: next.priority.join(','), category: next.category.join(',') });
    return true;
  }

  /** The ticket detail changed a ticket: a listed one takes the change (and is seen: the user just acted on it). */
  private _onTicketUpdated = ({ detail: { ticket } }: PorticoEventMap['portico-ticket-updated']): void => {
    if (this.items.some((t) => t.id === ticket.id)) this._patchItem({ ...ticket, unread: false });
  };

  /** A reply was saved in the ticket detail: the listed ticket counts it (and is seen). */
  private _onCommentCreated = ({ detail: { ticketId, comment } }: PorticoEventMap['portico-comment-created']): void => {
    const listed = this.items.find((t) => t.id === ticketId);
    if (listed) this._patchItem({ ...listed, updatedAt: comment.createdAt, commentCount: listed.commentCount + 1, unread: false });
  };

  // --- handlers --------------------------------------------------------------

  private handleViewPick(view: TicketView): void {
    if (view !== this._filters.view) this._change({ ...this._filters, view });
  }

  private handleViewKeydown(event: KeyboardEvent): void {
    const next = tabKeyTarget(event, VIEWS.indexOf(this._filters.view), VIEWS.length, this);
    if (next === undefined) return;
    event.preventDefault();
    const view = VIEWS[next]!;
    if (this._change({ ...this._filters, view })) {
      void this.updateComplete.then(() => this.shadowRoot?.getElementById(`view-${view}`)?.focus());
    }
  }

  private handleAccountChange(event: Event): void {
    this._change({ ...this._filters, account: (event.target as HTMLSelectElement).value });
  }

  private handleSortChange(event: Event): void {
    this._change({ ...this._filters, sort: (event.target as HTMLSelectElement).value as TicketSort });
  }

  private handleSearchInput(event: Event): void {
    this.searchDraft = (event.target as HTMLInputElement).value;
    clearTimeout(this._searchTimer);
    this._searchTimer = setTimeout(() => this._commitSearch(), SEARCH_DELAY_MS);
  }

  private handleSearchKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    this._commitSearch();
  }

  /** Runs the typed search now (Enter, or typing paused). */
  private _commitSearch(): void {
    clearTimeout(this._searchTimer);
    const q = this.searchDraft?.trim() ?? this._filters.q;
    if (q !== this._filters.q) this._change({ ...this._filters, q });
  }

  private handleFilterChange(): void {
    const root = this.renderRoot;
    const next = { ...this._filters, requester: root.querySelector<HTMLSelectElement>('select[name=requester]')!.value };
    for (const [name] of LIST_FILTERS) {
      (next[name] as string[]) = [...root.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`)].map((box) => box.value);
    }
    this._change(next);
  }

  private handleClearFilters(): void {
    this._change({ ...this._filters, status: [], priority: [], category: [], requester: '' });
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
    const { account } = view.query;
    // A shared view may name a child account this contact does not reach.
    const reachable = this.data.me?.accounts.some((a) => a.id === account && account !== 'all');
    this._change({ ...DEFAULT_FILTERS, ...view.query, account: reachable ? account! : '' }, view.id);
  }

  private handleSaveToggle(): void {
    this._openSaveForm(!this.saving);
  }

  /** Opens (loading its code the first time) or closes the "Save view" form. */
  private _openSaveForm(open: boolean, error?: string): void {
    this.saving = open;
    this.saveError = error;
    if (!open) return;
    import('./save-view-form.ts').then(
      async (module) => {
        this.saveForm = module;
        await this.updateComplete;
        if (!error) this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
      },
      (failure: unknown) => {
        if (this.saving) this.saveError = toPorticoError(failure).message;
      },
    );
  }

  private handleSaveKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.saving = false;
    }
  }

  private async handleSaveSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.data.client;
    if (!client || this.savePending || !this.saveForm) return;
    this.savePending = true;
    this.saveError = undefined;
    try {
      const view = await this.saveForm.saveView(event.target as HTMLFormElement, client, this._query);
      this.saving = false;
      this.savedViewId = view.id;
      void this.viewsTask.run();
    } catch (error) {
      const e = toPorticoError(error);
      this.saveError = e.fieldErrors?.name?.[0] ?? e.message;
    } finally {
      this.savePending = false;
    }
  }

  private async handleDeleteView(): Promise<void> {
    const client = this.data.client;
    const id = this.savedViewId;
    if (!client || !id) return;
    try {
      await client.deleteView(id);
      this.savedViewId = '';
      void this.viewsTask.run();
    } catch (error) {
      this._openSaveForm(true, toPorticoError(error).message);
    }
  }

  private handleListKeydown(event: KeyboardEvent): void {
    const index = this._rowIndex(event) ?? this.activeIndex;
    const row = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: this.items.length - 1 }[event.key];
    if (row !== undefined) this._focusRow(row);
    else if (event.key === 'Enter' || event.key === ' ') this._select(index);
    else return;
    event.preventDefault();
  }

  private handleListClick(event: MouseEvent): void {
    const index = this._rowIndex(event);
    if (index !== undefined) this._select(index);
  }

  private handleListFocus(event: FocusEvent): void {
    this.activeIndex = this._rowIndex(event) ?? this.activeIndex;
  }

  /** The index of the row an event happened in. */
  private _rowIndex(event: Event): number | undefined {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[part~="row"]');
    return row ? Number(row.dataset.index) : undefined;
  }
}
