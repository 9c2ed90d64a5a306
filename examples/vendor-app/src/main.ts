/**
 * The demo vendor app's page script: a "sign in as" switcher that asks the demo backend for
 * a token, a language switcher, and Portico's support panel (launcher mode) fed by that token.
 * The panel's place is mirrored into the URL (#support/<view>[/<ticket>]) the way a host
 * router would: portico-navigate → URL, URL → `view` / `ticket-id`.
 */
// The elements themselves come from portico.ts, the page's other script, which may run before or
// after this one (it is async): properties set on an element before it is defined are kept.
import type { PanelView, PorticoProvider, PorticoSupportPanel } from '@portico/elements';
import { setUpReplyMailbox } from './reply-mail.ts';
import { setUpTeamArea } from './team.ts';

interface DemoContact {
  email: string;
  name: string;
  role: string;
  account: string;
}

const STORAGE_KEY = 'acme-analytics:signed-in-as';
const LANG_KEY = 'acme-analytics:lang';
const select = document.querySelector<HTMLSelectElement>('#signin')!;
const langSelect = document.querySelector<HTMLSelectElement>('#lang')!;
const roleLabel = document.querySelector<HTMLElement>('#signin-role')!;
const provider = document.querySelector<PorticoProvider>('portico-provider')!;
const panel = document.querySelector<PorticoSupportPanel>('portico-support-panel')!;
const where = document.querySelector<HTMLElement>('#where')!;

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

/**
 * The provider's `getToken` for a contact: its first call takes `early` (a token already on its
 * way) when there is one, every later call (a refresh) asks the backend again.
 */
function tokenSource(email: string, early?: Promise<string>) {
  let first = early;
  return ({ forceRefresh }: { forceRefresh: boolean }) => {
    const token = forceRefresh ? undefined : first;
    first = undefined;
    return token ?? fetchToken(email);
  };
}

/**
 * The page knows who is signed in before anything else (here: the last choice of the switcher),
 * so it asks for that contact's token at once, while Portico's script and the contact list are
 * still loading, rather than when Portico first asks for a token.
 */
const signedInAtLoad = localStorage.getItem(STORAGE_KEY) ?? 'mia@acme.example';
/** The contact whose tokens the provider gets. */
let tokensFor = signedInAtLoad;
provider.getToken = tokenSource(signedInAtLoad, fetchToken(signedInAtLoad));
// The language too, before Portico's first session load.
langSelect.addEventListener('change', () => setLanguage(langSelect.value));
setLanguage(localStorage.getItem(LANG_KEY) ?? 'en');

function signIn(contacts: DemoContact[], email: string) {
  const contact = contacts.find((c) => c.email === email) ?? contacts[0]!;
  localStorage.setItem(STORAGE_KEY, contact.email);
  select.value = contact.email;
  roleLabel.textContent = `${contact.role} · ${contact.account}`;
  // Another contact: a new token source (the provider then loads that contact's session).
  if (contact.email !== tokensFor) {
    tokensFor = contact.email;
    provider.getToken = tokenSource(contact.email);
  }
}

function setLanguage(lang: string) {
  localStorage.setItem(LANG_KEY, lang);
  langSelect.value = lang;
  provider.lang = lang;
}

/** Panel → URL: the open drawer's place, `#support/<view>[/<ticket>]` (a closed drawer has none). */
function mirrorPlace(view: PanelView, ticketId: string | null) {
  history.replaceState(null, '', `#support/${view}${ticketId ? `/${ticketId}` : ''}`);
  where.textContent = `Support: ${view}${ticketId ? ` › ${ticketId}` : ''}`;
}

/** URL → panel: `#support/tickets/t_123` opens the drawer there. */
function followUrl() {
  const [first, view, ticketId] = location.hash.slice(1).split('/');
  if (first !== 'support' || !view) return;
  panel.view = view as PanelView;
  panel.ticketId = ticketId ?? null;
  panel.open = true;
}

async function main() {
  const contacts = (await (await fetch('/demo/contacts')).json()) as DemoContact[];
  for (const c of contacts) select.add(new Option(`${c.name} <${c.email}>`, c.email));
  select.addEventListener('change', () => signIn(contacts, select.value));
  signIn(contacts, signedInAtLoad);

  // Panel → URL, as a host router would: the URL alone brings an open drawer back after a
  // reload, so the panel remembers nothing itself (`storage-key=""` in index.html).
  panel.addEventListener('portico-navigate', (event) => mirrorPlace(event.detail.view, event.detail.ticketId));
  // The bell in the page header opens the panel on the ticket it names.
  document.querySelector('portico-notifications')?.addEventListener('portico-ticket-select', (event) => {
    panel.view = 'tickets';
    panel.ticketId = event.detail.id;
    panel.open = true;
    mirrorPlace('tickets', event.detail.id);
  });
  panel.addEventListener('portico-panel-toggle', (event) => {
    if (event.detail.open) mirrorPlace(panel.view, panel.view === 'tickets' ? panel.ticketId : null);
    else history.replaceState(null, '', location.pathname);
  });
  window.addEventListener('hashchange', followUrl);
  followUrl();
}

// The page's own areas need no contact list: set them up at once (their timers and requests
// then start from this script's own task, not from whichever task the contacts arrive in).
setUpTeamArea(provider, select);
setUpReplyMailbox();
void main();
