// The page's own script (a file, not inline, so it runs under a strict CSP).
const provider = document.querySelector('portico-provider');

/** Your backend mints a short-lived Portico token for its signed-in user (docs/auth.md). */
provider.getToken = async () => {
  const response = await fetch('/demo/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'mia@acme.example' }),
  });
  if (!response.ok) throw new Error(`sign-in failed (${response.status})`);
  return (await response.json()).token;
};

provider.addEventListener('portico-session-change', (event) => {
  document.querySelector('.user').textContent = `Signed in as ${event.detail.session.contact.name}`;
});

document.querySelector('#lang').addEventListener('change', (event) => {
  provider.lang = event.target.value;
});
