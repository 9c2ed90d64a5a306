/**
 * Every widget in its main loaded state, mounted inside a provider on the mocked API, for the
 * accessibility tests. One list, so a new widget is covered by every test at once.
 */
import { waitUntil } from '@open-wc/testing';
import type { PorticoProvider } from '@portico/elements/define/portico-provider.js';
import '@portico/elements/define/portico-account-summary.js';
import '@portico/elements/define/portico-contacts.js';
import '@portico/elements/define/portico-notifications.js';
import '@portico/elements/define/portico-support-panel.js';
import '@portico/elements/define/portico-ticket-detail.js';
import '@portico/elements/define/portico-ticket-form.js';
import '@portico/elements/define/portico-ticket-list.js';
import '@portico/elements/define/portico-timeline.js';
import { html, type TemplateResult } from 'lit';
import { mountWithProvider, useMockApi } from '../fixtures.ts';

export interface WidgetCase {
  /** The element's tag. */
  tag: string;
  template: (ticketId: string) => TemplateResult;
  /** A selector in the element's shadow root that shows it has loaded. */
  loaded: string;
  /** More to wait for, when the widget's content is another widget's (the panel's list). */
  ready?: (el: HTMLElement) => unknown;
}

export const WIDGETS: readonly WidgetCase[] = [
  // Rows and view counts come from two requests: wait for both.
  {
    tag: 'portico-ticket-list',
    template: () => html`<portico-ticket-list></portico-ticket-list>`,
    loaded: '[part~="row"]',
    ready: (el) => el.shadowRoot?.querySelector('[part~="count"]'),
  },
  {
    tag: 'portico-ticket-detail',
    template: (id) => html`<portico-ticket-detail ticket-id=${id}></portico-ticket-detail>`,
    loaded: '[part~="comment"], [part~="thread"]',
  },
  { tag: 'portico-ticket-form', template: () => html`<portico-ticket-form></portico-ticket-form>`, loaded: 'form' },
  { tag: 'portico-contacts', template: () => html`<portico-contacts></portico-contacts>`, loaded: '[part~="row"], tbody tr' },
  { tag: 'portico-timeline', template: () => html`<portico-timeline></portico-timeline>`, loaded: '[part~="entry"], li' },
  { tag: 'portico-account-summary', template: () => html`<portico-account-summary></portico-account-summary>`, loaded: '[part~="figures"]' },
  // The bell as the page shows it: closed, with its count (its list is built when first opened).
  {
    tag: 'portico-notifications',
    template: () => html`<portico-notifications></portico-notifications>`,
    loaded: '[part~="button"]',
    ready: (el) => (el as HTMLElement & { loaded?: boolean }).loaded,
  },
  {
    tag: 'portico-support-panel',
    template: () => html`<portico-support-panel></portico-support-panel>`,
    loaded: '[role="tablist"]',
    ready: (el) => {
      const list = el.shadowRoot?.querySelector('portico-ticket-list')?.shadowRoot;
      return list?.querySelector('[part~="row"]') && list.querySelector('[part~="count"]');
    },
  },
];

/**
 * The clock of the mocked API in these tests: a Monday morning in business hours, so the
 * seed's SLA states and the timeline's day groups are the same on every run.
 */
export const FIXED_NOW = new Date('2026-03-02T10:00:00Z');

/** A fresh demo API at `FIXED_NOW`, and a ticket every demo admin may see (the first of Acme's account-visible tickets). */
export async function demoTicketId(): Promise<string> {
  const { api } = await useMockApi({ now: FIXED_NOW });
  const ticket = api.seed.tickets.find((t) => t.visibility === 'account' && t.accountId === 'acc_acme');
  if (!ticket) throw new Error('the demo seed has no account-visible Acme ticket');
  return ticket.id;
}

export interface Mounted {
  provider: PorticoProvider;
  el: HTMLElement;
}

/** Mounts one widget as `as` (default Ada, an admin: every control shows) and waits until it has loaded. */
export async function mountWidget(widget: WidgetCase, options: { as?: string; theme?: 'light' | 'dark' } = {}): Promise<Mounted> {
  const id = await demoTicketId();
  const { provider, el } = await mountWithProvider<HTMLElement>(widget.template(id), { as: options.as ?? 'ada@acme.example' });
  if (options.theme) provider.theme = options.theme;
  // A page that uses a theme has a matching background (the widgets without a surface of
  // their own, like the notifications bell, sit on it).
  document.body.style.background = options.theme === 'dark' ? '#17191e' : '';
  await waitUntil(() => el.shadowRoot?.querySelector(widget.loaded) && (widget.ready?.(el) ?? true), `${widget.tag} never loaded`, { timeout: 8000 });
  await (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  return { provider, el };
}
