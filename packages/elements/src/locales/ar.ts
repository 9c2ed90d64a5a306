
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit';
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'ticket-list.view.mine': `My tickets`,
'ticket-list.view.account': `Account`,
'ticket-list.view.following': `Following`,
'ticket-list.view.unsolved': `All unsolved`,
'ticket.status.new': `New`,
'ticket.status.open': `Open`,
'ticket.status.pending': `Pending`,
'ticket.status.solved': `Solved`,
'ticket.status.closed': `Closed`,
'ticket.priority.low': `Low`,
'ticket.priority.normal': `Normal`,
'ticket.priority.high': `High`,
'ticket.priority.urgent': `Urgent`,
'ticket-list.views.label': `Ticket views`,
'ticket-list.filter.status': `Status`,
'ticket-list.filter.legend': `Show only tickets with status`,
'ticket-list.loading': `Loading tickets…`,
'ticket-list.empty': `No tickets in this view`,
'ticket-list.empty.hint': `Try clearing the status filter.`,
'ticket-list.error.expired': `Your session has expired. Sign in again to see your tickets.`,
'ticket-list.error.title': `Couldn’t load tickets.`,
'common.retry': `Retry`,
'ticket-list.list.label': str`${0} tickets`,
'ticket-list.row.priority': `Priority:`,
'ticket-list.row.updated': html`Updated <time datetime="${0}" title="${1}">${2}</time>`,
'ticket.visibility.private': `Private`,
'ticket-list.count.more': str`${0} tickets shown, more available`,
'ticket-list.count': str`${0} tickets shown`,
'ticket-list.more.error': str`Couldn’t load more tickets. ${0}`,
'common.loading': `Loading…`,
'common.try-again': `Try again`,
'ticket-list.load-more': `Load more`,
    };
  