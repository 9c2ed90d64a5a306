
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit';
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'common.loading': `Wird geladen…`,
'common.retry': `Erneut versuchen`,
'common.try-again': `Noch einmal versuchen`,
'support-panel.back': `Zurück`,
'support-panel.close': `Schließen`,
'support-panel.expired': `Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um Support zu erhalten.`,
'support-panel.forward': `Vorwärts`,
'support-panel.load-error': `Dieser Bereich konnte nicht geladen werden.`,
'support-panel.no-provider': `Das Support-Panel muss innerhalb von &lt;portico-provider&gt; stehen.`,
'support-panel.no-tabs': `Für Ihre Rolle gibt es hier nichts.`,
'support-panel.session-error': `Verbindung zum Support nicht möglich.`,
'support-panel.tab.tickets': `Tickets`,
'support-panel.tabs.label': `Support-Bereiche`,
'support-panel.title': `Support`,
'ticket-list.count': str`${0} Tickets angezeigt`,
'ticket-list.count.more': str`${0} Tickets angezeigt, weitere verfügbar`,
'ticket-list.empty': `Keine Tickets in dieser Ansicht`,
'ticket-list.empty.hint': `Versuchen Sie, den Statusfilter zurückzusetzen.`,
'ticket-list.error.expired': `Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um Ihre Tickets zu sehen.`,
'ticket-list.error.title': `Tickets konnten nicht geladen werden.`,
'ticket-list.filter.legend': `Nur Tickets mit diesem Status anzeigen`,
'ticket-list.filter.status': `Status`,
'ticket-list.list.label': str`Tickets: ${0}`,
'ticket-list.load-more': `Mehr laden`,
'ticket-list.loading': `Tickets werden geladen…`,
'ticket-list.more.error': str`Weitere Tickets konnten nicht geladen werden. ${0}`,
'ticket-list.row.priority': `Priorität:`,
'ticket-list.row.updated': html`Aktualisiert <time datetime="${0}" title="${1}">${2}</time>`,
'ticket-list.view.account': `Konto`,
'ticket-list.view.following': `Gefolgt`,
'ticket-list.view.mine': `Meine Tickets`,
'ticket-list.view.unsolved': `Alle ungelösten`,
'ticket-list.views.label': `Ticketansichten`,
'ticket.priority.high': `Hoch`,
'ticket.priority.low': `Niedrig`,
'ticket.priority.normal': `Normal`,
'ticket.priority.urgent': `Dringend`,
'ticket.status.closed': `Geschlossen`,
'ticket.status.new': `Neu`,
'ticket.status.open': `Offen`,
'ticket.status.pending': `Wartend`,
'ticket.status.solved': `Gelöst`,
'ticket.visibility.private': `Privat`,
    };
  