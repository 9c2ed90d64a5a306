/**
 * The agent API: request schemas of the vendor's helpdesk side (`/v1/service/tickets...`,
 * service API key). Agents have no Portico record; each write names the agent doing it.
 * See docs/agent-api.md.
 *
 * Bodies and the inbox query are strict: an unknown field is a 422 naming it, never dropped.
 * A reply sent with a made-up `internal: true` must not be published to the customer, and a
 * misspelled filter (`updated_since`) must not quietly widen the inbox.
 */
import './zod-config.ts';
import * as z from 'zod/mini';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_SORTS, TICKET_STATUSES } from './domain.ts';
import { BODY_MAX, MAX_ATTACHMENTS } from './ticket-limits.ts';
import { csv, cursorParam, instant, limit, plainText, searchParam, trimmed } from './zod-helpers.ts';

/** Longest agent or assignee name. */
export const AGENT_NAME_MAX = 100;
/** The `assignee` filter value that means "nobody is assigned". */
export const UNASSIGNED = 'none';

/** The agent doing a write: the vendor's own id for them (optional) and the name customers see. */
export const AgentSchema = z.object({
  id: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(AGENT_NAME_MAX), plainText('agent.id'))),
  name: z.string('agent.name is required').check(z.trim(), z.minLength(1, 'agent.name is required'), z.maxLength(AGENT_NAME_MAX), plainText('agent.name')),
});
export type Agent = z.infer<typeof AgentSchema>;

const statusEnum = z.enum(TICKET_STATUSES, `status must be one of ${TICKET_STATUSES.join(', ')}`);

/** `POST /v1/service/tickets/{id}/comments`: an agent's public reply. */
export const ServiceCommentSchema = z.strictObject({
  body: trimmed(1, BODY_MAX, 'Reply', { multiline: true }),
  agent: AgentSchema,
  /** Also set the ticket's status (e.g. `pending` when asking the customer something). */
  status: z.optional(statusEnum),
  /** Files uploaded with `POST /v1/service/tickets/{id}/attachments`, shown on the ticket with the reply. */
  attachmentIds: z.optional(
    z
      .array(z.string().check(z.minLength(1)), 'attachmentIds must be a list of ids')
      .check(z.maxLength(MAX_ATTACHMENTS, `At most ${MAX_ATTACHMENTS} files per reply`)),
  ),
});
export type ServiceComment = z.infer<typeof ServiceCommentSchema>;

/** `POST /v1/service/tickets/{id}/notes`: an internal note, seen only through the service API. */
export const ServiceNoteSchema = z.strictObject({
  body: trimmed(1, BODY_MAX, 'Note', { multiline: true }),
  agent: AgentSchema,
});
export type ServiceNote = z.infer<typeof ServiceNoteSchema>;

/**
 * `PATCH /v1/service/tickets/{id}`: an agent changes the status, priority, category and/or
 * assignee, at once (one write; `If-Match` makes it conditional).
 */
export const ServiceTicketPatchSchema = z
  .strictObject({
    status: z.optional(statusEnum),
    priority: z.optional(z.enum(TICKET_PRIORITIES, `priority must be one of ${TICKET_PRIORITIES.join(', ')}`)),
    category: z.optional(z.enum(TICKET_CATEGORIES, `category must be one of ${TICKET_CATEGORIES.join(', ')}`)),
    /** Agent display name; null unassigns. */
    assignee: z.optional(
      z.nullable(z.string().check(z.trim(), z.minLength(1, 'assignee must not be empty (null unassigns)'), z.maxLength(AGENT_NAME_MAX), plainText('assignee'))),
    ),
    agent: AgentSchema,
  })
  .check(
    z.refine((p) => p.status !== undefined || p.priority !== undefined || p.category !== undefined || p.assignee !== undefined, {
      message: 'Send a status, priority, category or assignee',
      path: ['status'],
    }),
  );
export type ServiceTicketPatch = z.infer<typeof ServiceTicketPatchSchema>;

/** `POST /v1/service/tickets/{id}/merge`: close this ticket as a duplicate of `into`. */
export const ServiceMergeSchema = z.strictObject({
  /** The ticket that stays: its id or reference (`T-1002`), in the same account. */
  into: z
    .string('into is required: the id or reference of the ticket to merge into')
    .check(z.trim(), z.minLength(1, 'into is required: the id or reference of the ticket to merge into')),
  agent: AgentSchema,
});
export type ServiceMerge = z.infer<typeof ServiceMergeSchema>;

/** A comma-separated list of free values (`?account=acc_a,acc_b`). */
const commaList = z.pipe(
  z.transform((v: unknown) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  ),
  z.array(z.string()),
);

/** Query string of `GET /v1/service/tickets`: every account's tickets, filtered. */
export const ServiceTicketQuerySchema = z.strictObject({
  status: z.optional(csv(TICKET_STATUSES, 'status')),
  priority: z.optional(csv(TICKET_PRIORITIES, 'priority')),
  category: z.optional(csv(TICKET_CATEGORIES, 'category')),
  /** Account ids, comma-separated (default: every account). */
  account: z.optional(commaList),
  /** Assignee names, comma-separated; `none` means unassigned. */
  assignee: z.optional(commaList),
  /** Only tickets updated at or after this date or date-time. */
  updatedSince: z.optional(instant('updatedSince')),
  /** Full text: ref, subject, description and public comments (never internal notes). */
  q: z.optional(searchParam(200)),
  sort: z._default(z.enum(TICKET_SORTS, `sort must be one of ${TICKET_SORTS.join(', ')}`), 'updated'),
  cursor: z.optional(cursorParam),
  limit: z.optional(limit),
});
export type ServiceTicketQueryInput = z.input<typeof ServiceTicketQuerySchema>;
export type ServiceTicketQuery = z.output<typeof ServiceTicketQuerySchema>;
