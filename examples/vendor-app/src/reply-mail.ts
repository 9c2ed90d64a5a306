/**
 * The page's "Mailbox": the emails the demo vendor sent when Portico's webhook said an agent
 * replied (see ../reply-mail.ts on the backend). Polled, as a demo stand-in for a real inbox.
 */
interface ReplyMail {
  id: string;
  to: string;
  subject: string;
  body: string;
  sentAt: string;
}

async function refresh(list: HTMLElement): Promise<void> {
  const response = await fetch('/demo/mailbox/replies').catch(() => undefined);
  if (!response?.ok) return;
  const mails = (await response.json()) as ReplyMail[];
  list.replaceChildren(
    ...mails.map((m) => {
      const item = document.createElement('li');
      const head = document.createElement('strong');
      head.textContent = m.subject;
      const to = document.createTextNode(` → ${m.to} · ${new Date(m.sentAt).toLocaleTimeString()}`);
      const body = document.createElement('pre');
      body.textContent = m.body;
      item.append(head, to, body);
      return item;
    }),
  );
  if (mails.length === 0) list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'No emails yet.' }));
}

/** Shows the mailbox in `#reply-mail` and keeps it current. */
export function setUpReplyMailbox(): void {
  const list = document.querySelector<HTMLElement>('#reply-mail');
  if (!list) return;
  void refresh(list);
  setInterval(() => void refresh(list), 2000);
}
