import { msg } from '@lit/localize';
import type { Action } from '@portico/core';
import { html, type TemplateResult } from 'lit';

/** The places the panel can show, in tab order. */
export const PANEL_VIEWS = ['tickets', 'new-ticket', 'activity', 'team', 'summary'] as const;
export type PanelView = (typeof PANEL_VIEWS)[number];

/** Where the panel is: a tab, and for `tickets` optionally one ticket. */
export interface PanelPlace {
  readonly view: PanelView;
  /** The open ticket (only in `tickets`); `null` for the list. */
  readonly ticketId: string | null;
}

/** What a tab may ask of the panel. */
export interface PanelNavigator {
  /** Moves to `place` as a user move (fires `portico-navigate`, pushes history). */
  go(place: PanelPlace): void;
}

/** One tab: its element is imported on first use, so the panel's first load stays small. */
export interface PanelTab {
  readonly view: PanelView;
  /** The tab's label, read at render time so it follows the locale. */
  readonly label: () => string;
  /** The session permission the tab needs; a role without it never sees the tab. */
  readonly permission: Action;
  /** Imports (and registers) the tab's elements for `place`. */
  readonly load: (place: PanelPlace) => Promise<unknown>;
  /** The tab's content for `place`. */
  readonly render: (place: PanelPlace, nav: PanelNavigator) => TemplateResult;
}

/**
 * The tabs this build has. A tab joins when its element exists: add an entry whose `load`
 * imports the element's `define/` module (a dynamic import, so it becomes its own chunk).
 */
export const PANEL_TABS: Readonly<Partial<Record<PanelView, PanelTab>>> = {
  tickets: {
    view: 'tickets',
    label: () => msg('Tickets', { id: 'support-panel.tab.tickets' }),
    permission: 'ticket.view',
    load: () => import('../define/portico-ticket-list.ts'),
    // The list's regions stay styleable from the host page: ::part(ticket-list__row) etc.
    render: () =>
      html`<portico-ticket-list
        exportparts="base: ticket-list__base, toolbar: ticket-list__toolbar, view: ticket-list__view, view-selected: ticket-list__view-selected, row: ticket-list__row, subject: ticket-list__subject, status: ticket-list__status, priority: ticket-list__priority, meta: ticket-list__meta, empty: ticket-list__empty, error: ticket-list__error, load-more: ticket-list__load-more"
      ></portico-ticket-list>`,
  },
  'new-ticket': {
    view: 'new-ticket',
    label: () => msg('New ticket', { id: 'support-panel.tab.new-ticket' }),
    permission: 'ticket.create',
    load: () => import('../define/portico-ticket-form.ts'),
    // The form keeps its own confirmation; its draft survives switching tabs and reloads.
    render: () => html`<portico-ticket-form></portico-ticket-form>`,
  },
  team: {
    view: 'team',
    label: () => msg('Team', { id: 'support-panel.tab.team' }),
    // Managing colleagues is the admins' job; everyone else's directory lives in the ticket form's CC picker.
    permission: 'contact.manage',
    load: () => import('../define/portico-contacts.ts'),
    render: () => html`<portico-contacts></portico-contacts>`,
  },
  activity: {
    view: 'activity',
    label: () => msg('Activity', { id: 'support-panel.tab.activity' }),
    // The timeline shows only entries whose ticket the contact may see, so any role that sees tickets.
    permission: 'ticket.view',
    load: () => import('../define/portico-timeline.ts'),
    // A ticket reference in the timeline opens that ticket in the Tickets tab.
    render: (_place, nav) =>
      html`<portico-timeline @portico-ticket-select=${(event: CustomEvent<{ id: string }>) => nav.go({ view: 'tickets', ticketId: event.detail.id })}></portico-timeline>`,
  },
  summary: {
    view: 'summary',
    label: () => msg('Summary', { id: 'support-panel.tab.summary' }),
    // Figures are computed by the server over the tickets the contact may see.
    permission: 'ticket.view',
    load: () => import('../define/portico-account-summary.ts'),
    // `all`: a parent account's admin gets the roll-up across child accounts; for everyone else it is their own account.
    render: () => html`<portico-account-summary account="all"></portico-account-summary>`,
  },
};
