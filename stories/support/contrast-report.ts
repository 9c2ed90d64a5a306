/**
 * `<story-contrast-report for="id">`: a story-only element that runs the accessibility tests'
 * contrast check (test/browser/a11y/contrast.ts) on the widgets inside the element `id` once
 * they have loaded, and lists what fails — so a vendor sees in Storybook whether a theme keeps
 * WCAG 1.4.3 and 1.4.11. Not part of the SDK.
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { fieldBorderFailures, textContrastFailures, type ContrastFailure } from '../../test/browser/a11y/contrast.ts';

/** How long to wait for the widgets to load before checking anyway. */
const WAIT_MS = 10_000;

export class StoryContrastReport extends LitElement {
  static override styles = css`
    :host {
      display: block;
      margin-block-start: 1rem;
      font:
        0.875rem/1.4 system-ui,
        sans-serif;
      color: #1b1d21;
    }
    .card {
      padding: 0.75rem 1rem;
      border: 1px solid #6b7280;
      border-radius: 0.375rem;
      background: #ffffff;
    }
    h2 {
      margin: 0 0 0.25rem;
      font-size: 1rem;
    }
    .verdict[data-ok='false'] {
      color: #b42318;
      font-weight: 600;
    }
    .verdict[data-ok='true'] {
      color: #166534;
      font-weight: 600;
    }
    table {
      border-collapse: collapse;
      margin-block-start: 0.5rem;
    }
    th,
    td {
      padding: 0.25rem 0.5rem;
      border-block-end: 1px solid #d5d9df;
      text-align: start;
    }
    button {
      min-height: 24px;
      margin-block-start: 0.5rem;
    }
  `;

  /** Id of the element around the widgets to check. */
  @property() for = '';

  @state() private failures: ContrastFailure[] | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.checkWhenLoaded();
  }

  override render() {
    const failures = this.failures;
    return html`<section class="card" aria-labelledby="title">
      <h2 id="title">Contrast check, computed in this page</h2>
      ${
        !failures
          ? html`<p>Waiting for the widget to load…</p>`
          : html`<p class="verdict" data-ok=${String(failures.length === 0)}>
                ${
                  failures.length === 0
                    ? 'Passes: all text has at least 4.5:1 (3:1 when large), every field border at least 3:1.'
                    : `Fails: ${failures.length} ${failures.length === 1 ? 'place is' : 'places are'} below WCAG AA.`
                }
              </p>
              ${failures.length ? this.renderTable(failures) : nothing}`
      }
      <button type="button" @click=${() => this.check()}>Check again</button>
    </section>`;
  }

  private renderTable(failures: ContrastFailure[]) {
    return html`<table>
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Contrast</th>
          <th scope="col">Needed</th>
          <th scope="col">Colours</th>
        </tr>
      </thead>
      <tbody>
        ${failures.map(
          (f) =>
            html`<tr>
              <td>${f.text}</td>
              <td>${f.ratio.toFixed(2)}:1</td>
              <td>${f.needed}:1</td>
              <td>${f.color}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  /** The widgets inside the target: custom elements whose shadow root has content. */
  private widgets(): Element[] {
    const target = document.getElementById(this.for);
    return target ? [...target.querySelectorAll('*')].filter((el) => el.localName.startsWith('portico-') && el.shadowRoot) : [];
  }

  private check(): void {
    this.failures = this.widgets().flatMap((w) => [...textContrastFailures(w), ...fieldBorderFailures(w)]);
  }

  /** Checks once every widget has rendered something other than its loading view (or after WAIT_MS). */
  private async checkWhenLoaded(): Promise<void> {
    const started = Date.now();
    const loaded = () => {
      const widgets = this.widgets();
      return (
        widgets.length > 0 && widgets.every((w) => w.shadowRoot!.querySelector('form, [part~="base"]') && !w.shadowRoot!.querySelector('[part~="loading"]'))
      );
    };
    while (!loaded() && Date.now() - started < WAIT_MS) await new Promise((r) => setTimeout(r, 100));
    await Promise.all(this.widgets().map((w) => (w as Partial<LitElement>).updateComplete));
    if (this.isConnected) this.check();
  }
}

if (!customElements.get('story-contrast-report')) customElements.define('story-contrast-report', StoryContrastReport);

declare global {
  interface HTMLElementTagNameMap {
    'story-contrast-report': StoryContrastReport;
  }
}
