/**
 * Plays the vendor's support agent against the running demo, through the service API:
 *
 *   npm run agent -- reply T-1001 "We have rolled out a fix."   # agent reply (shows live for Mia)
 *   npm run agent -- status T-1001 pending                      # status change
 *   npm run agent -- sweep                                      # run the SLA check now
 *
 * Uses the demo service key; a real helpdesk sends its own (PORTICO_SERVICE_API_KEYS).
 */
import { DEMO_ACCOUNTS, DEMO_SERVICE_API_KEY } from '@portico/server';

const base = process.env.PORTICO_API ?? `http://localhost:${process.env.PORT ?? 8787}/api`;
const key = process.env.PORTICO_SERVICE_API_KEY ?? DEMO_SERVICE_API_KEY;
const agent = { id: 'agt_sam', name: process.env.AGENT_NAME ?? 'Sam Patel' };
const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/v1/service${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json?.detail ?? JSON.stringify(json)}`);
  return json;
}

/** Accepts a ticket id (`tkt_1001`) or reference (`T-1001`). */
async function ticketId(ref: string): Promise<string> {
  if (!/^T-\d+$/i.test(ref)) return ref;
  for (const account of Object.values(DEMO_ACCOUNTS)) {
    const page = await call('GET', `/tickets?account=${account}&q=${encodeURIComponent(ref)}&limit=100`);
    const hit = page.items.find((t: { ref: string }) => t.ref.toUpperCase() === ref.toUpperCase());
    if (hit) return hit.id;
  }
  throw new Error(`No ticket ${ref}`);
}

const [command, ref, ...rest] = process.argv.slice(2);
switch (command) {
  case 'reply': {
    const comment = await call('POST', `/tickets/${await ticketId(ref!)}/comments`, { body: rest.join(' ') || 'Thanks, we are on it.', agent });
    console.log(`${agent.name} replied on ${ref} (${comment.id}).`);
    break;
  }
  case 'status': {
    const ticket = await call('PATCH', `/tickets/${await ticketId(ref!)}`, { status: rest[0], agent });
    console.log(`${ticket.ref} is now ${ticket.status}.`);
    break;
  }
  case 'sweep': {
    const { recorded } = await call('POST', '/sla/sweep');
    console.log(`SLA check recorded ${recorded.length} crossing(s).`);
    break;
  }
  default:
    console.log('Usage: npm run agent -- reply <T-1001> <text> | status <T-1001> <new|open|pending|solved|closed> | sweep');
    process.exitCode = command ? 1 : 0;
}
