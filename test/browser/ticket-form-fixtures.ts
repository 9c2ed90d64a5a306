/** Helpers shared by the `<portico-ticket-form>` browser tests (not shipped). */
import { waitUntil } from '@open-wc/testing';
import { PROBLEM_CONTENT_TYPE, type Ticket } from '@portico/core';
import { html } from 'lit';
import { HttpResponse, http } from 'msw';
import { mountWithProvider, part, parts, useMockApi } from './fixtures.ts';
import '../../packages/elements/src/define/portico-ticket-form.ts';
import type { PorticoTicketForm } from '../../packages/elements/src/ticket-form/ticket-form.ts';

export type MockApi = Awaited<ReturnType<typeof useMockApi>>['api'];
export type Worker = Awaited<ReturnType<typeof useMockApi>>['worker'];

/** Mounts the form inside a provider signed in as `as` (default Mia), once its session is ready. */
export async function mountForm(as = 'mia@acme.example') {
  const mounted = await mountWithProvider<PorticoTicketForm>(html`<portico-ticket-form></portico-ticket-form>`, { as });
  await waitUntil(() => control(mounted.el, 'subject') || part(mounted.el, 'notice')?.textContent?.includes('role'), 'the form never appeared', {
    timeout: 5000,
  });
  return mounted;
}

/** A control in the form's shadow root, by id. */
export function control<T extends HTMLElement = HTMLInputElement>(el: Element, id: string): T {
  return el.shadowRoot!.getElementById(id) as T;
}

/**
 * Focuses a control. A test page without system focus (another window or page in front, as
 * in a full test run) gets no focus events from `focus()`; then they are sent as the browser
 * would send them, so the form sees what a user's focus change does.
 */
export function focusControl(target: HTMLElement): void {
  target.focus();
  if (document.hasFocus()) return;
  target.dispatchEvent(new FocusEvent('focus'));
  target.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
}

/** Moves focus away from a control (see `focusControl`). */
export function blurControl(target: HTMLElement): void {
  target.blur();
  if (document.hasFocus()) return;
  target.dispatchEvent(new FocusEvent('blur'));
  target.dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
}

/** Types into a text field the way a user does: focus, new value, `input` event. */
export async function type(el: PorticoTicketForm, id: string, text: string): Promise<void> {
  const input = control<HTMLInputElement | HTMLTextAreaElement>(el, id);
  focusControl(input);
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: text }));
  await el.updateComplete;
}

/** Chooses an option of a select (`category`, `priority`). */
export async function choose(el: PorticoTicketForm, id: string, value: string): Promise<void> {
  const select = control<HTMLSelectElement>(el, id);
  focusControl(select);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/** Moves focus out of a field (the form validates a field once it was left). */
export async function leave(el: PorticoTicketForm, id: string): Promise<void> {
  const input = control(el, id);
  focusControl(input);
  blurControl(input);
  await el.updateComplete;
}

/** The error text shown under a field (`subject`, `impact`, `cc`, `files`…). */
export const errorOf = (el: Element, id: string) => control(el, `${id}-error`)?.textContent?.trim() ?? '';

export async function submit(el: PorticoTicketForm): Promise<void> {
  part<HTMLButtonElement>(el, 'submit')!.click();
  await el.updateComplete;
}

/** Fills every required field with valid values. */
export async function fillValid(el: PorticoTicketForm, subject = 'Export button missing on dashboards'): Promise<void> {
  await type(el, 'subject', subject);
  await type(el, 'description', 'Since this morning the export button is gone from every dashboard.');
  await choose(el, 'category', 'technical');
}

/** Tickets of the mock store whose subject is `subject`. */
export async function ticketsWithSubject(api: MockApi, subject: string): Promise<Ticket[]> {
  const all = await api.store.searchTickets({
    scope: api.seed.accounts.map((a) => ({ kind: 'all' as const, accountId: a.id })),
    filter: {},
    sort: 'created',
    limit: 1000,
  });
  return all.items.filter((t) => t.subject === subject);
}

/** Records the query of every colleague directory request (`GET /v1/contacts`) and lets it through to the API. */
export function spyOnContacts(worker: Worker): URLSearchParams[] {
  const seen: URLSearchParams[] = [];
  worker.use(
    http.get('/api/v1/contacts', ({ request }) => {
      seen.push(new URL(request.url).searchParams);
      return undefined;
    }),
  );
  return seen;
}

export const problem = (status: number, code: string, detail: string, fieldErrors?: Record<string, string[]>) =>
  HttpResponse.json(
    { type: `https://portico.dev/problems/${code}`, title: detail, status, code, detail, ...(fieldErrors ? { fieldErrors } : {}) },
    { status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE } },
  );

/** Waits until the duplicates panel lists tickets, and returns their refs. */
export async function duplicateRefs(el: Element): Promise<string[]> {
  await waitUntil(() => parts(el, 'duplicate').length > 0, 'no possible duplicates appeared', { timeout: 5000 });
  return parts(el, 'duplicate').map((d) => d.querySelector('.ref')!.textContent!.trim());
}

/** Every stored draft of the form (localStorage). */
export function storedDrafts(): Record<string, any> {
  const out: Record<string, any> = {};
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!;
    if (key.startsWith('portico:ticket-draft:')) out[key] = JSON.parse(localStorage.getItem(key)!);
  }
  return out;
}

export function clearDrafts(): void {
  for (const key of Object.keys(storedDrafts())) localStorage.removeItem(key);
}

/** Gives a slow test (axe over the whole form, several mounts) more than Mocha's default time. */
export function allowSeconds(context: unknown, seconds: number): void {
  (context as { timeout(ms: number): void }).timeout(seconds * 1000);
}
