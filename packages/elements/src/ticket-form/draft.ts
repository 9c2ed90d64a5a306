import type { Attachment, PersonRef, TicketCreate } from '@portico/core';

/**
 * What `<portico-ticket-form>` keeps on this device while a ticket is being written: every
 * field, the uploaded files, and the one idempotency key all submits of this draft reuse.
 */
export interface TicketDraft {
  v: 1;
  /** `Idempotency-Key` of this draft: the same on every retry and after a reload. */
  key: string;
  savedAt: string;
  subject: string;
  description: string;
  category: string;
  priority: string;
  visibility: string;
  businessImpact: string;
  cc: PersonRef[];
  onBehalf: PersonRef | null;
  /** Files already uploaded (their bytes are on the server). */
  attachments: Attachment[];
  /** Articles already counted as deflections for this draft. */
  deflected: string[];
  /**
   * Every distinct body sent with `key`, newest first: if an answer was lost and the draft then
   * edited, the server holds the ticket under one of them (see the form's conflict recovery).
   */
  sent: TicketCreate[];
}

const PREFIX = 'portico:ticket-draft:v1:';

/** Drafts are per account and contact, so a shared browser never mixes two people's drafts. */
export const draftStorageKey = (accountId: string, contactId: string) => `${PREFIX}${accountId}:${contactId}`;

export function newDraft(): TicketDraft {
  return {
    v: 1,
    key: crypto.randomUUID(),
    savedAt: new Date().toISOString(),
    subject: '',
    description: '',
    category: '',
    priority: 'normal',
    visibility: '',
    businessImpact: '',
    cc: [],
    onBehalf: null,
    attachments: [],
    deflected: [],
    sent: [],
  };
}

/** Whether a draft holds nothing the user typed or chose (and nothing was sent). */
export function isBlank(d: TicketDraft): boolean {
  return (
    d.priority === 'normal' &&
    !(d.subject.trim() || d.description.trim() || d.category || d.businessImpact.trim() || d.cc.length || d.onBehalf || d.attachments.length || d.sent.length)
  );
}

const isString = (v: unknown): v is string => typeof v === 'string';
const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
const TEXTS = ['savedAt', 'subject', 'description', 'category', 'priority', 'visibility', 'businessImpact'] as const;

/** The stored draft, or undefined when there is none, storage is unavailable, or it is unreadable. */
export function readDraft(storageKey: string): TicketDraft | undefined {
  try {
    const d = JSON.parse(localStorage.getItem(storageKey) || 'null') as Partial<TicketDraft> | null;
    if (d?.v !== 1 || !isString(d.key)) return undefined;
    return {
      ...newDraft(),
      ...Object.fromEntries(TEXTS.filter((k) => isString(d[k])).map((k) => [k, d[k]])),
      key: d.key,
      cc: list(d.cc),
      onBehalf: d.onBehalf ?? null,
      attachments: list(d.attachments),
      deflected: list(d.deflected).filter(isString),
      sent: list(d.sent),
    };
  } catch {
    return undefined;
  }
}

/** Saves (or, when blank, removes) a draft; false when storage refused (quota, private mode). */
export function writeDraft(storageKey: string, draft: TicketDraft): boolean {
  try {
    if (isBlank(draft)) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
    return true;
  } catch {
    return false;
  }
}

export function removeDraft(storageKey: string): void {
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // Storage unavailable: there is nothing to remove.
  }
}
