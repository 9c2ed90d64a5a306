/** A real HTTP webhook receiver for tests: node:http on a free port, recording every request. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed JSON body. */
  json: any;
  /** The status it answered (or would: undefined while held). */
  status: number | undefined;
}

/** Decides the answer to a request: a status, or `'hold'` to never answer (a hung receiver). */
export type Answer = (request: Received, index: number) => number | 'hold';

export interface Receiver {
  url: string;
  received: Received[];
  /** Changes how later requests are answered. */
  answer: Answer;
  /** Requests whose answer was 2xx, in arrival order. */
  delivered(): Received[];
  /** Resolves once `predicate` holds (checked on every request), or rejects after `timeoutMs`. */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Headers of a request as the `standardwebhooks` package takes them. */
export const webhookHeaders = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

export async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    received,
    answer,
    delivered: () => received.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300),
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `receiver: condition not met in ${timeoutMs} ms (${received.length} requests: ${received.map((r) => `${r.json?.type}:${r.status}`).join(', ')})`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry: Received = { headers: req.headers, body, json: JSON.parse(body), status: undefined };
      const decision = receiver.answer(entry, received.length);
      received.push(entry);
      if (decision === 'hold') held.push(res);
      else {
        entry.status = decision;
        res.writeHead(decision, { 'content-type': 'text/plain' }).end('ok');
      }
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
