/**
 * The parts of the widgets the panel shows, re-exported from the panel as `<widget>__<part>`
 * (STYLE.md), so a host can style e.g. the list's rows with
 * `portico-support-panel::part(ticket-list__row)`. Keep each list equal to the widget's
 * `@csspart` JSDoc: packages/elements/test/nested-parts.test.ts checks that they match.
 */
export const NESTED_PARTS = {
  'ticket-list':
    'base toolbar views view view-selected count account-picker search filters sort saved-views save-form list row unread ref subject status priority sla meta loading empty error load-more',
  'ticket-detail':
    'base header subject status merged facts sla actions action escalate-form description business-impact attachments attachment conversation comment comment-pending load-more reply reply-error satisfaction loading empty error',
  'ticket-form':
    'base form field label input hint field-error duplicates duplicate follow articles article article-body deflect chips chip listbox option dropzone attachment draft-status error retry submit discard success followed notice loading',
  contacts:
    'base toolbar account search role-filter status-filter invite-button invite-form notice table row name role status actions row-message dialog loading empty error load-more',
  timeline: 'base toolbar filter day day-label entry ticket-link time empty error loading load-older',
  'account-summary': 'base figures figure value categories accounts loading error',
} as const;

export type NestedWidget = keyof typeof NESTED_PARTS;

/** The `exportparts` value that re-exports every part of `widget` as `<widget>__<part>`. */
export const exportParts = (widget: NestedWidget): string =>
  NESTED_PARTS[widget]
    .split(' ')
    .map((part) => `${part}:${widget}__${part}`)
    .join(',');
