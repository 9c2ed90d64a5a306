import type { PorticoNavigateDetail } from '@portico/elements';
import { PorticoProvider, PorticoSupportPanel } from '@portico/react';
import { useState } from 'react';

/**
 * Your backend mints a short-lived Portico token for the user it has signed in (docs/auth.md).
 * Here: the demo backend's endpoint, for a demo contact.
 */
async function getToken(): Promise<string> {
  const response = await fetch('/demo/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'mia@acme.example' }),
  });
  if (!response.ok) throw new Error(`sign-in failed (${response.status})`);
  return ((await response.json()) as { token: string }).token;
}

export function App() {
  const [user, setUser] = useState<string>();
  const [lang, setLang] = useState('en');
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<PorticoNavigateDetail>();

  return (
    <main>
      <h1>Acme Analytics</h1>
      <p className="user">{user ? `Signed in as ${user}` : 'Signing in…'}</p>
      <label>
        Language{' '}
        <select name="lang" value={lang} onChange={(e) => setLang(e.target.value)}>
          <option value="en">English</option>
          <option value="de">Deutsch</option>
          <option value="ar">العربية</option>
        </select>
      </label>
      <button type="button" className="contact" onClick={() => setOpen(true)}>
        Contact support
      </button>
      <p className="drawer-state">Support drawer is {open ? 'open' : 'closed'}</p>
      {place && <p className="place">Support panel at {place.ticketId ? `${place.view}/${place.ticketId}` : place.view}</p>}

      <PorticoProvider apiBase="/api" getToken={getToken} lang={lang} onPorticoSessionChange={(e) => setUser(e.detail.session.contact.name)}>
        <PorticoSupportPanel mode="launcher" open={open} onPorticoPanelToggle={(e) => setOpen(e.detail.open)} onPorticoNavigate={(e) => setPlace(e.detail)} />
      </PorticoProvider>
    </main>
  );
}
