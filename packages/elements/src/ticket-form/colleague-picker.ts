import { msg, str } from '@lit/localize';
import type { Contact, PersonRef, PorticoClient } from '@portico/core';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { isAbortError } from '../internal/errors.ts';
import { field } from './field.ts';

/** How the picker is configured by the form. */
export interface ColleaguePickerOptions {
  /** Prefix of element ids in the shadow root (`cc`, `behalf`). */
  id: string;
  /** Several colleagues (chips) or one. */
  multiple: boolean;
  client: () => PorticoClient | undefined;
  /** Ids never offered (the user, colleagues chosen elsewhere). */
  exclude: () => readonly string[];
  /** Called after the selection changed by a user action. */
  onChange: (selected: PersonRef[]) => void;
}

const DEBOUNCE_MS = 200;
const PAGE = 8;

/**
 * A combobox that finds colleagues through `client.listContacts({ q, status: 'active' })`
 * (WAI-ARIA combobox with a listbox popup). Not an element of its own: it renders into the
 * form's shadow root, so its label, hint and error resolve by id like every other field.
 */
export class ColleaguePicker implements ReactiveController {
  selected: PersonRef[] = [];
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: ColleaguePickerOptions;
  #query = '';
  #results: Contact[] = [];
  #open = false;
  #active = -1;
  #loading = false;
  #failed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request: AbortController | undefined;
  /** Whether the host is rendering (between `hostUpdate` and `hostUpdated`). */
  #rendering = false;

  constructor(host: ReactiveControllerHost & HTMLElement, options: ColleaguePickerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdate(): void {
    this.#rendering = true;
  }

  hostUpdated(): void {
    this.#rendering = false;
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#request?.abort();
    this.#open = false;
  }

  /** Id of the input, for `<label for>` and focusing the field. */
  get inputId(): string {
    return `${this.#options.id}-input`;
  }

  // The combobox is named by field()'s <label for=inputId>, which the rule cannot follow; the
  // options are chosen from the keyboard through the combobox (aria-activedescendant), so a
  // click handler on an option needs no key handler of its own.
  /* eslint-disable lit-a11y/accessible-name, lit-a11y/click-events-have-key-events */
  render(label: string, hint: string, error: string | undefined) {
    const { id, multiple } = this.#options;
    const listbox = `${id}-listbox`;
    const open = this.#open;
    return field(
      id,
      id,
      label,
      html`${
        this.selected.length
          ? html`<ul class="chips" part="chips" aria-label=${label}>
              ${this.selected.map(
                (p) =>
                  html`<li class="chip" part="chip">
                    <span>${p.name}</span>
                    <button
                      type="button"
                      class="chip-remove"
                      aria-label=${msg(str`Remove ${p.name}`, { id: 'ticket-form.colleague.remove' })}
                      @click=${() => this.#remove(p.id)}
                    >
                      ×
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        multiple || !this.selected.length
          ? html`<div class="combo">
              <input
                id=${this.inputId}
                part="input"
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-expanded=${open ? 'true' : 'false'}
                aria-controls=${listbox}
                aria-activedescendant=${open && this.#active >= 0 ? `${id}-opt-${this.#active}` : ''}
                aria-describedby=${`${id}-hint${error ? ` ${id}-error` : ''}`}
                aria-invalid=${error ? 'true' : 'false'}
                .value=${this.#query}
                @input=${this.#onInput}
                @keydown=${this.#onKeydown}
                @focus=${this.#onFocus}
                @blur=${this.#onBlur}
              />
              <ul
                id=${listbox}
                part="listbox"
                class="listbox"
                role="listbox"
                aria-label=${label}
                ?hidden=${!open}
                @mousedown=${(e: Event) => e.preventDefault()}
              >
                ${this.#results.map(
                  (c, i) =>
                    html`<li
                      id=${`${id}-opt-${i}`}
                      role="option"
                      part="option"
                      class="option"
                      aria-selected=${i === this.#active ? 'true' : 'false'}
                      @click=${() => this.#choose(c)}
                    >
                      <span class="option-name">${c.name}</span> <span class="option-email">${c.email}</span>
                    </li>`,
                )}
              </ul>
              <span hidden data-announce=${this.#status()}></span>
            </div>`
          : nothing
      }`,
      hint,
      error,
      this.inputId,
    );
  }
  /* eslint-enable lit-a11y/accessible-name, lit-a11y/click-events-have-key-events */

  #status(): string {
    if (!this.#open) return '';
    if (this.#failed) return msg("Couldn't load colleagues. Try again.", { id: 'ticket-form.colleague.failed' });
    if (this.#loading) return msg('Searching colleagues…', { id: 'ticket-form.colleague.searching' });
    return this.#results.length
      ? msg(str`${this.#results.length} colleagues found`, { id: 'ticket-form.colleague.count' })
      : msg('No colleague found', { id: 'ticket-form.colleague.none' });
  }

  /** Shows `results`, the first one active. */
  #show(results: Contact[]): void {
    this.#results = results;
    this.#active = results.length ? 0 : -1;
  }

  #openList(): void {
    this.#open = true;
    void this.#search();
  }

  async #search(): Promise<void> {
    const client = this.#options.client();
    if (!client) return;
    this.#request?.abort();
    const request = new AbortController();
    this.#request = request;
    this.#loading = true;
    this.#failed = false;
    this.#host.requestUpdate();
    try {
      const page = await client.listContacts({ q: this.#query.trim() || undefined, status: ['active'], limit: PAGE + 4 }, { signal: request.signal });
      if (request.signal.aborted) return;
      const exclude = new Set([...this.#options.exclude(), ...this.selected.map((p) => p.id)]);
      this.#show(page.items.filter((c) => c.status === 'active' && !exclude.has(c.id)).slice(0, PAGE));
    } catch (error) {
      if (request.signal.aborted || isAbortError(error)) return;
      this.#show([]);
      this.#failed = true;
    } finally {
      if (this.#request === request) {
        this.#loading = false;
        this.#request = undefined;
      }
      this.#host.requestUpdate();
    }
  }

  /** Reports a new selection to the form, then focuses what the user continues with. */
  #changed(focus: (root: ShadowRoot) => HTMLElement | null): void {
    this.#options.onChange(this.selected);
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => {
      const root = this.#host.shadowRoot;
      if (root) focus(root)?.focus();
    });
  }

  #choose(contact: Contact): void {
    const person: PersonRef = { id: contact.id, name: contact.name, email: contact.email };
    this.selected = this.#options.multiple ? [...this.selected, person] : [person];
    this.#query = '';
    this.#open = false;
    this.#results = [];
    // In single mode the input disappears with the choice: keep focus on the chip's button.
    this.#changed((root) => root.getElementById(this.inputId) ?? root.querySelector<HTMLElement>(`[data-field="${this.#options.id}"] .chip-remove`));
  }

  #remove(id: string): void {
    this.selected = this.selected.filter((p) => p.id !== id);
    this.#changed((root) => root.getElementById(this.inputId));
  }

  #onInput = (event: InputEvent) => {
    this.#query = (event.target as HTMLInputElement).value;
    // Narrow what is shown right away, so Enter never picks a stale suggestion while the search runs.
    const q = this.#query.trim().toLowerCase();
    this.#show(this.#results.filter((c) => c.name.toLowerCase().includes(q) || c.email.toLowerCase().includes(q)));
    this.#open = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#search(), DEBOUNCE_MS);
    this.#host.requestUpdate();
  };

  #onFocus = () => {
    if (!this.#open && !this.#results.length) this.#openList();
  };

  #onBlur = () => {
    this.#open = false;
    clearTimeout(this.#timer);
    // Chromium blurs a focused input as the host's render removes it (the form giving way to its
    // confirmation): nothing is left to redraw then, and asking would render the host twice.
    if (!this.#rendering) this.#host.requestUpdate();
  };

  #onKeydown = (event: KeyboardEvent) => {
    const n = this.#results.length;
    switch (event.key) {
      case 'ArrowDown':
        if (!this.#open) this.#openList();
        else if (n) this.#active = (this.#active + 1) % n;
        break;
      case 'ArrowUp':
        if (n) this.#active = (this.#active - 1 + n) % n;
        break;
      case 'Enter': {
        // Never submit the form from the picker.
        event.preventDefault();
        const contact = this.#open ? this.#results[this.#active] : undefined;
        if (contact) this.#choose(contact);
        return;
      }
      case 'Escape':
        if (!this.#open) return;
        this.#open = false;
        event.stopPropagation();
        break;
      default:
        return;
    }
    event.preventDefault();
    this.#host.requestUpdate();
  };
}
