import { ContextProvider } from '@lit/context';
import type { PorticoClient, PorticoError, Session, TokenProvider } from '@portico/core';
// From its own module, not the package index: a page's first load must not reach the zod
// schemas that lazy chunks (the ticket form) use, or a bundler moves them into a shared chunk.
import { HttpClient } from '@portico/core/http-client.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { warnOnce } from '../internal/warn.ts';
import { applyLocale, directionOf, tokenLocale } from '../internal/localization.ts';
import { sessionEndOf } from './session-end.ts';
import { loadSessionWarning } from './session-warning-load.ts';
import type { PorticoSessionWarning, SessionWarningState } from './session-warning.ts';
import { emitter } from '../events.ts';
import styles from './provider.styles.ts';

/** Values of the provider's `theme` attribute. */
export const PROVIDER_THEMES = ['light', 'dark', 'auto'] as const;
export type ProviderTheme = (typeof PROVIDER_THEMES)[number];

/** Detail of `portico-session-change`. */
export interface PorticoSessionChangeDetail {
  /** The session that was just loaded. */
  session: Session;
}

/** Detail of `portico-session-expired`. */
export interface PorticoSessionExpiredDetail {
  /** The 401 the server answered after a token refresh (or to a fixed token). */
  error: PorticoError;
}

/** Detail of `portico-session-warning` and `portico-session-extend`. */
export interface PorticoSessionWarningDetail {
  /** When the session ends (epoch ms). */
  endsAt: number;
}

/**
 * The provider renders no box of its own (`display: contents`). It sets
 * `color-scheme` from `theme`, and any `--portico-*` token set on it reaches every element inside.
 *
 * Language: every Portico element on the page speaks the language of the provider's `lang`
 * attribute, else the `locale` claim of its token, else the page's `<html lang>`; English,
 * German and Arabic ship (others fall back to English). For a right-to-left language the
 * provider sets `dir="rtl"` on itself unless the host set `dir`.
 *
 * Session end (WCAG 2.2.1): when the token carries `session_exp` (when your app's own session
 * ends), or is a fixed `token` nobody refreshes, the provider warns the user `session-warning`
 * seconds before that moment in a dialog with **Stay signed in** — which fires
 * `portico-session-extend` and asks `getToken` for a fresh token — and **Dismiss**. Nothing
 * under the provider is re-rendered, so drafts and the user's place are kept (docs/auth.md).
 *
 * @summary Owns the Portico client and session and shares them with every Portico element inside it.
 * @tag portico-provider
 *
 * @slot - Portico elements (and anything else): they find the client and session through context.
 *
 * @fires {CustomEvent<PorticoSessionChangeDetail>} portico-session-change - A session loaded (first load, `refresh()`, new token). Detail: `{ session }`.
 * @fires {CustomEvent<PorticoSessionExpiredDetail>} portico-session-expired - The server still answers 401 after a token refresh: sign the user in again, then set a new `token`/`getToken` or call `refresh()`. Detail: `{ error }`.
 * @fires {CustomEvent<PorticoSessionWarningDetail>} portico-session-warning - The session ends soon and the user is being warned. Detail: `{ endsAt }`.
 * @fires {CustomEvent<PorticoSessionWarningDetail>} portico-session-extend - The user chose Stay signed in: extend your app's session now; `getToken({ forceRefresh: true })` is called next. Detail: `{ endsAt }` (the old end).
 *
 * @csspart session-warning - The dialog that warns before the session ends.
 */
export class PorticoProvider extends LitElement {
  static override styles = styles;

  private readonly emit = emitter<'portico-provider'>(this);

  private readonly clientProvider = new ContextProvider(this, { context: clientContext });
  private readonly sessionProvider = new ContextProvider(this, {
    context: sessionContext,
    initialValue: { status: 'loading', revision: 0 } satisfies SessionState,
  });

  /** Base URL of the Portico API, e.g. `https://support.example.com/api`. */
  @property({ attribute: 'api-base' }) apiBase = '/api';

  /**
   * Returns a short-lived Portico token minted by your backend. Called before the first
   * request, shortly before the token expires, and once after a 401 (`forceRefresh: true`).
   * Until `getToken`, `token` or `client` is set, no element inside makes a request.
   */
  @property({ attribute: false }) getToken: TokenProvider | undefined;

  /** A fixed token, for pages that render one server-side. `getToken` wins when both are set. */
  @property() token: string | undefined;

  /** A ready-made backend adapter. When set it wins over `api-base`, `token` and `getToken`. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  /**
   * Color scheme of every element inside: `light`, `dark`, or `auto` (follow the OS through
   * `prefers-color-scheme`). Unset, the elements follow the page's own `color-scheme`.
   */
  @property({ reflect: true }) theme: ProviderTheme | undefined;

  /**
   * Seconds before the session ends (`session_exp`, or a fixed token's `exp`) at which the
   * user is warned and may stay signed in. `0` turns the warning off.
   */
  @property({ type: Number, attribute: 'session-warning' }) sessionWarning = 120;

  /** When the session ends (epoch ms), if the token says. */
  @state() private _sessionEndsAt: number | undefined;
  /** The warning dialog's state. */
  @state() private _warning: 'hidden' | 'shown' | 'extending' | 'failed' = 'hidden';
  @query('portico-session-warning') private _warningElement!: PorticoSessionWarning | null;
  private _warningTimer: ReturnType<typeof setTimeout> | undefined;

  private _client: PorticoClient | undefined;
  /** What the current client was built from; `undefined` before the first build. */
  private _clientKey: readonly unknown[] | undefined;
  private _sessionLoad: AbortController | undefined;
  private _resumeOnConnect = false;
  /** The `locale` claim of the token in use, if any. */
  private _claimedLocale: string | undefined;
  /** Whether `dir` on this element is ours (set for an RTL language) rather than the host's. */
  private _ownsDir = false;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  /** The current session state (the same object the context provides). */
  get sessionState(): SessionState {
    return this.sessionProvider.value as SessionState;
  }

  /** The client the provider shares. */
  get activeClient(): PorticoClient | undefined {
    return this._client;
  }

  /** The language tag in effect: `lang`, else the token's `locale` claim, else the page's, else `en`. */
  get locale(): string {
    return this.lang || this._claimedLocale || document.documentElement.lang || 'en';
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && this.isConnected) this._applyLocale();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._applyLocale();
    // Build the client now, not at the first update, so children connecting right after
    // the provider get it on their first context request.
    this._ensureClient();
    if (this._resumeOnConnect) {
      this._resumeOnConnect = false;
      void this._loadSession(false);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._warningTimer);
    if (this._sessionLoad) {
      this._sessionLoad.abort();
      this._sessionLoad = undefined;
      this._resumeOnConnect = true;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') && this.theme != null && !PROVIDER_THEMES.includes(this.theme)) {
      warnOnce(`<portico-provider> theme="${String(this.theme)}" is not one of ${PROVIDER_THEMES.join(', ')}; following the page's color-scheme.`);
    }
    // _ensureClient() itself returns early when none of what the client is built from changed.
    this._ensureClient();
    if (changed.has('sessionWarning')) this._scheduleWarning();
  }

  /**
   * Reloads the session and bumps its `revision`, so every element inside refetches.
   * Call after your own sign-in flow or after a change made outside Portico.
   */
  refresh(): Promise<void> {
    return this._loadSession(true);
  }

  override render() {
    const warning = this._warning;
    return html`<slot></slot>${warning === 'hidden' ? nothing : this._renderWarning(warning)}`;
  }

  private _renderWarning(state: SessionWarningState) {
    return html`<portico-session-warning
      exportparts="session-warning"
      .endsAt=${this._sessionEndsAt ?? 0}
      .state=${state}
      .locale=${this.locale}
      @portico-session-warning-extend=${this._extendSession}
      @portico-session-warning-dismiss=${this._closeWarning}
    ></portico-session-warning>`;
  }

  /** Notes the session end a new token announces, and (re)schedules the warning. */
  private _watchSession(token: string | undefined, renewable: boolean): void {
    const endsAt = sessionEndOf(token, renewable);
    if (endsAt === this._sessionEndsAt) return;
    const extended = endsAt === undefined || (this._sessionEndsAt !== undefined && endsAt > this._sessionEndsAt);
    this._sessionEndsAt = endsAt;
    if (extended && this._warning !== 'hidden') this._closeWarning();
    this._scheduleWarning();
  }

  private _scheduleWarning(): void {
    clearTimeout(this._warningTimer);
    const endsAt = this._sessionEndsAt;
    if (endsAt === undefined || !(this.sessionWarning > 0) || !this.isConnected) return;
    // The dialog's code, well before it is due (a failure here is retried when it is due).
    void loadSessionWarning();
    const delay = endsAt - this.sessionWarning * 1000 - Date.now();
    // setTimeout's limit is ~24.8 days; a session that long is re-checked when its token renews.
    if (delay > 2 ** 31 - 1) return;
    this._warningTimer = setTimeout(() => void this._showWarning(), Math.max(0, delay));
  }

  private async _showWarning(): Promise<void> {
    const endsAt = this._sessionEndsAt;
    if (endsAt === undefined || endsAt <= Date.now() || this._warning !== 'hidden') return;
    // Loaded minutes ago as a rule (see _scheduleWarning).
    const loaded = await loadSessionWarning();
    // Meanwhile the session may have been extended or the warning shown.
    if (this._sessionEndsAt !== endsAt || this._warning !== 'hidden' || endsAt <= Date.now()) return;
    // Without its code (offline since the session began) the event still tells the host, which may warn itself.
    if (loaded) this._warning = 'shown';
    this.emit('portico-session-warning', { endsAt });
  }

  private async _extendSession(): Promise<void> {
    const endsAt = this._sessionEndsAt;
    if (this._warning === 'extending' || endsAt === undefined) return;
    this._warning = 'extending';
    this.emit('portico-session-extend', { endsAt });
    const getToken = this.getToken;
    try {
      if (getToken) this._watchSession(await getToken({ forceRefresh: true }), true);
    } catch {
      // The host could not mint a token: the session still ends when it said.
    }
    // A later end closed the dialog in _watchSession; otherwise say it did not work.
    if (this._warning === 'extending') this._warning = 'failed';
  }

  private _closeWarning(): void {
    this._warningElement?.close();
    this._warning = 'hidden';
  }

  /**
   * (Re)creates the client when what it is built from changed, then loads the session.
   * Without a token source (no `client`, `token` or `getToken` yet: the host is still signing
   * the user in) there is no client: every request would only be refused with a 401, so the
   * elements inside wait, without a request, until one is set.
   */
  private _ensureClient(): void {
    const key = [this.client, this.apiBase, this.token, this.getToken];
    const previous = this._clientKey;
    if (previous && key.every((value, i) => value === previous[i])) return;
    this._clientKey = key;
    if (!this.client && !this.token && !this.getToken) {
      this._sessionLoad?.abort();
      this._watchSession(undefined, false);
      this._claimLocale(undefined);
      this._client = undefined;
      this.clientProvider.setValue(undefined);
      // Signed out: the old contact's session must not stay on screen.
      if (this.sessionState.session) this._setSession({ status: 'loading', revision: this.sessionState.revision });
      return;
    }
    this._client = this.client ?? this._createHttpClient();
    this.clientProvider.setValue(this._client);
    // No revision bump: consumers already refetch because the client itself changed.
    void this._loadSession(false);
  }

  private _createHttpClient(): PorticoClient {
    const getToken = this.getToken;
    this._claimLocale(getToken ? undefined : this.token);
    this._watchSession(getToken ? undefined : this.token, false);
    const client: HttpClient = new HttpClient({
      apiBase: this.apiBase || '/api',
      token: this.token,
      // Called as a plain function: a host's method must not see the client as `this`.
      getToken: getToken
        ? async (options) => {
            const token = await getToken(options);
            if (this._client === client) {
              this._claimLocale(token);
              this._watchSession(token, true);
            }
            return token;
          }
        : undefined,
      // A replaced client's late 401 says nothing about the current session.
      onUnauthorized: (error) => {
        if (this._client === client) this._expire(error);
      },
    });
    return client;
  }

  private async _loadSession(bumpRevision: boolean): Promise<void> {
    const client = this._client;
    if (!client) return;
    this._sessionLoad?.abort();
    const controller = new AbortController();
    this._sessionLoad = controller;
    const previous = this.sessionState;
    this._setSession({ status: 'loading', session: previous.session, revision: previous.revision });
    try {
      const session = await client.getSession({ signal: controller.signal });
      if (controller.signal.aborted) return;
      this._setSession({ status: 'ready', session, revision: previous.revision + (bumpRevision ? 1 : 0) });
      this.emit('portico-session-change', { session });
    } catch (error) {
      if (controller.signal.aborted || isAbortError(error)) return;
      const portico = toPorticoError(error);
      if (portico.status === 401) this._expire(portico);
      else this._setSession({ status: 'error', session: previous.session, error: portico, revision: previous.revision });
    } finally {
      if (this._sessionLoad === controller) this._sessionLoad = undefined;
    }
  }

  /** The server refused the token even after a refresh: say so once per expiry. */
  private _expire(error: PorticoError): void {
    const current = this.sessionState;
    if (current.status === 'expired') return;
    this._setSession({ status: 'expired', session: current.session, error, revision: current.revision });
    this.emit('portico-session-expired', { error });
  }

  /** Follows the `locale` claim of a new token (only matters while `lang` is not set). */
  private _claimLocale(token: string | undefined): void {
    const claimed = tokenLocale(token);
    if (claimed === this._claimedLocale) return;
    this._claimedLocale = claimed;
    if (this.isConnected) this._applyLocale();
  }

  private _applyLocale(): void {
    const tag = this.locale;
    void applyLocale(tag);
    const rtl = directionOf(tag) === 'rtl';
    if (rtl && (this._ownsDir || !this.hasAttribute('dir'))) {
      this.setAttribute('dir', 'rtl');
      this._ownsDir = true;
    } else if (!rtl && this._ownsDir) {
      this.removeAttribute('dir');
      this._ownsDir = false;
    }
  }

  private _setSession(state: SessionState): void {
    this.sessionProvider.setValue(Object.freeze(state));
  }
}
