import { localized, msg, str } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import type { ActivityType, LiveEvent, PorticoClient, PorticoError, TimelineEntry } from '@portico/core';
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { activityKind, activitySentence } from '../internal/activity-text.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf } from '../internal/format.ts';
import { DataController } from '../internal/data-controller.ts';
import { dataView } from '../internal/states.ts';
import { emptyView } from '../internal/empty-view.ts';
import { emitter } from '../events.ts';
import styles from './timeline.styles.ts';

/** Detail of `portico-ticket-select` fired by the timeline. */
export interface PorticoTimelineTicketSelectDetail {
  /** Id of the ticket the user chose. */
  id: string;
}

/** The filter choices of the toolbar: which activity types each shows. */
const GROUPS = {
  all: null,
  tickets: [
    'ticket.created',
    'ticket.status_changed',
    'ticket.visibility_changed',
    'ticket.escalated',
    'ticket.satisfaction_rated',
    'ticket.requester_changed',
    'ticket.merged',
    'ticket.category_changed',
  ],
  comments: ['ticket.commented'],
  sla: ['sla.at_risk', 'sla.breached'],
  contacts: [
    'contact.invited',
    'contact.role_changed',
    'contact.deactivated',
    'contact.reactivated',
    'contact.invitation_resent',
    'contact.invitation_revoked',
    'contact.created',
    'contact.updated',
  ],
} as const satisfies Record<string, readonly ActivityType[] | null>;
type Group = keyof typeof GROUPS;

const DEFAULT_PAGE_SIZE = 25;

/**
 * The account's activity, newest first and grouped by day, written as sentences ("Sam Patel
 * replied on T-1042"). A toolbar filter narrows it to ticket changes, replies, SLA warnings or
 * contact changes (`types` fixes a filter instead); `ticket-id` shows one ticket's activity.
 * New entries arrive live; "Load older" pages back.
 *
 * @summary The account's activity: ticket events, replies, SLA warnings and contact changes, grouped by day, live.
 * @tag portico-timeline
 *
 * @fires {CustomEvent<PorticoTimelineTicketSelectDetail>} portico-ticket-select - The user chose a ticket reference in an entry. Detail: `{ id }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The heading and the filter.
 * @csspart filter - The activity-type filter (a `<select>`).
 * @csspart day - One day's group of entries.
 * @csspart day-label - The date heading of a day.
 * @csspart entry - One entry.
 * @csspart ticket-link - The ticket reference inside an entry (a button).
 * @csspart time - The time of an entry.
 * @csspart empty - Shown when there is no activity.
 * @csspart error - Shown when loading failed, with Retry.
 * @csspart loading - Shown while the first page loads.
 * @csspart load-older - The "Load older" button.
 *
 * @cssproperty --portico-timeline-entry-gap - Space between entries.
 * @cssproperty --portico-color-accent - Ticket links.
 * @cssproperty --portico-color-danger - SLA warnings and errors.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-border - Borders.
 * @cssproperty --portico-color-muted - Dates and times.
 */
@localized()
export class PorticoTimeline extends LitElement {
  static override styles = styles;

  private readonly emit = emitter<'portico-timeline'>(this);

  private readonly data = new DataController(this, { live: (event) => this._insert(event) });

  private readonly listTask = this.data.task({
    args: () => [this._types(), this.ticketId, this.account, this._pageSize()] as const,
    load: (client, [types, ticket, account, limit], { signal }) => {
      this._more?.abort();
      return client.listActivity({ type: types.length ? types : undefined, ticket: ticket || undefined, account: account || undefined, limit }, { signal });
    },
    onComplete: (page) => {
      this.entries = page.items;
      this.nextCursor = page.nextCursor;
      this.fresh = new Set();
      this.moreError = undefined;
    },
  });

  /** Only activity of this ticket. */
  @property({ attribute: 'ticket-id' }) ticketId = '';

  /** Only these activity types, comma-separated (wins over the toolbar filter). */
  @property() types = '';

  /** A reachable account id, or `all` (default: every reachable account). */
  @property() account = '';

  /** Entries per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = DEFAULT_PAGE_SIZE;

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @state() private group: Group = 'all';
  @state() private entries: TimelineEntry[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;
  @state() private moreError: PorticoError | undefined;
  @state() private fresh = new Set<string>();

  private _more: AbortController | undefined;

  private _pageSize(): number {
    return this.data.pageSize(this.pageSize, DEFAULT_PAGE_SIZE);
  }

  private _types(): string[] {
    const own = this.types
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (own.length) return own;
    return [...(GROUPS[this.group] ?? [])];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._more?.abort();
  }

  /** Loads the newest entries again. */
  refresh(): void {
    this.data.refresh();
  }

  override render() {
    return html`<section part="base" class="base" aria-labelledby="title">
      <div part="toolbar" class="toolbar">
        <h2 id="title">${msg('Activity', { id: 'timeline.title' })}</h2>
        ${
          this.types
            ? nothing
            : html`<label>
                <span class="visually-hidden">${msg('Show', { id: 'timeline.filter.label' })}</span>
                <select part="filter" @change=${this.handleFilter} .value=${this.group}>
                  <option value="all">${msg('All activity', { id: 'timeline.filter.all' })}</option>
                  <option value="tickets">${msg('Ticket changes', { id: 'timeline.filter.tickets' })}</option>
                  <option value="comments">${msg('Replies', { id: 'timeline.filter.comments' })}</option>
                  <option value="sla">${msg('SLA warnings', { id: 'timeline.filter.sla' })}</option>
                  <option value="contacts">${msg('Contacts', { id: 'timeline.filter.contacts' })}</option>
                </select>
              </label>`
        }
      </div>
      ${this.renderBody()}
    </section>`;
  }

  private renderBody() {
    return dataView(this.data, this.listTask, {
      loading: msg('Loading activity…', { id: 'timeline.loading' }),
      error: msg('Couldn’t load the activity.', { id: 'timeline.error' }),
      retry: msg('Retry', { id: 'timeline.retry' }),
      empty: () => (this.entries.length ? undefined : emptyView(msg('No activity yet.', { id: 'timeline.empty' }))),
      complete: () => this.renderDays(),
    });
  }

  private renderDays() {
    const locale = localeOf(this);
    const days = new Map<string, TimelineEntry[]>();
    const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'full' });
    const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    for (const entry of this.entries) {
      const label = dayFormat.format(Date.parse(entry.createdAt));
      let list = days.get(label);
      if (!list) days.set(label, (list = []));
      list.push(entry);
    }
    return html`<div class="days" aria-busy=${this.loadingMore}>
        ${[...days].map(
          ([label, entries]) =>
            html`<section part="day" class="day" aria-label=${label}>
              <h3 part="day-label" class="day-label">${label}</h3>
              <ol>
                ${repeat(
                  entries,
                  (e) => e.id,
                  (e) =>
                    html`<li part="entry" class="entry" data-kind=${activityKind(e)} data-type=${e.type} ?data-fresh=${this.fresh.has(e.id)}>
                      <span class="dot" aria-hidden="true"></span>
                      <span class="text">${activitySentence(e, this.renderTicket(e))}</span>
                      <time part="time" datetime=${e.createdAt} title=${absoluteTime(e.createdAt, locale)}>${timeFormat.format(Date.parse(e.createdAt))}</time>
                    </li>`,
                )}
              </ol>
            </section>`,
        )}
      </div>
      ${this.moreError ? html`<p class="error" role="alert">${msg(str`Couldn’t load older activity. ${this.moreError.message}`, { id: 'timeline.more-error' })}</p>` : nothing}
      ${
        this.nextCursor
          ? html`<button part="load-older" class="button" type="button" aria-disabled=${this.loadingMore} @click=${this.handleLoadOlder}>
              ${this.loadingMore ? msg('Loading…', { id: 'timeline.loading-more' }) : msg('Load older', { id: 'timeline.load-older' })}
            </button>`
          : nothing
      }`;
  }

  private renderTicket(e: TimelineEntry) {
    if (!e.ticket) return String(e.data.ref ?? '');
    const ticket = e.ticket;
    return html`<button part="ticket-link" class="ticket-link" type="button" title=${ticket.subject} @click=${() => this._selectTicket(ticket.id)}>
      ${ticket.ref}
    </button>`;
  }

  private _selectTicket(id: string): void {
    this.emit('portico-ticket-select', { id });
  }

  /** Puts a live entry in place (newest first) when it passes the current filters. */
  private _insert({ activity, ticket }: LiveEvent): void {
    if (this.listTask.status !== TaskStatus.COMPLETE) return;
    const types = this._types();
    if (types.length && !types.includes(activity.type)) return;
    if (this.ticketId && activity.ticketId !== this.ticketId) return;
    if (this.account && this.account !== 'all' && activity.accountId !== this.account) return;
    if (this.entries.some((e) => e.id === activity.id)) return;
    const entry: TimelineEntry = { ...activity, ticket: ticket ? { id: ticket.id, ref: ticket.ref, subject: ticket.subject } : null };
    const oldest = this.entries.at(-1);
    // An entry older than everything shown belongs to a page not loaded yet.
    if (oldest && this.nextCursor && entry.createdAt < oldest.createdAt) return;
    this.entries = [...this.entries, entry].sort((a, b) => (a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? 1 : -1));
    this.fresh = new Set([...this.fresh, entry.id]);
  }

  private handleFilter(event: Event): void {
    this.group = (event.target as HTMLSelectElement).value as Group;
  }

  private async handleLoadOlder(): Promise<void> {
    const client = this.data.client;
    if (!client || !this.nextCursor || this._more) return;
    const controller = new AbortController();
    this._more = controller;
    this.loadingMore = true;
    this.moreError = undefined;
    try {
      const page = await client.listActivity(
        { type: this._types(), ticket: this.ticketId || undefined, account: this.account || undefined, limit: this._pageSize(), cursor: this.nextCursor },
        { signal: controller.signal },
      );
      const seen = new Set(this.entries.map((e) => e.id));
      this.entries = [...this.entries, ...page.items.filter((e) => !seen.has(e.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (!controller.signal.aborted && !isAbortError(error)) this.moreError = toPorticoError(error);
    } finally {
      if (this._more === controller) this._more = undefined;
      this.loadingMore = false;
    }
  }
}
