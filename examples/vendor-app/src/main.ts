/**
 * The demo vendor app's page script: a "sign in as" switcher that asks the demo
 * backend for a token, and Portico's widgets fed by that token.
 */
import '@portico/elements';
import type { PorticoProvider, PorticoTicketDetail, PorticoTicketList, TicketListFilters } from '@portico/elements';

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
const list = document.querySelector<PorticoTicketList>('portico-ticket-list')!;
const detail = document.querySelector<PorticoTicketDetail>('portico-ticket-detail')!;

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
  detail.ticketId = '';
  provider.getToken = () => fetchToken(contact.email);
}

/** The list's filters live in the page URL (`?view=…&q=…`), so a reload or a shared link keeps them. */
const FILTER_KEYS = ['view', 'status', 'priority', 'category', 'requester', 'account', 'q', 'sort'] as const;

function filtersFromUrl(): void {
  const params = new URLSearchParams(location.search);
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null) list.setAttribute(key, value);
  }
  const ticket = params.get('ticket');
  if (ticket) detail.ticketId = ticket;
}

function writeUrl(filters: TicketListFilters | undefined, ticket: string): void {
  const params = new URLSearchParams(location.search);
  if (filters) {
    for (const key of FILTER_KEYS) {
      const value = filters[key];
      const text = Array.isArray(value) ? value.join(',') : value;
      if (text) params.set(key, text);
      else params.delete(key);
    }
  }
  if (ticket) params.set('ticket', ticket);
  else params.delete('ticket');
  const query = params.toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

async function main() {
  const contacts = (await (await fetch('/demo/contacts')).json()) as DemoContact[];
  for (const c of contacts) select.add(new Option(`${c.name} <${c.email}>`, c.email));
  select.addEventListener('change', () => {
    signIn(contacts, select.value);
    // Another contact may not reach the previous one's account or requester filter.
    list.account = '';
    list.requester = '';
    writeUrl({ ...list.filters, account: '', requester: '' }, '');
  });
  signIn(contacts, localStorage.getItem(STORAGE_KEY) ?? 'mia@acme.example');
  filtersFromUrl();

  list.addEventListener('portico-ticket-select', (event) => {
    detail.ticketId = event.detail.id;
    writeUrl(undefined, event.detail.id);
  });
  list.addEventListener('portico-view-change', (event) => writeUrl(event.detail, detail.ticketId));
}

void main();
