/**
 * The demo seed: a fixed, deterministic data set that docs, stories, browser tests
 * and the demo app rely on. Ids never change; timestamps are relative to `now`.
 * Browser-safe (no Node imports).
 */
import {
  addWorkingMs,
  workingMs,
  type AccountSeed,
  type Activity,
  type ActorRef,
  type BusinessHours,
  type Comment,
  type Contact,
  type Role,
  type Satisfaction,
  type SatisfactionRating,
  type Ticket,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  type TicketVisibility,
} from '@portico/core';
import { validateSeed } from '../seed-validation.ts';
import { policyFor, type SlaConfig } from '../sla.ts';
import type { SeedData } from '../store.ts';
import { completeAccount } from '../provisioning-plans.ts';
import * as plans from '../ticket-plans.ts';
import { demoArticles } from './articles.ts';

/**
 * HS256 secret the demo and the mocks sign tokens with. For demos and tests only:
 * a real deployment must set its own secret (`--jwt-secret` / `PORTICO_JWT_SECRET`) or a public key.
 */
export const DEMO_JWT_SECRET = 'portico-demo-secret-do-not-use-in-production';

/** The service API key of the demo (the "agent" script uses it). Public: demo and tests only. */
export const DEMO_SERVICE_API_KEY = 'portico-demo-service-key-do-not-use-in-production';

/** Ids of the demo accounts. */
export const DEMO_ACCOUNTS = {
  acme: 'acc_acme',
  acmeEmea: 'acc_acme_emea',
  acmeLabs: 'acc_acme_labs',
  globex: 'acc_globex',
} as const;

type AccountKey = keyof typeof DEMO_ACCOUNTS;

const ACCOUNTS: readonly AccountSeed[] = [
  { id: DEMO_ACCOUNTS.acme, name: 'Acme Corp', domains: ['acme.example'], tier: 'premier', parentId: null, defaultVisibility: 'account' },
  {
    id: DEMO_ACCOUNTS.acmeEmea,
    name: 'Acme EMEA',
    domains: ['acme-emea.example'],
    tier: 'premier',
    parentId: DEMO_ACCOUNTS.acme,
    defaultVisibility: 'account',
  },
  {
    id: DEMO_ACCOUNTS.acmeLabs,
    name: 'Acme Labs',
    domains: ['acme-labs.example'],
    tier: 'standard',
    parentId: DEMO_ACCOUNTS.acme,
    defaultVisibility: 'private',
  },
  { id: DEMO_ACCOUNTS.globex, name: 'Globex', domains: ['globex.example'], tier: 'standard', parentId: null, defaultVisibility: 'private' },
];

interface ContactDef {
  key: string;
  account: AccountKey;
  name: string;
  role: Role;
  status?: Contact['status'];
  domain: string;
}

const CONTACT_DEFS: readonly ContactDef[] = [
  { key: 'ada', account: 'acme', name: 'Ada Okafor', role: 'admin', domain: 'acme.example' },
  { key: 'ben', account: 'acme', name: 'Ben Carter', role: 'billing', domain: 'acme.example' },
  { key: 'mia', account: 'acme', name: 'Mia Chen', role: 'member', domain: 'acme.example' },
  { key: 'jay', account: 'acme', name: 'Jay Morales', role: 'requester', domain: 'acme.example' },
  { key: 'val', account: 'acme', name: 'Val Novak', role: 'viewer', domain: 'acme.example' },
  { key: 'dan', account: 'acme', name: 'Dan Reyes', role: 'member', status: 'deactivated', domain: 'acme.example' },
  { key: 'ivy', account: 'acme', name: 'Ivy Brooks', role: 'member', status: 'invited', domain: 'acme.example' },
  { key: 'emil', account: 'acmeEmea', name: 'Emil Berg', role: 'admin', domain: 'acme-emea.example' },
  { key: 'noor', account: 'acmeEmea', name: 'Noor Haddad', role: 'member', domain: 'acme-emea.example' },
  { key: 'leo', account: 'acmeLabs', name: 'Leo Tanaka', role: 'admin', domain: 'acme-labs.example' },
  { key: 'gus', account: 'globex', name: 'Gus Hoffman', role: 'admin', domain: 'globex.example' },
  { key: 'pia', account: 'globex', name: 'Pia Romano', role: 'member', domain: 'globex.example' },
];

/** Ids of the demo contacts, by first name. */
export const DEMO_CONTACTS = Object.fromEntries(CONTACT_DEFS.map((c) => [c.key, `con_${c.key}`])) as Record<
  'ada' | 'ben' | 'mia' | 'jay' | 'val' | 'dan' | 'ivy' | 'emil' | 'noor' | 'leo' | 'gus' | 'pia',
  string
>;

/** Emails of the demo contacts, by first name (e.g. `ada@acme.example`). */
export const DEMO_EMAILS = Object.fromEntries(CONTACT_DEFS.map((c) => [c.key, `${c.key}@${c.domain}`])) as Record<keyof typeof DEMO_CONTACTS, string>;

type ContactKey = keyof typeof DEMO_CONTACTS;

const AGENTS = {
  sam: { kind: 'agent', id: 'agt_sam', name: 'Sam Patel' },
  rosa: { kind: 'agent', id: 'agt_rosa', name: 'Rosa Lindqvist' },
  kenji: { kind: 'agent', id: 'agt_kenji', name: 'Kenji Ito' },
} as const satisfies Record<string, ActorRef>;
type AgentKey = keyof typeof AGENTS;

/** `[author, body, hours after the ticket was created]`; authors are contacts or `agent:<key>`. */
type CommentDef = readonly [ContactKey | `agent:${AgentKey}`, string, number];

interface TicketDef {
  account: AccountKey;
  requester: ContactKey;
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  visibility: TicketVisibility;
  /**
   * Hours before `now` the ticket was created, for solved and closed tickets. Unsolved ones are
   * placed by their SLA instead (see `sla`), so the demo looks the same whenever it is seeded.
   */
  age: number;
  followers?: readonly ContactKey[];
  assignee?: AgentKey;
  escalated?: boolean;
  comments?: readonly CommentDef[];
  /**
   * Where an unsolved ticket's running SLA clock stands at seeding time (default: well within
   * its target). The clock is the first response until an agent replied, then the resolution.
   */
  sla?: 'at_risk' | 'breached';
  /** The requester's rating of a solved or closed ticket: `[rating, comment]`. */
  csat?: readonly [SatisfactionRating, string | null];
}

const T = (
  account: AccountKey,
  requester: ContactKey,
  category: TicketCategory,
  priority: TicketPriority,
  status: TicketStatus,
  visibility: TicketVisibility,
  age: number,
  subject: string,
  description: string,
  more: Partial<Pick<TicketDef, 'followers' | 'assignee' | 'escalated' | 'comments' | 'sla' | 'csat'>> = {},
): TicketDef => ({ account, requester, category, priority, status, visibility, age, subject, description, ...more });

/** The demo tickets, `T-1001` onwards in this order. */
const TICKETS: readonly TicketDef[] = [
  // --- Acme Corp -----------------------------------------------------------
  T(
    'acme',
    'mia',
    'technical',
    'urgent',
    'open',
    'account',
    20,
    'SSO login fails for all users after IdP certificate rotation',
    'We rotated the signing certificate on our Okta IdP this morning. Since then every SSO login ends on "SAML response signature invalid". Password login is disabled for our org, so nobody can get in.',
    {
      sla: 'at_risk',
      followers: ['ada', 'jay'],
      assignee: 'sam',
      escalated: true,
      comments: [
        ['agent:sam', 'Thanks Mia. We still have the old certificate fingerprint on file. Can you send the new metadata XML?', 1],
        ['mia', 'Metadata attached via the admin console upload. The new cert is valid from today.', 2],
        ['ada', 'This is blocking 300 people, please treat it as a P1.', 3],
      ],
    },
  ),
  T(
    'acme',
    'jay',
    'technical',
    'high',
    'pending',
    'private',
    30,
    'CSV export of the revenue dashboard times out',
    'Exporting the "Revenue by region" dashboard to CSV spins for a minute and then shows "Export failed". Smaller dashboards export fine.',
    { assignee: 'rosa', comments: [['agent:rosa', 'Could you tell us the date range you used? Exports above 2M rows go through the async export queue.', 4]] },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'normal',
    'open',
    'account',
    50,
    'Invoice INV-2291 charges for 120 seats, we have 95',
    'Our October invoice bills 120 seats but the admin console shows 95 active users. Please correct the invoice and explain how seats are counted.',
    {
      followers: ['ada'],
      assignee: 'kenji',
      comments: [['agent:kenji', 'Seats are counted as the peak of active users in the billing period. I am pulling the daily numbers for October.', 5]],
    },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'low',
    'solved',
    'private',
    400,
    'Update billing contact and VAT number',
    'Please send invoices to ap@acme.example from now on and add our VAT number DE812345678.',
    { assignee: 'kenji', comments: [['agent:kenji', 'Done: billing contact and VAT number updated from the next invoice on.', 6]] },
  ),
  T(
    'acme',
    'ada',
    'account',
    'high',
    'open',
    'account',
    70,
    'Transfer workspace ownership before admin leaves',
    'Our current workspace owner leaves on Friday. We need ownership moved to ada@acme.example without losing scheduled reports.',
    { sla: 'at_risk', assignee: 'sam' },
  ),
  T(
    'acme',
    'mia',
    'feature_request',
    'low',
    'new',
    'account',
    8,
    'Allow dashboard filters to be shared via URL',
    'It would help our analysts a lot if the current filter state of a dashboard was encoded in the URL so it can be pasted into Slack.',
  ),
  T(
    'acme',
    'jay',
    'technical',
    'normal',
    'new',
    'private',
    3,
    'Scheduled report emails arrive with broken charts',
    'The weekly KPI report email shows grey boxes instead of charts in Outlook. The web version is fine.',
  ),
  T(
    'acme',
    'mia',
    'technical',
    'high',
    'open',
    'account',
    26,
    'API returns 429 for our nightly sync well below the documented rate limit',
    'Our nightly ETL job gets HTTP 429 after about 200 requests per minute; the docs say 600/min for premier plans.',
    {
      sla: 'breached',
      followers: ['jay'],
      assignee: 'rosa',
      comments: [
        ['agent:rosa', 'Your API key is still on the standard limit. I have asked engineering to move it to premier.', 2],
        ['jay', 'Our job failed again last night, any update?', 20],
      ],
    },
  ),
  T(
    'acme',
    'ada',
    'account',
    'normal',
    'solved',
    'private',
    300,
    'Enforce two-factor authentication for all Acme users',
    'Please confirm how to make 2FA mandatory for everybody in our workspace, including existing users.',
    { comments: [['agent:sam', 'Admin console → Security → "Require 2FA". Existing users are asked at next login.', 3]] },
  ),
  T(
    'acme',
    'dan',
    'technical',
    'normal',
    'closed',
    'private',
    900,
    'Embedded chart iframe blocked by our Content-Security-Policy',
    'Embedding a chart on our intranet fails with "Refused to frame". Which frame-src do we need to allow?',
    { csat: ['good', null], comments: [['agent:rosa', 'Add https://embed.acme-analytics.example to frame-src. Closing as answered.', 10]] },
  ),
  T(
    'acme',
    'mia',
    'technical',
    'low',
    'closed',
    'account',
    1200,
    'Dark mode renders table headers unreadable',
    'In dark mode the pinned table headers are dark grey on black.',
    { csat: ['good', null], comments: [['agent:kenji', 'Fixed in release 4.12, rolled out today.', 48]] },
  ),
  T(
    'acme',
    'jay',
    'account',
    'normal',
    'pending',
    'account',
    90,
    'Cannot invite users from our subsidiary domain',
    'Invites to addresses at acme-emea.example are rejected with "domain not allowed".',
    { assignee: 'sam', comments: [['agent:sam', 'Subsidiaries are separate accounts. Should EMEA users join the Acme Corp workspace or their own?', 4]] },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'high',
    'pending',
    'account',
    120,
    'Credit card payment declined although the card is valid',
    'The automatic renewal payment was declined twice. Our bank sees no attempt. Can you retry or send a payment link?',
    { assignee: 'kenji', comments: [['agent:kenji', 'The processor flagged a 3-D Secure failure. I have sent a payment link to ben@acme.example.', 2]] },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'normal',
    'new',
    'private',
    5,
    'Request annual billing quote for 150 seats',
    'We would like to move from monthly to annual billing at 150 seats. Please send a quote including the premier support add-on.',
  ),
  T(
    'acme',
    'mia',
    'feature_request',
    'normal',
    'open',
    'account',
    500,
    'Row-level permissions for shared dashboards',
    "We need regional managers to see only their region's rows in the same dashboard.",
    {
      followers: ['ada'],
      assignee: 'rosa',
      comments: [
        ['agent:rosa', 'Row-level security is on the roadmap for Q3. I have linked your request to it.', 30],
        ['ada', 'Please keep us posted, this decides our renewal scope.', 40],
      ],
    },
  ),
  T(
    'acme',
    'jay',
    'technical',
    'urgent',
    'solved',
    'account',
    200,
    'Data pipeline stuck: no new events since 02:00 UTC',
    'Dashboards show no events after 02:00 UTC. Our tracking snippet is still sending (we see 200 responses).',
    {
      csat: ['good', 'Fast and clear updates during the incident, thank you.'],
      followers: ['mia'],
      assignee: 'sam',
      escalated: true,
      comments: [
        ['agent:sam', 'Confirmed: an ingestion worker was stuck. Backfill is running and should complete within 2 hours.', 1],
        ['agent:sam', 'Backfill complete, all events are visible again. Sorry for the disruption.', 4],
        ['jay', 'Confirmed on our side, thanks.', 5],
      ],
    },
  ),
  T(
    'acme',
    'mia',
    'technical',
    'normal',
    'pending',
    'private',
    60,
    'Timezone of scheduled reports ignores daylight saving time',
    'Since the DST change our 08:00 report arrives at 09:00.',
    { assignee: 'kenji', comments: [['agent:kenji', 'Which timezone is set on the schedule, "CET" or "Europe/Berlin"?', 3]] },
  ),
  T(
    'acme',
    'ada',
    'technical',
    'high',
    'new',
    'private',
    1,
    'Audit log export missing events from last week',
    'The audit log CSV export skips everything between Monday and Wednesday. We need it for our SOC 2 evidence.',
  ),
  T(
    'acme',
    'jay',
    'feature_request',
    'low',
    'closed',
    'private',
    2000,
    'Keyboard shortcut to switch between dashboards',
    'A quick switcher (Ctrl+K) would save a lot of clicking.',
    { comments: [['agent:rosa', 'Shipped in 4.8, press Ctrl+K anywhere.', 200]] },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'urgent',
    'open',
    'account',
    14,
    'Account suspended for non-payment after invoice was paid',
    'We paid INV-2270 by wire on the 3rd (remittance attached) but the workspace shows "Suspended for non-payment".',
    {
      sla: 'at_risk',
      followers: ['ada', 'mia'],
      assignee: 'kenji',
      escalated: true,
      comments: [['agent:kenji', 'The wire was matched to the wrong customer. I have lifted the suspension while finance corrects it.', 1]],
    },
  ),
  T(
    'acme',
    'mia',
    'account',
    'low',
    'solved',
    'account',
    700,
    'Rename workspace from "Acme Inc" to "Acme Corp"',
    'Our legal name changed, please update the workspace name and the invoice header.',
    { comments: [['agent:sam', 'Renamed. Invoices use the new name from the next cycle.', 2]] },
  ),
  T(
    'acme',
    'jay',
    'technical',
    'normal',
    'open',
    'account',
    40,
    'Webhook deliveries fail with TLS handshake error',
    'Our webhook endpoint moved behind a new load balancer; deliveries now fail with "TLS handshake error".',
    {
      assignee: 'rosa',
      comments: [
        ['agent:rosa', 'Our senders require TLS 1.2+. Does your load balancer still offer it?', 2],
        ['jay', 'It only offered TLS 1.3 with a restricted cipher list, we relaxed it. Can you replay the failed deliveries?', 6],
      ],
    },
  ),
  T(
    'acme',
    'dan',
    'technical',
    'normal',
    'solved',
    'account',
    1500,
    'Dashboard loads slowly for users in Singapore',
    'Our APAC team reports 10+ second load times for the main dashboard.',
    {
      csat: ['bad', 'It was slow for weeks before anything happened.'],
      comments: [['agent:sam', 'We added an APAC edge location; load times should now be under 2 seconds.', 72]],
    },
  ),
  T(
    'acme',
    'ada',
    'billing',
    'normal',
    'closed',
    'account',
    1800,
    'Refund for duplicate charge in March',
    'We were charged twice for March. Please refund the duplicate.',
    { csat: ['good', null], comments: [['agent:kenji', 'Refund issued, it should reach your card within 5 business days.', 24]] },
  ),
  T(
    'acme',
    'mia',
    'technical',
    'low',
    'new',
    'account',
    2,
    'Typo in the German translation of the export dialog',
    'The export dialog says "Exportieren Sie" twice in the title.',
  ),
  T(
    'acme',
    'jay',
    'account',
    'normal',
    'solved',
    'private',
    350,
    'Reset MFA for a user who lost their phone',
    "Jay here: I lost my phone and can't pass the 2FA prompt anymore.",
    { csat: ['good', null], comments: [['agent:sam', 'MFA reset. You will be asked to enrol again at next login.', 1]] },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'low',
    'closed',
    'private',
    2500,
    'Purchase order number missing on invoices',
    'Please add PO-44817 to all invoices of this contract.',
    { comments: [['agent:kenji', 'Added to the contract, it will print on every invoice.', 12]] },
  ),
  T(
    'acme',
    'mia',
    'feature_request',
    'high',
    'pending',
    'account',
    160,
    'Snowflake connector should support key-pair authentication',
    'Our Snowflake admins are disabling password auth for service users. We need key-pair auth in the connector before the deadline.',
    { followers: ['jay'], assignee: 'rosa', comments: [['agent:rosa', 'Key-pair auth is in beta. Shall we enable it for your workspace?', 10]] },
  ),
  T(
    'acme',
    'ada',
    'account',
    'urgent',
    'open',
    'private',
    6,
    'Suspicious logins from unknown IP addresses',
    'Our security team saw successful logins for two accounts from IPs in a country where we have no staff.',
    {
      assignee: 'sam',
      escalated: true,
      comments: [['agent:sam', 'We have forced a logout of all sessions for both users and are pulling the access logs.', 1]],
    },
  ),
  T(
    'acme',
    'jay',
    'technical',
    'low',
    'pending',
    'account',
    240,
    'Number formatting uses commas instead of dots for decimals',
    'Some users see 1.234,5 instead of 1,234.5 although their locale is en-US.',
    { comments: [['agent:kenji', 'Could you send the browser language settings of one affected user?', 20]] },
  ),
  T(
    'acme',
    'mia',
    'technical',
    'normal',
    'new',
    'private',
    4,
    'Saved segment disappeared after editing',
    'I edited my "Churn risk" segment and it no longer appears in the segment list.',
    { followers: ['ada'] },
  ),
  T(
    'acme',
    'ben',
    'account',
    'normal',
    'open',
    'account',
    80,
    'Need a signed DPA for our procurement review',
    'Procurement needs a countersigned Data Processing Agreement before renewal.',
    { followers: ['ada'], assignee: 'sam', comments: [['agent:sam', 'I have sent the DPA for e-signature to ben@acme.example.', 8]] },
  ),
  T(
    'acme',
    'ben',
    'billing',
    'normal',
    'open',
    'account',
    33,
    'Seat true-up invoice lists users deactivated last quarter',
    'The Q3 true-up invoice charges for 14 users we deactivated in July. Please recalculate.',
    { assignee: 'kenji', comments: [['ben', 'List of the deactivated users is in the admin console export from July 2.', 1]] },
  ),
  T(
    'acme',
    'jay',
    'technical',
    'high',
    'pending',
    'private',
    48,
    'Embedded dashboards show "Session expired" every 15 minutes',
    'Dashboards embedded in our intranet log out every 15 minutes although our session lifetime is 8 hours.',
    {
      followers: ['mia'],
      assignee: 'sam',
      comments: [['agent:sam', 'Embedded sessions use the embed token lifetime. Are you refreshing the token from your backend?', 3]],
    },
  ),
  T(
    'acme',
    'mia',
    'account',
    'low',
    'new',
    'private',
    11,
    'Sandbox copy of the production workspace for training',
    'We onboard 20 analysts next month and would like a sandbox copy of production to train them on.',
  ),
  T(
    'acme',
    'ada',
    'feature_request',
    'normal',
    'open',
    'account',
    260,
    'Approval workflow before dashboards are published',
    'Our compliance team wants a review step before a dashboard becomes visible to the whole company.',
    { followers: ['mia', 'ben'], comments: [['agent:rosa', 'Thanks Ada, this is a popular request; linked to our publishing roadmap item.', 30]] },
  ),

  // --- Acme EMEA -----------------------------------------------------------
  T(
    'acmeEmea',
    'emil',
    'technical',
    'high',
    'open',
    'account',
    36,
    'EU data residency: events routed to US region',
    'Our workspace is configured for EU residency but the network tab shows events posted to us.ingest.',
    {
      sla: 'breached',
      assignee: 'rosa',
      followers: ['noor'],
      comments: [['agent:rosa', 'The snippet on your site is an old version with the US endpoint hard-coded. Please update to v5.', 3]],
    },
  ),
  T(
    'acmeEmea',
    'noor',
    'billing',
    'normal',
    'pending',
    'account',
    100,
    'Invoices should be issued in EUR, not USD',
    'Acme EMEA pays in EUR. Please switch our currency from the next invoice.',
    { assignee: 'kenji', comments: [['agent:kenji', 'Currency can change at renewal only. Shall we schedule it for May?', 6]] },
  ),
  T(
    'acmeEmea',
    'noor',
    'technical',
    'normal',
    'new',
    'private',
    7,
    'GDPR deletion request for a former employee',
    'Please delete all personal data of a former employee; details in the attached request.',
  ),
  T(
    'acmeEmea',
    'emil',
    'account',
    'low',
    'solved',
    'account',
    600,
    'Add acme-emea.example as an allowed email domain',
    'We want EMEA staff to join with their own addresses.',
    { csat: ['good', null], comments: [['agent:sam', 'Done, the domain is verified.', 5]] },
  ),
  T(
    'acmeEmea',
    'noor',
    'feature_request',
    'normal',
    'open',
    'account',
    300,
    'Support for week numbers starting on Monday (ISO 8601)',
    'Weekly charts start weeks on Sunday; our finance team needs ISO weeks.',
    { comments: [['agent:rosa', 'Logged as a feature request, thanks!', 12]] },
  ),
  T(
    'acmeEmea',
    'emil',
    'technical',
    'urgent',
    'closed',
    'private',
    1000,
    'Outage: dashboards return 502 for EMEA users',
    'All dashboards return 502 Bad Gateway since 09:10 CET.',
    {
      csat: ['good', 'Great incident communication.'],
      escalated: true,
      comments: [
        ['agent:sam', 'Incident confirmed and resolved at 09:45 CET. Post-mortem to follow.', 1],
        ['emil', 'Thanks, please send the post-mortem to me directly.', 2],
      ],
    },
  ),
  T('acmeEmea', 'noor', 'technical', 'low', 'open', 'account', 45, 'French accents garbled in PDF exports', 'Exported PDFs show "Ã©" instead of "é".'),
  T(
    'acmeEmea',
    'emil',
    'billing',
    'high',
    'new',
    'private',
    9,
    'Reverse charge note missing on EU invoices',
    "EU invoices must carry the reverse-charge note; ours don't, so our accountants reject them.",
  ),
  T(
    'acmeEmea',
    'noor',
    'account',
    'normal',
    'pending',
    'private',
    130,
    'Change owner of the EMEA workspace',
    'Please make emil@acme-emea.example the owner of the EMEA workspace.',
    { comments: [['agent:sam', 'We need a confirmation from the current owner. Could they reply here?', 4]] },
  ),
  T(
    'acmeEmea',
    'emil',
    'feature_request',
    'low',
    'closed',
    'account',
    2200,
    'Export dashboards to PowerPoint',
    'Our managers present monthly numbers in PowerPoint.',
    { comments: [['agent:rosa', 'PPTX export shipped in 4.10.', 300]] },
  ),

  // --- Acme Labs -----------------------------------------------------------
  T(
    'acmeLabs',
    'leo',
    'technical',
    'high',
    'open',
    'private',
    18,
    'Python SDK raises SSLError behind corporate proxy',
    'pip-installed SDK v3.2 fails with SSLError: CERTIFICATE_VERIFY_FAILED on our lab network.',
    { assignee: 'rosa', comments: [['agent:rosa', 'Set REQUESTS_CA_BUNDLE to your proxy CA bundle; v3.3 will honour the system store.', 2]] },
  ),
  T(
    'acmeLabs',
    'leo',
    'feature_request',
    'normal',
    'new',
    'account',
    12,
    'Sandbox workspace for experiments',
    'We would like a separate sandbox workspace that does not count against our event quota.',
  ),
  T(
    'acmeLabs',
    'leo',
    'billing',
    'low',
    'solved',
    'account',
    800,
    'Education discount for research team',
    'Acme Labs is a research unit; are we eligible for the education discount?',
    { csat: ['good', null], comments: [['agent:kenji', 'Yes, a 30% discount is applied from the next invoice.', 20]] },
  ),
  T(
    'acmeLabs',
    'leo',
    'account',
    'normal',
    'pending',
    'private',
    150,
    'Move Acme Labs under the Acme Corp contract',
    'Please consolidate our billing into the Acme Corp master contract.',
    { comments: [['agent:sam', 'Ada from Acme Corp needs to approve. Waiting for her confirmation.', 10]] },
  ),
  T(
    'acmeLabs',
    'leo',
    'technical',
    'low',
    'closed',
    'account',
    1600,
    'Jupyter notebook integration shows empty output',
    'The %portico magic returns an empty table in JupyterLab 4.',
    { comments: [['agent:rosa', 'Fixed in the 2.1 extension.', 50]] },
  ),
  T(
    'acmeLabs',
    'leo',
    'technical',
    'urgent',
    'open',
    'account',
    28,
    'Event quota exceeded: ingestion paused mid-experiment',
    'Ingestion was paused at 100% quota during a running experiment. Can you raise the quota temporarily?',
    { escalated: true, assignee: 'kenji', comments: [['agent:kenji', 'Temporary +50% quota granted for 14 days.', 1]] },
  ),

  // --- Globex --------------------------------------------------------------
  T(
    'globex',
    'gus',
    'technical',
    'urgent',
    'open',
    'account',
    10,
    'SAML assertions rejected: clock skew between IdP and Portico',
    'Logins fail intermittently with "Assertion not yet valid". Our ADFS clock is synced via NTP.',
    { followers: ['pia'], assignee: 'sam', comments: [['agent:sam', 'We allow 60 s of skew. Could you send a failing SAML trace?', 1]] },
  ),
  T(
    'globex',
    'pia',
    'billing',
    'normal',
    'open',
    'private',
    55,
    'Sales tax charged although we are tax-exempt',
    'Globex is tax-exempt in Ohio; certificate attached. Please remove the sales tax.',
    { sla: 'breached', assignee: 'kenji' },
  ),
  T(
    'globex',
    'pia',
    'technical',
    'high',
    'pending',
    'account',
    75,
    'BigQuery sync duplicates rows after schema change',
    'After adding a column to our events table, the BigQuery sync writes every row twice.',
    { assignee: 'rosa', comments: [['agent:rosa', 'A full resync will fix it. Can we run it tonight at 22:00 UTC?', 4]] },
  ),
  T(
    'globex',
    'gus',
    'account',
    'low',
    'new',
    'private',
    2,
    'Offboard 12 contractors at end of month',
    'Please deactivate the listed contractor accounts on the 31st.',
  ),
  T(
    'globex',
    'pia',
    'feature_request',
    'normal',
    'new',
    'account',
    16,
    'Slack alerts for anomaly detection',
    'We would like anomaly alerts posted to a Slack channel instead of email.',
  ),
  T(
    'globex',
    'gus',
    'billing',
    'high',
    'solved',
    'account',
    450,
    'Downgrade from premier to standard at renewal',
    'We want to move to the standard tier at our March renewal.',
    { csat: ['good', 'Smooth and quick.'], comments: [['agent:kenji', 'Scheduled for the March renewal. Your SLA changes accordingly.', 8]] },
  ),
  T(
    'globex',
    'pia',
    'technical',
    'normal',
    'closed',
    'private',
    1400,
    'Funnel report counts the same user twice',
    'Users who switch devices appear twice in the funnel.',
    { csat: ['good', null], comments: [['agent:rosa', 'Enable identity stitching in Settings → Identity; closing.', 30]] },
  ),
  T(
    'globex',
    'gus',
    'technical',
    'low',
    'solved',
    'private',
    650,
    'Mobile app crashes when opening a shared dashboard',
    'The iOS app crashes on opening links to shared dashboards.',
    {
      csat: ['bad', 'Three weeks until the fix shipped.'],
      comments: [
        ['agent:sam', 'Fixed in iOS app 7.2.1.', 40],
        ['gus', 'Works now, thanks.', 45],
      ],
    },
  ),
  T(
    'globex',
    'pia',
    'account',
    'normal',
    'pending',
    'account',
    190,
    'Merge two Globex workspaces after acquisition',
    'We acquired Initech and want their workspace merged into ours.',
    { followers: ['gus'], comments: [['agent:sam', 'Merging needs a data migration; our solutions team will reach out.', 24]] },
  ),
  T(
    'globex',
    'gus',
    'technical',
    'high',
    'open',
    'private',
    22,
    'SCIM provisioning creates duplicate users',
    'Azure AD SCIM sync creates a second user when an email changes case.',
    { sla: 'at_risk', assignee: 'rosa' },
  ),
  T(
    'globex',
    'pia',
    'billing',
    'low',
    'closed',
    'account',
    2100,
    'Receipt for the onboarding package',
    'Please send a receipt for the onboarding package we paid in January.',
    { csat: ['good', null], comments: [['agent:kenji', 'Receipt sent by email.', 4]] },
  ),
  T(
    'globex',
    'pia',
    'feature_request',
    'low',
    'pending',
    'private',
    380,
    'Custom fiscal year start for all reports',
    'Our fiscal year starts in July; reports should follow it.',
    { comments: [['agent:rosa', 'Would a workspace-wide setting be enough, or do you need it per report?', 24]] },
  ),

  // --- Added by the ticket form (issue 4) -----------------------------------
  // A colleague's report of the same outage as T-1001, so the demo's duplicate check has
  // someone else's ticket to offer Mia ("Follow instead"). Ben cannot see T-1001 (billing
  // role, technical ticket), which is how the duplicate came about.
  T(
    'acme',
    'ben',
    'technical',
    'urgent',
    'new',
    'account',
    1.5,
    'Okta SSO: sales team cannot log in since this morning',
    'Nobody in Sales can log in through Okta since about 08:30. The login page says "SAML response signature invalid" and password login is disabled for our workspace.',
  ),
];

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Options of `demoSeed`. */
export interface DemoSeedOptions {
  /** The SLA policies the server will run with, so the seeded clocks stand where the demo wants them. */
  sla?: SlaConfig | undefined;
}

/** The instant `amount` ms of working time before `to` (a search: working time only grows with distance). */
function workingBefore(to: number, amount: number, hours: BusinessHours | null): number {
  if (!hours) return to - amount;
  let lo = to - amount - 120 * 24 * HOUR;
  let hi = to - amount;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (workingMs(mid, to, hours) > amount) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Working-time offsets (from creation) of an unsolved ticket's comments: colleagues' comments
 * before the first agent reply spread over the time until it, later ones over the rest of
 * `elapsed`; the first reply comes at half the first-response target.
 */
function commentOffsets(comments: readonly CommentDef[], elapsed: number, firstResponse: number): number[] {
  const end = 0.95 * elapsed;
  const first = comments.findIndex(([author]) => author.startsWith('agent:'));
  if (first < 0) return comments.map((_, j) => (end * (j + 1)) / comments.length);
  const reply = Math.min(0.5 * firstResponse, end);
  const later = comments.length - 1 - first;
  return comments.map((_, j) => (j < first ? (reply * (j + 1)) / (first + 1) : j === first ? reply : reply + ((end - reply) * (j - first)) / later));
}

/**
 * The demo data, with timestamps relative to `now` (default: the current time).
 * Deterministic for a given `now`: ids are fixed (`acc_acme`, `con_ada`, `tkt_1001`…).
 * Unsolved tickets are placed by their account's SLA policy (`options.sla`, else the
 * defaults): most clocks well within target, a few at risk, a few breached (`TicketDef.sla`).
 * Solved and closed tickets carry their requesters' ratings. Throws when a record is invalid.
 */
export function demoSeed(now: Date = new Date(), options: DemoSeedOptions = {}): SeedData {
  const nowMs = now.getTime();
  const contacts: Contact[] = CONTACT_DEFS.map((c, i) => ({
    id: DEMO_CONTACTS[c.key as ContactKey],
    accountId: DEMO_ACCOUNTS[c.account],
    email: DEMO_EMAILS[c.key as ContactKey],
    name: c.name,
    role: c.role,
    status: c.status ?? 'active',
    createdAt: iso(nowMs - (3000 - i) * HOUR),
    lastSeenAt: c.status === 'invited' ? null : iso(nowMs - (i + 1) * HOUR),
    version: 1,
  }));
  const byKey = new Map(CONTACT_DEFS.map((c, i) => [c.key, contacts[i]!]));
  const person = (key: string) => {
    const c = byKey.get(key)!;
    return { id: c.id, name: c.name, email: c.email };
  };
  const actorOf = (author: CommentDef[0]): ActorRef =>
    author.startsWith('agent:') ? { ...AGENTS[author.slice(6) as AgentKey] } : { kind: 'contact', id: person(author).id, name: person(author).name };
  // Provisioned a quarter ago, as an account a vendor synced when it adopted Portico.
  const accounts = ACCOUNTS.map((a) => completeAccount({ ...a, domains: [...a.domains] }, iso(nowMs - 90 * 86_400_000)));

  const tickets: Ticket[] = [];
  const comments: Comment[] = [];
  const activity: Activity[] = [];
  TICKETS.forEach((def, i) => {
    const number = 1001 + i;
    const id = `tkt_${number}`;
    const accountId = DEMO_ACCOUNTS[def.account];
    const defs = def.comments ?? [];
    const solved = def.status === 'solved' || def.status === 'closed';
    // Seconds of offset keep timestamps distinct, so every sort is deterministic.
    let createdMs: number;
    let commentAt: (j: number) => number;
    if (solved) {
      createdMs = nowMs - def.age * HOUR - i * 60_000;
      commentAt = (j) => createdMs + defs[j]![2] * HOUR;
    } else {
      const policy = policyFor(
        accounts.find((a) => a.id === accountId)!,
        options.sla,
      );
      const targets = policy.targets[def.priority];
      const firstResponse = targets.firstResponseMinutes * 60_000;
      const replied = defs.some(([author]) => author.startsWith('agent:'));
      const clock = replied ? targets.resolutionMinutes * 60_000 : firstResponse;
      const share = def.sla === 'breached' ? 1.3 : def.sla === 'at_risk' ? 0.85 : replied ? 0.4 : 0.3;
      const elapsed = share * clock;
      const start = workingBefore(nowMs, elapsed, policy.businessHours) - i * 1000;
      const offsets = commentOffsets(defs, elapsed, firstResponse);
      createdMs = start;
      commentAt = (j) => addWorkingMs(start, offsets[j]!, policy.businessHours);
    }
    let updatedMs = createdMs;
    // The entries the stores write for these writes, under fixed ids.
    const log = (entry: Activity, key: string | number) => activity.push({ ...entry, id: `act_${number}_${key}` });
    log(plans.createdEntry({ id, accountId, ref: `T-${number}`, subject: def.subject }, actorOf(def.requester), iso(createdMs)), 0);
    defs.forEach(([author, body], j) => {
      const at = Math.min(commentAt(j), nowMs - 60_000 + j * 1000);
      updatedMs = Math.max(updatedMs, at);
      const comment: Comment = { id: `cmt_${number}_${j + 1}`, ticketId: id, author: actorOf(author), body, createdAt: iso(at) };
      comments.push(comment);
      log(plans.commentedEntry(accountId, comment), j + 1);
    });
    if (solved) {
      const at = Math.min(updatedMs + HOUR, nowMs - 30_000);
      updatedMs = at;
      log(plans.statusChangedEntry({ id, accountId }, 'open', def.status, { ...AGENTS[def.assignee ?? 'sam'] }, iso(at)), 's');
    }
    let satisfaction: Satisfaction | undefined;
    if (def.csat) {
      const [rating, comment] = def.csat;
      // Rated a couple of hours after it was solved; rating does not touch `updatedAt`.
      satisfaction = { rating, comment, ratedAt: iso(Math.min(updatedMs + 2 * HOUR, nowMs - 20_000)) };
      log(plans.ratedEntry({ id, accountId }, { ticketId: id, rating, comment, actor: actorOf(def.requester), now: satisfaction.ratedAt }), 'r');
    }
    tickets.push({
      id,
      ref: `T-${number}`,
      accountId,
      subject: def.subject,
      description: def.description,
      status: def.status,
      priority: def.priority,
      category: def.category,
      visibility: def.visibility,
      requester: person(def.requester),
      followerIds: (def.followers ?? []).map((k) => person(k).id).sort(),
      assignee: def.assignee ? AGENTS[def.assignee].name : null,
      escalated: def.escalated ?? false,
      commentCount: defs.length,
      createdAt: iso(createdMs),
      updatedAt: iso(updatedMs),
      version: 1 + defs.length + (satisfaction ? 1 : 0),
      ...(satisfaction ? { satisfaction } : {}),
    });
  });
  const seed: SeedData = { accounts, contacts, tickets, comments, activity, articles: demoArticles(now) };
  validateSeed(seed);
  return seed;
}
