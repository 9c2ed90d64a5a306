/**
 * Extra seeds for stories. Built from the demo seed (so every field a colleague adds to
 * the domain comes along) rather than written out by hand.
 */
import { DEMO_ACCOUNTS, demoSeed, type SeedData } from '@portico/server';

const HOUR = 3_600_000;

/** Subjects that stress layout: very long, unbroken, mixed scripts, emoji. */
const LONG_SUBJECTS = [
  'Quarterly invoice shows the enterprise add-on twice although it was cancelled in the previous billing period and the credit note was never applied to our account',
  'SSO login loops back to the identity provider for every user whose email contains a plus sign, which blocks the whole support team from signing in on Mondays',
  'Export_of_all_dashboards_fails_with_error_code_EXPORT_TIMEOUT_when_more_than_ten_thousand_rows_are_selected',
  'Zeitüberschreitung beim Hochladen großer CSV-Dateien über die Importschnittstelle (Größenordnung > 200 MB)',
  'تعذر تحميل لوحة التحكم بعد التحديث الأخير — تظهر شاشة بيضاء فقط',
  '🚨 Production outage: webhooks stopped firing after the maintenance window 🚨',
];

/**
 * The demo seed plus a colleague with a very long name and 60 extra Acme tickets with long
 * subjects and every status and priority: enough for "Load more", wrapping and truncation.
 */
export function longContentSeed(now: Date): SeedData {
  const demo = demoSeed(now);
  const colleague = demo.contacts.find((c) => c.accountId === DEMO_ACCOUNTS.acme && c.role === 'member' && c.status === 'active')!;
  // A colleague with a very long name, who files half of the extra tickets.
  const longName = {
    ...colleague,
    id: 'con_long_name',
    email: 'maximiliane.von-hohenzollern-sigmaringen@acme.example',
    name: 'Maximiliane Alexandra von Hohenzollern-Sigmaringen',
  };
  const template = demo.tickets.find((t) => t.accountId === DEMO_ACCOUNTS.acme && t.visibility === 'account') ?? demo.tickets[0]!;
  const statuses = ['new', 'open', 'pending', 'solved', 'closed'] as const;
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  const extra = Array.from({ length: 60 }, (_, i) => {
    const number = 5001 + i;
    const at = new Date(now.getTime() - (i + 1) * 7 * HOUR).toISOString();
    return {
      ...template,
      id: `tkt_${number}`,
      ref: `T-${number}`,
      subject: `${LONG_SUBJECTS[i % LONG_SUBJECTS.length]} (#${i + 1})`,
      description: LONG_SUBJECTS[(i + 1) % LONG_SUBJECTS.length]!,
      status: statuses[i % statuses.length]!,
      priority: priorities[i % priorities.length]!,
      visibility: i % 3 === 1 ? ('private' as const) : ('account' as const),
      requester: i % 2 ? template.requester : { id: longName.id, name: longName.name, email: longName.email },
      followerIds: [],
      commentCount: 0,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  });
  // Each extra ticket also appears on the timeline, so activity widgets get long content too.
  const created = extra.map((t) => ({
    id: `act_${t.ref}_created`,
    accountId: t.accountId,
    type: 'ticket.created' as const,
    actor: { kind: 'contact' as const, id: t.requester.id, name: t.requester.name },
    ticketId: t.id,
    contactId: null,
    data: { ref: t.ref, subject: t.subject },
    createdAt: t.createdAt,
  }));
  return { ...demo, contacts: [...demo.contacts, longName], tickets: [...demo.tickets, ...extra], activity: [...demo.activity, ...created] };
}
