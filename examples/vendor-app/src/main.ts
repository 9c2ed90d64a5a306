/**
 * The demo vendor app's page script: a "sign in as" switcher that asks the demo
 * backend for a token, and Portico's widgets fed by that token.
 */
import '@portico/elements';
import type { PorticoProvider } from '@portico/elements';
import { setUpTeamArea } from './team.ts';

interface DemoContact {
  email: string;
  name: string;
  role: string;
  account: string;
}

const STORAGE_KEY = 'acme-analytics:signed-in-as';
const select = document.querySelector<HTMLSelectElement>('#signin')!;
const roleLabel = document.querySelector<HTMLElement>('#signin-role')!;
const provider = document.querySelector<PorticoProvider>('portico-provider')!;
const selection = document.querySelector<HTMLElement>('#selection')!;

/** What the vendor's backend does for real: mint a short-lived Portico token for the signed-in user. */
async function fetchToken(email: string): Promise<string> {
  const response = await fetch('/demo/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (!response.ok) throw new Error(`Could not sign in as ${email} (${response.status})`);
  return ((await response.json()) as { token: string }).token;
}

function signIn(contacts: DemoContact[], email: string) {
  const contact = contacts.find((c) => c.email === email) ?? contacts[0]!;
  localStorage.setItem(STORAGE_KEY, contact.email);
  select.value = contact.email;
  roleLabel.textContent = `${contact.role} · ${contact.account}`;
  selection.replaceChildren(paragraph('Select a ticket to see it here.'));
  provider.getToken = () => fetchToken(contact.email);
}

function paragraph(text: string) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

async function main() {
  const contacts = (await (await fetch('/demo/contacts')).json()) as DemoContact[];
  for (const c of contacts) select.add(new Option(`${c.name} <${c.email}>`, c.email));
  select.addEventListener('change', () => signIn(contacts, select.value));
  signIn(contacts, localStorage.getItem(STORAGE_KEY) ?? 'mia@acme.example');
  setUpTeamArea(provider, select);

  provider.addEventListener('portico-ticket-select', async (event) => {
    // The list sends the ticket; the timeline and the bell send only its id.
    const ticket = event.detail.ticket ?? (await provider.activeClient?.getTicket(event.detail.id));
    if (!ticket) return;
    const heading = document.createElement('h2');
    heading.textContent = `${ticket.ref} · ${ticket.subject}`;
    const facts = document.createElement('dl');
    for (const [label, value] of [
      ['Status', ticket.status],
      ['Priority', ticket.priority],
      ['Category', ticket.category],
      ['Requester', ticket.requester.name],
      ['Visibility', ticket.visibility],
    ] as const) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      facts.append(dt, dd);
    }
    selection.replaceChildren(heading, facts, paragraph(ticket.description));
  });
}

void main();
