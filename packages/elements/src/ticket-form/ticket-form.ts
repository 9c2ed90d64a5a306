import { localized, msg, str } from '@lit/localize';
import { initialState } from '@lit/task';
import type {
  Article,
  Attachment,
  PorticoClient,
  PorticoError,
  Session,
  Ticket,
  TicketCategory,
  TicketCreate,
  TicketPriority,
  UploadFile,
} from '@portico/core';
// Zod-free modules of core, not its index (which carries the zod schemas).
import { uploadTypeOf } from '@portico/core/http-client.js';
import { ATTACHMENT_TYPES } from '@portico/core/ticket-enums.js';
import { MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES } from '@portico/core/ticket-limits.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DataController } from '../internal/data-controller.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { localeOf } from '../internal/format.ts';
import { CATEGORIES, PRIORITIES, categoryLabel, priorityLabel } from '../internal/labels.ts';
import { dataView, loadingView } from '../internal/states.ts';
import { ColleaguePicker } from './colleague-picker.ts';
import { draftStorageKey, isBlank, newDraft, readDraft, removeDraft, writeDraft, type TicketDraft } from './draft.ts';
import { field, fieldError } from './field.ts';
import { emitter } from '../events.ts';
import styles from './ticket-form.styles.ts';
import { ticketErrors, type TicketField } from './validate.ts';

/** Detail of `portico-ticket-submit`. */
export interface PorticoTicketSubmitDetail {
  /** What is about to be sent (`POST /v1/tickets`). */
  input: TicketCreate;
}

/** Detail of `portico-ticket-created`. */
export interface PorticoTicketCreatedDetail {
  /** The ticket the server created. */
  ticket: Ticket;
}

/** Detail of `portico-ticket-followed`. */
export interface PorticoTicketFollowedDetail {
  /** The existing ticket the user now follows instead of filing a new one. */
  ticket: Ticket;
}

type Field = TicketField;
type Errors = Partial<Record<Field | '_', string>>;
/** The control that receives focus for each field, in form order: the first invalid one gets focus. */
const FOCUS_ID: Readonly<Record<Field, string>> = {
  subject: 'subject',
  description: 'description',
  category: 'category',
  priority: 'priority',
  businessImpact: 'impact',
  visibility: 'vis-private',
  ccIds: 'cc-input',
  requesterId: 'behalf-input',
  attachmentIds: 'files',
};
const FIELDS = Object.keys(FOCUS_ID) as Field[];

const SEARCH_DEBOUNCE_MS = 300;
const SAVE_DEBOUNCE_MS = 400;
const MIN_SEARCH_CHARS = 3;
const MB = 1024 * 1024;
const ALLOWED_TYPES: ReadonlySet<string> = new Set(ATTACHMENT_TYPES);
const ACCEPT = `${ATTACHMENT_TYPES.join(',')},.log,.txt,.csv,.json,.har,.zip`;

/** A file in the form: being uploaded, uploaded, or failed (kept to retry). */
interface FileItem {
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'failed';
  /** Idempotency key of the upload, reused when it is retried; also the item's identity in the list. */
  key: string;
  file?: UploadFile | undefined;
  /** The server's record, once uploaded. */
  attachment?: Attachment | undefined;
  error?: string | undefined;
  /** Why the upload failed. */
  cause?: PorticoError | undefined;
  upload?: Promise<void> | undefined;
}

type Phase = 'editing' | 'sending' | 'created' | 'followed';

const formatSize = (bytes: number, locale?: string) => {
  const mb = bytes >= MB;
  return new Intl.NumberFormat(locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    mb ? bytes / MB : Math.max(0.1, bytes / 1024),
  );
};

/**
 * A native form with labels, hints and errors that a screen reader follows: subject,
 * description, category, priority (with the business impact an urgent ticket needs),
 * visibility, attachments, CCs, and for admins a requester on whose behalf to file. While the
 * subject is typed it suggests possible duplicates (to follow instead) and articles that may
 * answer the question. The draft is kept on the device until the ticket is filed; a retried
 * send never files twice.
 *
 * @summary A new-ticket form that never loses work: validation, possible duplicates, knowledge-base suggestions, colleagues, attachments, drafts and idempotent submit.
 * @tag portico-ticket-form
 *
 * @fires {CustomEvent<PorticoTicketSubmitDetail>} portico-ticket-submit - The user submits a valid form, before anything is sent. Cancelable: cancel to keep the form as it is. Detail: `{ input }`.
 * @fires {CustomEvent<PorticoTicketCreatedDetail>} portico-ticket-created - The server created the ticket (the draft is cleared). Detail: `{ ticket }`.
 * @fires {CustomEvent<PorticoTicketFollowedDetail>} portico-ticket-followed - The user chose "Follow instead" on a possible duplicate: they now follow it and no ticket was filed. Detail: `{ ticket }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart form - The `<form>`.
 * @csspart field - One field: label, control, hint and error.
 * @csspart label - A field's label.
 * @csspart input - A text input, text area, select or combobox.
 * @csspart hint - A field's help text.
 * @csspart field-error - A field's error message.
 * @csspart duplicates - The "possible duplicates" panel.
 * @csspart duplicate - One possible duplicate.
 * @csspart follow - A duplicate's "Follow instead" button.
 * @csspart articles - The knowledge-base suggestions panel.
 * @csspart article - One suggested article.
 * @csspart article-body - The text of an opened article.
 * @csspart deflect - An article's "This answered my question" button.
 * @csspart chips - Colleagues picked in a colleague field.
 * @csspart chip - One picked colleague.
 * @csspart listbox - The colleague suggestions popup.
 * @csspart option - One colleague suggestion.
 * @csspart dropzone - The attachments area (click to pick, or drop files).
 * @csspart attachment - One attached file.
 * @csspart draft-status - The note that the draft is kept on this device.
 * @csspart error - The message shown when the session could not be loaded or sending failed, with its Retry button.
 * @csspart retry - The Retry button.
 * @csspart submit - The submit button.
 * @csspart discard - The "Discard draft" button.
 * @csspart success - The confirmation shown after the ticket was created.
 * @csspart followed - The confirmation shown after "Follow instead".
 * @csspart loading - Shown instead of the form while the session loads.
 * @csspart notice - Shown instead of the form when the role cannot file tickets, or the session has expired.
 *
 * @cssproperty --portico-ticket-form-gap - Space between fields.
 * @cssproperty --portico-ticket-form-panel-background - Background of the duplicates and articles panels.
 * @cssproperty --portico-color-accent - Accent (buttons, focus ring, links).
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-surface-alt - Panels and chips.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Hints and secondary text.
 * @cssproperty --portico-color-border - Borders of inputs and panels.
 * @cssproperty --portico-color-danger - Error messages and invalid fields.
 * @cssproperty --portico-font-family - Font family.
 * @cssproperty --portico-font-size - Base font size.
 * @cssproperty --portico-radius - Corner radius.
 * @cssproperty --portico-space-1 - Spacing scale, smallest step (also `-2`, `-3`, `-4`, `-6`).
 * @cssproperty --portico-focus-ring - Outline of focused controls.
 */
@localized()
export class PorticoTicketForm extends LitElement {
  static override styles = styles;

  private readonly emit = emitter<'portico-ticket-form'>(this);

  private readonly data = new DataController(this);

  private readonly cc = new ColleaguePicker(this, {
    id: 'cc',
    multiple: true,
    client: () => this.data.client,
    exclude: () => [this._me, this.behalf.selected[0]?.id ?? ''],
    onChange: (people) => this._edit({ cc: people }, 'ccIds'),
  });

  private readonly behalf = new ColleaguePicker(this, {
    id: 'behalf',
    multiple: false,
    client: () => this.data.client,
    exclude: () => [this._me],
    onChange: (people) => {
      // The new requester cannot also be CC'd.
      this.cc.selected = this.cc.selected.filter((p) => p.id !== people[0]?.id);
      this._edit({ onBehalf: people[0] ?? null, cc: this.cc.selected }, 'requesterId');
    },
  });

  /**
   * The session, when no provider shares a usable one: with an explicit `client` alone, or when
   * the provider could not load it (the form tries once more itself, and its Retry does again).
   * Inside a working provider the form takes the provider's session and loads nothing for it.
   */
  private readonly sessionTask = this.data.task({
    args: () => [this.ownsSession] as const,
    load: (client, [own], { signal }) => (own ? client.getSession({ signal }) : initialState),
  });

  /** Possible duplicates of what the subject says so far (debounced). */
  private readonly similarTask = this.data.task({
    args: () => [this.searchText] as const,
    load: async (client, [q], { signal }) => (q ? client.findSimilarTickets(q, { signal }) : []),
  });

  /** Up to three knowledge-base articles for the same text. */
  private readonly articlesTask = this.data.task({
    args: () => [this.searchText] as const,
    load: async (client, [q], { signal }) => (q ? (await client.searchArticles({ q, limit: 3 }, { signal })).items : []),
  });

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @state() private draft: TicketDraft = newDraft();
  @state() private files: FileItem[] = [];
  @state() private fileErrors: string[] = [];
  /** Fields whose client-side error shows: left by the user, or all of them once submitted. */
  @state() private touched = new Set<Field>();
  @state() private serverErrors: Errors = {};
  @state() private phase: Phase = 'editing';
  @state() private sendError: PorticoError | undefined;
  @state() private notice = '';
  /** The ticket filed or followed: set from the moment the flow ends until the next draft. */
  @state() private result: Ticket | undefined;
  @state() private searchText = '';
  @state() private openArticle: string | undefined;
  @state() private following: string | undefined;
  @state() private followError = '';
  @state() private dragging = false;
  @state() private restored = false;
  /** Whether a draft is stored on this device. */
  @state() private stored = false;

  /** Whether a render is being committed to the DOM (see `handleBlur`). */
  private committing = false;
  private _storageKey: string | undefined;
  /** The article opened last: leaving without filing counts it as a deflection. */
  private _lastArticle: Article | undefined;
  private _searchTimer: ReturnType<typeof setTimeout> | undefined;
  private _saveTimer: ReturnType<typeof setTimeout> | undefined;

  /** Whether the form loads the session itself (see `sessionTask`). */
  private get ownsSession(): boolean {
    const shared = this.data.session;
    return !shared || (shared.status === 'error' && !shared.session);
  }

  /** The signed-in contact's session: the provider's, else the one the form loaded. */
  private get me(): Session | undefined {
    return this.ownsSession ? this.sessionTask.value : this.data.me;
  }

  private get _me(): string {
    return this.me?.contact.id ?? '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this._onVisibility);
    window.addEventListener('pagehide', this._onPageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this._onVisibility);
    window.removeEventListener('pagehide', this._onPageHide);
    clearTimeout(this._searchTimer);
    this._flush();
    this._deflectOnLeave(false);
  }

  protected override willUpdate(): void {
    // The draft belongs to the signed-in contact: a new session brings its own.
    const s = this.me;
    const key = s ? draftStorageKey(s.account.id, s.contact.id) : undefined;
    if (key !== this._storageKey) this._load(key);
  }

  protected override update(changed: PropertyValues<this>): void {
    this.committing = true;
    try {
      super.update(changed);
    } finally {
      this.committing = false;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The submit button the user pressed is gone once the flow ends: focus moves to the
    // confirmation's title instead of falling to the page (WCAG 2.4.3, docs/accessibility.md),
    // unless the user has already moved on to something else on the page.
    if (changed.has('phase' as keyof PorticoTicketForm) && (this.phase === 'created' || this.phase === 'followed')) {
      const active = document.activeElement;
      if (active === document.body || active === null || active === this) this.renderRoot.querySelector<HTMLElement>('.done-title')?.focus();
    }
  }

  /** Saves the draft now (it is also saved while typing and when the page is hidden). */
  saveDraft(): void {
    this._flush();
  }

  override render() {
    return html`<div part="base" class="base">${this.renderContent()}</div>`;
  }

  /** The session's loading or error view until it is known, then the form, its outcome, or why the role cannot file. */
  private renderContent() {
    const me = this.me;
    const signedOut = msg('Sign in again to file a ticket.', { id: 'ticket-form.notice.signed-out' });
    const loading = msg('Loading…', { id: 'common.loading' });
    if (!me) {
      if (this.data.session?.status === 'expired') return this.renderNotice(signedOut);
      if (!this.ownsSession) return loadingView(loading, 3);
      return dataView(this.data, this.sessionTask, {
        loading,
        error: msg('Couldn’t load the form.', { id: 'ticket-form.error.session' }),
        retry: msg('Retry', { id: 'common.retry' }),
        expired: signedOut,
        complete: () => nothing,
      });
    }
    if (!me.permissions['ticket.create'])
      return this.renderNotice(
        msg('Your role can read tickets but not file them. Ask an admin of your account for access.', { id: 'ticket-form.notice.cannot-create' }),
      );
    return this.result ? this.renderDone(this.result) : this.renderForm();
  }

  private renderNotice(notice: string) {
    return html`<p part="notice" class="notice" data-announce=${notice}>${notice}</p>`;
  }

  private renderForm() {
    const sending = this.phase === 'sending';
    return html`
      <form part="form" class="form" novalidate @submit=${this.handleSubmit} @focusout=${this.handleBlur}>
        ${this.renderText('subject', msg('Subject', { id: 'ticket-form.subject.label' }), msg('A short summary, e.g. "SSO login fails for all users".', { id: 'ticket-form.subject.hint' }))}
        ${this.renderDuplicates()} ${this.renderArticles()}
        ${this.renderText('description', msg('Description', { id: 'ticket-form.description.label' }), msg('What happened, what you expected, and since when.', { id: 'ticket-form.description.hint' }), true)}
        <div class="row">
          ${this.renderSelect('category', msg('Category', { id: 'ticket-form.category.label' }), [
            ['', msg('Choose…', { id: 'ticket-form.category.placeholder' })],
            ...CATEGORIES.map((c) => [c, categoryLabel(c)] as [string, string]),
          ])}
          ${this.renderSelect(
            'priority',
            msg('Priority', { id: 'ticket-form.priority.label' }),
            PRIORITIES.map((p) => [p, priorityLabel(p)] as [string, string]),
          )}
        </div>
        ${
          this.draft.priority === 'urgent'
            ? this.renderText(
                'businessImpact',
                msg('Business impact', { id: 'ticket-form.impact.label' }),
                msg('One line: what does this stop you from doing? e.g. "300 people cannot log in".', { id: 'ticket-form.impact.hint' }),
              )
            : nothing
        }
        ${this.renderVisibility()}
        ${this.cc.render(
          msg('CC colleagues', { id: 'ticket-form.cc.label' }),
          msg('They follow the ticket and can see it, even when it is private.', { id: 'ticket-form.cc.hint' }),
          this._error('ccIds'),
        )}
        ${
          this.me?.permissions['contact.manage']
            ? this.behalf.render(
                msg('On behalf of', { id: 'ticket-form.behalf.label' }),
                msg('Filing for a colleague? They become the requester; you follow the ticket.', { id: 'ticket-form.behalf.hint' }),
                this._error('requesterId'),
              )
            : nothing
        }
        ${this.renderFiles()} ${this.renderSendError()}
        <div class="actions">
          <button part="submit" class="button primary" type="submit" aria-disabled=${sending ? 'true' : 'false'}>
            ${sending ? msg('Sending…', { id: 'ticket-form.submit.sending' }) : msg('Submit ticket', { id: 'ticket-form.submit.label' })}
          </button>
          ${
            this.stored && !sending
              ? html`<button part="discard" class="button" type="button" @click=${this.handleAnother}>
                  ${msg('Discard draft', { id: 'ticket-form.discard' })}
                </button>`
              : nothing
          }
          <span part="draft-status" class="draft-status">
            ${
              this.restored
                ? msg('Draft restored from this device.', { id: 'ticket-form.draft.restored' })
                : this.stored
                  ? msg('Draft saved on this device.', { id: 'ticket-form.draft.saved' })
                  : nothing
            }
          </span>
        </div>
        <span hidden data-announce=${this.notice}></span>
      </form>
    `;
  }

  private renderText(name: 'subject' | 'description' | 'businessImpact', label: string, hint: string, multiline = false) {
    const id = FOCUS_ID[name];
    const error = this._error(name);
    const invalid = error ? 'true' : 'false';
    const described = `${id}-hint ${id}-error`;
    const value = this.draft[name];
    return field(
      name,
      id,
      label,
      multiline
        ? html`<textarea
            id=${id}
            part="input"
            name=${name}
            rows="6"
            aria-required="true"
            aria-invalid=${invalid}
            aria-describedby=${described}
            .value=${value}
            @input=${this.handleInput}
          ></textarea>`
        : html`<input
            id=${id}
            part="input"
            name=${name}
            type="text"
            autocomplete="off"
            aria-required="true"
            aria-invalid=${invalid}
            aria-describedby=${described}
            .value=${value}
            @input=${this.handleInput}
          />`,
      hint,
      error,
    );
  }

  private renderSelect(name: 'category' | 'priority', label: string, options: [string, string][]) {
    const error = this._error(name);
    const value = this.draft[name];
    return field(
      name,
      name,
      label,
      html`<select
        id=${name}
        part="input"
        name=${name}
        aria-required="true"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${`${name}-error`}
        .value=${value}
        @change=${this.handleInput}
      >
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>`,
      undefined,
      error,
    );
  }

  private renderVisibility() {
    const account = this.me!.account;
    const value = this.draft.visibility || account.defaultVisibility;
    const option = (v: 'private' | 'account', label: string, hint: string) => html`
      <label class="radio">
        <input type="radio" id=${`vis-${v}`} name="visibility" value=${v} .checked=${value === v} @change=${this.handleInput} />
        <span><span class="radio-label">${label}</span> <span class="hint">${hint}</span></span>
      </label>
    `;
    return html`
      <fieldset part="field" class="field" data-field="visibility" aria-describedby="visibility-error">
        <legend part="label">${msg('Who can see it', { id: 'ticket-form.visibility.label' })}</legend>
        ${option('private', msg('Private', { id: 'ticket.visibility.private' }), msg('You, the colleagues you CC, and your account admins.', { id: 'ticket-form.visibility.private-hint' }))}
        ${option('account', msg(str`Everyone at ${account.name}`, { id: 'ticket-form.visibility.account' }), msg('Colleagues whose role lets them see shared tickets.', { id: 'ticket-form.visibility.account-hint' }))}
        ${fieldError('visibility', this._error('visibility'))}
      </fieldset>
    `;
  }

  private renderDuplicates() {
    const items = this.searchText ? (this.similarTask.value ?? []) : [];
    const me = this._me;
    return html`
      <span hidden data-announce=${items.length ? msg(str`${items.length} similar tickets found`, { id: 'ticket-form.duplicates.count' }) : ''}></span>
      ${
        items.length
          ? html`<section part="duplicates" class="panel" aria-labelledby="duplicates-title">
              <h3 id="duplicates-title" class="panel-title">${msg('Already reported? Similar open tickets', { id: 'ticket-form.duplicates.title' })}</h3>
              <ul class="panel-list">
                ${items.map(
                  (t) =>
                    html`<li part="duplicate" class="duplicate" data-ticket=${t.id}>
                      <span class="duplicate-text" id=${`dup-${t.id}`}>
                        <span class="ref">${t.ref}</span> <span>${t.subject}</span>
                        <span class="meta">${msg(str`Reported by ${t.requester.name}`, { id: 'ticket-form.duplicates.by' })}</span>
                      </span>
                      ${
                        t.requester.id === me
                          ? html`<span class="tag">${msg('You reported this', { id: 'ticket-form.duplicates.mine' })}</span>`
                          : t.followerIds.includes(me)
                            ? html`<span class="tag">${msg('You follow this', { id: 'ticket-form.duplicates.following' })}</span>`
                            : html`<button
                                part="follow"
                                class="button"
                                type="button"
                                aria-disabled=${this.following ? 'true' : 'false'}
                                aria-describedby=${`dup-${t.id}`}
                                @click=${() => this.handleFollow(t)}
                              >
                                ${this.following === t.id ? msg('Following…', { id: 'ticket-form.duplicates.following-busy' }) : msg('Follow instead', { id: 'ticket-form.duplicates.follow' })}
                              </button>`
                      }
                    </li>`,
                )}
              </ul>
              ${this.followError ? html`<p class="field-error" role="alert">${this.followError}</p>` : nothing}
            </section>`
          : nothing
      }
    `;
  }

  private renderArticles() {
    const items = this.searchText ? (this.articlesTask.value ?? []) : [];
    if (!items.length) return nothing;
    const thanks = msg('Glad it helped. Your draft stays here in case you still need us.', { id: 'ticket-form.articles.thanks' });
    return html`<section part="articles" class="panel" aria-labelledby="articles-title">
      <h3 id="articles-title" class="panel-title">${msg('These articles may answer your question', { id: 'ticket-form.articles.title' })}</h3>
      <ul class="panel-list">
        ${items.map((a) => {
          const open = this.openArticle === a.id;
          return html`<li part="article" data-article=${a.id}>
            <button
              class="link"
              type="button"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls=${`article-${a.id}`}
              @click=${() => this.handleArticle(a)}
            >
              ${a.title}
            </button>
            <p class="hint">${a.summary}</p>
            <div id=${`article-${a.id}`} part="article-body" class="article-body" ?hidden=${!open}>
              ${
                open
                  ? html`${a.body.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}
                    ${
                      this.draft.deflected.includes(a.id)
                        ? html`<p class="ok" data-announce=${thanks}>${thanks}</p>`
                        : html`<button part="deflect" class="button" type="button" @click=${() => this._deflect(a, false)}>
                            ${msg('This answered my question', { id: 'ticket-form.articles.deflect' })}
                          </button>`
                    }`
                  : nothing
              }
            </div>
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private renderFiles() {
    const error = this._error('attachmentIds');
    const errors = [...this.fileErrors, ...(error ? [error] : [])];
    const full = this.files.length >= MAX_ATTACHMENTS;
    return html`
      <div part="field" class="field" data-field="attachmentIds">
        <span part="label" class="label" id="files-label">${msg('Attachments', { id: 'ticket-form.files.label' })}</span>
        <div
          part="dropzone"
          class=${this.dragging ? 'dropzone dragging' : 'dropzone'}
          @dragenter=${this.handleDrag}
          @dragover=${this.handleDrag}
          @dragleave=${() => (this.dragging = false)}
          @drop=${this.handleDrop}
        >
          <input
            id="files"
            class="visually-hidden file-input"
            type="file"
            multiple
            accept=${ACCEPT}
            ?disabled=${full}
            aria-labelledby="files-label files-button"
            aria-describedby="files-hint files-error"
            @change=${this.handlePick}
          />
          <label id="files-button" for="files" class=${full ? 'button disabled' : 'button'}>${msg('Add files', { id: 'ticket-form.files.add' })}</label>
          <span class="hint">${msg('or drop them here', { id: 'ticket-form.files.drop' })}</span>
        </div>
        <p id="files-hint" part="hint" class="hint">
          ${msg(str`Up to ${MAX_ATTACHMENTS} files of up to ${MAX_ATTACHMENT_BYTES / MB} MB: images, PDF, text, logs, CSV, JSON, ZIP, Word, Excel.`, { id: 'ticket-form.files.hint' })}
        </p>
        ${
          this.files.length
            ? html`<ul class="files">
                ${this.files.map(
                  (f) =>
                    html`<li part="attachment" class="file" data-status=${f.status}>
                      <span class="file-name">${f.name}</span>
                      <span class="hint">${formatSize(f.size, localeOf(this))}</span>
                      <span>
                        ${
                          f.status === 'uploading'
                            ? msg('Uploading…', { id: 'ticket-form.files.uploading' })
                            : f.status === 'failed'
                              ? html`<span class="field-error">${f.error}</span>`
                              : msg('Uploaded', { id: 'ticket-form.files.done' })
                        }
                      </span>
                      ${
                        f.status === 'failed' && f.file
                          ? html`<button class="button" type="button" @click=${() => this._upload(f)}>${msg('Retry', { id: 'common.retry' })}</button>`
                          : nothing
                      }
                      <button
                        class="button"
                        type="button"
                        aria-label=${msg(str`Remove ${f.name}`, { id: 'ticket-form.files.remove' })}
                        @click=${() => this._removeFile(f)}
                      >
                        ×
                      </button>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
        <div id="files-error" part="field-error" class="field-error" data-announce=${errors.join(' ')}>${errors.map((e) => html`<p>${e}</p>`)}</div>
      </div>
    `;
  }

  private renderSendError() {
    const error = this.sendError;
    if (!error) {
      const general = this.serverErrors._;
      return general ? html`<p part="error" class="send-error" role="alert">${general}</p>` : nothing;
    }
    const offline = error.status === 0;
    const kept = offline || error.retryable;
    return html`<div part="error" class="send-error" role="alert">
      <p class="error-title">
        ${offline ? msg("Couldn't reach the server.", { id: 'ticket-form.error.offline' }) : msg("Couldn't send your ticket.", { id: 'ticket-form.error.failed' })}
      </p>
      <p>
        ${kept ? msg('Nothing is lost: your ticket is saved on this device. Try again when you are back online.', { id: 'ticket-form.error.kept' }) : error.message}
      </p>
      ${kept ? html`<button part="retry" class="button primary" type="button" @click=${this._submit}>${msg('Retry', { id: 'common.retry' })}</button>` : nothing}
    </div>`;
  }

  /** What shows once the flow ended: the ticket filed (`success`) or followed instead (`followed`). */
  private renderDone(ticket: Ticket) {
    const created = this.phase === 'created';
    const hint = created ? this.notice : msg('No new ticket was filed. You will see every update on this one.', { id: 'ticket-form.followed.hint' });
    const title = created
      ? msg(str`Ticket ${ticket.ref} created`, { id: 'ticket-form.created.title' })
      : msg(str`You now follow ${ticket.ref}`, { id: 'ticket-form.followed.title' });
    return html`<div part=${created ? 'success' : 'followed'} data-announce=${title}>
      <h3 class="done-title" tabindex="-1">${title}</h3>
      <p>${ticket.subject}</p>
      ${hint ? html`<p class="hint">${hint}</p>` : nothing}
      <button class="button" type="button" @click=${this.handleAnother}>
        ${created ? msg('File another ticket', { id: 'ticket-form.created.another' }) : msg('File a new ticket anyway', { id: 'ticket-form.followed.another' })}
      </button>
    </div>`;
  }

  // --- state ----------------------------------------------------------------

  /** Loads the draft of a session (or a fresh one), saving the previous session's first. */
  private _load(storageKey: string | undefined): void {
    this._flush();
    this._storageKey = storageKey;
    const stored = storageKey ? readDraft(storageKey) : undefined;
    const draft = (this.draft = stored ?? newDraft());
    this.restored = this.stored = Boolean(stored);
    this.cc.selected = [...draft.cc];
    this.behalf.selected = draft.onBehalf ? [draft.onBehalf] : [];
    this.files = draft.attachments.map((a) => ({ name: a.name, size: a.size, status: 'done', key: a.id, attachment: a }));
    this.touched = new Set();
    this.serverErrors = {};
    this.sendError = undefined;
    this.fileErrors = [];
    this.phase = 'editing';
    this.result = undefined;
    this._lastArticle = undefined;
    this._search(true);
  }

  /** Applies a user's change, saves soon, clears the server's error of that field. */
  private _edit(patch: Partial<TicketDraft>, field: Field, touch = false): void {
    this.draft = { ...this.draft, ...patch };
    this.restored = false;
    if (this.serverErrors[field]) {
      const { [field]: _, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
    if (touch) this._touch(field);
    if (field === 'subject') this._search(false);
    clearTimeout(this._saveTimer);
    this._saveTimer = setTimeout(() => this._flush(), SAVE_DEBOUNCE_MS);
  }

  private _touch(field: Field): void {
    if (!this.touched.has(field)) this.touched = new Set([...this.touched, field]);
  }

  private _flush(): void {
    clearTimeout(this._saveTimer);
    if (!this._storageKey || this.phase === 'created' || this.phase === 'followed') return;
    const draft = { ...this.draft, attachments: this._attachments() };
    if (writeDraft(this._storageKey, draft)) this.stored = !isBlank(draft);
  }

  /** The flow ended (filed, followed instead, or discarded): the stored draft goes. */
  private _forget(): void {
    if (this._storageKey) removeDraft(this._storageKey);
    this.stored = false;
  }

  /** Updates the text the suggestions search for, debounced while typing. */
  private _search(now: boolean): void {
    clearTimeout(this._searchTimer);
    const text = this.draft.subject.trim();
    const next = text.length >= MIN_SEARCH_CHARS ? text : '';
    if (now || !next) this.searchText = next;
    else this._searchTimer = setTimeout(() => (this.searchText = next), SEARCH_DEBOUNCE_MS);
  }

  /** The files uploaded so far. */
  private _attachments(): Attachment[] {
    return this.files.flatMap((f) => (f.attachment ? [f.attachment] : []));
  }

  /** The input as the API takes it, built from the draft. */
  private _input(): TicketCreate {
    const d = this.draft;
    const input: TicketCreate = {
      subject: d.subject,
      description: d.description,
      category: d.category as TicketCategory,
      priority: (d.priority || 'normal') as TicketPriority,
      visibility: (d.visibility || this.me?.account.defaultVisibility) as TicketCreate['visibility'],
    };
    if (d.priority === 'urgent') input.businessImpact = d.businessImpact;
    if (d.cc.length) input.ccIds = d.cc.map((p) => p.id);
    if (d.onBehalf) input.requesterId = d.onBehalf.id;
    const ids = this._attachments().map((a) => a.id);
    if (ids.length) input.attachmentIds = ids;
    return input;
  }

  /**
   * The error shown for a field: the server's, else once the field was left (or the form
   * submitted) the one of the rules the server validates with (validate.ts), in the user's language.
   */
  private _error(field: Field): string | undefined {
    return this.serverErrors[field] || (this.touched.has(field) ? ticketErrors(this._input())[field] : undefined);
  }

  private async _focusFirstInvalid(): Promise<void> {
    await this.updateComplete;
    const first = FIELDS.find((f) => this._error(f));
    if (first) this.shadowRoot?.getElementById(FOCUS_ID[first])?.focus();
  }

  // --- actions --------------------------------------------------------------

  private async _submit(): Promise<void> {
    if (this.phase === 'sending') return;
    this.touched = new Set(FIELDS);
    this.sendError = undefined;
    const invalid = () => msg('Some fields need your attention.', { id: 'ticket-form.invalid' });
    if (Object.keys(ticketErrors(this._input())).length) {
      this.notice = invalid();
      await this._focusFirstInvalid();
      return;
    }
    const client = this.data.client;
    if (!client) return;
    if (!this.emit('portico-ticket-submit', { input: this._input() }, { cancelable: true })) return;
    this.phase = 'sending';
    this.notice = msg('Sending your ticket…', { id: 'ticket-form.sending' });
    try {
      // Files first: retried uploads reuse their keys, so none is stored twice.
      for (const f of this.files) if (f.status === 'failed' && f.file) void this._upload(f);
      await Promise.all(this.files.map((f) => f.upload));
      const failed = this.files.find((f) => f.status === 'failed');
      if (failed?.cause?.retryable) throw failed.cause;
      if (failed) {
        this.phase = 'editing';
        this.serverErrors = {
          ...this.serverErrors,
          attachmentIds: msg('Some files could not be uploaded: remove them or pick other files.', { id: 'ticket-form.files.rejected' }),
        };
        await this._focusFirstInvalid();
        return;
      }
      const input = this._input();
      const body = JSON.stringify(input);
      this.draft = { ...this.draft, sent: [input, ...this.draft.sent.filter((b) => JSON.stringify(b) !== body)].slice(0, 10) };
      this._flush();
      let ticket: Ticket | undefined;
      let note = '';
      try {
        ticket = await client.createTicket(input, { idempotencyKey: this.draft.key });
      } catch (error) {
        // An earlier attempt reached the server, its answer was lost, and the draft was edited
        // since: the server holds that ticket under this key. Get it by sending what was sent then.
        if (toPorticoError(error).code !== 'idempotency_conflict') throw error;
        for (const previous of this.draft.sent.slice(1)) {
          try {
            ticket = await client.createTicket(previous, { idempotencyKey: this.draft.key });
            break;
          } catch (retry) {
            if (toPorticoError(retry).code !== 'idempotency_conflict') throw retry;
          }
        }
        if (!ticket) throw error;
        note = msg('Your earlier attempt had already created this ticket; changes made afterwards were not included. Add them as a reply.', {
          id: 'ticket-form.created.earlier',
        });
      }
      this.notice = note;
      this._end('created', ticket);
      this.emit('portico-ticket-created', { ticket });
    } catch (error) {
      this.phase = 'editing';
      const e = toPorticoError(error);
      if (e.status === 422 && e.fieldErrors) {
        this.serverErrors = firstPerField(e.fieldErrors);
        this.notice = invalid();
        await this._focusFirstInvalid();
      } else {
        this.sendError = e;
        this.notice = '';
      }
    }
  }

  /** The flow ended: the ticket was filed, or the user follows an existing one instead. */
  private _end(phase: 'created' | 'followed', ticket: Ticket): void {
    this._forget();
    this.phase = phase;
    this.result = ticket;
  }

  /** Uploads one file (again); its promise settles when done or failed. */
  private _upload(item: FileItem): Promise<void> {
    const client = this.data.client;
    const file = item.file;
    if (!client || !file) return Promise.resolve();
    const set = (patch: Partial<FileItem>) => {
      this.files = this.files.map((f) => (f.key === item.key ? { ...f, ...patch } : f));
    };
    const upload = (async () => {
      set({ status: 'uploading', error: undefined });
      try {
        const attachment = await client.uploadAttachment(file, { idempotencyKey: item.key });
        set({ status: 'done', attachment, file: undefined, cause: undefined });
        this._flush();
      } catch (error) {
        const e = toPorticoError(error);
        set({
          status: 'failed',
          error: e.status === 0 ? msg('Upload failed: no connection. It is retried when you submit.', { id: 'ticket-form.files.offline' }) : e.message,
          cause: e,
        });
      }
    })();
    set({ upload });
    return upload;
  }

  private _addFiles(list: readonly UploadFile[]): void {
    const errors: string[] = [];
    const added: FileItem[] = [];
    for (const file of list) {
      const name = file.name;
      if (this.files.length + added.length >= MAX_ATTACHMENTS) {
        errors.push(msg(str`${name} was not added: at most ${MAX_ATTACHMENTS} files per ticket.`, { id: 'ticket-form.files.too-many' }));
      } else if (file.size > MAX_ATTACHMENT_BYTES) {
        errors.push(msg(str`${name} is larger than ${MAX_ATTACHMENT_BYTES / MB} MB.`, { id: 'ticket-form.files.too-large' }));
      } else if (!ALLOWED_TYPES.has(uploadTypeOf(file))) {
        errors.push(msg(str`${name} cannot be attached: this type of file is not allowed.`, { id: 'ticket-form.files.type' }));
      } else if (file.size === 0) {
        errors.push(msg(str`${name} is empty.`, { id: 'ticket-form.files.empty' }));
      } else {
        added.push({ name, size: file.size, status: 'uploading', key: crypto.randomUUID(), file });
      }
    }
    this.fileErrors = errors;
    if (added.length) {
      this.files = [...this.files, ...added];
      if (this.serverErrors.attachmentIds) this._edit({}, 'attachmentIds');
      for (const item of added) void this._upload(item);
    }
  }

  private _removeFile(item: FileItem): void {
    this.files = this.files.filter((f) => f.key !== item.key);
    this.fileErrors = [];
    this._edit({}, 'attachmentIds');
  }

  /** Records that an article answered the question (once per draft). */
  private _deflect(article: Article, keepalive: boolean): void {
    const client = this.data.client;
    if (!client || this.draft.deflected.includes(article.id)) return;
    this.draft = { ...this.draft, deflected: [...this.draft.deflected, article.id] };
    this._flush();
    client.recordDeflection(article.id, { query: this.draft.subject.trim().slice(0, 200) || undefined }, { keepalive }).catch(() => {
      // Best effort: a lost deflection only makes the statistics a little pessimistic.
    });
  }

  /** Leaving after reading an article, without filing: that article counts as a deflection. */
  private _deflectOnLeave(keepalive: boolean): void {
    if (this._lastArticle && this.phase === 'editing') this._deflect(this._lastArticle, keepalive);
  }

  // --- handlers -------------------------------------------------------------

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this._submit();
  }

  /** A text field, select or radio changed; its `name` is the draft's field. A choice (`change`) also counts as leaving the field. */
  private handleInput(event: Event): void {
    const { name, value } = event.target as HTMLInputElement;
    this._edit({ [name]: value }, name as Field, event.type === 'change');
  }

  private handleBlur(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    // Chromium blurs a focused field as a render removes it (the form giving way to its
    // confirmation): a field that goes away was not "left", and marking it would render twice.
    if (this.committing) return;
    const holder = target.closest<HTMLElement>('[data-field]');
    const name = holder?.dataset.field;
    // A picker's field is "left" when focus leaves it, not when its popup closes.
    if (!name || (event.relatedTarget instanceof Node && holder.contains(event.relatedTarget))) return;
    this._touch(name === 'cc' ? 'ccIds' : name === 'behalf' ? 'requesterId' : (name as Field));
  }

  private async handleFollow(ticket: Ticket): Promise<void> {
    const client = this.data.client;
    if (!client || this.following) return;
    this.following = ticket.id;
    this.followError = '';
    try {
      // The flow ends without a ticket: the draft served its purpose.
      const followed = await client.followTicket(ticket.id);
      this._end('followed', followed);
      this.emit('portico-ticket-followed', { ticket: followed });
    } catch (error) {
      if (!isAbortError(error))
        this.followError = msg(str`Couldn't follow ${ticket.ref}: ${toPorticoError(error).message}`, { id: 'ticket-form.duplicates.follow-failed' });
    } finally {
      this.following = undefined;
    }
  }

  private handleArticle(article: Article): void {
    const open = this.openArticle !== article.id;
    this.openArticle = open ? article.id : undefined;
    if (open) this._lastArticle = article;
  }

  /** "Discard draft", "File another ticket": start from an empty form. */
  private handleAnother(): void {
    this._forget();
    const key = this._storageKey;
    this._storageKey = undefined;
    this._load(key);
    void this.updateComplete.then(() => this.shadowRoot?.getElementById('subject')?.focus());
  }

  private handlePick(event: Event): void {
    const input = event.target as HTMLInputElement;
    this._addFiles([...(input.files ?? [])]);
    input.value = '';
  }

  private handleDrag(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dragging = true;
  }

  private handleDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    this._addFiles([...(event.dataTransfer?.files ?? [])]);
  }

  private _onVisibility = () => {
    if (document.visibilityState === 'hidden') this._flush();
  };

  private _onPageHide = () => {
    this._flush();
    this._deflectOnLeave(true);
  };
}

/** `{ field: [messages] }` → the first message per top-level field (`ccIds.0` → `ccIds`). */
function firstPerField(errors: Record<string, string[]>): Errors {
  const out: Errors = {};
  for (const [key, messages] of Object.entries(errors)) {
    const top = key.split('.')[0] as Field;
    out[FIELDS.includes(top) ? top : '_'] ??= messages[0];
  }
  return out;
}
