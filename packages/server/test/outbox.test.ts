/** The outbox events defined once in outbox.ts: internal notes stay agent-only events. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVITY_TYPES, OUTBOX_EVENT_TYPES, type Activity, type Comment } from '@portico/core';
import { ACTIVITY_OUTBOX, commentEvent, demoSeed, outboxEventOf } from '@portico/server';

const ticket = demoSeed(new Date('2026-03-02T10:00:00.000Z')).tickets[0]!;
const agent = { kind: 'agent' as const, id: 'agt_sam', name: 'Sam' };
const comment: Comment = { id: 'cmt_1', ticketId: ticket.id, author: agent, body: 'Customer is on the legacy plan', createdAt: '2026-03-02T10:00:00.000Z' };

it('an internal note becomes ticket.internal_note_added, a public reply ticket.commented', () => {
  const note = commentEvent({ ...comment, internal: true }, ticket);
  assert.equal(note.type, 'ticket.internal_note_added');
  assert.deepEqual(note.data.comment, { id: 'cmt_1', author: agent, body: comment.body, internal: true, createdAt: comment.createdAt });
  assert.equal(note.ticketId, ticket.id);
  assert.equal(note.accountId, ticket.accountId);
  const reply = commentEvent(comment, ticket);
  assert.equal(reply.type, 'ticket.commented');
  assert.equal((reply.data.comment as { internal: boolean }).internal, false);
  assert.deepEqual(reply.data.actor, agent);
  assert.equal((reply.data.ticket as { ref: string }).ref, ticket.ref);
});

it('every activity type maps to a catalogued event type or to none', () => {
  for (const type of ACTIVITY_TYPES) {
    const mapped = ACTIVITY_OUTBOX[type];
    assert.ok(mapped === null || (OUTBOX_EVENT_TYPES as readonly string[]).includes(mapped), type);
    // A merge is written on both tickets; this entry is the source's.
    const data = type === 'ticket.merged' ? { source: { id: ticket.id, ref: ticket.ref }, target: { id: 'tkt_other', ref: 'T-9' } } : { from: 'a', to: 'b' };
    const entry: Activity = {
      id: 'act_1',
      accountId: ticket.accountId,
      type,
      actor: agent,
      ticketId: ticket.id,
      contactId: null,
      data,
      createdAt: comment.createdAt,
    };
    const event = outboxEventOf(entry, ticket);
    assert.equal(event?.type ?? null, mapped, type);
    if (event) assert.deepEqual(event.data, { ...data, actor: agent, ticket });
  }
});

it('a merge makes one event, from the source ticket’s entry, not one per ticket', () => {
  const data = { source: { id: 'tkt_other', ref: 'T-9' }, target: { id: ticket.id, ref: ticket.ref } };
  const targetSide: Activity = {
    id: 'act_2',
    accountId: ticket.accountId,
    type: 'ticket.merged',
    actor: agent,
    ticketId: ticket.id,
    contactId: null,
    data,
    createdAt: comment.createdAt,
  };
  assert.equal(outboxEventOf(targetSide, ticket), undefined);
});
