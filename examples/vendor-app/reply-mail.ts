/**
 * The demo vendor's "reply emails": Portico calls the vendor's webhook when an agent replies
 * (a `ticket.commented` event whose comment author is an agent, Standard Webhooks signed),
 * and the vendor emails the customer. The demo's "email" lands in an in-memory mailbox the
 * page shows (`GET /demo/mailbox/replies`).
 *
 *   POST /demo/mailbox/webhook   the receiver: verifies `webhook-signature` with the
 *                                `standardwebhooks` package when a secret is known
 *   GET  /demo/mailbox/replies   the mails "sent", newest first
 *
 * At start the backend registers the receiver with `POST /v1/service/webhooks` and keeps the
 * secret it answers; where that route is missing, the demo starts anyway. A message signed
 * with any known secret (that one, or `PORTICO_DEMO_WEBHOOK_SECRET`) is accepted, as during a
 * secret rotation; with a secret known, unsigned or badly signed calls are refused (401).
 */
import type { Hono } from 'hono';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** One "email" the vendor sent. */
export interface ReplyMail {
  /** The webhook message id (one mail per message, whatever the retries). */
  id: string;
  to: string;
  subject: string;
  body: string;
  ticketRef: string;
  sentAt: string;
}

/** What the receiver reads of a `ticket.commented` delivery. */
interface CommentEvent {
  type: string;
  data?: {
    ticket?: { ref?: string; subject?: string; requester?: { name?: string; email?: string } };
    comment?: { body?: string; internal?: boolean; author?: { kind?: string; name?: string } };
  };
}

export interface ReplyMailbox {
  /** Where the receiver listens (a path on the vendor backend). */
  readonly path: string;
  /** Adds a signing secret (`whsec_…`) the receiver accepts. */
  useSecret(secret: string): void;
}

const MAX_MAILS = 50;

export function mountReplyMailbox(root: Hono, options: { secret?: string | undefined } = {}): ReplyMailbox {
  const mails: ReplyMail[] = [];
  const verifiers = options.secret ? [new Webhook(options.secret)] : [];
  const verify = (payload: string, headers: Record<string, string>): unknown => {
    if (verifiers.length === 0) return JSON.parse(payload);
    let failure: unknown;
    for (const v of verifiers) {
      try {
        return v.verify(payload, headers);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  };
  const path = '/demo/mailbox/webhook';

  root.post(path, async (c) => {
    const payload = await c.req.text();
    let event: CommentEvent;
    try {
      event = verify(payload, Object.fromEntries(c.req.raw.headers)) as CommentEvent;
    } catch (error) {
      if (error instanceof WebhookVerificationError) return c.json({ error: 'bad signature' }, 401);
      return c.json({ error: 'not JSON' }, 400);
    }
    const id = c.req.header('webhook-id') ?? crypto.randomUUID();
    const { ticket, comment } = event.data ?? {};
    // Only an agent's public reply becomes an email; notes and customers' own comments do not.
    const isAgentReply = event.type === 'ticket.commented' && comment?.author?.kind === 'agent' && comment.internal !== true;
    if (isAgentReply && ticket?.requester?.email && !mails.some((m) => m.id === id)) {
      mails.unshift({
        id,
        to: ticket.requester.email,
        subject: `Re: [${ticket.ref}] ${ticket.subject ?? ''}`.trim(),
        body: `${comment!.author!.name ?? 'Support'} replied:\n\n${comment!.body ?? ''}`,
        ticketRef: ticket.ref ?? '',
        sentAt: new Date().toISOString(),
      });
      mails.length = Math.min(mails.length, MAX_MAILS);
    }
    return c.body(null, 204);
  });
  root.get('/demo/mailbox/replies', (c) => c.json(mails));

  return {
    path,
    useSecret(secret) {
      verifiers.push(new Webhook(secret));
    },
  };
}

/**
 * Registers the receiver for agent replies with Portico (`POST /v1/service/webhooks`) and
 * hands the secret to the mailbox. Never throws: a server without webhooks leaves the demo as it was.
 */
export async function registerReplyWebhook(
  portico: (path: string, init: RequestInit) => Promise<Response>,
  serviceKey: string,
  url: string,
  mailbox: ReplyMailbox,
): Promise<boolean> {
  try {
    const headers = { Authorization: `Bearer ${serviceKey}`, 'Content-Type': 'application/json' };
    // One endpoint across restarts of the demo (its database persists): reuse it with a fresh
    // secret (a secret is only ever shown when made), or register it the first time.
    const existing = await portico('/v1/service/webhooks?limit=100', { headers });
    const known = existing.ok ? ((await existing.json()) as { items: { id: string; url: string }[] }).items.find((e) => e.url === url) : undefined;
    const res = known
      ? await portico(`/v1/service/webhooks/${known.id}/rotate-secret`, { method: 'POST', headers, body: JSON.stringify({ previousSecretTtlSeconds: 0 }) })
      : await portico('/v1/service/webhooks', {
          method: 'POST',
          headers,
          body: JSON.stringify({ url, eventTypes: ['ticket.commented'], description: 'Demo: email the customer when an agent replies' }),
        });
    if (!res.ok) {
      console.log(`  (reply emails: webhook registration answered ${res.status}; the mailbox stays empty)`);
      return false;
    }
    const { secret } = (await res.json()) as { secret?: string };
    if (secret) mailbox.useSecret(secret);
    return true;
  } catch (error) {
    console.error('[demo] webhook registration failed', error);
    return false;
  }
}
