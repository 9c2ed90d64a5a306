import { localized, msg, str } from '@lit/localize';
import { TaskStatus, initialState } from '@lit/task';
import type { Action, Attachment, Comment, Escalation, LiveEvent, PorticoClient, PorticoError, SatisfactionRating, Ticket, TicketPatch } from '@portico/core';
// Runtime imports name core's modules, not its index: a bundler splitting code then keeps
// them out of chunks that never use them (the index re-exports the zod schemas too).
import { ticketEtag } from '@portico/core/etag.js';
import { actorOf, can } from '@portico/core/policy.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { DataController } from '../internal/data-controller.ts';
import { dataView } from '../internal/states.ts';
import { isAbortError, toPorticoError } from '../internal/errors.ts';
import { absoluteTime, localeOf, relativeTime } from '../internal/format.ts';
import { lockIcon } from '../internal/icons.ts';
import { categoryLabel, priorityLabel, slaSummary, statusLabel } from '../internal/labels.ts';
import { emitter } from '../events.ts';
import styles from './ticket-detail.styles.ts';

/** Detail of `portico-ticket-updated`. */
export interface PorticoTicketUpdatedDetail {
  /** The ticket as the server now has it. */
  ticket: Ticket;
}

/** Detail of `portico-comment-created`. */
export interface PorticoCommentCreatedDetail {
  ticketId: string;
  comment: Comment;
}

/** Detail of `portico-ticket-escalated`. */
export interface PorticoTicketEscalatedDetail {
  ticket: Ticket;
  escalation: Escalation;
}

/** A comment as shown: a sent one, or one still on its way (optimistic). */
type ShownComment = Comment & { pending?: boolean };

const DEFAULT_PAGE_SIZE = 25;
/** Which action is waiting for the server (one at a time). */
type Busy = '' | 'follow' | 'status' | 'visibility' | 'escalate' | 'rate';

/** A relative time, with the full date and time as its tooltip. */
const timeOf = (iso: string, locale: string | undefined, now: number) =>
  html`<time datetime=${iso} title=${absoluteTime(iso, locale)}>${relativeTime(iso, locale, now)}</time>`;

/**
 * Updates live (one shared event stream per client): status, SLA, assignee and the other
 * fields follow the server, and a reply someone else writes (an agent, a colleague) joins the
 * conversation when it is shown up to its end.
 *
 * @summary One ticket: its fields and SLA, the conversation, a reply box, and what the caller's role may do to it — follow, close or reopen, change visibility, escalate, rate.
 * @tag portico-ticket-detail
 *
 * @fires {CustomEvent<PorticoTicketUpdatedDetail>} portico-ticket-updated - The user changed the ticket (followed, closed, reopened, changed visibility, escalated, rated). Detail: `{ ticket }`.
 * @fires {CustomEvent<PorticoCommentCreatedDetail>} portico-comment-created - A reply the user wrote was saved. Detail: `{ ticketId, comment }`.
 * @fires {CustomEvent<PorticoTicketEscalatedDetail>} portico-ticket-escalated - The user escalated the ticket. Detail: `{ ticket, escalation }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - Reference, subject, badges and facts.
 * @csspart subject - The subject heading.
 * @csspart status - The status badge.
 * @csspart merged - "Merged into T-…": shown when support merged this ticket into another as a duplicate.
 * @csspart facts - The list of fields (requester, assignee, dates, visibility, followers, SLA).
 * @csspart sla - The SLA state, when the ticket has one.
 * @csspart actions - The action buttons.
 * @csspart action - One action button.
 * @csspart escalate-form - The form asking why the ticket is escalated.
 * @csspart description - The ticket's opening message.
 * @csspart business-impact - What an urgent ticket stops the customer from doing.
 * @csspart attachments - The files attached to the ticket, each a download button.
 * @csspart attachment - One attached file.
 * @csspart conversation - The list of comments.
 * @csspart comment - One comment (`comment-pending` while it is being sent).
 * @csspart comment-pending - A comment still being sent (in addition to `comment`).
 * @csspart load-more - The button loading later comments.
 * @csspart reply - The reply form.
 * @csspart reply-error - The message and Retry button after a reply failed.
 * @csspart satisfaction - The rating form, or the rating once given.
 * @csspart loading - The placeholder while loading.
 * @csspart empty - The message shown without a `ticket-id`.
 * @csspart error - The message (and Retry) when the ticket could not be loaded.
 *
 * @cssproperty --portico-ticket-detail-agent-background - Background of comments by the support team.
 * @cssproperty --portico-color-accent - Accent (buttons, focus ring).
 * @cssproperty --portico-color-accent-contrast - Text on the accent color.
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-surface-alt - Comments, placeholders.
 * @cssproperty --portico-color-text - Text color.
 * @cssproperty --portico-color-muted - Secondary text.
 * @cssproperty --portico-color-border - Borders and separators.
 * @cssproperty --portico-color-danger - Errors, escalations, breached SLA.
 * @cssproperty --portico-font-family - Font family.
 * @cssproperty --portico-font-size - Base font size.
 * @cssproperty --portico-radius - Corner radius.
 * @cssproperty --portico-space-1 - Spacing scale, smallest step (also `-2`, `-3`, `-4`, `-6`).
 * @cssproperty --portico-focus-ring - Outline of focused controls.
 * @cssproperty --portico-duration - Transition duration (0 under `prefers-reduced-motion`).
 */
@localized()
export class PorticoTicketDetail extends LitElement {
  static override styles = styles;

  private readonly emit = emitter<'portico-ticket-detail'>(this);

  /** Live updates: the ticket as the server has it now (status, SLA, assignee…) and others' new replies. */
  private readonly data = new DataController(this, { live: (event) => this._live(event) });

  private readonly ticketTask = this.data.task({
    args: () => [this.ticketId ?? ''] as const,
    load: (client, [id], { signal }) => (id ? client.getTicket(id, { signal }) : initialState),
    onComplete: (ticket) => {
      this.ticket = ticket;
      this._markSeen(ticket.id);
    },
  });

  private readonly commentsTask = this.data.task({
    args: () => [this.ticketId ?? '', this._pageSize] as const,
    load: async (client, [id, limit], { signal }) => {
      if (!id) return initialState;
      const page = await client.listComments(id, { limit }, { signal });
      this.comments = page.items;
      this.commentsCursor = page.nextCursor;
      this._tailCursor = undefined;
      this.localIds = new Set();
    },
  });

  /** The ticket's files (only those who may see the ticket get them). */
  private readonly attachmentsTask = this.data.task({
    args: () => [this.ticketId ?? ''] as const,
    load: (client, [id], { signal }): Promise<Attachment[]> | Attachment[] => (id ? client.listAttachments(id, { signal }) : []),
  });

  /** Id of the ticket to show. */
  @property({ attribute: 'ticket-id' }) ticketId = '';

  /** Comments per page of the conversation (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = DEFAULT_PAGE_SIZE;

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  @state() private ticket: Ticket | undefined;
  @state() private comments: readonly ShownComment[] = [];
  @state() private commentsCursor: string | null = null;
  /** Comments added here since the thread loaded: shown last, whatever page they belong to. */
  @state() private localIds: ReadonlySet<string> = new Set();
  @state() private moreLoading = false;
  @state() private moreError: PorticoError | undefined;
  @state() private busy: Busy = '';
  @state() private actionError: string | undefined;
  @state() private escalating = false;
  @state() private escalateError: string | undefined;
  @state() private rateError: string | undefined;
  /** Why the last reply was not sent: what the server said, or a 422 of the empty box. */
  @state() private replyError: (Pick<PorticoError, 'status' | 'message'> & Partial<Pick<PorticoError, 'fieldErrors'>>) | undefined;
  @state() private downloadError: string | undefined;

  @query('textarea[name="reply"]') private replyBox!: HTMLTextAreaElement | null;

  private _pageSize = DEFAULT_PAGE_SIZE;
  /** Unsent reply text per ticket: switching tickets or a failed send never loses it. */
  private _drafts = new Map<string, string>();
  /** The last reply that failed, with its idempotency key: retrying the same text reuses it. */
  private _failed = new Map<string, { body: string; key: string }>();
  private _actions: AbortController | undefined;
  /** The cursor of the last page of the conversation loaded (undefined: the first page). */
  private _tailCursor: string | undefined;
  /** A catch-up with new replies is running / another one was asked for meanwhile. */
  private _catchingUp = false;
  private _catchUpAgain = false;
  /** Replies already announced (the user's own, and others' arriving live). */
  private readonly _announcedReplies = new Set<string>();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._actions?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pageSize')) this._pageSize = this.data.pageSize(this.pageSize, DEFAULT_PAGE_SIZE);
    if (changed.has('ticketId') && changed.get('ticketId') !== undefined) {
      // Another ticket: nothing of the previous one may show, not even for a frame.
      this.ticket = undefined;
      this.comments = [];
      this.commentsCursor = null;
      this.escalating = false;
      this.actionError = this.escalateError = this.rateError = undefined;
      this.replyError = undefined;
      this.moreError = undefined;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The reply box is re-created per ticket: give it that ticket's draft back.
    if (changed.has('ticketId') || (changed as Map<PropertyKey, unknown>).has('ticket')) {
      const box = this.replyBox;
      if (box && !box.value && this.ticket) box.value = this._drafts.get(this.ticket.id) ?? '';
    }
  }

  /** Loads the ticket and its conversation again. */
  refresh(): void {
    void this.ticketTask.run();
    void this.commentsTask.run();
  }

  override render() {
    if (!this.ticketId) {
      return html`<div part="base empty" class="base empty">${msg('Select a ticket to see it here.', { id: 'ticket-detail.empty' })}</div>`;
    }
    const loadingLabel = msg('Loading ticket…', { id: 'ticket-detail.loading' });
    const loading = () =>
      html`<div part="base loading" class="base loading" aria-busy="true" data-announce=${loadingLabel}>
        <span class="visually-hidden">${loadingLabel}</span>
        <div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
      </div>`;
    return dataView(this.data, this.ticketTask, {
      loading,
      error: (error) => this.renderError(error),
      retry: msg('Retry', { id: 'ticket-detail.retry' }),
      // The ticket shown follows live events and the user's own changes: render that one.
      keepWhileReloading: true,
      complete: () => {
        const ticket = this.ticket;
        if (!ticket || ticket.id !== this.ticketId) return loading();
        return html`
          <article part="base" class="base" aria-labelledby="subject">
            ${this.renderHeader(ticket)} ${this.renderActions(ticket)} ${this.renderSatisfaction(ticket)} ${this.renderConversation(ticket)}
            ${this.renderReply(ticket)}
          </article>
        `;
      },
    });
  }

  private renderError(error: PorticoError) {
    const missing = error.status === 404;
    return html`<div part="base error" class="base error" role="alert">
      <p class="error-title">
        ${
          missing
            ? msg('This ticket doesn’t exist, or you can’t see it.', { id: 'ticket-detail.not-found' })
            : msg('Couldn’t load the ticket.', { id: 'ticket-detail.error' })
        }
      </p>
      ${
        missing
          ? nothing
          : html`<p>${error.message}</p>
              <button type="button" class="button" @click=${this.refresh}>${msg('Retry', { id: 'ticket-detail.retry' })}</button>`
      }
    </div>`;
  }

  private renderHeader(t: Ticket) {
    const locale = localeOf(this);
    const now = Date.now();
    const sla = slaSummary(t, locale, now);
    const followers = t.followerIds.length;
    const fact = (label: string, value: unknown) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    return html`
      <header part="header" class="header">
        <p class="ref">${t.ref}</p>
        <h2 part="subject" id="subject" class="subject">${t.subject}</h2>
        <p class="badges">
          <span part="status" class="status" data-status=${t.status}>${statusLabel(t.status)}</span>
          <span class="priority badge" data-priority=${t.priority}>${msg(str`${priorityLabel(t.priority)} priority`, { id: 'ticket-detail.priority' })}</span>
          <span class="badge">${categoryLabel(t.category)}</span>
          ${t.escalated ? html`<span class="badge escalated">${msg('Escalated', { id: 'ticket.escalated' })}</span>` : nothing}
        </p>
        ${
          t.mergedInto
            ? html`<p part="merged" class="merged" role="note">
                ${msg(str`Merged into ${t.mergedInto.ref}: the conversation continues there.`, { id: 'ticket-detail.merged-into' })}
              </p>`
            : nothing
        }
        <dl part="facts" class="facts">
          ${fact(msg('Requester', { id: 'ticket-detail.requester' }), t.requester.name)}
          ${fact(msg('Assignee', { id: 'ticket-detail.assignee' }), t.assignee ?? msg('Not assigned yet', { id: 'ticket-detail.unassigned' }))}
          ${fact(msg('Created', { id: 'ticket-detail.created' }), timeOf(t.createdAt, locale, now))}
          ${fact(msg('Updated', { id: 'ticket-detail.updated' }), timeOf(t.updatedAt, locale, now))}
          ${fact(
            msg('Visible to', { id: 'ticket-detail.visibility' }),
            t.visibility === 'private'
              ? html`${lockIcon} ${msg('Private: requester, followers and admins', { id: 'ticket-detail.visibility.private' })}`
              : msg('Everyone in the account', { id: 'ticket-detail.visibility.account' }),
          )}
          ${fact(
            msg('Followers', { id: 'ticket-detail.followers' }),
            !this._following(t)
              ? String(followers)
              : followers === 1
                ? msg('You', { id: 'ticket-detail.followers.you' })
                : msg(str`You and ${followers - 1} more`, { id: 'ticket-detail.followers.you-and' }),
          )}
          ${
            sla
              ? html`<div>
                  <dt>${msg('SLA', { id: 'ticket-detail.sla' })}</dt>
                  <dd part="sla" class="sla" data-state=${sla.state}>${sla.text}</dd>
                </div>`
              : nothing
          }
        </dl>
      </header>
    `;
  }

  private renderActions(t: Ticket) {
    const may = (action: Action) => this._may(action, t);
    const following = this._following(t);
    const buttons = [
      (following || may('ticket.follow')) &&
        html`<button
          part="action"
          class="button small"
          type="button"
          data-action="follow"
          aria-pressed=${following ? 'true' : 'false'}
          @click=${this.handleFollow}
        >
          ${following ? msg('Following', { id: 'ticket-detail.following' }) : msg('Follow', { id: 'ticket-detail.follow' })}
        </button>`,
      may('ticket.close') &&
        html`<button part="action" class="button small" type="button" data-action="close" @click=${() => this._patch({ status: 'solved' }, 'status')}>
          ${msg('Mark as solved', { id: 'ticket-detail.close' })}
        </button>`,
      may('ticket.reopen') &&
        html`<button part="action" class="button small" type="button" data-action="reopen" @click=${() => this._patch({ status: 'open' }, 'status')}>
          ${msg('Reopen', { id: 'ticket-detail.reopen' })}
        </button>`,
      may('ticket.change_visibility') &&
        html`<button
          part="action"
          class="button small"
          type="button"
          data-action="visibility"
          @click=${() => this._patch({ visibility: t.visibility === 'private' ? 'account' : 'private' }, 'visibility')}
        >
          ${
            t.visibility === 'private'
              ? msg('Share with the account', { id: 'ticket-detail.make-account' })
              : msg('Make private', { id: 'ticket-detail.make-private' })
          }
        </button>`,
      may('ticket.escalate') &&
        !t.escalated &&
        html`<button
          part="action"
          class="button small danger"
          type="button"
          data-action="escalate"
          aria-expanded=${this.escalating ? 'true' : 'false'}
          @click=${this.handleEscalateToggle}
        >
          ${msg('Escalate', { id: 'ticket-detail.escalate' })}
        </button>`,
    ].filter(Boolean);
    if (!buttons.length && !this.actionError) return nothing;
    return html`
      <div part="actions" class="actions" aria-busy=${this.busy ? 'true' : 'false'}>${buttons}</div>
      ${this.actionError ? html`<p class="form-error" role="alert">${this.actionError}</p>` : nothing} ${this.escalating ? this.renderEscalateForm() : nothing}
    `;
  }

  private renderEscalateForm() {
    return html`<form part="escalate-form" class="panel-form" novalidate @submit=${this.handleEscalateSubmit} @keydown=${this.handleEscalateKeydown}>
      <label class="field">
        <span>${msg('Why does this need urgent attention?', { id: 'ticket-detail.escalate.reason' })}</span>
        <textarea
          name="reason"
          rows="3"
          maxlength="2000"
          required
          aria-invalid=${this.escalateError ? 'true' : 'false'}
          aria-describedby="escalate-error escalate-hint"
        ></textarea>
      </label>
      <p id="escalate-hint" class="hint">
        ${msg('Escalating raises the priority one step and alerts the support team.', { id: 'ticket-detail.escalate.hint' })}
      </p>
      <p id="escalate-error" class="form-error" role="alert">${this.escalateError ?? nothing}</p>
      <div class="row">
        <button class="button small danger" type="submit" aria-disabled=${this.busy === 'escalate' ? 'true' : 'false'}>
          ${msg('Escalate ticket', { id: 'ticket-detail.escalate.submit' })}
        </button>
        <button class="button small subtle" type="button" @click=${this.handleEscalateToggle}>${msg('Cancel', { id: 'ticket-detail.cancel' })}</button>
      </div>
    </form>`;
  }

  private renderSatisfaction(t: Ticket) {
    const rated = t.satisfaction;
    if (rated) {
      return html`<section part="satisfaction" class="satisfaction" data-rating=${rated.rating}>
        <p>
          ${
            rated.rating === 'good'
              ? msg('Rated good by the requester.', { id: 'ticket-detail.csat.rated-good' })
              : msg('Rated bad by the requester.', { id: 'ticket-detail.csat.rated-bad' })
          }
        </p>
        ${rated.comment ? html`<p class="body">${rated.comment}</p>` : nothing}
      </section>`;
    }
    if (!this._may('ticket.rate', t)) return nothing;
    return html`<form part="satisfaction" class="satisfaction panel-form" novalidate @submit=${this.handleRateSubmit}>
      <fieldset>
        <legend>${msg('How did we do on this ticket?', { id: 'ticket-detail.csat.legend' })}</legend>
        <label class="option"><input type="radio" name="rating" value="good" /> ${msg('Good, I’m satisfied', { id: 'ticket-detail.csat.good' })}</label>
        <label class="option"><input type="radio" name="rating" value="bad" /> ${msg('Bad, I’m not satisfied', { id: 'ticket-detail.csat.bad' })}</label>
      </fieldset>
      <label class="field">
        <span>${msg('Comment (optional)', { id: 'ticket-detail.csat.comment' })}</span>
        <textarea name="comment" rows="2" maxlength="2000"></textarea>
      </label>
      <p class="form-error" role="alert">${this.rateError ?? nothing}</p>
      <button class="button small" type="submit" aria-disabled=${this.busy === 'rate' ? 'true' : 'false'}>
        ${msg('Send rating', { id: 'ticket-detail.csat.submit' })}
      </button>
    </form>`;
  }

  private renderConversation(t: Ticket) {
    const locale = localeOf(this);
    const now = Date.now();
    const loaded = this.comments.filter((c) => !this.localIds.has(c.id));
    const local = this.comments.filter((c) => this.localIds.has(c.id));
    const item = (c: ShownComment) =>
      html`<li part=${c.pending ? 'comment comment-pending' : 'comment'} class="comment" data-author-kind=${c.author.kind} data-id=${c.id}>
        <p class="comment-meta">
          <span class="author">${c.author.name}</span>
          ${c.author.kind === 'agent' ? html`<span class="badge">${msg('Support', { id: 'ticket-detail.agent' })}</span>` : nothing}
          ${c.pending ? html`<span>${msg('Sending…', { id: 'ticket-detail.sending' })}</span>` : timeOf(c.createdAt, locale, now)}
        </p>
        <div class="body">${c.body}</div>
      </li>`;
    const remaining = t.commentCount - this.comments.filter((c) => !c.pending).length;
    return html`
      <section class="thread" aria-label=${msg('Conversation', { id: 'ticket-detail.conversation' })}>
        <div part="description" class="comment" data-author-kind="contact">
          <p class="comment-meta">
            <span class="author">${t.requester.name}</span>
            ${timeOf(t.createdAt, locale, now)}
          </p>
          <div class="body">${t.description}</div>
          ${
            t.businessImpact
              ? html`<p part="business-impact" class="hint">${msg(str`Business impact: ${t.businessImpact}`, { id: 'ticket-detail.business-impact' })}</p>`
              : nothing
          }
          ${this.renderAttachments(t)}
        </div>
        ${
          this.commentsTask.status === TaskStatus.PENDING && !this.comments.length
            ? html`<p class="hint" data-announce=${msg('Loading the conversation…', { id: 'ticket-detail.comments.loading' })}>
                ${msg('Loading the conversation…', { id: 'ticket-detail.comments.loading' })}
              </p>`
            : nothing
        }
        ${
          this.commentsTask.status === TaskStatus.ERROR && !isAbortError(this.commentsTask.error)
            ? html`<p class="form-error" role="alert">
                ${msg('Couldn’t load the conversation.', { id: 'ticket-detail.comments.error' })}
                <button type="button" class="button small" @click=${() => void this.commentsTask.run()}>${msg('Retry', { id: 'ticket-detail.retry' })}</button>
              </p>`
            : nothing
        }
        <ol part="conversation" class="conversation">
          ${repeat(loaded, (c) => c.id, item)}
        </ol>
        ${
          this.commentsCursor
            ? html`<div class="more">
                ${this.moreError ? html`<p class="form-error" role="alert">${this.moreError.message}</p>` : nothing}
                <button
                  part="load-more"
                  type="button"
                  class="button small subtle"
                  aria-disabled=${this.moreLoading ? 'true' : 'false'}
                  @click=${this.handleMore}
                >
                  ${
                    this.moreLoading
                      ? msg('Loading…', { id: 'ticket-detail.more.loading' })
                      : msg(str`Show later comments (${Math.max(remaining, 0)})`, { id: 'ticket-detail.more' })
                  }
                </button>
              </div>`
            : nothing
        }
        ${
          local.length
            ? html`<ol class="conversation">
                ${repeat(local, (c) => c.id, item)}
              </ol>`
            : nothing
        }
      </section>
    `;
  }

  private renderAttachments(t: Ticket) {
    const files = this.attachmentsTask.value ?? [];
    if (!files.length || files.some((f) => f.ticketId !== t.id)) return nothing;
    const locale = localeOf(this);
    return html`<ul part="attachments" class="attachments" aria-label=${msg('Attachments', { id: 'ticket-detail.attachments' })}>
        ${files.map(
          (f) =>
            html`<li part="attachment">
              <button type="button" class="button small" @click=${() => void this._download(t.id, f)}>${f.name}</button>
              <span class="hint"
                >${new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.max(1, f.size / 1024))}</span
              >
            </li>`,
        )}
      </ul>
      ${this.downloadError ? html`<p class="form-error" role="alert">${this.downloadError}</p>` : nothing}`;
  }

  /** Fetches a file with the user's token and hands it to the browser as a download. */
  private async _download(ticketId: string, file: Attachment): Promise<void> {
    const client = this.data.client;
    if (!client) return;
    this.downloadError = undefined;
    try {
      const url = URL.createObjectURL(await client.downloadAttachment(ticketId, file.id));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.downloadError = msg(str`Couldn’t download ${file.name}: ${toPorticoError(error).message}`, { id: 'ticket-detail.download-error' });
    }
  }

  private renderReply(t: Ticket) {
    if (!this._may('ticket.comment', t)) return nothing;
    const error = this.replyError;
    return html`<form part="reply" class="reply" novalidate @submit=${this.handleReplySubmit}>
      <label class="field">
        <span>${msg('Reply', { id: 'ticket-detail.reply.label' })}</span>
        <textarea
          name="reply"
          rows="4"
          maxlength="20000"
          aria-describedby="reply-hint reply-error"
          aria-invalid=${error?.status === 422 ? 'true' : 'false'}
          @keydown=${this.handleReplyKeydown}
          @input=${this.handleReplyInput}
        ></textarea>
      </label>
      <p id="reply-hint" class="hint">${msg('Press Ctrl+Enter (⌘+Enter on a Mac) to send.', { id: 'ticket-detail.reply.hint' })}</p>
      <div id="reply-error" part="reply-error" class="reply-error" role="alert">
        ${
          error
            ? html`<span>${msg(str`Your reply wasn’t sent: ${error.fieldErrors?.body?.[0] ?? error.message}`, { id: 'ticket-detail.reply.failed' })}</span>
                ${error.status === 422 ? nothing : html`<button type="submit" class="button small">${msg('Retry', { id: 'ticket-detail.reply.retry' })}</button>`}`
            : nothing
        }
      </div>
      <button class="button" type="submit">${msg('Send reply', { id: 'ticket-detail.reply.send' })}</button>
    </form>`;
  }

  // --- helpers -----------------------------------------------------------------

  private _may(action: Action, t: Ticket): boolean {
    const session = this.data.me;
    return Boolean(session) && can(actorOf(session!), action, { ...t, requesterId: t.requester.id });
  }

  private _following(t: Ticket): boolean {
    // Without a session nobody is "me": ids are never undefined.
    return t.followerIds.includes(this.data.me?.contact.id as string);
  }

  private _markSeen(id: string): void {
    // A client without markTicketSeen (a host's own adapter) skips it.
    this.data.client?.markTicketSeen?.(id).catch(() => {
      // The unread marker is a nicety; failing to clear it must not disturb the reader.
    });
  }

  /**
   * Shows a newer copy of the ticket; a new status is announced. Whichever copy brings it
   * first (the answer to the user's own change, or the live event of it) says it: the other
   * finds the status already shown, so it is said once.
   */
  private _take(ticket: Ticket): void {
    const before = this.ticket;
    this.ticket = ticket;
    if (before?.id === ticket.id && before.status !== ticket.status) {
      this.data.announce(msg(str`Status: ${statusLabel(ticket.status)}.`, { id: 'ticket-detail.live.status' }));
    }
  }

  /** Takes a ticket the server answered, if it is still the one shown, and tells the page. */
  private _accept(ticket: Ticket): void {
    if (ticket.id !== this.ticketId) return;
    this._take(ticket);
    this.emit('portico-ticket-updated', { ticket });
  }

  /** Runs one action at a time; a 412 reloads the ticket and says why. */
  private async _act(
    kind: Busy,
    run: (client: PorticoClient, signal: AbortSignal) => Promise<void>,
    onError?: (error: PorticoError) => boolean,
  ): Promise<void> {
    const client = this.data.client;
    if (!client || this.busy) return;
    this._actions = new AbortController();
    this.busy = kind;
    this.actionError = undefined;
    try {
      await run(client, this._actions.signal);
    } catch (error) {
      if (isAbortError(error)) return;
      const e = toPorticoError(error);
      if (onError?.(e)) return;
      if (e.status === 412) {
        this.actionError = msg('This ticket changed while you were looking at it. It has been reloaded: check it and try again.', {
          id: 'ticket-detail.stale',
        });
        void this.ticketTask.run();
      } else {
        this.actionError = e.message;
      }
    } finally {
      this.busy = '';
    }
  }

  private _patch(patch: TicketPatch, kind: Busy): Promise<void> {
    return this._act(kind, async (client, signal) => {
      const ticket = this.ticket!;
      this._accept(await client.updateTicket(ticket.id, patch, { ifMatch: ticketEtag(ticket), signal }));
    });
  }

  // --- handlers ----------------------------------------------------------------

  private handleFollow(): Promise<void> {
    return this._act('follow', async (client, signal) => {
      const ticket = this.ticket!;
      if (this._following(ticket)) {
        const after = await client.unfollowTicket(ticket.id, { signal });
        if (after) this._accept(after);
        // Following was the only way this contact saw the ticket.
        else void this.ticketTask.run();
      } else {
        this._accept(await client.followTicket(ticket.id, { signal }));
      }
    });
  }

  private handleEscalateToggle(): void {
    this.escalating = !this.escalating;
    this.escalateError = undefined;
    if (this.escalating) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="reason"]')?.focus());
  }

  private handleEscalateKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.escalating = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-action="escalate"]')?.focus());
  }

  private handleEscalateSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const box = (event.target as HTMLFormElement).elements.namedItem('reason') as HTMLTextAreaElement;
    const reason = box.value.trim();
    if (reason.length < 3) {
      this.escalateError = msg('Tell the support team why, in a few words.', { id: 'ticket-detail.escalate.required' });
      box.focus();
      return Promise.resolve();
    }
    this.escalateError = undefined;
    return this._act(
      'escalate',
      async (client, signal) => {
        const { ticket, escalation } = await client.escalateTicket(this.ticket!.id, { reason }, { signal });
        this.escalating = false;
        this._accept(ticket);
        this.emit('portico-ticket-escalated', { ticket, escalation });
      },
      (error) => {
        this.escalateError = error.fieldErrors?.reason?.[0] ?? error.message;
        if (error.status === 409) void this.ticketTask.run();
        return true;
      },
    );
  }

  private handleRateSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const rating = (form.elements.namedItem('rating') as RadioNodeList).value as SatisfactionRating | '';
    const comment = (form.elements.namedItem('comment') as HTMLTextAreaElement).value.trim();
    if (!rating) {
      this.rateError = msg('Choose good or bad.', { id: 'ticket-detail.csat.required' });
      return Promise.resolve();
    }
    this.rateError = undefined;
    return this._act(
      'rate',
      async (client, signal) => {
        const { ticket } = await client.rateTicket(this.ticket!.id, { rating, ...(comment ? { comment } : {}) }, { signal });
        this._accept(ticket);
      },
      (error) => {
        this.rateError = error.message;
        if (error.status === 409) void this.ticketTask.run();
        return true;
      },
    );
  }

  private handleReplyInput(event: Event): void {
    if (this.ticket) this._drafts.set(this.ticket.id, (event.target as HTMLTextAreaElement).value);
  }

  private handleReplyKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this._send();
    }
  }

  private handleReplySubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this._send();
  }

  /**
   * Sends the reply optimistically: it shows at once, marked as sending. On failure it is
   * taken back out of the thread and its text returns to the box, with a Retry that reuses
   * the idempotency key, so a request that did reach the server never posts twice.
   */
  private async _send(): Promise<void> {
    const client = this.data.client;
    const box = this.replyBox;
    const ticket = this.ticket;
    const me = this.data.me?.contact;
    if (!client || !box || !ticket || !me) return;
    const body = box.value.trim();
    if (!body) {
      this.replyError = { status: 422, message: msg('Write something first.', { id: 'ticket-detail.reply.empty' }) };
      box.focus();
      return;
    }
    const failed = this._failed.get(ticket.id);
    const key = failed?.body === body ? failed.key : crypto.randomUUID();
    const pendingId = `pending-${key}`;
    const pending: ShownComment = {
      id: pendingId,
      ticketId: ticket.id,
      author: { kind: 'contact', id: me.id, name: me.name },
      body,
      createdAt: new Date().toISOString(),
      pending: true,
    };
    this.comments = [...this.comments, pending];
    this.localIds = new Set([...this.localIds, pendingId]);
    this.replyError = undefined;
    this._failed.delete(ticket.id);
    this._drafts.delete(ticket.id);
    box.value = '';
    try {
      const comment = await client.addComment(ticket.id, { body }, { idempotencyKey: key });
      if (this.ticketId === ticket.id) {
        this.comments = this.comments.map((c) => (c.id === pendingId ? comment : c));
        this.localIds = new Set([...this.localIds, comment.id]);
      }
      this._announcedReplies.add(comment.id);
      this.data.announce(msg('Reply sent.', { id: 'ticket-detail.reply.sent' }));
      this.emit('portico-comment-created', { ticketId: ticket.id, comment });
      // The reply moved the ticket on (updatedAt, version): fetch it quietly so later changes carry the right ETag.
      client.getTicket(ticket.id).then(
        (fresh) => fresh.id === this.ticketId && (this.ticket = fresh),
        () => undefined,
      );
    } catch (error) {
      // Roll back: the thread shows only what the server has; the text goes back to the box.
      const typedSince = this.ticketId === ticket.id ? (this.replyBox?.value ?? '') : (this._drafts.get(ticket.id) ?? '');
      const restored = typedSince.trim() ? `${body}\n\n${typedSince}` : body;
      this._drafts.set(ticket.id, restored);
      this._failed.set(ticket.id, { body: restored, key });
      if (this.ticketId !== ticket.id) return;
      this.comments = this.comments.filter((c) => c.id !== pendingId);
      if (this.replyBox) this.replyBox.value = restored;
      this.replyError = toPorticoError(error);
    }
  }

  private async handleMore(): Promise<void> {
    const client = this.data.client;
    const cursor = this.commentsCursor;
    const id = this.ticketId;
    if (!client || !cursor || this.moreLoading) return;
    this.moreLoading = true;
    this.moreError = undefined;
    try {
      await this._loadPage(client, id, cursor);
    } catch (error) {
      if (!isAbortError(error)) this.moreError = toPorticoError(error);
    } finally {
      this.moreLoading = false;
    }
  }

  /**
   * Fetches the page of the conversation at `cursor` and adds it after what is shown, if the
   * ticket is still the one shown: resolves to the next cursor then. Items already shown are
   * moved to their place in the page; replies made here that arrive with the page leave the
   * "local" tail.
   */
  private async _loadPage(client: PorticoClient, id: string, cursor: string | undefined): Promise<string | null | undefined> {
    const page = await client.listComments(id, { cursor, limit: this._pageSize });
    if (id !== this.ticketId) return undefined;
    const seen = new Set(page.items.map((c) => c.id));
    const kept = this.comments.filter((c) => !seen.has(c.id));
    const loaded = kept.filter((c) => !this.localIds.has(c.id));
    const local = kept.filter((c) => this.localIds.has(c.id));
    this.comments = [...loaded, ...page.items, ...local];
    this.localIds = new Set([...this.localIds].filter((lid) => !seen.has(lid)));
    this.commentsCursor = page.nextCursor;
    this._tailCursor = cursor;
    return page.nextCursor;
  }

  /** A live event: take the ticket as it is now; fetch a reply someone else just wrote. */
  private _live({ activity, ticket }: LiveEvent): void {
    const shown = this.ticket;
    if (!ticket || !shown || ticket.id !== this.ticketId || ticket.id !== shown.id) return;
    // Never go back to an older version (an answer to the user's own change may be newer).
    if (ticket.version >= shown.version) this._take(ticket);
    if (activity.type !== 'ticket.commented') return;
    const commentId = activity.data.commentId as string;
    if (this.comments.some((c) => c.id === commentId)) return;
    // The user's own reply from here is added by _send (it may still be on its way).
    const me = this.data.me?.contact.id;
    const mine = activity.actor.kind === 'contact' && activity.actor.id === me;
    if (mine && this.comments.some((c) => c.pending)) return;
    // Said once per reply, however often the stream or a catch-up brings it back.
    if (!mine && !this._announcedReplies.has(commentId)) {
      this._announcedReplies.add(commentId);
      this.data.announce(msg(str`New reply from ${activity.actor.name}.`, { id: 'ticket-detail.live.reply' }));
    }
    void this._catchUp(ticket.id);
  }

  /**
   * Loads replies newer than the shown ones, when the conversation is shown up to its end (with
   * later pages still unloaded, the "Show later comments" count grows instead).
   */
  private async _catchUp(id: string): Promise<void> {
    if (this._catchingUp) {
      this._catchUpAgain = true;
      return;
    }
    const client = this.data.client;
    if (!client || this.commentsCursor || this.moreLoading || this.commentsTask.status !== TaskStatus.COMPLETE) return;
    this._catchingUp = true;
    try {
      let cursor: string | null | undefined = this._tailCursor;
      do {
        cursor = await this._loadPage(client, id, cursor);
        if (cursor === undefined) return;
      } while (cursor);
      // The reader has the reply in front of them: it is not unread.
      this._markSeen(id);
    } catch {
      // Live updates are a nicety: the reply shows on the next load.
    } finally {
      this._catchingUp = false;
      if (this._catchUpAgain) {
        this._catchUpAgain = false;
        if (id === this.ticketId) void this._catchUp(id);
      }
    }
  }
}
