import { msg } from '@lit/localize';
import type { Action } from '@portico/core';
import { html, nothing, type TemplateResult } from 'lit';
import { exportParts } from './nested-parts.ts';

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
  /**
   * Moves to `place` as a user move (fires `portico-navigate`, pushes history).
   * `false` when the host cancelled the move.
   */
  go(place: PanelPlace): boolean;
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
  /**
   * Names the code `load` imports for `place`, when a tab needs different code for
   * different places (the Tickets tab: list, or one ticket). Each name loads once;
   * without `loadKey` the tab loads once whatever the place.
   */
  readonly loadKey?: (place: PanelPlace) => string;
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
    // The list first; one ticket's detail is its own chunk, fetched when a ticket is opened.
    loadKey: (place) => (place.ticketId ? 'tickets/detail' : 'tickets'),
    load: (place) => (place.ticketId ? import('../define/portico-ticket-detail.ts') : import('../define/portico-ticket-list.ts')),
    // The list stays in the page (hidden) while a ticket is open, so going back keeps its
    // filters, search and scroll without loading it again.
    render: (place, nav) => html`
      <portico-ticket-list
        exportparts=${exportParts('ticket-list')}
        ?hidden=${!!place.ticketId}
        @portico-ticket-select=${(event: CustomEvent<{ id: string }>) => {
          if (!nav.go({ view: 'tickets', ticketId: event.detail.id })) event.preventDefault();
        }}
      ></portico-ticket-list>
      ${
        place.ticketId
          ? html`<button part="all-tickets" class="link-button" type="button" @click=${() => nav.go({ view: 'tickets', ticketId: null })}>
                ${msg('All tickets', { id: 'support-panel.all-tickets' })}
              </button>
              <portico-ticket-detail exportparts=${exportParts('ticket-detail')} ticket-id=${place.ticketId} tabindex="-1"></portico-ticket-detail>`
          : nothing
      }
    `,
  },
  'new-ticket': {
    view: 'new-ticket',
    label: () => msg('New ticket', { id: 'support-panel.tab.new-ticket' }),
    permission: 'ticket.create',
    load: () => import('../define/portico-ticket-form.ts'),
    // The form keeps its own confirmation; its draft survives switching tabs and reloads.
    render: () => html`<portico-ticket-form exportparts=${exportParts('ticket-form')}></portico-ticket-form>`,
  },
  team: {
    view: 'team',
    label: () => msg('Team', { id: 'support-panel.tab.team' }),
    // Managing colleagues is the admins' job; everyone else's directory lives in the ticket form's CC picker.
    permission: 'contact.manage',
    load: () => import('../define/portico-contacts.ts'),
    render: () => html`<portico-contacts exportparts=${exportParts('contacts')}></portico-contacts>`,
  },
  activity: {
    view: 'activity',
    label: () => msg('Activity', { id: 'support-panel.tab.activity' }),
    // The timeline shows only entries whose ticket the contact may see, so any role that sees tickets.
    permission: 'ticket.view',
    load: () => import('../define/portico-timeline.ts'),
    // A ticket reference in the timeline opens that ticket in the Tickets tab.
    render: (_place, nav) =>
      html`<portico-timeline
        exportparts=${exportParts('timeline')}
        @portico-ticket-select=${(event: CustomEvent<{ id: string }>) => nav.go({ view: 'tickets', ticketId: event.detail.id })}
      ></portico-timeline>`,
  },
  summary: {
    view: 'summary',
    label: () => msg('Summary', { id: 'support-panel.tab.summary' }),
    // Figures are computed by the server over the tickets the contact may see.
    permission: 'ticket.view',
    load: () => import('../define/portico-account-summary.ts'),
    // `all`: a parent account's admin gets the roll-up across child accounts; for everyone else it is their own account.
    render: () => html`<portico-account-summary exportparts=${exportParts('account-summary')} account="all"></portico-account-summary>`,
  },
};
