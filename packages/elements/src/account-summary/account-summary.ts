import { localized, msg, str } from '@lit/localize';
import type { AccountSummary, PorticoClient, SummaryFigures } from '@portico/core';
import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { DataController } from '../internal/data-controller.ts';
import { dataView } from '../internal/states.ts';
import { localeOf } from '../internal/format.ts';
import { CATEGORIES, categoryLabel } from '../internal/labels.ts';
import { stateStyles } from '../styles/states.ts';
import { tokens } from '../styles/tokens.ts';

/** Refetch at most this often while live events arrive. */
const LIVE_REFRESH_MS = 1_000;

/**
 * Shows the figures the server computes for the signed-in contact's account over the last
 * `days` days: open tickets by status, SLA breaches now and compliance over the period, median
 * first response and resolution times, satisfaction, tickets by category and questions answered
 * by articles. An admin of a parent account sets `account="all"` for a roll-up with a row per
 * child account. The figures refresh (at most once a second) while live events arrive.
 *
 * @summary The account's support KPIs: open tickets, SLA, response times, CSAT, categories, deflections; a roll-up for parent accounts.
 * @tag portico-account-summary
 *
 * @csspart base - The wrapper.
 * @csspart figures - The grid of figures.
 * @csspart figure - One figure (label and value).
 * @csspart value - The value of a figure.
 * @csspart categories - The tickets-by-category list.
 * @csspart accounts - The per-account table of a roll-up.
 * @csspart loading - Shown while loading.
 * @csspart error - Shown when loading failed, with Retry.
 *
 * @cssproperty --portico-account-summary-columns - Minimum width of a figure column (default 10rem).
 * @cssproperty --portico-color-surface - Background.
 * @cssproperty --portico-color-border - Borders.
 * @cssproperty --portico-color-danger - SLA breaches.
 */
@localized()
export class PorticoAccountSummary extends LitElement {
  static override styles = [
    tokens,
    stateStyles,
    css`
      :host {
        display: block;
      }
      .base {
        background: var(--_portico-surface);
        border: 1px solid var(--_portico-border);
        border-radius: var(--_portico-radius);
        padding: var(--_portico-space-3) var(--_portico-space-4);
      }
      h2 {
        font-size: 1em;
        margin: 0 0 var(--_portico-space-3);
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(var(--portico-account-summary-columns, 10rem), 1fr));
        gap: var(--_portico-space-3);
        margin: 0;
      }
      .figure {
        border: 1px solid var(--_portico-border);
        border-radius: var(--_portico-radius);
        padding: var(--_portico-space-2) var(--_portico-space-3);
      }
      dt {
        color: var(--_portico-muted);
        font-size: 0.85em;
      }
      dd {
        margin: 0;
      }
      .value {
        font-size: 1.5em;
        font-weight: 600;
      }
      .note {
        display: block;
        color: var(--_portico-muted);
        font-size: 0.85em;
      }
      .breached {
        color: var(--_portico-danger);
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        margin-block-start: var(--_portico-space-4);
      }
      th,
      td {
        text-align: start;
        padding: var(--_portico-space-1) var(--_portico-space-2);
        border-block-end: 1px solid var(--_portico-border);
      }
      ul {
        margin: 0;
        padding-inline-start: 1.1em;
      }
      button {
        font: inherit;
      }
    `,
  ];

  private readonly data = new DataController(this, { live: () => this._scheduleRefresh() });

  private readonly summaryTask = this.data.task({
    args: () => [this.account, this._days()] as const,
    load: (client, [account, days], { signal }) => client.getSummary({ account: account || undefined, days }, { signal }),
  });

  /** The account to summarize: an id, `all` for a roll-up of child accounts (parent admins), or empty for your own. */
  @property() account = '';

  /** Length of the period of the period-based figures, in days (1–365). */
  @property({ type: Number }) days = 30;

  /** A backend adapter that wins over the one `<portico-provider>` shares. */
  @property({ attribute: false }) client: PorticoClient | undefined;

  private _timer: ReturnType<typeof setTimeout> | undefined;

  private _days(): number {
    const n = Number(this.days);
    return Number.isInteger(n) && n >= 1 && n <= 365 ? n : 30;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  /** Loads the figures again. */
  refresh(): void {
    this.data.refresh();
  }

  /** Figures change with almost any activity: refetch, but not more than once a second. */
  private _scheduleRefresh(): void {
    this._timer ??= setTimeout(() => {
      this._timer = undefined;
      this.data.refresh();
    }, LIVE_REFRESH_MS);
  }

  override render() {
    return html`<section part="base" class="base" aria-labelledby="title">
      <h2 id="title">${msg(str`Support summary, last ${this._days()} days`, { id: 'summary.title' })}</h2>
      ${dataView(this.data, this.summaryTask, {
        loading: msg('Loading the summary…', { id: 'summary.loading' }),
        error: msg('Couldn’t load the summary.', { id: 'summary.error' }),
        retry: msg('Retry', { id: 'summary.retry' }),
        // A live refresh keeps the figures on screen until the new ones arrive.
        keepWhileReloading: true,
        complete: (summary) => this.renderSummary(summary),
      })}
    </section>`;
  }

  private renderSummary(summary: AccountSummary) {
    return html`${this.renderFigures(summary.figures)}
    ${
      summary.accounts.length
        ? html`<table part="accounts">
            <caption class="visually-hidden">
              ${msg('By account', { id: 'summary.accounts' })}
            </caption>
            <thead>
              <tr>
                <th scope="col">${msg('Account', { id: 'summary.accounts.account' })}</th>
                <th scope="col">${msg('Open', { id: 'summary.accounts.open' })}</th>
                <th scope="col">${msg('SLA breached now', { id: 'summary.accounts.breached' })}</th>
                <th scope="col">${msg('SLA compliance', { id: 'summary.accounts.compliance' })}</th>
              </tr>
            </thead>
            <tbody>
              ${summary.accounts.map(
                (a) =>
                  html`<tr>
                    <th scope="row">${a.account.name}</th>
                    <td>${this._number(a.figures.open.total)}</td>
                    <td>${this._number(a.figures.slaNow.breached)}</td>
                    <td>${this._percent(a.figures.slaCompliance.ratio)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : nothing
    }`;
  }

  private renderFigures(f: SummaryFigures) {
    const figure = (name: string, label: string, value: unknown, note: unknown = nothing) =>
      html`<div part="figure" class="figure" data-figure=${name}>
        <dt>${label}</dt>
        <dd><span part="value" class="value">${value}</span>${note}</dd>
      </div>`;
    return html`<dl part="figures">
      ${figure(
        'open',
        msg('Open tickets', { id: 'summary.open' }),
        this._number(f.open.total),
        html`<span class="note">${msg(str`${f.open.new} new · ${f.open.open} open · ${f.open.pending} pending`, { id: 'summary.open.note' })}</span>`,
      )}
      ${figure(
        'sla-now',
        msg('SLA now', { id: 'summary.sla-now' }),
        html`<span class=${f.slaNow.breached ? 'breached' : ''}>${this._number(f.slaNow.breached)}</span>`,
        html`<span class="note">${msg(str`breached · ${f.slaNow.atRisk} at risk`, { id: 'summary.sla-now.note' })}</span>`,
      )}
      ${figure('sla-compliance', msg('SLA compliance', { id: 'summary.sla-compliance' }), this._percent(f.slaCompliance.ratio))}
      ${figure('first-response', msg('Median first response', { id: 'summary.first-response' }), this._duration(f.medianFirstResponseMinutes))}
      ${figure('resolution', msg('Median resolution', { id: 'summary.resolution' }), this._duration(f.medianResolutionMinutes))}
      ${figure(
        'csat',
        msg('Satisfaction', { id: 'summary.csat' }),
        this._percent(f.csat.ratio),
        html`<span class="note">${msg(str`${f.csat.good} good · ${f.csat.bad} bad`, { id: 'summary.csat.note' })}</span>`,
      )}
      ${figure('deflections', msg('Answered by articles', { id: 'summary.deflections' }), this._number(f.deflections))}
      ${figure(
        'categories',
        msg('New tickets by category', { id: 'summary.categories' }),
        nothing,
        html`<ul part="categories">
          ${CATEGORIES.map((k) => html`<li data-category=${k}>${categoryLabel(k)}: ${this._number(f.byCategory[k] ?? 0)}</li>`)}
        </ul>`,
      )}
    </dl>`;
  }

  private _number(n: number): string {
    return new Intl.NumberFormat(localeOf(this)).format(n);
  }

  private _percent(ratio: number | null): string {
    return ratio === null ? '–' : new Intl.NumberFormat(localeOf(this), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
  }

  private _duration(minutes: number | null): string {
    if (minutes === null) return '–';
    // Minutes keep Intl's default precision (3 digits); hours and days show one.
    const [unit, size] = minutes < 60 ? ['minute', 1] : minutes < 48 * 60 ? ['hour', 60] : ['day', 1440];
    return new Intl.NumberFormat(localeOf(this), { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: size > 1 ? 1 : 3 }).format(minutes / size);
  }
}
