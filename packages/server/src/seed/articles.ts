/**
 * The demo knowledge base: 20 help articles of "Acme Analytics" (the demo vendor's product),
 * written to answer the questions the demo tickets ask, so suggestions and deflections
 * have something real to find. Ids are fixed; `updatedAt` is relative to the seed's `now`.
 * Browser-safe.
 */
import type { Article, TicketCategory } from '@portico/core';

type ArticleDef = readonly [id: string, category: TicketCategory, daysOld: number, title: string, summary: string, body: string];

const ARTICLE_DEFS: readonly ArticleDef[] = [
  [
    'art_sso_certificate_rotation',
    'technical',
    12,
    'SSO login fails after rotating your IdP signing certificate',
    'If every SSO login ends on "SAML response signature invalid" right after a certificate change, Acme Analytics still trusts the old certificate. Upload the new metadata and logins work again.',
    `Acme Analytics checks the signature of every SAML response against the certificate stored with your SSO connection. When your identity provider (Okta, Azure AD, ADFS, Google) starts signing with a new certificate, logins fail until the new one is known to us.

Fix it in three steps:
1. In your IdP, download the federation metadata XML of the Acme Analytics app (it contains the new certificate).
2. In Acme Analytics, open Admin console → Security → Single sign-on and choose "Upload metadata".
3. Save. The change applies to the next login; nobody needs to sign out.

Avoid the outage next time: most IdPs let you add the new certificate as a secondary one before it becomes active. Upload the metadata while both certificates are listed and we accept either during the switch.

Locked out because password login is disabled? An admin can sign in with a recovery code (Admin console → Security → Recovery codes). If nobody has one, open an urgent ticket and we will switch your workspace to password login for one hour.`,
  ],
  [
    'art_sso_setup',
    'technical',
    40,
    'Set up SAML single sign-on with Okta, Azure AD or ADFS',
    'Connect your identity provider so your team signs in with their company account, and optionally turn off password login.',
    `Single sign-on is available on every plan. You need an admin of Acme Analytics and an admin of your identity provider.

1. In Acme Analytics, open Admin console → Security → Single sign-on and copy the ACS URL and Entity ID.
2. In your IdP, create a SAML 2.0 app with those values. Send the user's email address as NameID.
3. Download the IdP metadata XML and upload it back in Acme Analytics.
4. Test with "Try SSO login" in a private window before you enforce it.

Once it works you can make SSO mandatory. Keep at least one recovery code for the case that your IdP is unavailable or its certificate changes.`,
  ],
  [
    'art_saml_clock_skew',
    'technical',
    25,
    'Logins fail with "Assertion not yet valid": clock skew in SAML',
    'Intermittent SSO failures with "not yet valid" or "expired" assertions mean the clocks of your IdP and our servers disagree by more than 60 seconds.',
    `A SAML assertion is valid for a short window. We allow 60 seconds of clock difference between your identity provider and our servers.

If logins fail now and then with "Assertion not yet valid" or "Assertion expired", check the clock of the machine that signs the assertions (for ADFS, the ADFS server itself, not the domain controller). Make sure it synchronises with a reliable NTP source.

Still failing? Capture a SAML trace of a failing login (for example with the SAML-tracer browser extension) and attach it to a ticket. We can see the timestamps in it.`,
  ],
  [
    'art_csv_export_large',
    'technical',
    18,
    'Exporting large dashboards to CSV',
    'Exports above 2 million rows run in the background and arrive by email; smaller exports download directly.',
    `CSV exports of up to 2 million rows download straight from the dashboard. Larger exports go to the asynchronous export queue: you get an email with a download link when the file is ready, usually within 15 minutes.

If an export shows "Export failed" after spinning for a minute, the dashboard is probably just above the limit for direct downloads. Narrow the date range, or choose "Export in background" from the export menu.

Exports are kept for 7 days. Each file is zipped when it is larger than 100 MB.`,
  ],
  [
    'art_api_rate_limits',
    'technical',
    30,
    'API rate limits and how to handle HTTP 429',
    'The API allows 600 requests per minute on premier plans and 200 on standard plans. A 429 answer tells you when to retry.',
    `Every API key has a rate limit: 600 requests per minute on premier plans, 200 per minute on standard plans. Limits apply per key, not per user.

When you go over it, the API answers HTTP 429 Too Many Requests with a Retry-After header (seconds). Wait that long and retry; most client libraries do this for you.

If your plan was upgraded but your job still sees 429 at the old limit, the key may have been created before the upgrade. Create a new key in Admin console → API keys, or ask us to move the existing key to the new limit.

For nightly syncs, use the bulk endpoints: one bulk request counts as one request however many records it returns.`,
  ],
  [
    'art_webhook_tls',
    'technical',
    22,
    'Webhook deliveries fail with a TLS handshake error',
    'Our webhook senders need TLS 1.2 or 1.3 with common cipher suites. After fixing your endpoint you can replay failed deliveries.',
    `Webhooks are delivered over HTTPS. Our senders support TLS 1.2 and TLS 1.3 with the cipher suites recommended by Mozilla's "intermediate" configuration.

A "TLS handshake error" in the delivery log usually means your endpoint or load balancer only offers protocols or ciphers we do not speak, or presents an incomplete certificate chain.

After you fix it, open Admin console → Webhooks → Deliveries, filter by "Failed" and choose "Replay". Deliveries are kept for 14 days.`,
  ],
  [
    'art_embed_tokens',
    'technical',
    15,
    'Embedded dashboards log out every 15 minutes',
    "Embedded dashboards use the embed token's lifetime, not your session lifetime. Refresh the token from your backend before it expires.",
    `When you embed a dashboard in your intranet or product, your backend requests an embed token for the signed-in user. That token decides how long the embedded session lasts (15 minutes by default, at most 8 hours).

To keep users signed in, call the token endpoint again shortly before expiry and pass the new token to the embed SDK with setToken(). The SDK also emits a "token-expiring" event one minute before expiry.

Do not raise the token lifetime to hours just to avoid refreshing: a short-lived token limits the damage if it leaks.`,
  ],
  [
    'art_report_timezones',
    'technical',
    60,
    'Scheduled reports arrive an hour late after a daylight saving change',
    'Schedules set to a fixed offset such as "CET" do not follow daylight saving time. Choose a region time zone such as "Europe/Berlin".',
    `Each scheduled report has a time zone. Abbreviations like CET or EST are fixed offsets from UTC, so a report scheduled for 08:00 CET arrives at 09:00 local time during summer time.

Edit the schedule and pick a region time zone (Europe/Berlin, America/New_York). Region time zones follow daylight saving time automatically.

The time zone of new schedules defaults to the workspace time zone in Admin console → General.`,
  ],
  [
    'art_report_email_charts',
    'technical',
    45,
    'Charts show as grey boxes in report emails',
    'Outlook blocks remote images by default. Allow images from our mail domain or switch the report to attach charts as PNG files.',
    `Report emails load their charts as images from our servers. Outlook and some mail gateways block remote images, so the charts show as grey boxes while the web version looks fine.

Either allow images from reports.acme-analytics.example in your mail client or gateway, or edit the schedule and choose "Attach charts as images". Attached charts always display, at the cost of larger emails.`,
  ],
  [
    'art_eu_data_residency',
    'technical',
    50,
    'EU data residency: where your events are stored',
    'Workspaces with EU residency store and process events in Frankfurt. Make sure your tracking snippet uses the EU ingestion endpoint.',
    `When your workspace is configured for EU data residency, events are stored and processed only in our Frankfurt region.

Your tracking snippet decides where events are sent. Snippets before version 5 had the US endpoint hard-coded; update to version 5 or later, which reads the region from your workspace settings. You can check in the browser's network tab: requests should go to eu.ingest.acme-analytics.example.

Events sent to the US endpoint by mistake are forwarded to the EU region and deleted in the US within 24 hours.`,
  ],
  [
    'art_seat_counting',
    'billing',
    35,
    'How seats are counted on your invoice',
    'You are billed for the peak number of active users in a billing period. Deactivated users stop counting from the next period.',
    `Seats are counted as the highest number of active users on any day of the billing period. An active user is anyone who can sign in, whether or not they did.

Deactivating a user stops them from counting from the next billing period; the current period keeps its peak. Invited users who never accepted do not count.

You can see the daily numbers in Admin console → Billing → Seat usage. If an invoice looks wrong, open a billing ticket with the invoice number and we will compare it with the daily counts.`,
  ],
  [
    'art_billing_details',
    'billing',
    70,
    'Change billing contact, VAT number or purchase order number',
    'Billing admins can update the invoice recipient, tax ID and PO number themselves; changes apply from the next invoice.',
    `In Admin console → Billing → Invoice details you can change:
- the email address invoices are sent to,
- your company's legal name and address,
- your VAT or tax ID (EU reverse-charge notes are added automatically when a valid VAT ID is set),
- a purchase order number printed on every invoice.

Changes apply from the next invoice. To reissue an invoice that was already sent, open a billing ticket with the invoice number.`,
  ],
  [
    'art_payment_declined',
    'billing',
    28,
    'Card payment declined although the card is valid',
    'Most declines of valid cards are failed 3-D Secure checks. Confirm the payment through the payment link we email, or pay by wire transfer.',
    `Banks in many countries require 3-D Secure confirmation for recurring payments. If the confirmation cannot happen (nobody is there to approve it), the payment processor reports a decline even though your bank never saw a charge attempt.

When a renewal payment fails we email a payment link to your billing contact. Opening it lets the card holder approve the payment. You can also pay by wire transfer; the bank details are on every invoice.

Your workspace stays fully available for 14 days after a failed payment.`,
  ],
  [
    'art_annual_billing',
    'billing',
    90,
    'Switch between monthly and annual billing',
    'Annual billing saves 15% and can start at any time; we credit the unused part of the current month.',
    `Annual plans cost 15% less than paying monthly. You can switch from monthly to annual billing at any time in Admin console → Billing → Plan; the unused part of the current month is credited.

Switching from annual back to monthly takes effect at the end of the annual term. For quotes (more than 100 seats, premier support add-on, custom terms) open a billing ticket and we send a quote within one business day.`,
  ],
  [
    'art_suspended_after_payment',
    'billing',
    20,
    'Workspace shows "Suspended for non-payment" after you paid',
    'Wire transfers can take up to three business days to reach us, and one without the invoice number may not be matched. Send the remittance advice and we lift the suspension at once.',
    `We match incoming wire transfers to invoices by the invoice number in the payment reference. Transfers without it, or paying several invoices at once, may not be matched automatically.

If your workspace is suspended although you paid, open an urgent billing ticket and attach the remittance advice. We lift the suspension immediately while finance matches the payment.

To avoid it, put the invoice number (INV-…) in the payment reference, or pay by card.`,
  ],
  [
    'art_require_2fa',
    'account',
    80,
    'Require two-factor authentication for everyone',
    'Admins can make two-factor authentication mandatory; existing users set it up at their next login.',
    `Open Admin console → Security and turn on "Require two-factor authentication". From then on:
- new users set up 2FA when they accept their invitation,
- existing users are asked to set it up at their next login,
- users who sign in through SSO are not affected (your identity provider handles MFA).

We support authenticator apps and security keys (WebAuthn). SMS codes are not offered because they can be intercepted.`,
  ],
  [
    'art_reset_2fa',
    'account',
    55,
    'Reset two-factor authentication for a user who lost their phone',
    'An admin can reset 2FA for a colleague in the user list; the user enrols again at the next login.',
    `If someone lost the phone with their authenticator app, an admin of your workspace can reset their two-factor authentication: Admin console → Users → select the user → "Reset 2FA".

The user signs in with their password and sets up 2FA again. If you are the only admin and lost your own device, use one of your recovery codes, or open a ticket from another admin's account so we can verify the request.`,
  ],
  [
    'art_transfer_ownership',
    'account',
    65,
    'Transfer workspace ownership',
    'The current owner can hand ownership to another admin in a few clicks; scheduled reports and dashboards keep working.',
    `Every workspace has one owner, who manages billing and can delete the workspace. To hand over ownership, the current owner opens Admin console → General → Ownership and picks another admin.

Dashboards, scheduled reports and API keys are not tied to the owner and keep working. If the owner has already left the company, open an account ticket: we need a written confirmation from another admin before we transfer ownership.`,
  ],
  [
    'art_invite_other_domain',
    'account',
    75,
    'Invite users from another email domain or a subsidiary',
    "Invitations only go to your workspace's verified email domains. Add the domain, or give the subsidiary its own linked workspace.",
    `To protect your data, invitations only go to email addresses on your workspace's verified domains. Inviting someone at another domain fails with "domain not allowed".

You can verify more domains in Admin console → Domains (a DNS TXT record proves you own it). For subsidiaries that should keep their own data apart, create a linked child workspace instead: its admins manage their own users, and your admins can still see its tickets and usage.`,
  ],
  [
    'art_dpa_security_docs',
    'account',
    100,
    'Request a Data Processing Agreement (DPA) and security documents',
    'Our standard DPA, SOC 2 report and sub-processor list are available for procurement reviews; the DPA can be countersigned electronically.',
    `For procurement and security reviews we provide:
- our standard Data Processing Agreement (GDPR, with the EU Standard Contractual Clauses),
- the latest SOC 2 Type II report (under NDA),
- the list of sub-processors and where they process data.

Admins can download the DPA in Admin console → Legal and request e-signature there; it comes back countersigned within two business days. For the SOC 2 report, open an account ticket and we send an NDA first.`,
  ],
];

/**
 * Articles that show authoring features: a German translation (German-speaking contacts get
 * it first), one for premier accounts only, and a draft no customer sees.
 * `[id, category, daysOld, title, summary, body, locale, audience, status]`.
 */
const AUTHORING_DEFS: readonly (readonly [...ArticleDef, locale: string, audience: Article['audience'], status: Article['status']])[] = [
  [
    'art_sso_certificate_rotation_de',
    'technical',
    11,
    'SSO-Anmeldung schlägt nach dem Wechsel des IdP-Signaturzertifikats fehl',
    'Endet jede SSO-Anmeldung direkt nach einem Zertifikatswechsel mit „SAML response signature invalid“, vertraut Acme Analytics noch dem alten Zertifikat. Laden Sie die neuen Metadaten hoch.',
    `Acme Analytics prüft die Signatur jeder SAML-Antwort gegen das Zertifikat, das bei Ihrer SSO-Verbindung hinterlegt ist. Signiert Ihr Identity Provider mit einem neuen Zertifikat, schlagen Anmeldungen fehl, bis wir das neue kennen.

So beheben Sie es:
1. Laden Sie in Ihrem IdP die Föderations-Metadaten (XML) der Acme-Analytics-App herunter.
2. Öffnen Sie in Acme Analytics Admin-Konsole → Sicherheit → Single Sign-on und wählen Sie „Metadaten hochladen“.
3. Speichern. Die Änderung gilt ab der nächsten Anmeldung.`,
    'de',
    'all',
    'published',
  ],
  [
    'art_premier_phone_line',
    'technical',
    20,
    'Premier support: the 24/7 phone line for urgent incidents',
    'Premier accounts can call our incident line around the clock; the number and the PIN are in your admin console.',
    `Premier plans include a phone line for urgent incidents, staffed around the clock. Find the number and your account PIN in Admin console → Support → Premier line.

Call it when production is down or data is at risk. For everything else, open a ticket: it reaches the same team and keeps the history in one place.`,
    'en',
    { tiers: ['premier'] },
    'published',
  ],
  [
    'art_draft_release_notes',
    'feature_request',
    1,
    'Release 5.0: what changes for dashboard sharing (draft)',
    'Not published yet: the support team is still writing it.',
    'Draft text of the 5.0 release notes.',
    'en',
    'all',
    'draft',
  ],
];

const DAY = 86_400_000;

/** The demo articles, with times relative to `now`. */
export function demoArticles(now: Date = new Date()): Article[] {
  const all = [...ARTICLE_DEFS.map((def) => [...def, 'en', 'all', 'published'] as const), ...AUTHORING_DEFS];
  return all.map(([id, category, daysOld, title, summary, body, locale, audience, status]) => {
    const updatedAt = new Date(now.getTime() - daysOld * DAY).toISOString();
    return {
      id,
      title,
      summary,
      body,
      category,
      locale,
      audience: audience === 'all' ? 'all' : { tiers: [...audience.tiers] },
      status,
      publishedAt: status === 'published' ? updatedAt : null,
      createdAt: new Date(now.getTime() - (daysOld + 30) * DAY).toISOString(),
      updatedAt,
      version: 1,
    };
  });
}

/** Ids of the demo articles, for tests and docs (e.g. `art_sso_certificate_rotation`). */
export const DEMO_ARTICLES = [...ARTICLE_DEFS, ...AUTHORING_DEFS].map(([id]) => id);
