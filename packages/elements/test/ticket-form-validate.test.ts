/**
 * `<portico-ticket-form>` checks a new ticket in the browser without zod (src/ticket-form/
 * validate.ts). It must refuse exactly the fields core's `TicketCreateSchema` — what the server
 * validates with — refuses, with the same (English) words: checked here on generated inputs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TicketCreateSchema, fieldErrorsOf, type TicketCreate } from '@portico/core';
import { ticketErrors } from '../src/ticket-form/validate.ts';

/** Strings of a given length range from letters, whitespace (trimming matters) and control characters. */
const text = (min: number, max: number) =>
  fc
    .array(fc.constantFrom('a', 'é', ' ', '\n', '\t', 'Z', '\r', '\u0000', '\u001b', '\u0085', '\ud800'), { minLength: min, maxLength: max })
    .map((chars) => chars.join(''));
const around = (limit: number) => fc.integer({ min: limit - 4, max: limit + 4 }).chain((n) => text(Math.max(0, n), Math.max(0, n)));

const input: fc.Arbitrary<TicketCreate> = fc.record(
  {
    subject: fc.oneof(text(0, 8), around(200)),
    description: fc.oneof(
      text(0, 4),
      fc.integer({ min: 19_996, max: 20_004 }).map((n) => ` ${'x'.repeat(n)} `),
    ),
    category: fc.constantFrom(...TICKET_CATEGORIES, '', 'other') as fc.Arbitrary<TicketCreate['category']>,
    priority: fc.constantFrom(...TICKET_PRIORITIES, 'bogus') as fc.Arbitrary<TicketCreate['priority']>,
    visibility: fc.constantFrom('private', 'account', '', 'public') as fc.Arbitrary<TicketCreate['visibility']>,
    businessImpact: fc.oneof(text(0, 5), around(300)),
    ccIds: fc.array(fc.constantFrom('con_a', 'con_b', ''), { maxLength: 23 }),
    requesterId: fc.constantFrom('con_x', ''),
    attachmentIds: fc.array(fc.constantFrom('att_1', 'att_2', ''), { maxLength: 7 }),
  },
  { requiredKeys: ['subject', 'description', 'category'] },
);

/** The schema's first message per top-level field. */
function schemaErrors(value: TicketCreate): Record<string, string> {
  const parsed = TicketCreateSchema.safeParse(value);
  if (parsed.success) return {};
  const out: Record<string, string> = {};
  for (const [path, messages] of Object.entries(fieldErrorsOf(parsed.error.issues))) out[path.split('.')[0]!] ??= messages[0]!;
  return out;
}

describe('ticket form validation (no zod in the browser)', () => {
  it('refuses exactly the fields the schema refuses, in the same words', () => {
    fc.assert(
      fc.property(input, (value) => {
        const ours = ticketErrors(value);
        const theirs = schemaErrors(value);
        // zod stops before the object-level rule (urgent needs a business impact) once an array
        // is too long (ccIds, attachmentIds); the form reports that missing impact as well.
        const aborted = (value.ccIds?.length ?? 0) > 20 || (value.attachmentIds?.length ?? 0) > 5;
        if (aborted && ours.businessImpact && !theirs.businessImpact && value.priority === 'urgent') delete ours.businessImpact;
        assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), JSON.stringify(value).slice(0, 300));
        for (const [field, message] of Object.entries(ours)) {
          // zod's own wording for an empty id (the form never sends one) is not the form's.
          if (field === 'requesterId' || (field === 'ccIds' && value.ccIds!.length <= 20)) continue;
          if (field === 'attachmentIds' && value.attachmentIds!.length <= 5) continue;
          assert.equal(message, theirs[field], field);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('takes a complete ticket', () => {
    assert.deepEqual(
      ticketErrors({ subject: 'Export fails', description: 'Since Monday', category: 'technical', priority: 'urgent', businessImpact: 'No reports' }),
      {},
    );
    assert.deepEqual(
      Object.keys(ticketErrors({ subject: 'Export fails', description: 'x', category: 'technical', priority: 'urgent', businessImpact: '   ' })),
      ['businessImpact'],
    );
  });
});
