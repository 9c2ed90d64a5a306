/**
 * The events of every Portico element, in one map: which element fires which event, with
 * which detail. Everything about events reads it:
 *
 * - `emitter()` gives each element a typed `emit()`: it can only fire its own events, with the
 *   right detail, always bubbling and composed (so a page hears them through shadow roots);
 * - the global `HTMLElementEventMap`, `DocumentEventMap` and `WindowEventMap` learn every
 *   event, so `document.addEventListener('portico-navigate', (e) => e.detail.view)` is typed
 *   in a strict project, not only listeners on the element;
 * - scripts/check-manifest.mjs checks each element's `@fires` lines against it, and
 *   scripts/react-wrappers.mjs types the React wrappers' `on*` props from it.
 *
 * Adding an event: add it to the element's entry here, fire it with `this.emit(…)`, document
 * it with a `@fires` line in the element's JSDoc (see docs/architecture.md).
 */
import type { PorticoContactDeactivatedDetail, PorticoContactInvitedDetail, PorticoContactUpdatedDetail } from './contacts/contacts.ts';
import type { PorticoNotificationSelectDetail } from './notifications/notifications.ts';
import type { PorticoSessionChangeDetail, PorticoSessionExpiredDetail, PorticoSessionWarningDetail } from './provider/provider.ts';
import type { PorticoNavigateDetail, PorticoPanelToggleDetail } from './support-panel/support-panel.ts';
import type { PorticoCommentCreatedDetail, PorticoTicketEscalatedDetail, PorticoTicketUpdatedDetail } from './ticket-detail/ticket-detail.ts';
import type { PorticoTicketCreatedDetail, PorticoTicketFollowedDetail, PorticoTicketSubmitDetail } from './ticket-form/ticket-form.ts';
import type { PorticoTicketSelectDetail, PorticoViewChangeDetail } from './ticket-list/ticket-list.ts';
import type { PorticoTimelineTicketSelectDetail } from './timeline/timeline.ts';

/** Per element tag: the events it fires, each with its detail type. */
export interface PorticoElementEvents {
  'portico-provider': {
    'portico-session-change': PorticoSessionChangeDetail;
    'portico-session-expired': PorticoSessionExpiredDetail;
    'portico-session-warning': PorticoSessionWarningDetail;
    'portico-session-extend': PorticoSessionWarningDetail;
  };
  'portico-ticket-list': {
    'portico-ticket-select': PorticoTicketSelectDetail;
    'portico-view-change': PorticoViewChangeDetail;
  };
  'portico-ticket-detail': {
    'portico-ticket-updated': PorticoTicketUpdatedDetail;
    'portico-comment-created': PorticoCommentCreatedDetail;
    'portico-ticket-escalated': PorticoTicketEscalatedDetail;
  };
  'portico-ticket-form': {
    'portico-ticket-submit': PorticoTicketSubmitDetail;
    'portico-ticket-created': PorticoTicketCreatedDetail;
    'portico-ticket-followed': PorticoTicketFollowedDetail;
  };
  'portico-contacts': {
    'portico-contact-invited': PorticoContactInvitedDetail;
    'portico-contact-updated': PorticoContactUpdatedDetail;
    'portico-contact-deactivated': PorticoContactDeactivatedDetail;
  };
  'portico-timeline': {
    'portico-ticket-select': PorticoTimelineTicketSelectDetail;
  };
  'portico-notifications': {
    'portico-ticket-select': PorticoNotificationSelectDetail;
  };
  'portico-support-panel': {
    'portico-navigate': PorticoNavigateDetail;
    'portico-panel-toggle': PorticoPanelToggleDetail;
  };
  'portico-account-summary': Record<never, never>;
}

/** The tag of an element that fires events. */
export type PorticoEventSource = keyof PorticoElementEvents;

type ValueOf<T> = T[keyof T];

/** Every event name any element fires. */
export type PorticoEventName = ValueOf<{ [Tag in PorticoEventSource]: keyof PorticoElementEvents[Tag] }>;

/** An event's detail: for a name two elements share (`portico-ticket-select`), either element's. */
export type PorticoEventDetail<K extends PorticoEventName> = ValueOf<{
  [Tag in PorticoEventSource]: K extends keyof PorticoElementEvents[Tag] ? PorticoElementEvents[Tag][K] : never;
}>;

/** Every Portico event as the DOM delivers it. */
export type PorticoEventMap = { [K in PorticoEventName]: CustomEvent<PorticoEventDetail<K>> };

/** The typed `emit()` of the element `Tag`: returns false when a listener cancelled a cancelable event. */
export type Emit<Tag extends PorticoEventSource> = <K extends keyof PorticoElementEvents[Tag] & string>(
  type: K,
  detail: PorticoElementEvents[Tag][K],
  options?: { cancelable?: boolean },
) => boolean;

/** The `emit()` of an element: dispatches its events from `host`, bubbling and composed. */
export function emitter<Tag extends PorticoEventSource>(host: HTMLElement): Emit<Tag> {
  return (type, detail, options = {}) =>
    host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: options.cancelable === true }));
}

// Every Portico event bubbles and is composed: a listener on the document or the window hears
// it as well as one on the element.
declare global {
  interface HTMLElementEventMap extends PorticoEventMap {}
  interface DocumentEventMap extends PorticoEventMap {}
  interface WindowEventMap extends PorticoEventMap {}
}
