/**
 * `POST /v1/tickets`: the schema the server validates with and `<portico-ticket-form>`
 * validates with. The form checks the same rules without zod (its `validate.ts`, tested to
 * refuse exactly what this schema refuses); the limits live in `ticket-limits.ts`.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_VISIBILITIES } from './ticket-enums.ts';
import { text, trimmed } from './zod-helpers.ts';

import { BODY_MAX, BUSINESS_IMPACT_MAX, MAX_ATTACHMENTS, MAX_CC, SUBJECT_MAX, SUBJECT_MIN } from './ticket-limits.ts';

export * from './ticket-limits.ts';

const ids = (max: number, tooMany: string) => z.array(z.string().check(z.minLength(1))).check(z.maxLength(max, tooMany));

export const TicketCreateSchema = z
  .object({
    subject: trimmed(SUBJECT_MIN, SUBJECT_MAX, 'Subject'),
    description: trimmed(1, BODY_MAX, 'Description', { multiline: true }),
    category: z.enum(TICKET_CATEGORIES, 'Choose a category'),
    priority: z._default(z.enum(TICKET_PRIORITIES, 'Choose a priority'), 'normal'),
    visibility: z.optional(z.enum(TICKET_VISIBILITIES, 'Choose private or account')),
    /** Colleagues (contact ids of the account) who follow the ticket from the start. */
    ccIds: z.optional(ids(MAX_CC, `CC at most ${MAX_CC} colleagues`)),
    /** File a ticket for a colleague (admins only): that contact becomes the requester. */
    requesterId: z.optional(z.string().check(z.minLength(1))),
    /** What an urgent issue stops you from doing; required when `priority` is `urgent`. */
    businessImpact: z.optional(text(BUSINESS_IMPACT_MAX, 'Business impact')),
    /** Uploaded attachments (`POST /v1/attachments`) to link to the ticket. */
    attachmentIds: z.optional(ids(MAX_ATTACHMENTS, `Attach at most ${MAX_ATTACHMENTS} files`)),
  })
  .check(
    z.refine((t) => t.priority !== 'urgent' || Boolean(t.businessImpact), {
      message: 'Describe the business impact of an urgent issue in one line',
      path: ['businessImpact'],
      // Run even when other fields are invalid, so the form shows every error at once.
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    }),
  );
export type TicketCreate = z.input<typeof TicketCreateSchema>;
