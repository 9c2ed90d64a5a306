/**
 * @portico/elements — importing this module registers every Portico element.
 * To register only some, import `@portico/elements/define/portico-<name>.js` instead;
 * the classes themselves (`@portico/elements/<name>/<name>.js`) never self-register.
 */
import './define/portico-provider.ts';
import './define/portico-ticket-list.ts';
import './define/portico-contacts.ts';
import './define/portico-ticket-form.ts';
import './define/portico-timeline.ts';
import './define/portico-notifications.ts';
import './define/portico-account-summary.ts';
import './define/portico-support-panel.ts';
import './define/portico-ticket-detail.ts';

export { defineElement } from './define-element.ts';
export {
  emitter,
  type Emit,
  type PorticoElementEvents,
  type PorticoEventDetail,
  type PorticoEventMap,
  type PorticoEventName,
  type PorticoEventSource,
} from './events.ts';
export { clientContext, sessionContext, SESSION_STATUSES, type SessionState, type SessionStatus } from './context.ts';
export { tokens } from './styles/tokens.ts';
export {
  PROVIDER_THEMES,
  PorticoProvider,
  type PorticoSessionChangeDetail,
  type PorticoSessionExpiredDetail,
  type PorticoSessionWarningDetail,
  type ProviderTheme,
} from './provider/provider.ts';
export { PorticoTicketList, type PorticoTicketSelectDetail, type PorticoViewChangeDetail, type TicketListFilters } from './ticket-list/ticket-list.ts';
export {
  PorticoTicketDetail,
  type PorticoCommentCreatedDetail,
  type PorticoTicketEscalatedDetail,
  type PorticoTicketUpdatedDetail,
} from './ticket-detail/ticket-detail.ts';
export {
  PorticoContacts,
  type PorticoContactChange,
  type PorticoContactDeactivatedDetail,
  type PorticoContactInvitedDetail,
  type PorticoContactUpdatedDetail,
} from './contacts/contacts.ts';
export {
  PorticoTicketForm,
  type PorticoTicketCreatedDetail,
  type PorticoTicketFollowedDetail,
  type PorticoTicketSubmitDetail,
} from './ticket-form/ticket-form.ts';
export { PorticoTimeline, type PorticoTimelineTicketSelectDetail } from './timeline/timeline.ts';
export { LiveEventsController, subscribeLive, type LiveEventsOptions } from './internal/live-events.ts';
export { PorticoNotifications, type PorticoNotificationSelectDetail } from './notifications/notifications.ts';
export { PorticoAccountSummary } from './account-summary/account-summary.ts';
export {
  PorticoSupportPanel,
  PANEL_MODES,
  PANEL_VIEWS,
  type PanelMode,
  type PanelPlace,
  type PanelView,
  type PorticoNavigateDetail,
  type PorticoPanelToggleDetail,
} from './support-panel/support-panel.ts';
