/**
 * The enumerations a new ticket is made of, without zod: `<portico-ticket-form>` imports
 * them (and `TicketCreateSchema`) without loading every schema of `domain.ts`.
 * `domain.ts` re-exports them; import from `@portico/core` as usual.
 */
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CATEGORIES = ['technical', 'billing', 'account', 'feature_request'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_VISIBILITIES = ['private', 'account'] as const;
export type TicketVisibility = (typeof TICKET_VISIBILITIES)[number];

/**
 * File types a ticket may carry (the allow-list the server enforces with 415).
 * No SVG or HTML: they could run script when opened from the API's origin.
 */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
