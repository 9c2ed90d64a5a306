import { localized, msg, str } from '@lit/localize';
import { TaskStatus, initialState } from '@lit/task';
import type { Contact, ContactSort, ContactStatus, PorticoClient, PorticoError, Role, RoleName, SortDirection, TransferredTicket } from '@portico/core';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { property, state } from 'lit/decorators.js';
import { DataController } from '../internal/data-controller.ts';
import { dataView } from '../internal/states.ts';
import { emptyView } from '../internal/empty-view.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { ROLE_LABELS, STATUS_LABELS, roleLabel } from '../internal/contact-labels.ts';
import { warnOnce } from '../internal/warn.ts';
import { emitter } from '../events.ts';
import styles from './contacts.styles.ts';
import type { AdminHost } from './admin-host.ts';
import type { InviteForm } from './invite-form.ts';
import type { LeaverDialog, LeaverMode } from './leaver-dialog.ts';

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
  previousRole?: RoleName | undefined;
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

const DEFAULT_PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/** The value of the control an event came from. */
const targetValue = (event: Event) => (event.target as HTMLSelectElement).value;

/** An `<option>` per label of an enum (`ROLE_LABELS`, `STATUS_LABELS`), the `selected` one marked. */
const options = (labels: Readonly<Record<string, () => string>>, selected: string) =>
  Object.entries(labels).map(([value, label]) => html`<option value=${value} ?selected=${value === selected}>${label()}</option>`);

/**
 * The role choices of a contact's row: the built-in roles, plus the contact's own role when
 * the vendor defined it (set through the service API, so shown but not offered to others).
 */
const roleOptions = (selected: string) => [
  ...options(ROLE_LABELS, selected),
  ...(Object.hasOwn(ROLE_LABELS, selected) || !selected ? [] : [html`<option value=${selected} selected>${roleLabel(selected)}</option>`]),
];

/**
 * Everyone sees the account's directory: names, emails and roles. An admin also sees status,
 * last seen and open tickets, invites colleagues, changes roles, resends or revokes
 * invitations, and deactivates a contact, handing their unsolved tickets to someone else first.
 * Admin forms load the first time they are needed. Paging, search, role and status filters and
 * sorting run on the server.
 *
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

  private readonly emit = emitter<'portico-contacts'>(this);

  private readonly data = new DataController(this);

  /** First page of the current query: re-runs when the client, session, account, search, filters or sort change. */
  private readonly listTask = this.data.task({
    args: () => {
      const session = this.data.session;
      // Wait for the session (it says whether to ask for the admin list); without a provider, go.
      const ready = !session || session.status !== 'loading' || !!session.session;
      return [ready, this.query()] as const;
    },
    load: (client, [ready, query], { signal }) => {
      this.abortMore();
      return ready ? client.listContacts(query, { signal }) : initialState;
    },
    onComplete: (page) => {
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

  @state() private items: readonly Contact[] = [];
  @state() private nextCursor: string | null = null;
  /** The "Load more" request in flight. */
  @state() private moreRequest: AbortController | undefined;
  @state() private moreError: PorticoError | undefined;
  @state() private searchApplied = '';
  @state() private roleFilter = '';
  @state() private statusFilter = '';
  @state() private sort: ContactSort = 'name';
  @state() private sortDir: SortDirection = 'asc';
  @state() private notice = '';
  @state() private inviteOpen = false;

  /** Messages under rows and rows with a change in flight, by contact id (changed with requestUpdate()). */
  private readonly rowMessages = new Map<string, string>();
  private readonly busy = new Set<string>();
  /** The valid page size. */
  private limit = DEFAULT_PAGE_SIZE;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The invite form, loaded the first time an admin opens it. */
  private inviteForm: InviteForm | undefined;
  /** The deactivate / transfer dialog, loaded the first time an admin needs it. */
  private leaver: LeaverDialog | undefined;

  /** The signed-in contact's session (undefined without a provider or while it loads). */
  private get me() {
    return this.data.me;
  }

  /** The account shown: the chosen one when the session reaches it, else the contact's own. */
  private get shownAccount(): string {
    const session = this.me;
    if (!session) return this.account;
    return this.account && session.accounts.some((a) => a.id === this.account) ? this.account : session.account.id;
  }

  /** The `account` to send: only a child account's id; the server defaults to the caller's own. */
  private get childAccount(): string | undefined {
    const account = this.shownAccount;
    return account && account !== this.me?.account.id ? account : undefined;
  }

  /** Whether the signed-in contact manages contacts (admins). */
  private get isManager(): boolean {
    return this.me?.permissions['contact.manage'] === true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abortMore();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('pageSize')) this.limit = this.data.pageSize(this.pageSize, DEFAULT_PAGE_SIZE);
    const session = this.me;
    // Checked on every update: the session may arrive after `account` was set (the warning shows once).
    if (session && this.account && !session.accounts.some((a) => a.id === this.account)) {
      warnOnce(`<portico-contacts> account="${this.account}" is not reachable for this contact; showing their own account.`);
    }
    // A directory reader cannot sort by management columns (the server would refuse).
    if (!this.isManager && !['name', 'role'].includes(this.sort)) this.sort = 'name';
  }

  /** Loads the first page again (e.g. after the host changed contacts elsewhere). */
  refresh(): void {
    void this.listTask.run();
  }

  override render() {
    const manager = this.isManager;
    return html`
      <div part="base" class="base">
        <div part="toolbar" class="toolbar">${this.renderToolbar(manager)}</div>
        ${manager && this.inviteOpen ? this.inviteForm?.render() : nothing}
        <p part="notice" class="notice">${this.notice}</p>
        ${this.renderBody(manager)} ${manager ? this.leaver?.render() : nothing}
      </div>
    `;
  }

  private renderToolbar(manager: boolean) {
    const accounts = this.me?.accounts ?? [];
    const shown = this.shownAccount;
    return html`
      ${
        manager && accounts.length > 1
          ? html`<label class="inline"
              ><span>${msg('Account', { id: 'contacts.account.label' })}</span>
              <select part="account" class="input" .value=${shown} @change=${this.handleAccountChange}>
                ${accounts.map((a) => html`<option value=${a.id} ?selected=${a.id === shown}>${a.name}</option>`)}
              </select></label
            >`
          : nothing
      }
      <input
        part="search"
        class="input search"
        type="search"
        placeholder=${msg('Search name or email', { id: 'contacts.search.placeholder' })}
        aria-label=${msg('Search contacts', { id: 'contacts.search.label' })}
        @input=${this.handleSearchInput}
      />
      <select
        part="role-filter"
        class="input"
        aria-label=${msg('Filter by role', { id: 'contacts.filter.role' })}
        @change=${(e: Event) => (this.roleFilter = targetValue(e))}
      >
        <option value="">${msg('All roles', { id: 'contacts.filter.all-roles' })}</option>
        ${options(ROLE_LABELS, this.roleFilter)}
      </select>
      ${
        manager
          ? html`<select
                part="status-filter"
                class="input"
                aria-label=${msg('Filter by status', { id: 'contacts.filter.status' })}
                @change=${(e: Event) => (this.statusFilter = targetValue(e))}
              >
                <option value="">${msg('All statuses', { id: 'contacts.filter.all-statuses' })}</option>
                ${options(STATUS_LABELS, this.statusFilter)}
              </select>
              <button
                part="invite-button"
                class="button primary invite"
                type="button"
                aria-expanded=${this.inviteOpen}
                aria-controls="invite"
                @click=${this.handleInviteToggle}
              >
                ${msg('Invite colleague', { id: 'contacts.invite.open' })}
              </button>`
          : nothing
      }
    `;
  }

  private renderBody(manager: boolean) {
    return dataView(this.data, this.listTask, {
      loading: msg('Loading contacts…', { id: 'contacts.loading' }),
      error: msg('Couldn’t load contacts.', { id: 'contacts.error.title' }),
      retry: msg('Retry', { id: 'contacts.retry' }),
      // Reloads (search, sort, after a change) keep the rows on screen, marked busy, so focus
      // and scroll position survive; only the very first load shows placeholders.
      keepWhileReloading: true,
      empty: () =>
        this.items.length
          ? undefined
          : emptyView(
              msg('No contacts match', { id: 'contacts.empty.title' }),
              this.searchApplied || this.roleFilter || this.statusFilter
                ? msg('Try another search or clear the filters.', { id: 'contacts.empty.hint' })
                : undefined,
            ),
      complete: () => this.renderTable(manager, this.listTask.status === TaskStatus.PENDING),
    });
  }

  private renderTable(manager: boolean, reloading: boolean) {
    // Sort key and header of each column; the management columns only for admins.
    const columns: [ContactSort, string][] = [
      ['name', msg('Name', { id: 'contacts.column.name' })],
      ['role', msg('Role', { id: 'contacts.column.role' })],
    ];
    if (manager) {
      columns.push(
        ['status', msg('Status', { id: 'contacts.column.status' })],
        ['last_seen', msg('Last seen', { id: 'contacts.column.last-seen' })],
        ['open_tickets', msg('Open tickets', { id: 'contacts.column.open-tickets' })],
      );
    }
    const span = columns.length + (manager ? 1 : 0);
    const account = this.me?.accounts.find((a) => a.id === this.shownAccount)?.name ?? '';
    const locale = localeOf(this);
    return html`
      <table part="table" class="table" aria-busy=${reloading}>
        <caption class="visually-hidden">
          ${manager ? msg(str`Contacts of ${account}`, { id: 'contacts.caption.manager' }) : msg(str`Colleagues at ${account}`, { id: 'contacts.caption.directory' })}
        </caption>
        <thead>
          <tr>
            ${columns.map(([sort, label]) => this.renderHeader(sort, label))}
            ${manager ? html`<th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'contacts.column.actions' })}</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${this.items.map((c) => this.renderRow(c, manager, span, locale))}
        </tbody>
      </table>
      ${
        this.nextCursor || this.moreError
          ? html`<div class="footer">
              ${this.moreError ? html`<p class="field-error" role="alert">${this.moreError.message}</p>` : nothing}
              ${
                this.nextCursor
                  ? html`<button part="load-more" class="button" type="button" aria-disabled=${!!this.moreRequest} @click=${this.loadMore}>
                      ${this.moreRequest ? msg('Loading…', { id: 'contacts.more.loading' }) : msg('Load more', { id: 'contacts.more' })}
                    </button>`
                  : nothing
              }
            </div>`
          : nothing
      }
    `;
  }

  private renderHeader(sort: ContactSort, label: string) {
    const active = this.sort === sort;
    const asc = this.sortDir === 'asc';
    return html`<th scope="col" aria-sort=${active ? (asc ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="sort" data-sort=${sort} @click=${() => this.handleSort(sort)}>
        ${label}<span class="arrow" aria-hidden="true">${active ? (asc ? '▲' : '▼') : ''}</span>
      </button>
    </th>`;
  }

  private renderRow(c: Contact, manager: boolean, span: number, locale: string | undefined) {
    const self = c.id === this.me?.contact.id;
    const busy = this.busy.has(c.id);
    const message = this.rowMessages.get(c.id);
    const seen = c.lastSeenAt;
    return html`
      <tr part="row" class="row" data-id=${c.id} data-status=${c.status} aria-busy=${busy}>
        <td part="name">
          <span class="name">${c.name}${self ? html` <span class="you">${msg('(you)', { id: 'contacts.row.you' })}</span>` : nothing}</span>
          <span class="email">${c.email}</span>
        </td>
        <td part="role">
          ${
            manager
              ? html`<select
                  class="input"
                  aria-label=${msg(str`Role of ${c.name}`, { id: 'contacts.row.role-label' })}
                  .value=${c.role}
                  ?disabled=${busy || self || c.status === 'deactivated'}
                  title=${ifDefined(self ? msg('You cannot change your own role.', { id: 'contacts.row.self-role' }) : undefined)}
                  @change=${(e: Event) => this.changeRole(c, targetValue(e) as Role)}
                >
                  ${roleOptions(c.role)}
                </select>`
              : roleLabel(c.role)
          }
        </td>
        ${
          manager
            ? html`<td><span part="status" class="badge" data-status=${c.status}>${STATUS_LABELS[c.status]?.() ?? c.status}</span></td>
                <td class="muted">
                  ${seen ? html`<time datetime=${seen} title=${absoluteTime(seen, locale)}>${relativeTime(seen, locale)}</time>` : msg('Never', { id: 'contacts.row.never' })}
                </td>
                <td class="count">${c.openTicketCount ?? 0}</td>
                <td part="actions" class="actions">${this.renderActions(c, self, busy)}</td>`
            : nothing
        }
      </tr>
      ${
        message
          ? html`<tr class="message-row">
              <td colspan=${span}><p part="row-message" class="row-message" role="alert">${message}</p></td>
            </tr>`
          : nothing
      }
    `;
  }

  private renderActions(c: Contact, self: boolean, busy: boolean) {
    const button = (action: string, text: string, run: () => unknown, tone = '') =>
      html`<button type="button" class="button ${tone}" ?disabled=${busy} aria-label="${text}: ${c.name}" data-action=${action} @click=${run}>${text}</button>`;
    switch (c.status) {
      case 'invited':
        return html`${button('resend', msg('Resend', { id: 'contacts.action.resend' }), () => this.resend(c))}
        ${button('revoke', msg('Revoke', { id: 'contacts.action.revoke' }), () => this.revoke(c), 'danger')}`;
      case 'deactivated':
        return html`${button('reactivate', msg('Reactivate', { id: 'contacts.action.reactivate' }), () => this.reactivate(c))}
        ${c.openTicketCount ? button('transfer', msg('Transfer tickets', { id: 'contacts.action.transfer' }), () => this.openLeaver('transfer', c)) : nothing}`;
      default:
        return self ? nothing : button('deactivate', msg('Deactivate', { id: 'contacts.action.deactivate' }), () => this.openLeaver('deactivate', c), 'danger');
    }
  }

  // --- data ------------------------------------------------------------------

  /** The list query of the account, search, filters, sort and page size shown. */
  private query() {
    const { roleFilter: role, statusFilter: status } = this;
    return {
      q: this.searchApplied || undefined,
      role: role ? [role as Role] : undefined,
      status: status ? [status as ContactStatus] : undefined,
      account: this.childAccount,
      sort: this.sort,
      dir: this.sortDir,
      limit: this.limit,
    };
  }

  private abortMore(): void {
    this.moreRequest?.abort();
    this.moreRequest = undefined;
  }

  private async loadMore(): Promise<void> {
    const client = this.data.client;
    const cursor = this.nextCursor;
    if (!client || !cursor || this.moreRequest) return;
    const controller = (this.moreRequest = new AbortController());
    this.moreError = undefined;
    try {
      const page = await client.listContacts({ ...this.query(), cursor }, { signal: controller.signal });
      const seen = new Set(this.items.map((c) => c.id));
      this.items = [...this.items, ...page.items.filter((c) => !seen.has(c.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (!controller.signal.aborted && !isAbortError(error)) this.moreError = toPorticoError(error);
    } finally {
      if (this.moreRequest === controller) this.moreRequest = undefined;
    }
  }

  /** Shows the outcome of the last change in the notice line and says it once through the live region. */
  private say(notice: string): void {
    this.notice = notice;
    this.data.announce(notice);
  }

  /** Replaces a row with the server's copy (or removes it), keeping its place. */
  private replaceRow(contact: Contact | undefined, id: string): void {
    this.items = contact ? this.items.map((c) => (c.id === id ? contact : c)) : this.items.filter((c) => c.id !== id);
  }

  /**
   * Runs one row action: marks the row busy, clears its message; on success shows the server's
   * copy, announces it and fires `portico-contact-updated`; on a 412 reloads the row and
   * explains; on another failure shows the server's message under the row.
   */
  private async rowAction(
    c: Contact,
    change: PorticoContactChange,
    run: (client: PorticoClient) => Promise<Contact | void>,
    notice: (contact: Contact) => string,
    conflict?: (now: Contact) => string,
  ): Promise<void> {
    const client = this.data.client;
    const { id } = c;
    if (!client || this.busy.has(id)) return;
    const index = this.items.indexOf(c);
    // The row's controls are disabled while the change runs, which takes focus away from the
    // one the user used: it comes back afterwards (WCAG 2.4.3; see docs/accessibility.md).
    const used = this.renderRoot instanceof ShadowRoot ? (this.renderRoot.activeElement as HTMLElement | null) : null;
    this.busy.add(id);
    this.rowMessages.delete(id);
    this.requestUpdate();
    let detail: PorticoContactUpdatedDetail | undefined;
    try {
      const updated = (await run(client)) || undefined;
      this.replaceRow(updated, id);
      const contact = updated ?? c;
      this.say(notice(contact));
      detail = change === 'role' ? { contact, change, previousRole: c.role } : { contact, change };
    } catch (error) {
      const e = toPorticoError(error);
      let message: string | undefined = e.message;
      if (e.status === 412) {
        const now = await client.getContact(id).catch(() => undefined);
        this.replaceRow(now, id);
        if (now) message = conflict?.(now) ?? message;
        else {
          message = undefined;
          this.say(msg(str`${c.name} no longer exists.`, { id: 'contacts.gone' }));
        }
      }
      if (message) this.rowMessages.set(id, message);
    } finally {
      this.busy.delete(id);
      this.requestUpdate();
    }
    await this.updateComplete;
    const current = this.items.find((x) => x.id === id);
    const row = this.renderRoot.querySelector(`[data-id="${CSS.escape(id)}"]`);
    // A refused change leaves the select on the user's pick: show the stored role again.
    const select = row?.querySelector('select');
    if (current && select) select.value = current.role;
    const lost = document.activeElement === document.body || document.activeElement === this || document.activeElement === null;
    if (used?.isConnected && lost) used.focus();
    if (detail && !current) {
      // Revoked: the row (and the focused button) is gone; continue on the row that took its place.
      const rows = this.renderRoot.querySelectorAll('[part~="row"]');
      (
        rows[Math.min(index, rows.length - 1)]?.querySelector<HTMLElement>('[data-action], select:not(:disabled)') ??
        this.renderRoot.querySelector<HTMLElement>('[part~="search"]')
      )?.focus();
    }
    // Events go out once the row is usable again, so a listener may act on it at once.
    if (detail) this.emit('portico-contact-updated', detail);
  }

  private changeRole(c: Contact, role: Role) {
    if (role === c.role) return;
    return this.rowAction(
      c,
      'role',
      (client) => client.updateContact(c.id, { role }, { version: c.version }),
      (u) => msg(str`${u.name} is now ${roleLabel(u.role)}.`, { id: 'contacts.notice.role' }),
      (now) =>
        msg(
          str`Someone else changed ${now.name} while you were looking: the role is now ${roleLabel(now.role)} and the status ${STATUS_LABELS[now.status]()}. Your change to ${roleLabel(role)} was not saved; choose again if it still applies.`,
          { id: 'contacts.conflict.role' },
        ),
    );
  }

  private reactivate(c: Contact) {
    return this.rowAction(
      c,
      'reactivated',
      (client) => client.updateContact(c.id, { status: 'active' }, { version: c.version }),
      (u) => msg(str`${u.name} can sign in again.`, { id: 'contacts.notice.reactivated' }),
    );
  }

  private resend(c: Contact) {
    return this.rowAction(
      c,
      'invitation-resent',
      (client) => client.resendInvitation(c.id),
      (u) => msg(str`Invitation sent again to ${u.email}.`, { id: 'contacts.notice.resent' }),
    );
  }

  private revoke(c: Contact) {
    return this.rowAction(
      c,
      'invitation-revoked',
      async (client) => {
        await client.revokeInvitation(c.id);
      },
      (u) => msg(str`Invitation for ${u.email} revoked.`, { id: 'contacts.notice.revoked' }),
    );
  }

  /** What the invite form and the deactivate / transfer dialog may ask of this element. */
  private host(): AdminHost {
    return {
      el: this,
      context: () => {
        const accountId = this.childAccount;
        return { client: this.data.client, accountId, domains: accountId ? undefined : this.me?.account.domains };
      },
      replaceRow: (contact, id) => this.replaceRow(contact, id),
      announce: (notice, reload) => {
        this.say(notice);
        if (reload) this.refresh();
      },
      emit: this.emit,
      closeInvite: () => void this.closeInvite(),
    };
  }

  private async openLeaver(mode: LeaverMode, contact: Contact): Promise<void> {
    this.leaver ??= new (await import('./leaver-dialog.ts')).LeaverDialog(this.host());
    await this.leaver.open(mode, contact);
  }

  private async closeInvite(): Promise<void> {
    this.inviteOpen = false;
    this.inviteForm?.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="invite-button"]')?.focus();
  }

  // --- handlers ----------------------------------------------------------------

  private handleAccountChange(event: Event): void {
    this.account = targetValue(event);
    this.rowMessages.clear();
    this.inviteForm?.reset();
  }

  private handleSearchInput(event: Event): void {
    const text = targetValue(event);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => (this.searchApplied = text.trim()), SEARCH_DELAY_MS);
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
    this.inviteForm ??= new (await import('./invite-form.ts')).InviteForm(this.host());
    this.inviteOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#invite-email')?.focus();
  }
}
