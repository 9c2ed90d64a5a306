/**
 * The rules of merging a duplicate ticket into another (agent API), shared by every store so
 * they refuse and move followers identically. See `Store.mergeTickets`.
 */
import type { Ticket } from '@portico/core';
import type { MergeDraft, MergeOutcome } from './store.ts';

type MergeFacts = Pick<Ticket, 'id' | 'accountId' | 'version' | 'mergedInto'>;

/** Why this merge must not happen, or undefined when it may (the stores add the current source). */
export function mergeRefusal(
  source: MergeFacts,
  target: MergeFacts,
  draft: Pick<MergeDraft, 'expectedVersion'>,
): { state: 'stale' | 'already_merged' } | Extract<MergeOutcome, { state: 'invalid' }> | undefined {
  if (draft.expectedVersion !== undefined && draft.expectedVersion !== source.version) return { state: 'stale' };
  if (source.mergedInto) return { state: 'already_merged' };
  if (source.id === target.id) return { state: 'invalid', reason: 'same_ticket' };
  if (source.accountId !== target.accountId) return { state: 'invalid', reason: 'cross_account' };
  if (target.mergedInto) return { state: 'invalid', reason: 'target_merged' };
  return undefined;
}

/** The target's followers after the merge: its own, plus the source's requester and followers (never its own requester). */
export function mergedFollowers(source: Pick<Ticket, 'requester' | 'followerIds'>, target: Pick<Ticket, 'requester' | 'followerIds'>): string[] {
  const ids = new Set([...target.followerIds, source.requester.id, ...source.followerIds]);
  ids.delete(target.requester.id);
  return [...ids].sort();
}
