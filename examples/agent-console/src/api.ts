/**
 * The console's calls: the page talks only to its own backend (`/agent/api/...`), which adds
 * the service API key and forwards to Portico's agent API (see ../server.ts).
 */
import type { Comment, Page, Ticket } from '@portico/core';

/** The agent this console acts as (a real console takes it from the staff login). */
export const AGENT = { id: 'agt_sam', name: 'Sam Patel' };

/** A refused call, with the server's problem+json detail. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/agent/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as (T & { detail?: string }) | null;
  if (!res.ok) throw new ConsoleError(res.status, json?.detail ?? `${method} ${path} failed (${res.status})`);
  return json as T;
}

export const listTickets = (query: URLSearchParams) => call<Page<Ticket>>('GET', `/tickets?${query}`);
export const getTicket = (ref: string) => call<Ticket>('GET', `/tickets/${encodeURIComponent(ref)}`);
export const getThread = (ref: string) => call<Page<Comment>>('GET', `/tickets/${encodeURIComponent(ref)}/comments?limit=100`);
export const reply = (ref: string, body: string) => call<Comment>('POST', `/tickets/${encodeURIComponent(ref)}/comments`, { body, agent: AGENT });
export const addNote = (ref: string, body: string) => call<Comment>('POST', `/tickets/${encodeURIComponent(ref)}/notes`, { body, agent: AGENT });
export const setStatus = (ref: string, status: Ticket['status']) => call<Ticket>('PATCH', `/tickets/${encodeURIComponent(ref)}`, { status, agent: AGENT });
