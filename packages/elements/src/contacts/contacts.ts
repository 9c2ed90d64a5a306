import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus, initialState } from '@lit/task';
import {
  type Contact,
  type ContactSort,
  type ContactStatus,
  type Page,
  type PorticoClient,
  type PorticoError,
  type Role,
  type SortDirection,
  type TransferredTicket,
} from '@portico/core';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { ROLE_LABELS, STATUS_LABELS } from '../internal/contact-labels.ts';
import { emptyView, errorView, loadingView } from '../internal/states.ts';
import { warnOnce } from '../internal/warn.ts';
import styles from './contacts.styles.ts';
import type { InviteForm, InviteHost } from './invite-form.ts';
import type { LeaverDialog, LeaverHost, LeaverMode } from './leaver-dialog.ts';

/** Detail of `portico-contact-invited`. */
export interface PorticoContactInvitedDetail {
  /** The invited contact (status `invited`). */
  contact: Contact;
}

/** What `portico-contact-updated` reports. */
export type PorticoContactChange = 'role' | 'reactivated' | 'invitation-resent' | 'invitation-revoked' | 'tickets-transferred';

/** Detail of `portico-contact-updated`. */
export interface PorticoContactUpdatedDetail {
  /** The contact as it is now (for `invitation-revoked`: as it was; it no longer exists). */
  contact: Contact;
  /** What changed. */
  change: PorticoContactChange;
  /** The role before a `role` change. */
  previousRole?: Role | undefined;
  /** Tickets handed to another contact (`tickets-transferred`). */
  transferred?: TransferredTicket[] | undefined;
}

/** Detail of `portico-contact-deactivated`. */
export interface PorticoContactDeactivatedDetail {
  /** The deactivated contact. */
  contact: Contact;
  /** Unsolved tickets handed to `transferredTo` (empty when they stayed). */
  transferred: TransferredTicket[];
  /** Who received them. */
  transferredTo?: Contact | undefined;
}

const ROLES = Object.keys(ROLE_LABELS) as Role[];
const STATUSES = Object.keys(STATUS_LABELS) as ContactStatus[];

const DEFAULT_PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/** A sortable column: its sort key and header label. Management columns only for admins. */
interface Column {
  sort: ContactSort;
  label: () => string;
  manage?: boolean;
}
const COLUMNS: readonly Column[] = [
  { sort: 'name', label: () => msg('Name', { id: 'contacts.column.name' }) },
  { sort: 'role', label: () => msg('Role', { id: 'contacts.column.role' }) },
  { sort: 'status', label: () => msg('Status', { id: 'contacts.column.status' }), manage: true },
  { sort: 'last_seen', label: () => msg('Last seen', { id: 'contacts.column.last-seen' }), manage: true },
  { sort: 'open_tickets', label: () => msg('Open tickets', { id: 'contacts.column.open-tickets' }), manage: true },
];

/** Dispatches a bubbling, composed domain event (the class JSDoc lists them as @fires). */
const fire = <T>(el: HTMLElement, type: string, detail: T) => el.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));

type ListArgs = readonly [
  client: PorticoClient | undefined,
  ready: boolean,
  revision: number,
  account: string,
  q: string,
  role: string,
  status: string,
  sort: ContactSort,
  dir: SortDirection,
  pageSize: number,
  reloads: number,
];

/**
 * @summary The account's contacts: a read-only directory for everyone, and for admins invitations, roles and deactivation.
 * @tag portico-contacts
 *
 * @fires {CustomEvent<PorticoContactInvitedDetail>} portico-contact-invited - An admin invited a colleague. Detail: `{ contact }`.
 * @fires {CustomEvent<PorticoContactUpdatedDetail>} portico-contact-updated - An admin changed a role, reactivated a contact, resent or revoked an invitation, or transferred tickets. Detail: `{ contact, change, previousRole?, transferred? }`.
 * @fires {CustomEvent<PorticoContactDeactivatedDetail>} portico-contact-deactivated - An admin deactivated a contact (access ends at once). Detail: `{ contact, transferred, transferredTo? }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The bar with account switch, search, filters and the Invite button.
 * @csspart account - The account switch (admins of a parent account).
 * @csspart search - The search field.
 * @csspart role-filter - The role filter.
 * @csspart status-filter - The status filter (admins).
 * @csspart invite-button - The button that opens the invite form (admins).
 * @csspart invite-form - The invite form.
 * @csspart notice - The line announcing the outcome of the last change.
 * @csspart table - The table of contacts.
 * @csspart row - One contact.
 * @csspart name - Name and email of a contact.
 * @csspart role - A contact's role (a select for admins).
 * @csspart status - A contact's status badge.
 * @csspart actions - A contact's action buttons (admins).
 * @csspart row-message - An explanation under a row, e.g. after a conflicting change.
 * @csspart dialog - The deactivate / transfer dialog.
 * @csspart loading - The placeholder shown while loading.
 * @csspart empty - The message shown when no contact matches.
 * @csspart error - The message and Retry button shown when loading failed.
 * @csspart load-more - The "Load more" button.
 *
 * @cssproperty --portico-contacts-row-background - Background of a row.
 * @cssproperty --portico-contacts-row-padding - Padding of a table cell.
 * @cssproperty --portico-color-accent - Accent (buttons, focus ring).
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-surface-alt - Header row, placeholders, hovered rows.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Secondary text.
 * @cssproperty --portico-color-border - Borders and separators.
 * @cssproperty --portico-color-danger - Errors and destructive buttons.
 * @cssproperty --portico-font-family - Font family.
 * @cssproperty --portico-font-size - Base font size.
 * @cssproperty --portico-radius - Corner radius.
 * @cssproperty --portico-space-1 - Spacing scale, smallest step (also `-2`, `-3`, `-4`, `-6`).
 * @cssproperty --portico-focus-ring - Outline of focused controls.
 * @cssproperty --portico-duration - Transition duration (0 under `prefers-reduced-motion`).
 */
@localized()
export class PorticoContacts extends LitElement {
  static override styles = styles;

  /** First page of the current query: re-runs when the client, session, account, search, filters or sort change. */
  private readonly listTask = new Task<ListArgs, Page<Contact>>(this, {
    task: async ([client, ready, , account, q, role, status, sort, dir, limit], { signal }) => {
      this.abortMore();
      if (!client || !ready) return initialState;
      return client.listContacts(this.listQuery(account, q, role, status, sort, dir, limit), { signal });
    },
    args: () => [
      this.currentClient,
      // Wait for the session (it says whether to ask for the admin list); without a provider, go.
      !this.session || this.session.status !== 'loading' || !!this.session.session,
      this.session?.revision ?? 0,
      this.shownAccount,
      this.searchApplied,
      this.roleFilter,
      this.statusFilter,
      this.sort,
      this.sortDir,
      this.effectivePageSize,
      this.reloads,
    ],
    onComplete: (page) => {
      this.loaded = true;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.moreError = undefined;
    },
  });

  /**
   * The account whose contacts to show: one of the ids in the session's `accounts` (a parent
   * account's admin may pick a child). Empty for the signed-in contact's own account.
   */
  @property() account = '';

  /** Contacts per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = DEFAULT_PAGE_SIZE;

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @consume({ context: clientContext, subscribe: true })
  @state()
  private contextClient: PorticoClient | undefined;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: SessionState | undefined;

  @state() private items: readonly Contact[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;
  @state() private moreError: PorticoError | undefined;
  @state() private searchText = '';
  @state() private searchApplied = '';
  @state() private roleFilter = '';
  @state() private statusFilter = '';
  @state() private sort: ContactSort = 'name';
  @state() private sortDir: SortDirection = 'asc';
  @state() private reloads = 0;
  @state() private notice = '';
  @state() private inviteOpen = false;
  @state() private rowMessages: ReadonlyMap<string, string> = new Map();
  @state() private busyIds: ReadonlySet<string> = new Set();


  private effectivePageSize = DEFAULT_PAGE_SIZE;
  /** Whether a first page has arrived (later loads keep showing it until they finish). */
  private loaded = false;
  private moreRequest: AbortController | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The invite form, loaded the first time an admin opens it. */
  private inviteForm: InviteForm | undefined;
  /** The deactivate / transfer dialog, loaded the first time an admin needs it. */
  private leaver: LeaverDialog | undefined;
  private resumeOnConnect = false;

  private get currentClient(): PorticoClient | undefined {
    return this.client ?? this.contextClient;
  }

  /** The account shown: the chosen one when the session reaches it, else the contact's own. */
  private get shownAccount(): string {
    const session = this.session?.session;
    if (!session) return this.account;
    return this.account && session.accounts.some((a) => a.id === this.account) ? this.account : session.account.id;
  }

  /** Whether the signed-in contact manages contacts (admins). */
  private get isManager(): boolean {
    return this.session?.session?.permissions['contact.manage'] === true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.resumeOnConnect) {
      this.resumeOnConnect = false;
      void this.listTask.run();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed element must not keep the network busy; it reloads when it comes back.
    if (this.listTask.status === TaskStatus.PENDING) {
      this.listTask.abort();
      this.resumeOnConnect = true;
    }
    this.abortMore();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('pageSize')) {
      const size = Number(this.pageSize);
      if (Number.isInteger(size) && size >= 1 && size <= 100) this.effectivePageSize = size;
      else {
        warnOnce(`<portico-contacts> page-size="${String(this.pageSize)}" must be a whole number from 1 to 100; using ${DEFAULT_PAGE_SIZE}.`);
        this.effectivePageSize = DEFAULT_PAGE_SIZE;
      }
    }
    const session = this.session?.session;
    if ((changed.has('account') || changed.has('session')) && session && this.account && !session.accounts.some((a) => a.id === this.account)) {
      warnOnce(`<portico-contacts> account="${this.account}" is not reachable for this contact; showing their own account.`);
    }
    // A directory reader cannot sort by management columns (the server would refuse).
    if (!this.isManager && !['name', 'role'].includes(this.sort)) this.sort = 'name';
  }

  /** Loads the first page again (e.g. after the host changed contacts elsewhere). */
  refresh(): void {
    this.reloads++;
  }

  override render() {
    const manager = this.isManager;
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar">${this.renderToolbar(manager)}</div>
        ${manager && this.inviteOpen ? this.inviteForm?.render() : nothing}
        <p part="notice" class="notice" role="status">${this.notice}</p>
        ${this.renderBody(manager)} ${manager ? this.leaver?.render() : nothing}
      </div>
    `;
  }

  private renderToolbar(manager: boolean) {
    const accounts = this.session?.session?.accounts ?? [];
    return html`
      ${manager && accounts.length > 1
        ? html`<label class="inline"
            ><span>${msg('Account', { id: 'contacts.account.label' })}</span>
            <select part="account" class="input" .value=${this.shownAccount} @change=${this.handleAccountChange}>
              ${accounts.map((a) => html`<option value=${a.id} ?selected=${a.id === this.shownAccount}>${a.name}</option>`)}
            </select></label
          >`
        : nothing}
      <input
        part="search"
        class="input search"
        type="search"
        .value=${this.searchText}
        placeholder=${msg('Search name or email', { id: 'contacts.search.placeholder' })}
        aria-label=${msg('Search contacts', { id: 'contacts.search.label' })}
        @input=${this.handleSearchInput}
      />
      <select part="role-filter" class="input" aria-label=${msg('Filter by role', { id: 'contacts.filter.role' })} @change=${this.handleRoleFilter}>
        <option value="" ?selected=${!this.roleFilter}>${msg('All roles', { id: 'contacts.filter.all-roles' })}</option>
        ${ROLES.map((r) => html`<option value=${r} ?selected=${r === this.roleFilter}>${ROLE_LABELS[r]()}</option>`)}
      </select>
      ${manager
        ? html`<select part="status-filter" class="input" aria-label=${msg('Filter by status', { id: 'contacts.filter.status' })} @change=${this.handleStatusFilter}>
              <option value="" ?selected=${!this.statusFilter}>${msg('All statuses', { id: 'contacts.filter.all-statuses' })}</option>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.statusFilter}>${STATUS_LABELS[s]()}</option>`)}
            </select>
            <button
              part="invite-button"
              class="button primary invite"
              type="button"
              aria-expanded=${this.inviteOpen ? 'true' : 'false'}
              aria-controls="invite"
              @click=${this.handleInviteToggle}
            >
              ${msg('Invite colleague', { id: 'contacts.invite.open' })}
            </button>`
        : nothing}
    `;
  }

  private renderBody(manager: boolean) {
    const status = this.listTask.status;
    const error = this.listTask.error;
    if (status === TaskStatus.ERROR && !isAbortError(error)) {
      return errorView(msg('Couldn’t load contacts.', { id: 'contacts.error.title' }), toPorticoError(error), msg('Retry', { id: 'contacts.retry' }), () =>
        this.refresh(),
      );
    }
    // Reloads (search, sort, after a change) keep the rows on screen, marked busy, so focus
    // and scroll position survive; only the very first load shows placeholders.
    const reloading = status === TaskStatus.PENDING && this.loaded;
    if (status !== TaskStatus.COMPLETE && !reloading) return loadingView(msg('Loading contacts…', { id: 'contacts.loading' }));
    if (this.items.length === 0) {
      const filtered = this.searchApplied || this.roleFilter || this.statusFilter;
      return emptyView(
        msg('No contacts match', { id: 'contacts.empty.title' }),
        filtered ? msg('Try another search or clear the filters.', { id: 'contacts.empty.hint' }) : undefined,
      );
    }
    const columns = COLUMNS.filter((c) => manager || !c.manage);
    const account = this.session?.session?.accounts.find((a) => a.id === this.shownAccount)?.name ?? '';
    return html`
      <table part="table" class="table" aria-busy=${reloading ? 'true' : 'false'}>
        <caption class="visually-hidden">
          ${manager ? msg(str`Contacts of ${account}`, { id: 'contacts.caption.manager' }) : msg(str`Colleagues at ${account}`, { id: 'contacts.caption.directory' })}
        </caption>
        <thead>
          <tr>
            ${columns.map((c) => this.renderHeader(c))}
            ${manager ? html`<th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'contacts.column.actions' })}</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${this.items.map((c) => this.renderRow(c, manager, columns.length + (manager ? 1 : 0)))}
        </tbody>
      </table>
      ${this.renderFooter()}
    `;
  }

  private renderHeader(column: Column) {
    const active = this.sort === column.sort;
    const ariaSort = active ? (this.sortDir === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th scope="col" aria-sort=${ariaSort}>
      <button type="button" class="sort" data-sort=${column.sort} @click=${() => this.handleSort(column.sort)}>
        ${column.label()}<span class="arrow" aria-hidden="true">${active ? (this.sortDir === 'asc' ? '▲' : '▼') : ''}</span>
      </button>
    </th>`;
  }

  private renderRow(c: Contact, manager: boolean, span: number) {
    const locale = localeOf(this);
    const self = c.id === this.session?.session?.contact.id;
    const busy = this.busyIds.has(c.id);
    const message = this.rowMessages.get(c.id);
    const roleCell = manager
      ? html`<select
          class="input"
          aria-label=${msg(str`Role of ${c.name}`, { id: 'contacts.row.role-label' })}
          .value=${c.role}
          ?disabled=${busy || self || c.status === 'deactivated'}
          title=${self ? msg('You cannot change your own role.', { id: 'contacts.row.self-role' }) : nothing}
          @change=${(e: Event) => this.handleRoleChange(c, e)}
        >
          ${ROLES.map((r) => html`<option value=${r} ?selected=${r === c.role}>${ROLE_LABELS[r]()}</option>`)}
        </select>`
      : ROLE_LABELS[c.role]?.() ?? c.role;
    return html`
      <tr part="row" class="row" data-id=${c.id} data-status=${c.status} aria-busy=${busy ? 'true' : 'false'}>
        <td part="name">
          <div class="name-cell">
            <span class="name">${c.name}${self ? html` <span class="you">${msg('(you)', { id: 'contacts.row.you' })}</span>` : nothing}</span>
            <span class="email">${c.email}</span>
          </div>
        </td>
        <td part="role">${roleCell}</td>
        ${manager
          ? html`<td><span part="status" class="badge" data-status=${c.status}>${STATUS_LABELS[c.status]?.() ?? c.status}</span></td>
              <td class="muted">
                ${c.lastSeenAt
                  ? html`<time datetime=${c.lastSeenAt} title=${absoluteTime(c.lastSeenAt, locale)}>${relativeTime(c.lastSeenAt, locale)}</time>`
                  : msg('Never', { id: 'contacts.row.never' })}
              </td>
              <td class="count">${c.openTicketCount ?? 0}</td>
              <td part="actions" class="actions">${this.renderActions(c, self, busy)}</td>`
          : nothing}
      </tr>
      ${message
        ? html`<tr class="message-row">
            <td colspan=${span}><p part="row-message" class="row-message" role="alert">${message}</p></td>
          </tr>`
        : nothing}
    `;
  }

  private renderActions(c: Contact, self: boolean, busy: boolean) {
    const button = (label: string, name: string, action: () => void, tone = '') =>
      html`<button type="button" class=${`button ${tone}`} ?disabled=${busy} aria-label=${`${label}: ${c.name}`} data-action=${name} @click=${action}>
        ${label}
      </button>`;
    switch (c.status) {
      case 'invited':
        return html`${button(msg('Resend', { id: 'contacts.action.resend' }), 'resend', () => void this.resend(c))}
        ${button(msg('Revoke', { id: 'contacts.action.revoke' }), 'revoke', () => void this.revoke(c), 'danger')}`;
      case 'deactivated':
        return html`${button(msg('Reactivate', { id: 'contacts.action.reactivate' }), 'reactivate', () => void this.reactivate(c))}
        ${c.openTicketCount ? button(msg('Transfer tickets', { id: 'contacts.action.transfer' }), 'transfer', () => void this.openLeaver('transfer', c)) : nothing}`;
      default:
        return self ? nothing : button(msg('Deactivate', { id: 'contacts.action.deactivate' }), 'deactivate', () => void this.openLeaver('deactivate', c), 'danger');
    }
  }

  private renderFooter() {
    if (!this.nextCursor && !this.moreError) return nothing;
    return html`<div class="footer">
      ${this.moreError ? html`<p class="field-error" role="alert">${this.moreError.message}</p>` : nothing}
      ${this.nextCursor
        ? html`<button part="load-more" class="button" type="button" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${this.handleLoadMore}>
            ${this.loadingMore ? msg('Loading…', { id: 'contacts.more.loading' }) : msg('Load more', { id: 'contacts.more' })}
          </button>`
        : nothing}
    </div>`;
  }

  // --- data ------------------------------------------------------------------

  private listQuery(account: string, q: string, role: string, status: string, sort: ContactSort, dir: SortDirection, limit: number) {
    return {
      q: q || undefined,
      role: role ? [role as Role] : undefined,
      status: status ? [status as ContactStatus] : undefined,
      account: this.accountParam(account),
      sort,
      dir,
      limit,
    };
  }

  /** The `account` to send: only a child account's id; the server defaults to the caller's own. */
  private accountParam(account: string): string | undefined {
    return account && account !== this.session?.session?.account.id ? account : undefined;
  }

  private abortMore(): void {
    this.moreRequest?.abort();
    this.moreRequest = undefined;
    this.loadingMore = false;
  }

  private async loadMore(): Promise<void> {
    const client = this.currentClient;
    const cursor = this.nextCursor;
    if (!client || !cursor || this.moreRequest) return;
    const controller = (this.moreRequest = new AbortController());
    this.loadingMore = true;
    this.moreError = undefined;
    try {
      const q = this.listQuery(this.shownAccount, this.searchApplied, this.roleFilter, this.statusFilter, this.sort, this.sortDir, this.effectivePageSize);
      const page = await client.listContacts({ ...q, cursor }, { signal: controller.signal });
      const seen = new Set(this.items.map((c) => c.id));
      this.items = [...this.items, ...page.items.filter((c) => !seen.has(c.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (!controller.signal.aborted && !isAbortError(error)) this.moreError = toPorticoError(error);
    } finally {
      if (this.moreRequest === controller) {
        this.moreRequest = undefined;
        this.loadingMore = false;
      }
    }
  }

  /** Replaces a row with the server's copy (or removes it), keeping its place. */
  private replaceRow(contact: Contact | undefined, id = contact?.id): void {
    this.items = contact ? this.items.map((c) => (c.id === id ? contact : c)) : this.items.filter((c) => c.id !== id);
  }

  private setRowMessage(id: string, text: string | undefined): void {
    const next = new Map(this.rowMessages);
    if (text) next.set(id, text);
    else next.delete(id);
    this.rowMessages = next;
  }

  private setBusy(id: string, busy: boolean): void {
    const next = new Set(this.busyIds);
    if (busy) next.add(id);
    else next.delete(id);
    this.busyIds = next;
  }

  /**
   * Runs one row action: marks the row busy, clears its message; on a 412 reloads the row
   * and explains; on another failure shows the server's message under the row.
   */
  private async rowAction(c: Contact, run: (client: PorticoClient) => Promise<() => void>, conflict?: (now: Contact) => string): Promise<void> {
    const client = this.currentClient;
    if (!client || this.busyIds.has(c.id)) return;
    this.setBusy(c.id, true);
    this.setRowMessage(c.id, undefined);
    let announce: (() => void) | undefined;
    try {
      announce = await run(client);
    } catch (error) {
      const e = toPorticoError(error);
      if (e.status === 412) {
        const now = await client.getContact(c.id).catch(() => undefined);
        this.replaceRow(now, c.id);
        if (now) this.setRowMessage(c.id, conflict?.(now) ?? e.message);
        else this.notice = msg(str`${c.name} no longer exists.`, { id: 'contacts.gone' });
      } else this.setRowMessage(c.id, e.message);
    } finally {
      this.setBusy(c.id, false);
    }
    // A refused change leaves the select on the user's pick: show the stored role again.
    await this.updateComplete;
    const current = this.items.find((x) => x.id === c.id);
    const select = this.renderRoot.querySelector<HTMLSelectElement>(`[data-id="${CSS.escape(c.id)}"] select`);
    if (current && select) select.value = current.role;
    // Events go out once the row is usable again, so a listener may act on it at once.
    announce?.();
  }

  private async changeRole(c: Contact, role: Role): Promise<void> {
    await this.rowAction(
      c,
      async (client) => {
        const updated = await client.updateContact(c.id, { role }, { version: c.version });
        this.replaceRow(updated);
        this.notice = msg(str`${updated.name} is now ${ROLE_LABELS[updated.role]()}.`, { id: 'contacts.notice.role' });
        return () => fire<PorticoContactUpdatedDetail>(this, 'portico-contact-updated', { contact: updated, change: 'role', previousRole: c.role });
      },
      (now) =>
        msg(
          str`Someone else changed ${now.name} while you were looking: the role is now ${ROLE_LABELS[now.role]()} and the status ${STATUS_LABELS[now.status]()}. Your change to ${ROLE_LABELS[role]()} was not saved; choose again if it still applies.`,
          { id: 'contacts.conflict.role' },
        ),
    );
  }

  private async reactivate(c: Contact): Promise<void> {
    await this.rowAction(c, async (client) => {
      const updated = await client.updateContact(c.id, { status: 'active' }, { version: c.version });
      this.replaceRow(updated);
      this.notice = msg(str`${updated.name} can sign in again.`, { id: 'contacts.notice.reactivated' });
      return () => fire<PorticoContactUpdatedDetail>(this, 'portico-contact-updated', { contact: updated, change: 'reactivated' });
    });
  }

  private async resend(c: Contact): Promise<void> {
    await this.rowAction(c, async (client) => {
      const updated = await client.resendInvitation(c.id);
      this.replaceRow(updated);
      this.notice = msg(str`Invitation sent again to ${updated.email}.`, { id: 'contacts.notice.resent' });
      return () => fire<PorticoContactUpdatedDetail>(this, 'portico-contact-updated', { contact: updated, change: 'invitation-resent' });
    });
  }

  private async revoke(c: Contact): Promise<void> {
    const index = this.items.indexOf(c);
    await this.rowAction(c, async (client) => {
      await client.revokeInvitation(c.id);
      this.replaceRow(undefined, c.id);
      // The row (and the focused button) is gone: continue on the row that took its place.
      void this.updateComplete.then(() => {
        const rows = this.renderRoot.querySelectorAll<HTMLElement>('[part~="row"]');
        (rows[Math.min(index, rows.length - 1)]?.querySelector<HTMLElement>('[data-action], select:not(:disabled)') ?? this.renderRoot.querySelector<HTMLElement>('[part~="search"]'))?.focus();
      });
      this.notice = msg(str`Invitation for ${c.email} revoked.`, { id: 'contacts.notice.revoked' });
      return () => fire<PorticoContactUpdatedDetail>(this, 'portico-contact-updated', { contact: c, change: 'invitation-revoked' });
    });
  }

  // --- handlers ----------------------------------------------------------------

  private handleAccountChange(event: Event): void {
    this.account = (event.target as HTMLSelectElement).value;
    this.rowMessages = new Map();
    this.inviteForm?.reset();
  }

  private handleSearchInput(event: Event): void {
    this.searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => (this.searchApplied = this.searchText.trim()), SEARCH_DELAY_MS);
  }

  private handleRoleFilter(event: Event): void {
    this.roleFilter = (event.target as HTMLSelectElement).value;
  }

  private handleStatusFilter(event: Event): void {
    this.statusFilter = (event.target as HTMLSelectElement).value;
  }

  private handleSort(sort: ContactSort): void {
    if (this.sort === sort) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = sort;
      // Recent activity and busy contacts first is what people look for.
      this.sortDir = sort === 'last_seen' || sort === 'open_tickets' ? 'desc' : 'asc';
    }
  }

  private async handleInviteToggle(): Promise<void> {
    if (this.inviteOpen) return this.closeInvite();
    // The form's code loads on first use: most visitors never invite anyone.
    this.inviteForm ??= new (await import('./invite-form.ts')).InviteForm(this.inviteHost());
    this.inviteOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#invite-email')?.focus();
  }

  /** What the invite form may ask of this element. */
  private inviteHost(): InviteHost {
    const el = this;
    return {
      get renderRoot() {
        return el.renderRoot;
      },
      get updateComplete() {
        return el.updateComplete;
      },
      requestUpdate: () => this.requestUpdate(),
      inviteContext: () => {
        const own = this.session?.session?.account;
        const accountId = this.accountParam(this.shownAccount);
        return { client: this.currentClient, accountId, domains: !accountId && own ? own.domains : undefined };
      },
      invited: (contact) => {
        this.notice = msg(str`Invitation sent to ${contact.email} as ${ROLE_LABELS[contact.role]()}.`, { id: 'contacts.notice.invited' });
        fire<PorticoContactInvitedDetail>(this, 'portico-contact-invited', { contact });
        this.refresh();
        void this.closeInvite();
      },
      closeInvite: () => void this.closeInvite(),
    };
  }

  private async openLeaver(mode: LeaverMode, contact: Contact): Promise<void> {
    this.leaver ??= new (await import('./leaver-dialog.ts')).LeaverDialog(this.leaverHost());
    await this.leaver.open(mode, contact);
  }

  /** What the deactivate / transfer dialog may ask of this element. */
  private leaverHost(): LeaverHost {
    const el = this;
    return {
      get renderRoot() {
        return el.renderRoot;
      },
      get updateComplete() {
        return el.updateComplete;
      },
      requestUpdate: () => this.requestUpdate(),
      client: () => this.currentClient,
      accountParam: () => this.accountParam(this.shownAccount),
      replaceRow: (contact, id) => this.replaceRow(contact, id),
      announce: (notice, event, moved) => {
        this.notice = notice;
        this.dispatchEvent(event);
        // Open-ticket counts of the receiver changed too.
        if (moved) this.refresh();
      },
      closed: async (id) => {
        // The row's buttons may have been re-rendered (Deactivate → Reactivate): keep focus on the row.
        await this.updateComplete;
        const row = [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="row"]')].find((r) => r.dataset.id === id);
        if (row && !row.contains(this.shadowRoot!.activeElement)) (row.querySelector<HTMLElement>('[data-action]') ?? row.querySelector('select'))?.focus();
      },
    };
  }

  private async closeInvite(): Promise<void> {
    this.inviteOpen = false;
    this.inviteForm?.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="invite-button"]')?.focus();
  }

  private handleRoleChange(c: Contact, event: Event): void {
    const role = (event.target as HTMLSelectElement).value as Role;
    if (role !== c.role) void this.changeRole(c, role);
  }

  private handleLoadMore(): void {
    void this.loadMore();
  }
}

declare global {
  interface HTMLElementEventMap {
    'portico-contact-invited': CustomEvent<PorticoContactInvitedDetail>;
    'portico-contact-updated': CustomEvent<PorticoContactUpdatedDetail>;
    'portico-contact-deactivated': CustomEvent<PorticoContactDeactivatedDetail>;
  }
}
