/**
 * Plays the vendor's support agent against the running demo, through the agent API
 * (docs/agent-api.md). Tickets are named by reference or id:
 *
 *   npm run agent -- inbox [status]                             # every account's tickets (default: unsolved)
 *   npm run agent -- reply T-1001 "We have rolled out a fix."   # agent reply (shows live for Mia)
 *   npm run agent -- note T-1001 "Customer is on the old plan"  # internal note (never shown to customers)
 *   npm run agent -- status T-1001 pending                      # status change
 *   npm run agent -- assign T-1001 "Rosa Lindqvist"             # assign (or "none")
 *   npm run agent -- merge T-1012 T-1005                        # merge a duplicate into another ticket
 *   npm run agent -- sweep                                      # run the SLA check now
 *
 * Uses the demo service key; a real helpdesk sends its own (PORTICO_SERVICE_API_KEYS).
 */
import { DEMO_SERVICE_API_KEY } from '@portico/server';

const base = process.env.PORTICO_API ?? `http://localhost:${process.env.PORT ?? 8787}/api`;
const key = process.env.PORTICO_SERVICE_API_KEY ?? DEMO_SERVICE_API_KEY;
const agent = { id: 'agt_sam', name: process.env.AGENT_NAME ?? 'Sam Patel' };
const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };

// The agent API's JSON, printed or picked apart by the commands below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/v1/service${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${json?.detail ?? JSON.stringify(json)}`);
  return json;
}

const [command, ref, ...rest] = process.argv.slice(2);
const ticket = (r: string | undefined) => `/tickets/${encodeURIComponent(r ?? '')}`;
switch (command) {
  case 'inbox': {
    const page = await call('GET', `/tickets?status=${ref ?? 'new,open,pending'}&limit=50`);
    for (const t of page.items) console.log(`${t.ref.padEnd(7)} ${t.status.padEnd(8)} ${t.priority.padEnd(7)} ${t.accountId.padEnd(14)} ${t.subject}`);
    break;
  }
  case 'reply': {
    const comment = await call('POST', `${ticket(ref)}/comments`, { body: rest.join(' ') || 'Thanks, we are on it.', agent });
    console.log(`${agent.name} replied on ${ref} (${comment.id}).`);
    break;
  }
  case 'note': {
    const note = await call('POST', `${ticket(ref)}/notes`, { body: rest.join(' ') || 'Internal note.', agent });
    console.log(`${agent.name} noted on ${ref} (${note.id}, internal).`);
    break;
  }
  case 'status': {
    const updated = await call('PATCH', ticket(ref), { status: rest[0], agent });
    console.log(`${updated.ref} is now ${updated.status}.`);
    break;
  }
  case 'assign': {
    const name = rest.join(' ');
    const updated = await call('PATCH', ticket(ref), { assignee: !name || name === 'none' ? null : name, agent });
    console.log(`${updated.ref} is assigned to ${updated.assignee ?? 'nobody'}.`);
    break;
  }
  case 'merge': {
    const { source, target } = await call('POST', `${ticket(ref)}/merge`, { into: rest[0], agent });
    console.log(`${source.ref} was merged into ${target.ref}.`);
    break;
  }
  case 'sweep': {
    const { recorded } = await call('POST', '/sla/sweep');
    console.log(`SLA check recorded ${recorded.length} crossing(s).`);
    break;
  }
  default:
    console.log(
      'Usage: npm run agent -- inbox [status] | reply <T-1001> <text> | note <T-1001> <text> | status <T-1001> <new|open|pending|solved|closed> | assign <T-1001> <name|none> | merge <T-1012> <T-1005> | sweep',
    );
    process.exitCode = command ? 1 : 0;
}
