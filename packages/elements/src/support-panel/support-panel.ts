import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { property, query, state } from 'lit/decorators.js';
import { sessionContext, type SessionState } from '../context.ts';
import { toPorticoError } from '../internal/errors.ts';
import { afterLoadWhenIdle } from '../internal/idle.ts';
import { tabKeyTarget } from '../internal/tab-keys.ts';
import { warnOnce } from '../internal/warn.ts';
import { emitter } from '../events.ts';
import styles from './support-panel.styles.ts';
import { PANEL_TABS, PANEL_VIEWS, type PanelPlace, type PanelTab, type PanelView } from './tabs.ts';

export { PANEL_VIEWS, type PanelPlace, type PanelView } from './tabs.ts';

/** How the panel shows itself. */
export const PANEL_MODES = ['inline', 'launcher'] as const;
export type PanelMode = (typeof PANEL_MODES)[number];

/** Detail of `portico-navigate`. */
export interface PorticoNavigateDetail {
  /** The tab the user is going to. */
  view: PanelView;
  /** The ticket being opened, or `null` for a tab's main page. */
  ticketId: string | null;
  /** `push` for a new move, `back` / `forward` for the panel's own history buttons. */
  navigation: 'push' | 'back' | 'forward';
}

/** Detail of `portico-panel-toggle`. */
export interface PorticoPanelToggleDetail {
  /** Whether the drawer is now open. */
  open: boolean;
}

type LoadState = { status: 'loading' } | { status: 'ready' } | { status: 'error'; message: string };

/** Which code a tab needs for a place (see `PanelTab.loadKey`). */
const loadKeyOf = (tab: PanelTab, place: PanelPlace): string => tab.loadKey?.(place) ?? tab.view;

interface StoredState {
  open?: boolean;
  view?: string;
  ticketId?: string | null;
}

const DEFAULT_STORAGE_KEY = 'portico-support-panel';
const isView = (value: unknown): value is PanelView => typeof value === 'string' && (PANEL_VIEWS as readonly string[]).includes(value);
const samePlace = (a: PanelPlace | undefined, b: PanelPlace) => !!a && a.view === b.view && a.ticketId === b.ticketId;

const chatIcon = html`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M3 4.5A2.5 2.5 0 0 1 5.5 2h9A2.5 2.5 0 0 1 17 4.5v7a2.5 2.5 0 0 1-2.5 2.5H9l-4 3.5V14h.5H5.5A2.5 2.5 0 0 1 3 11.5v-7Z" />
</svg>`;
const arrowIcon = html`<svg class="icon flip-rtl" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M10.7 2.3a1 1 0 0 1 0 1.4L6.4 8l4.3 4.3a1 1 0 0 1-1.4 1.4l-5-5a1 1 0 0 1 0-1.4l5-5a1 1 0 0 1 1.4 0Z" />
</svg>`;
const closeIcon = html`<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M3.3 3.3a1 1 0 0 1 1.4 0L8 6.6l3.3-3.3a1 1 0 1 1 1.4 1.4L9.4 8l3.3 3.3a1 1 0 0 1-1.4 1.4L8 9.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L6.6 8 3.3 4.7a1 1 0 0 1 0-1.4Z"
  />
</svg>`;

/**
 * Put it on a page inside `<portico-provider>` and the customer has support: their tickets
 * and one ticket's conversation, a form to file a new one, the account's activity, the team
 * and a summary, as tabs the session's role may use. Each tab's code loads when first opened.
 * `mode="launcher"` shows a button that opens the panel as a drawer; `mode="inline"` places it
 * in the page. The panel keeps its own Back/Forward history and fires `portico-navigate` so the
 * host can mirror the place in its URL.
 *
 * @summary The embedded support panel: one drop-in element, inline or behind a launcher button, that composes the Portico widgets in tabs and loads each on first use.
 * @tag portico-support-panel
 *
 * Tabs: Tickets, New ticket, Activity, Team (needs `contact.manage`, i.e. admins), Summary —
 * each only when this build has its element and the signed-in role may use it. Place it
 * inside a `<portico-provider>`.
 *
 * @fires {CustomEvent<PorticoNavigateDetail>} portico-navigate - The user moved to another place (tab, ticket, Back, Forward). Cancelable: cancel to stay. Detail: `{ view, ticketId, navigation }`. Not fired when the host sets `view` / `ticket-id`.
 * @fires {CustomEvent<PorticoPanelToggleDetail>} portico-panel-toggle - The user opened or closed the launcher's drawer (launcher button, close button, Esc). Detail: `{ open }`.
 *
 * @csspart base - The panel box (in launcher mode, inside the drawer).
 * @csspart header - The bar with the title and the Back / Forward / Close buttons.
 * @csspart title - The panel's title.
 * @csspart back - The Back button.
 * @csspart forward - The Forward button.
 * @csspart close - The drawer's Close button (launcher mode).
 * @csspart tabs - The tab list.
 * @csspart tab - One tab.
 * @csspart tab-selected - The selected tab (in addition to `tab`).
 * @csspart body - The area showing the current tab's widget.
 * @csspart loading - Shown while the session or a tab's code loads.
 * @csspart error - Shown when the session or a tab's code failed to load.
 * @csspart empty - Shown when the signed-in role has no tab to show.
 * @csspart launcher - The floating button that opens the drawer (launcher mode).
 * @csspart drawer - The drawer (a modal `<dialog>`, launcher mode).
 * @csspart all-tickets - The "All tickets" button above an open ticket (back to the list).
 * @csspart ticket-list__* - Every part of the `<portico-ticket-list>` in the Tickets tab, re-exported with this prefix (e.g. `ticket-list__row`).
 * @csspart ticket-detail__* - Every part of the `<portico-ticket-detail>` showing an open ticket (e.g. `ticket-detail__reply`).
 * @csspart ticket-form__* - Every part of the `<portico-ticket-form>` in the New ticket tab (e.g. `ticket-form__submit`).
 * @csspart contacts__* - Every part of the `<portico-contacts>` in the Team tab (e.g. `contacts__row`).
 * @csspart timeline__* - Every part of the `<portico-timeline>` in the Activity tab (e.g. `timeline__entry`).
 * @csspart account-summary__* - Every part of the `<portico-account-summary>` in the Summary tab (e.g. `account-summary__figure`).
 *
 * @cssproperty --portico-support-panel-drawer-width - Width of the drawer (default `28rem`, capped by the viewport).
 * @cssproperty --portico-support-panel-launcher-offset - Distance of the launcher from the viewport's bottom and end edges (default `1.5rem`).
 * @cssproperty --portico-support-panel-z-index - Stacking order of the launcher (default `1000`; the drawer sits in the top layer).
 * @cssproperty --portico-support-panel-block-size - Height of the inline panel (default `36rem`).
 * @cssproperty --portico-color-accent - Accent (selected tab, launcher, focus ring).
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Secondary text.
 * @cssproperty --portico-color-border - Borders.
 * @cssproperty --portico-color-danger - Errors.
 * @cssproperty --portico-font-family - Font family.
 * @cssproperty --portico-radius - Corner radius.
 */
@localized()
export class PorticoSupportPanel extends LitElement {
  static override styles = styles;

  private readonly emit = emitter<'portico-support-panel'>(this);

  /** `inline` renders the panel in place; `launcher` renders a floating button that opens it in a drawer. */
  @property({ reflect: true }) mode: PanelMode = 'inline';

  /** The tab to show: `tickets`, `new-ticket`, `activity`, `team` or `summary`. */
  @property() view: PanelView = 'tickets';

  /** A ticket to open in the Tickets tab (with `view="tickets"`); empty for the list. */
  @property({ attribute: 'ticket-id' }) ticketId: string | null = null;

  /** Whether the launcher's drawer is open (launcher mode). */
  @property({ type: Boolean, reflect: true }) open = false;

  /**
   * Key under which the panel remembers its place and whether the drawer was open
   * (`sessionStorage`, so it survives reloads within the tab). Empty to remember nothing.
   */
  @property({ attribute: 'storage-key' }) storageKey = DEFAULT_STORAGE_KEY;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: SessionState | undefined;

  /** Load state of each tab's code, by `loadKeyOf` (replaced, never changed in place, by `_setLoad`). */
  @state() private loads: ReadonlyMap<string, LoadState> = new Map();
  @state() private history: readonly PanelPlace[] = [];
  @state() private index = -1;

  @query('dialog') private dialog!: HTMLDialogElement | null;
  @query('.body') private body!: HTMLElement | null;

  private _restored = false;
  /** Whether the drawer was ever opened: its content is rendered from then on and kept while closed. */
  private _opened = false;
  /** Tabs whose content has been shown (their first code has loaded). */
  private _rendered = new Set<PanelView>();
  /** The place last rendered. */
  private _shown: PanelPlace | undefined;
  /** How far the ticket list was scrolled when a ticket was opened from it. */
  private _listScroll = 0;
  /** After a user move between the list and a ticket: where focus goes once that is rendered. */
  private _focusTarget: 'ticket' | 'list' | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // A closed launcher shows nothing that depends on the stored state, and the page's first
    // `sessionStorage` access is slow: read it once the page is idle, or when the drawer opens
    // (with no storage key there is nothing to read, and nothing to wait for).
    if (this.mode === 'launcher' && !this.open && this.storageKey) afterLoadWhenIdle(() => this._restore());
    else this._restore();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mode') && !(PANEL_MODES as readonly string[]).includes(this.mode)) {
      warnOnce(`<portico-support-panel> mode="${String(this.mode)}" is not one of ${PANEL_MODES.join(', ')}; using "inline".`);
      this.mode = 'inline';
    }
    if (changed.has('view') && !isView(this.view)) {
      warnOnce(`<portico-support-panel> view="${String(this.view)}" is not one of ${PANEL_VIEWS.join(', ')}; showing "tickets".`);
      this.view = 'tickets';
    }
    // The content is about to show: it starts where the panel was left.
    const shows = this.mode !== 'launcher' || this.open;
    if (shows) this._restore();
    // A place the host set (attribute, property, router): record it without an event.
    const place: PanelPlace = { view: this.view, ticketId: this.view === 'tickets' ? this.ticketId || null : null };
    if (!samePlace(this.history[this.index], place)) this._push(place);
    // The content is on screen (inline, or the drawer is open).
    if (shows) {
      this._opened = true;
      const tab = this._currentTab();
      if (tab) this._load(tab);
    }
    // Leaving the ticket list for a ticket: remember how far it was scrolled (the DOM is still the list's).
    const shown = this._shown;
    if (shown && shown.view === 'tickets' && !shown.ticketId && !samePlace(shown, place)) this._listScroll = this.body?.scrollTop ?? 0;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') || changed.has('mode')) this._syncDialog();
    // Nothing is saved before the stored state was read: that would overwrite it.
    if (this._restored && (changed.has('open') || changed.has('view') || changed.has('ticketId'))) this._save();
    const place = this._place();
    const shown = this._shown;
    this._shown = place;
    if (shown && !samePlace(shown, place) && this.body) {
      // A ticket opens at its top; the list comes back where it was left.
      this.body.scrollTop = place.view === 'tickets' && !place.ticketId ? this._listScroll : 0;
    }
    this._moveFocus();
  }

  /** Goes one place back in the panel's own history, if it can. */
  back(): void {
    this._travel(-1);
  }

  /** Goes one place forward in the panel's own history, if it can. */
  forward(): void {
    this._travel(1);
  }

  override render() {
    if (this.mode !== 'launcher') return html`<section part="base" class="base" aria-labelledby="title">${this.renderPanel()}</section>`;
    return html`
      <button part="launcher" class="launcher" type="button" aria-haspopup="dialog" aria-expanded=${this.open} @click=${() => this._setOpen(true)}>
        ${chatIcon}<span>${msg('Support', { id: 'support-panel.title' })}</span>
      </button>
      <dialog part="drawer" class="drawer" aria-labelledby="title" @close=${this.handleClose}>
        <div part="base" class="base">${this._opened ? this.renderPanel() : nothing}</div>
      </dialog>
    `;
  }

  private renderPanel() {
    const tabs = this._availableTabs();
    const current = this._currentTab();
    return html`
      <div part="header" class="header">
        <button part="back" class="icon-button" type="button" aria-disabled=${this.index <= 0 ? 'true' : 'false'} @click=${this.back}>
          ${arrowIcon}<span class="visually-hidden">${msg('Back', { id: 'support-panel.back' })}</span>
        </button>
        <button
          part="forward"
          class="icon-button forward"
          type="button"
          aria-disabled=${this.index >= this.history.length - 1 ? 'true' : 'false'}
          @click=${this.forward}
        >
          ${arrowIcon}<span class="visually-hidden">${msg('Forward', { id: 'support-panel.forward' })}</span>
        </button>
        <h2 part="title" class="title" id="title">${msg('Support', { id: 'support-panel.title' })}</h2>
        ${
          this.mode === 'launcher'
            ? html`<button part="close" class="icon-button" type="button" @click=${this.handleClose}>
                ${closeIcon}<span class="visually-hidden">${msg('Close', { id: 'support-panel.close' })}</span>
              </button>`
            : nothing
        }
      </div>
      ${tabs.length > 1 ? this.renderTabs(tabs, current) : nothing}
      <div
        part="body"
        class="body"
        id="body"
        role=${ifDefined(tabs.length > 1 ? 'tabpanel' : undefined)}
        aria-labelledby=${tabs.length > 1 && current ? `tab-${current.view}` : nothing}
      >
        ${this.renderBody(current)}
      </div>
    `;
  }

  private renderTabs(tabs: readonly PanelTab[], current: PanelTab | undefined) {
    return html`
      <div part="tabs" class="tabs" role="tablist" aria-label=${msg('Support sections', { id: 'support-panel.tabs.label' })} @keydown=${this.handleTabsKeydown}>
        ${tabs.map((tab) => {
          const selected = tab === current;
          return html`<button
            part=${selected ? 'tab tab-selected' : 'tab'}
            class="tab"
            id=${`tab-${tab.view}`}
            type="button"
            role="tab"
            aria-selected=${selected}
            aria-controls="body"
            tabindex=${selected ? 0 : -1}
            data-view=${tab.view}
            @click=${() => this.handleTabPick(tab.view)}
          >
            ${tab.label()}
          </button>`;
        })}
      </div>
    `;
  }

  private renderBody(tab: PanelTab | undefined) {
    const session = this.session;
    if (!session) {
      return html`<div part="error" class="message" role="alert">
        ${msg('The support panel must be placed inside <portico-provider>.', { id: 'support-panel.no-provider' })}
      </div>`;
    }
    if (session.status === 'expired') {
      return html`<div part="error" class="message" role="alert">
        ${msg('Your session has expired. Sign in again to get support.', { id: 'support-panel.expired' })}
      </div>`;
    }
    if (session.status === 'error' && !session.session) {
      return html`<div part="error" class="message" role="alert">
        <p class="message-title">${msg('Couldn’t connect to support.', { id: 'support-panel.session-error' })}</p>
        <p>${toPorticoError(session.error).message}</p>
      </div>`;
    }
    if (!session.session) return this.renderLoading();
    if (!tab) {
      return html`<div part="empty" class="message" role="status">${msg('There is nothing here for your role.', { id: 'support-panel.no-tabs' })}</div>`;
    }
    const place = this._place();
    const load = this.loads.get(loadKeyOf(tab, place));
    const ready = load?.status === 'ready';
    if (ready) this._rendered.add(tab.view);
    // A tab already on screen keeps its content while more of its code loads (the ticket
    // list stays, hidden, while a ticket's code arrives), so nothing in it is rebuilt.
    const content = this._rendered.has(tab.view) ? tab.render(place, { go: (to) => this._go(to, 'push', true) }) : nothing;
    const status =
      load?.status === 'error'
        ? html`<div part="error" class="message" role="alert">
            <p class="message-title">${msg('Couldn’t load this section.', { id: 'support-panel.load-error' })}</p>
            <p>${load.message}</p>
            <button type="button" class="button" @click=${() => this.handleRetry(tab)}>${msg('Retry', { id: 'common.retry' })}</button>
          </div>`
        : ready
          ? nothing
          : this.renderLoading();
    return html`${status}${content}`;
  }

  private renderLoading() {
    return html`<div part="loading" class="message loading" role="status" aria-busy="true">${msg('Loading…', { id: 'common.loading' })}</div>`;
  }

  private _place(): PanelPlace {
    return this.history[this.index] ?? { view: 'tickets', ticketId: null };
  }

  /** Tabs this build has and the session's role may use, in tab order. */
  private _availableTabs(): PanelTab[] {
    const permissions = this.session?.session?.permissions;
    if (!permissions) return [];
    return PANEL_VIEWS.map((view) => PANEL_TABS[view]).filter((tab): tab is PanelTab => !!tab && permissions[tab.permission] === true);
  }

  /** The tab for the current place, or the first available one when that tab is missing or not allowed. */
  private _currentTab(): PanelTab | undefined {
    const tabs = this._availableTabs();
    const view = this._place().view;
    const tab = tabs.find((t) => t.view === view);
    if (!tab && tabs.length && this.session?.session) {
      warnOnce(`<portico-support-panel> view="${view}" is not available to this user or in this build; showing "${tabs[0]!.view}".`);
    }
    return tab ?? tabs[0];
  }

  private _load(tab: PanelTab): void {
    const place = this._place();
    const key = loadKeyOf(tab, place);
    if (this.loads.has(key)) return;
    this._setLoad(key, { status: 'loading' });
    tab.load(place).then(
      () => this._setLoad(key, { status: 'ready' }),
      (error: unknown) => this._setLoad(key, { status: 'error', message: toPorticoError(error).message }),
    );
  }

  private _setLoad(key: string, load: LoadState | undefined): void {
    const loads = new Map(this.loads);
    if (load) loads.set(key, load);
    else loads.delete(key);
    this.loads = loads;
  }

  /** A user move: asks the host (cancelable event), then updates the place and history. */
  private _go(place: PanelPlace, navigation: PorticoNavigateDetail['navigation'], fromTab = false): boolean {
    // The detail is built field by field: it is public API, and PanelPlace is not.
    if (!this.emit('portico-navigate', { view: place.view, ticketId: place.ticketId, navigation }, { cancelable: true })) return false;
    const from = this._place();
    // A move from inside the tab hides the control that had focus; the header's buttons stay.
    if (fromTab && from.view === 'tickets' && place.view === 'tickets' && !from.ticketId !== !place.ticketId) {
      this._focusTarget = place.ticketId ? 'ticket' : 'list';
    }
    if (navigation === 'push') this._push(place);
    else this.index += navigation === 'back' ? -1 : 1;
    this.view = place.view;
    this.ticketId = place.ticketId;
    return true;
  }

  /** Drops the places after the current one and adds `place` after it. */
  private _push(place: PanelPlace): void {
    this.history = [...this.history.slice(0, this.index + 1), place];
    this.index = this.history.length - 1;
  }

  /**
   * Moves focus after a user went from the list to a ticket (to the ticket) or back (to the
   * list's current row), once it is rendered: the element that had focus is hidden or gone.
   * Never onto a button: the key that chose the ticket (Enter, Space) would press it.
   */
  private _moveFocus(): void {
    const target = this._focusTarget;
    if (!target) return;
    const root = this.renderRoot;
    const element =
      target === 'ticket'
        ? root.querySelector<HTMLElement>('portico-ticket-detail')
        : root.querySelector('portico-ticket-list:not([hidden])')?.shadowRoot?.querySelector<HTMLElement>('[part~="row"][tabindex="0"]');
    // Not rendered yet while its code loads: try again after the next render.
    const tab = this._currentTab();
    const loading = tab && this.loads.get(loadKeyOf(tab, this._place()))?.status === 'loading';
    if (!element && loading && this._place().view === 'tickets') return;
    this._focusTarget = undefined;
    element?.focus({ preventScroll: true });
  }

  private _travel(step: -1 | 1): void {
    const place = this.history[this.index + step];
    if (place) this._go(place, step < 0 ? 'back' : 'forward');
  }

  private _setOpen(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    this.emit('portico-panel-toggle', { open });
  }

  private _syncDialog(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open && this.isConnected) dialog.showModal();
    else if (!this.open && dialog.open) dialog.close();
  }

  private _storage(): Storage | undefined {
    if (!this.storageKey) return undefined;
    try {
      return window.sessionStorage;
    } catch {
      return undefined; // Blocked storage (sandboxed iframes, strict privacy settings).
    }
  }

  /** Brings back what the panel remembered, for whatever the host left at its default (once). */
  private _restore(): void {
    if (this._restored) return;
    this._restored = true;
    const raw = this._storage()?.getItem(this.storageKey);
    if (!raw) return;
    let stored: StoredState;
    try {
      stored = JSON.parse(raw) as StoredState;
    } catch {
      return;
    }
    // Restored after the first render (a closed launcher): the place it starts from replaces the default one.
    if (this.history.length === 1) {
      this.history = [];
      this.index = -1;
    }
    if (!this.hasAttribute('view') && this.view === 'tickets' && isView(stored.view)) this.view = stored.view;
    if (!this.hasAttribute('ticket-id') && this.ticketId === null && typeof stored.ticketId === 'string') this.ticketId = stored.ticketId;
    if (!this.hasAttribute('open') && !this.open && stored.open === true) this.open = true;
  }

  private _save(): void {
    const state: StoredState = { open: this.open, view: this.view, ticketId: this.ticketId };
    try {
      this._storage()?.setItem(this.storageKey, JSON.stringify(state));
    } catch {
      // Quota or blocked storage: the panel just won't remember.
    }
  }

  private handleTabPick(view: PanelView): void {
    const place = this._place();
    if (view !== place.view || place.ticketId) this._go({ view, ticketId: null }, 'push');
  }

  private handleTabsKeydown(event: KeyboardEvent): void {
    const tabs = this._availableTabs();
    const next = tabKeyTarget(event, tabs.indexOf(this._currentTab()!), tabs.length, this);
    if (next === undefined) return;
    event.preventDefault();
    const view = tabs[next]!.view;
    if (this._go({ view, ticketId: null }, 'push')) {
      void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(`[data-view="${view}"]`)?.focus());
    }
  }

  private handleRetry(tab: PanelTab): void {
    this._setLoad(loadKeyOf(tab, this._place()), undefined);
    this._load(tab);
  }

  /** The Close button, or the dialog closed itself (Esc) or was closed by us: keep `open` in step. */
  private handleClose(): void {
    this._setOpen(false);
  }
}
