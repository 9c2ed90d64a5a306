/**
 * The demo vendor app's page script: a "sign in as" switcher that asks the demo
 * backend for a token, and Portico's widgets fed by that token.
 */
import '@portico/elements';
import type { PorticoProvider, PorticoTicketList } from '@portico/elements';
import type { Ticket } from '@portico/core';

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
const list = document.querySelector<PorticoTicketList>('portico-ticket-list')!;
const newTicketResult = document.querySelector<HTMLElement>('#new-ticket-result')!;
const NEW_TICKET_HINT = newTicketResult.textContent!.trim();

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
  newTicketResult.replaceChildren(paragraph(NEW_TICKET_HINT));
  provider.getToken = () => fetchToken(contact.email);
}

function heading(text: string) {
  const h = document.createElement('h2');
  h.textContent = text;
  return h;
}

/** The new ticket and its files, each downloadable (the API answers only those who may see the ticket). */
async function showCreated(ticket: Ticket) {
  newTicketResult.replaceChildren(heading(`${ticket.ref} created`), paragraph(`${ticket.subject} · ${ticket.visibility}`));
  const client = provider.activeClient;
  if (!client) return;
  const files = await client.listAttachments(ticket.id).catch(() => []);
  if (!files.length) return;
  const ul = document.createElement('ul');
  for (const file of files) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'file-link';
    button.textContent = `${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB)`;
    button.addEventListener('click', async () => {
      const blob = await client.downloadAttachment(ticket.id, file.id);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = file.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
    li.append(button);
    ul.append(li);
  }
  newTicketResult.append(paragraph('Attachments:'), ul);
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

  provider.addEventListener('portico-ticket-created', (event) => {
    list.refresh();
    void showCreated(event.detail.ticket);
  });
  provider.addEventListener('portico-ticket-followed', (event) => {
    const { ticket } = event.detail;
    list.refresh();
    newTicketResult.replaceChildren(heading(`Following ${ticket.ref}`), paragraph(`${ticket.subject} — reported by ${ticket.requester.name}. No duplicate was filed.`));
  });

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
