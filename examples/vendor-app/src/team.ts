/**
 * The demo's Team area: `<portico-contacts>` inside the same provider as the ticket list,
 * a log of the DOM events the page receives from it, and the "mailbox" of invitation emails
 * the vendor's backend sent after reading `contact.invited` from Portico's service outbox.
 */
import type { PorticoProvider } from '@portico/elements';

/**
 * Shows the Team page for `#team`, else the dashboards (the support panel's own `#support/...`
 * places keep the dashboards behind the drawer). Returns whether the Team page is shown.
 */
function showArea(): boolean {
  const team = location.hash === '#team';
  // Its element (and so its request for the contacts) only once the area is shown.
  if (team) void import('@portico/elements/define/portico-contacts.js');
  for (const el of document.querySelectorAll<HTMLElement>('main > h1, main > .lead, main > .cards')) el.hidden = team;
  document.querySelector<HTMLElement>('#team')!.hidden = !team;
  const [dashboards] = document.querySelectorAll<HTMLAnchorElement>('.sidebar a');
  const teamLink = document.querySelector<HTMLAnchorElement>('[data-area="team"]');
  for (const [link, current] of [
    [dashboards, !team],
    [teamLink, team],
  ] as const) {
    if (current) link?.setAttribute('aria-current', 'page');
    else link?.removeAttribute('aria-current');
  }
  return team;
}

function logLine(list: HTMLElement, text: string): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} · ${text}`;
  list.prepend(item);
}

interface MailboxEntry {
  to: string;
  subject: string;
  sentAt: string;
}

async function refreshMailbox(list: HTMLElement): Promise<void> {
  const response = await fetch('/demo/mailbox').catch(() => undefined);
  if (!response?.ok) return;
  const mails = (await response.json()) as MailboxEntry[];
  list.replaceChildren(
    ...mails.map((m) => {
      const item = document.createElement('li');
      item.textContent = `${new Date(m.sentAt).toLocaleTimeString()} · to ${m.to}: ${m.subject}`;
      return item;
    }),
  );
}

export function setUpTeamArea(provider: PorticoProvider, signin: HTMLSelectElement): void {
  const events = document.querySelector<HTMLElement>('#host-events')!;
  const mailbox = document.querySelector<HTMLElement>('#mailbox')!;
  const revoked = document.querySelector<HTMLElement>('#access-revoked')!;
  // The area's data (the contacts, the mailbox) loads when it is shown, not behind the dashboards.
  const show = () => {
    if (showArea()) void refreshMailbox(mailbox);
  };
  window.addEventListener('hashchange', show);
  show();

  provider.addEventListener('portico-contact-invited', (e) => {
    logLine(events, `portico-contact-invited: ${e.detail.contact.email} as ${e.detail.contact.role}`);
    // The vendor's outbox reader runs every second; show its result shortly after.
    setTimeout(() => void refreshMailbox(mailbox), 1500);
  });
  provider.addEventListener('portico-contact-updated', (e) => {
    const { contact, change, previousRole } = e.detail;
    logLine(events, `portico-contact-updated (${change}): ${contact.name}${change === 'role' ? ` ${previousRole} → ${contact.role}` : ''}`);
    if (change === 'invitation-resent') setTimeout(() => void refreshMailbox(mailbox), 1500);
  });
  provider.addEventListener('portico-contact-deactivated', (e) => {
    const { contact, transferred, transferredTo } = e.detail;
    logLine(events, `portico-contact-deactivated: ${contact.name}${transferred.length ? `, ${transferred.length} tickets → ${transferredTo?.name}` : ''}`);
  });
  // A deactivated contact's next request is refused: say so instead of showing broken widgets.
  provider.addEventListener('portico-session-expired', (e) => {
    revoked.hidden = false;
    revoked.textContent = `${signin.selectedOptions[0]?.textContent ?? 'This user'} cannot use support any more: ${e.detail.error.message}`;
  });
  provider.addEventListener('portico-session-change', () => {
    revoked.hidden = true;
  });
}
