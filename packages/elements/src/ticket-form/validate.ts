/**
 * The rules of core's `TicketCreateSchema` for what `<portico-ticket-form>` sends, checked in
 * the browser without zod and worded in the user's language. The server still validates with
 * the schema (its 422 field errors are shown as they come). packages/elements/test/
 * ticket-form-validate.test.ts checks on generated inputs that this refuses exactly the fields
 * the schema refuses.
 */
import { msg, str } from '@lit/localize';
import type { TicketCreate } from '@portico/core';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_VISIBILITIES } from '@portico/core/ticket-enums.js';
import { BODY_MAX, BUSINESS_IMPACT_MAX, MAX_ATTACHMENTS, MAX_CC, SUBJECT_MAX, SUBJECT_MIN } from '@portico/core/ticket-limits.js';
import { isPlainText } from '@portico/core/text-rules.js';

/** The fields of a new ticket that can be wrong. */
export type TicketField = 'subject' | 'description' | 'category' | 'priority' | 'businessImpact' | 'visibility' | 'ccIds' | 'requesterId' | 'attachmentIds';

const oneOf = (values: readonly string[], value: unknown) => typeof value === 'string' && values.includes(value);
const tooMany = (ids: readonly string[] | undefined, max: number) => !!ids && (ids.length > max || ids.some((id) => !id));

/** The first problem of each field of `input`; empty when the server would take it. */
export function ticketErrors(input: TicketCreate): Partial<Record<TicketField, string>> {
  const errors: Partial<Record<TicketField, string>> = {};
  const subject = input.subject.trim();
  if (subject.length < SUBJECT_MIN) {
    errors.subject = msg(str`Subject needs at least ${SUBJECT_MIN} characters`, { id: 'ticket-form.error.subject-short' });
  } else if (subject.length > SUBJECT_MAX) {
    errors.subject = msg(str`Subject must be at most ${SUBJECT_MAX} characters`, { id: 'ticket-form.error.subject-long' });
  } else if (!isPlainText(subject, false)) {
    errors.subject = msg('Subject must be one line without control characters', { id: 'ticket-form.error.subject-characters' });
  }
  const description = input.description.trim();
  if (!description) errors.description = msg('Description is required', { id: 'ticket-form.error.description-missing' });
  else if (description.length > BODY_MAX) {
    errors.description = msg(str`Description must be at most ${BODY_MAX} characters`, { id: 'ticket-form.error.description-long' });
  } else if (!isPlainText(description, true)) {
    errors.description = msg('Description contains control characters that are not allowed', { id: 'ticket-form.error.description-characters' });
  }
  if (!oneOf(TICKET_CATEGORIES, input.category)) errors.category = msg('Choose a category', { id: 'ticket-form.error.category' });
  if (input.priority !== undefined && !oneOf(TICKET_PRIORITIES, input.priority)) {
    errors.priority = msg('Choose a priority', { id: 'ticket-form.error.priority' });
  }
  const impact = input.businessImpact?.trim();
  if (impact && impact.length > BUSINESS_IMPACT_MAX) {
    errors.businessImpact = msg(str`Business impact must be at most ${BUSINESS_IMPACT_MAX} characters`, { id: 'ticket-form.error.impact-long' });
  } else if (impact && !isPlainText(impact, false)) {
    errors.businessImpact = msg('Business impact must be one line without control characters', { id: 'ticket-form.error.impact-characters' });
  } else if (input.priority === 'urgent' && !impact) {
    errors.businessImpact = msg('Describe the business impact of an urgent issue in one line', { id: 'ticket-form.error.impact-missing' });
  }
  if (input.visibility !== undefined && !oneOf(TICKET_VISIBILITIES, input.visibility)) {
    errors.visibility = msg('Choose private or account', { id: 'ticket-form.error.visibility' });
  }
  if (tooMany(input.ccIds, MAX_CC)) errors.ccIds = msg(str`CC at most ${MAX_CC} colleagues`, { id: 'ticket-form.error.cc' });
  if (input.requesterId === '') errors.requesterId = msg('Choose the colleague to file for', { id: 'ticket-form.error.requester' });
  if (tooMany(input.attachmentIds, MAX_ATTACHMENTS)) {
    errors.attachmentIds = msg(str`Attach at most ${MAX_ATTACHMENTS} files`, { id: 'ticket-form.error.attachments' });
  }
  return errors;
}
