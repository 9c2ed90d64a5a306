/**
 * How a similar-ticket search (the new-ticket form's duplicate check) picks and ranks its
 * tickets, shared by the stores so they answer alike. Browser-safe (no Node imports).
 *
 * A duplicate is a recent ticket of the caller's account that shares the typed words, the
 * rarer ones above all (see docs/ticket-form.md, "Possible duplicates"):
 * - words are the list search's words (`searchWords`), so every suggestion is a ticket that a
 *   list search for one of the terms finds;
 * - for each term, only the `SIMILAR_PER_TERM` most recently updated tickets of the accounts
 *   holding it are candidates (and every one updated in the same second as the last of them):
 *   a rare term reaches back to its oldest ticket, a common one only to its recent ones, so
 *   the work is bounded by the terms, not by the account;
 * - a candidate scores, for each term it holds, the term's weight (rarer in the accounts:
 *   heavier), times 4 when its ref or subject holds the term and 1 when only its description
 *   or comments do; best score first, then the most recently updated.
 */
import { compareKeys, searchWords } from './store.ts';
import { searchTerms, type SearchTerms } from './text-search.ts';

/** Most recently updated tickets holding a term that a similar-ticket search considers for it. */
export const SIMILAR_PER_TERM = 200;

/** Tickets holding a term counted for its weight: more count as this many (a term that common weighs the least). */
export const SIMILAR_COUNT_CAP = 5_000;

/** The terms of typed text, in the list search's words; the last one a prefix while it is being typed. */
export function similarTerms(text: string): SearchTerms {
  return searchTerms(text, searchWords);
}

/**
 * A term's weight: BM25's inverse document frequency, ln(1 + (N − n + 0.5) / (n + 0.5)), with
 * N the tickets of the accounts and n those holding the term, at most `SIMILAR_COUNT_CAP`.
 */
export function similarTermWeight(tickets: number, holding: number): number {
  const n = Math.min(holding, SIMILAR_COUNT_CAP);
  return Math.log(1 + (tickets - n + 0.5) / (n + 0.5));
}

/** Whether `words` hold term `i` of `terms` (equal, or beginning with it for a prefix). */
export function holdsTerm(words: ReadonlySet<string>, terms: SearchTerms, i: number): boolean {
  const term = terms.terms[i]!;
  if (!(terms.prefixLast && i === terms.terms.length - 1)) return words.has(term);
  for (const w of words) if (w.startsWith(term)) return true;
  return false;
}

/** The second of an ISO timestamp, as SQLite's `unixepoch()`: the window of a term ends on a whole second. */
export function updateSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * What a ticket scores for each term (before the term's weight): 4 when its ref or subject
 * holds the term, 1 when only its description or comments do, 0 when it does not.
 */
export function termHits(ref: string, subject: string, words: ReadonlySet<string>, terms: SearchTerms): number[] {
  const inSubject = new Set(searchWords(`${ref} ${subject}`));
  return terms.terms.map((_, i) => (holdsTerm(inSubject, terms, i) ? 4 : holdsTerm(words, terms, i) ? 1 : 0));
}

/** A ticket a similar-ticket search may offer, with what ranks it. */
export interface SimilarCandidate {
  id: string;
  updatedAt: string;
  /** Its `termHits`. */
  hits: readonly number[];
}

/** The ids of the best `limit` candidates: the sum of their hits times the terms' weights, then the most recently updated. */
export function rankSimilar(candidates: readonly SimilarCandidate[], weights: readonly number[], limit: number): string[] {
  return candidates
    .map((c) => ({ c, score: c.hits.reduce((sum, hit, i) => sum + hit * weights[i]!, 0) }))
    .sort((a, b) => b.score - a.score || compareKeys([b.c.updatedAt, b.c.id], [a.c.updatedAt, a.c.id]))
    .slice(0, limit)
    .map((s) => s.c.id);
}
