/** The one activity → outbox mapping (outbox.ts): internal notes stay agent-only events. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVITY_TYPES, OUTBOX_EVENT_TYPES, type Activity, type Comment } from '@portico/core';
import { ACTIVITY_OUTBOX, outboxEventOf } from '../src/outbox.ts';

const entry: Activity = {
  id: 'act_1',
  accountId: 'acc_1',
  type: 'ticket.commented',
  actor: { kind: 'agent', id: 'agt_sam', name: 'Sam' },
  ticketId: 'tkt_1',
  contactId: null,
  data: { commentId: 'cmt_1' },
  createdAt: '2026-03-02T10:00:00.000Z',
};
const comment: Comment = { id: 'cmt_1', ticketId: 'tkt_1', author: entry.actor, body: 'Customer is on the legacy plan', createdAt: entry.createdAt };

it('an internal note becomes ticket.internal_note_added, a public reply ticket.commented', () => {
  const note = outboxEventOf(entry, { comment: { ...comment, internal: true } })!;
  assert.equal(note.type, 'ticket.internal_note_added');
  assert.deepEqual(note.data.comment, { id: 'cmt_1', author: entry.actor, body: comment.body, internal: true, createdAt: entry.createdAt });
  assert.equal(outboxEventOf({ ...entry, data: { commentId: 'cmt_1', internal: true } }, {})!.type, 'ticket.internal_note_added');
  const reply = outboxEventOf(entry, { comment })!;
  assert.equal(reply.type, 'ticket.commented');
  assert.equal((reply.data.comment as { internal: boolean }).internal, false);
});

it('every activity type has a mapping to a catalogued event type or none', () => {
  for (const type of ACTIVITY_TYPES) {
    const mapped = ACTIVITY_OUTBOX[type];
    assert.ok(mapped === null || (OUTBOX_EVENT_TYPES as readonly string[]).includes(mapped), type);
    assert.equal(outboxEventOf({ ...entry, type }, {})?.type ?? null, mapped === 'ticket.commented' ? 'ticket.commented' : mapped);
  }
});
