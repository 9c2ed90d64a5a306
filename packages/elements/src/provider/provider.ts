import { ContextProvider } from '@lit/context';
import type { PorticoClient, PorticoError, Session, TokenProvider } from '@portico/core';
// From its own module, not the package index: a page's first load must not reach the zod
// schemas that lazy chunks (the ticket form) use, or a bundler moves them into a shared chunk.
import { HttpClient } from '@portico/core/http-client.js';
import { LitElement, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { clientContext, sessionContext, type SessionState } from '../context.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { warnOnce } from '../internal/warn.ts';
import { applyLocale, directionOf, tokenLocale } from '../internal/localization.ts';
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

/**
 * The provider renders no box of its own (`display: contents`), so it has no parts. It sets
 * `color-scheme` from `theme`, and any `--portico-*` token set on it reaches every element inside.
 *
 * Language: every Portico element on the page speaks the language of the provider's `lang`
 * attribute, else the `locale` claim of its token, else the page's `<html lang>`; English,
 * German and Arabic ship (others fall back to English). For a right-to-left language the
 * provider sets `dir="rtl"` on itself unless the host set `dir`.
 *
 * @summary Owns the Portico client and session and shares them with every Portico element inside it.
 * @tag portico-provider
 *
 * @slot - Portico elements (and anything else): they find the client and session through context.
 *
 * @fires {CustomEvent<PorticoSessionChangeDetail>} portico-session-change - A session loaded (first load, `refresh()`, new token). Detail: `{ session }`.
 * @fires {CustomEvent<PorticoSessionExpiredDetail>} portico-session-expired - The server still answers 401 after a token refresh: sign the user in again, then set a new `token`/`getToken` or call `refresh()`. Detail: `{ error }`.
 */
export class PorticoProvider extends LitElement {
  static override styles = styles;

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

  #client: PorticoClient | undefined;
  #clientKey: readonly unknown[] = [];
  #sessionLoad: AbortController | undefined;
  #resumeOnConnect = false;
  /** The `locale` claim of the token in use, if any. */
  #claimedLocale: string | undefined;
  /** Whether `dir` on this element is ours (set for an RTL language) rather than the host's. */
  #ownsDir = false;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  /** The current session state (the same object the context provides). */
  get sessionState(): SessionState {
    return this.sessionProvider.value as SessionState;
  }

  /** The client the provider shares. */
  get activeClient(): PorticoClient | undefined {
    return this.#client;
  }

  /** The language tag in effect: `lang`, else the token's `locale` claim, else the page's, else `en`. */
  get locale(): string {
    return this.lang || this.#claimedLocale || document.documentElement.lang || 'en';
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && this.isConnected) this.#applyLocale();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#applyLocale();
    // Build the client now, not at the first update, so children connecting right after
    // the provider get it on their first context request.
    this.#ensureClient();
    if (this.#resumeOnConnect) {
      this.#resumeOnConnect = false;
      void this.#loadSession(false);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#sessionLoad) {
      this.#sessionLoad.abort();
      this.#sessionLoad = undefined;
      this.#resumeOnConnect = true;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') && this.theme != null && !PROVIDER_THEMES.includes(this.theme)) {
      warnOnce(`<portico-provider> theme="${String(this.theme)}" is not one of ${PROVIDER_THEMES.join(', ')}; following the page's color-scheme.`);
    }
    if (changed.has('apiBase') || changed.has('token') || changed.has('getToken') || changed.has('client')) {
      this.#ensureClient();
    }
  }

  /**
   * Reloads the session and bumps its `revision`, so every element inside refetches.
   * Call after your own sign-in flow or after a change made outside Portico.
   */
  refresh(): Promise<void> {
    return this.#loadSession(true);
  }

  override render() {
    return html`<slot></slot>`;
  }

  /** (Re)creates the client when what it is built from changed, then loads the session. */
  #ensureClient(): void {
    const key = [this.client, this.apiBase, this.token, this.getToken];
    if (this.#client && key.every((value, i) => value === this.#clientKey[i])) return;
    this.#clientKey = key;
    this.#client = this.client ?? this.#createHttpClient();
    this.clientProvider.setValue(this.#client);
    // No revision bump: consumers already refetch because the client itself changed.
    void this.#loadSession(false);
  }

  #createHttpClient(): PorticoClient {
    const getToken = this.getToken;
    this.#claimLocale(getToken ? undefined : this.token);
    const client: HttpClient = new HttpClient({
      apiBase: this.apiBase || '/api',
      token: this.token,
      // Called as a plain function: a host's method must not see the client as `this`.
      getToken: getToken
        ? async (options) => {
            const token = await getToken(options);
            if (this.#client === client) this.#claimLocale(token);
            return token;
          }
        : undefined,
      // A replaced client's late 401 says nothing about the current session.
      onUnauthorized: (error) => {
        if (this.#client === client) this.#expire(error);
      },
    });
    return client;
  }

  async #loadSession(bumpRevision: boolean): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#sessionLoad?.abort();
    const controller = new AbortController();
    this.#sessionLoad = controller;
    const previous = this.sessionState;
    this.#setSession({ status: 'loading', session: previous.session, revision: previous.revision });
    try {
      const session = await client.getSession({ signal: controller.signal });
      if (controller.signal.aborted) return;
      this.#setSession({ status: 'ready', session, revision: previous.revision + (bumpRevision ? 1 : 0) });
      this.dispatchEvent(
        new CustomEvent<PorticoSessionChangeDetail>('portico-session-change', { detail: { session }, bubbles: true, composed: true }),
      );
    } catch (error) {
      if (controller.signal.aborted || isAbortError(error)) return;
      const portico = toPorticoError(error);
      if (portico.status === 401) this.#expire(portico);
      else this.#setSession({ status: 'error', session: previous.session, error: portico, revision: previous.revision });
    } finally {
      if (this.#sessionLoad === controller) this.#sessionLoad = undefined;
    }
  }

  /** The server refused the token even after a refresh: say so once per expiry. */
  #expire(error: PorticoError): void {
    const current = this.sessionState;
    if (current.status === 'expired') return;
    this.#setSession({ status: 'expired', session: current.session, error, revision: current.revision });
    this.dispatchEvent(
      new CustomEvent<PorticoSessionExpiredDetail>('portico-session-expired', { detail: { error }, bubbles: true, composed: true }),
    );
  }

  /** Follows the `locale` claim of a new token (only matters while `lang` is not set). */
  #claimLocale(token: string | undefined): void {
    const claimed = tokenLocale(token);
    if (claimed === this.#claimedLocale) return;
    this.#claimedLocale = claimed;
    if (this.isConnected) this.#applyLocale();
  }

  #applyLocale(): void {
    const tag = this.locale;
    void applyLocale(tag);
    const rtl = directionOf(tag) === 'rtl';
    if (rtl && (this.#ownsDir || !this.hasAttribute('dir'))) {
      this.setAttribute('dir', 'rtl');
      this.#ownsDir = true;
    } else if (!rtl && this.#ownsDir) {
      this.removeAttribute('dir');
      this.#ownsDir = false;
    }
  }

  #setSession(state: SessionState): void {
    this.sessionProvider.setValue(Object.freeze(state));
  }
}

declare global {
  interface HTMLElementEventMap {
    'portico-session-change': CustomEvent<PorticoSessionChangeDetail>;
    'portico-session-expired': CustomEvent<PorticoSessionExpiredDetail>;
  }
}
