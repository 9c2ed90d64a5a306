/**
 * XSS corpus through every element and every user text field, in Chromium: the mocked API is
 * seeded with a demo world whose every text (subjects, descriptions, replies, names, e-mail
 * addresses, account names, reasons, article texts, attachment names, activity data) is an
 * attack payload. Each element renders it; nothing may execute (the payloads set
 * `window.__xss`), and no shadow tree may hold a script, frame, event-handler attribute or
 * `javascript:` URL. The payload text itself must show up — as text.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { demoSeed, type SeedData } from '@portico/server';
import { html, type TemplateResult } from 'lit';
import '@portico/elements/define/portico-account-summary.js';
import '@portico/elements/define/portico-contacts.js';
import '@portico/elements/define/portico-notifications.js';
import '@portico/elements/define/portico-ticket-detail.js';
import '@portico/elements/define/portico-ticket-form.js';
import '@portico/elements/define/portico-ticket-list.js';
import '@portico/elements/define/portico-timeline.js';
import type { PorticoTicketForm } from '@portico/elements/define/portico-ticket-form.js';
import { mountWithProvider, part, useMockApi } from './fixtures.ts';
import { control, type } from './ticket-form-fixtures.ts';

declare global {
  interface Window {
    __xss?: unknown;
  }
}

/** Each payload, if it ever ran, sets `window.__xss`; `XSS<n>` marks its text. */
const PAYLOADS = [
  `<img src=x onerror="window.__xss='XSS0'">`,
  `<svg onload="window.__xss='XSS1'"></svg>`,
  `"><script>window.__xss='XSS2'</script>`,
  `'><img src=x onerror=window.__xss='XSS3'>`,
  `<iframe srcdoc="<script>parent.__xss='XSS4'</script>"></iframe>`,
  `javascript:window.__xss='XSS5'`,
  `<a href="javascript:window.__xss='XSS6'">XSS6</a>`,
  `<details open ontoggle="window.__xss='XSS7'">`,
  `<body onload="window.__xss='XSS8'">`,
  `\${window.__xss='XSS9'}`,
  `{{constructor.constructor("window.__xss='XSS10'")()}}`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss='XSS11'">`,
  `<input autofocus onfocus="window.__xss='XSS12'">`,
  `<object data="javascript:window.__xss='XSS13'"></object>`,
  `<embed src="javascript:window.__xss='XSS14'">`,
  `[XSS15](javascript:window.__xss='XSS15')`,
  `<style>*{background:url("javascript:window.__xss='XSS16'")}</style>`,
  `<template><img src=x onerror="window.__xss='XSS17'"></template>`,
  `<noscript><p title="</noscript><img src=x onerror=window.__xss='XSS18'>">`,
  `&lt;img src=x onerror=window.__xss='XSS19'&gt;`,
  `<form><button formaction="javascript:window.__xss='XSS20'">XSS20</button></form>`,
  `<video><source onerror="window.__xss='XSS21'"></video>`,
  `<marquee onstart="window.__xss='XSS22'">XSS22</marquee>`,
  `\u202e<img src=x onerror="window.__xss='XSS23'">`,
  `<x contenteditable onfocus="window.__xss='XSS24'" autofocus>XSS24</x>`,
  `<slot name="x" onslotchange="window.__xss='XSS25'"></slot>`,
] as const;

/** Payloads without spaces, for e-mail addresses (the invitation schema allows no spaces). */
const EMAIL_PAYLOADS = [`"><svg/onload=window.__xss='XSS26'>`, `<img/src=x/onerror=window.__xss='XSS27'>`, `javascript:window.__xss='XSS28'`];

/** Keys whose string values are user (or agent, or vendor) text. */
const TEXT_KEYS = new Set(['subject', 'description', 'body', 'name', 'title', 'summary', 'reason', 'businessImpact', 'assignee', 'comment', 'query']);
/** The contacts the tests sign in as keep their addresses (tokens are minted by e-mail). */
const SIGNED_IN = new Set(['mia@acme.example', 'ada@acme.example']);

/** The demo seed with every text replaced: `payloadOf(n)` for the n-th text found. */
function hostileSeed(payloadOf: (n: number) => string): SeedData {
  let n = 0;
  const emails = new Map<string, string>();
  const emailFor = (email: string) => {
    if (SIGNED_IN.has(email)) return email;
    if (!emails.has(email)) emails.set(email, `${EMAIL_PAYLOADS[emails.size % EMAIL_PAYLOADS.length]}${emails.size}@${email.split('@')[1]}`);
    return emails.get(email)!;
  };
  const walk = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    if (typeof value !== 'string') return value;
    if (key === 'email') return emailFor(value);
    return TEXT_KEYS.has(key) ? payloadOf(n++) : value;
  };
  return walk(demoSeed()) as SeedData;
}

/** Every element under `root`, through open shadow roots. */
function deepElements(root: Element): Element[] {
  const out: Element[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const el of node.querySelectorAll('*')) {
      out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  out.push(root);
  if (root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return out;
}

/** All text under `root`, through open shadow roots. */
const deepText = (root: Element) =>
  deepElements(root)
    .map(
      (el) =>
        [...el.childNodes]
          .filter((c) => c.nodeType === Node.TEXT_NODE)
          .map((c) => c.textContent)
          .join('') + ((el as HTMLInputElement).value ?? ''),
    )
    .join(' ');

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc', 'poster'];

/** Nothing executable in the rendered trees: no script or frame, no handler attribute, no `javascript:` URL. */
function assertInert(root: Element, label: string): void {
  for (const el of deepElements(root)) {
    expect(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FRAME'], `${label}: <${el.tagName}>`).not.to.include(el.tagName);
    for (const attr of el.attributes) {
      expect(attr.name.startsWith('on'), `${label}: <${el.tagName} ${attr.name}>`).to.equal(false);
      if (URL_ATTRIBUTES.includes(attr.name))
        expect(/^\s*(javascript|data:text\/html)/i.test(attr.value), `${label}: ${attr.name}=${attr.value}`).to.equal(false);
    }
  }
  expect(window.__xss, `${label}: a payload ran`).to.equal(undefined);
}

interface View {
  name: string;
  as: string;
  template: () => TemplateResult;
  /** Opens what the element shows on demand (a panel, a dialog). */
  open?: (el: HTMLElement) => void | Promise<void>;
  /** Whether the payload text must be visible (false where a role sees no user text, e.g. counts only). */
  showsText: boolean;
}

const VIEWS: View[] = [
  { name: 'ticket list (member)', as: 'mia@acme.example', template: () => html`<portico-ticket-list page-size="100"></portico-ticket-list>`, showsText: true },
  {
    name: 'ticket list (admin, all accounts)',
    as: 'ada@acme.example',
    template: () => html`<portico-ticket-list page-size="100" account="all"></portico-ticket-list>`,
    showsText: true,
  },
  {
    name: 'ticket detail',
    as: 'mia@acme.example',
    template: () => html`<portico-ticket-detail ticket-id="tkt_1001"></portico-ticket-detail>`,
    showsText: true,
  },
  {
    name: 'ticket detail (admin, escalated)',
    as: 'ada@acme.example',
    template: () => html`<portico-ticket-detail ticket-id="tkt_1002"></portico-ticket-detail>`,
    showsText: true,
  },
  { name: 'timeline', as: 'ada@acme.example', template: () => html`<portico-timeline page-size="100"></portico-timeline>`, showsText: true },
  { name: 'contacts (admin)', as: 'ada@acme.example', template: () => html`<portico-contacts></portico-contacts>`, showsText: true },
  { name: 'contacts (directory)', as: 'mia@acme.example', template: () => html`<portico-contacts></portico-contacts>`, showsText: true },
  {
    name: 'account summary (roll-up)',
    as: 'ada@acme.example',
    template: () => html`<portico-account-summary account="all"></portico-account-summary>`,
    showsText: true,
  },
  {
    name: 'notifications',
    as: 'mia@acme.example',
    template: () => html`<portico-notifications></portico-notifications>`,
    open: (el) => part<HTMLButtonElement>(el, 'button')!.click(),
    showsText: false,
  },
  {
    name: 'ticket form with suggestions',
    as: 'mia@acme.example',
    template: () => html`<portico-ticket-form></portico-ticket-form>`,
    // Typing shows possible duplicates and articles, whose texts are payloads too.
    open: async (el) => {
      await waitUntil(() => control(el, 'subject'), 'the form never appeared', { timeout: 5000 });
      await type(el as PorticoTicketForm, 'subject', 'window onerror img src');
      await waitUntil(() => part(el, 'duplicate') || part(el, 'article'), 'no suggestions appeared', { timeout: 5000 });
    },
    showsText: true,
  },
];

/** Corpora: every payload in every field at once, then each field its own payload, rotated. */
const CORPORA: [string, (n: number) => string][] = [
  ['all payloads in every field', () => PAYLOADS.join(' ')],
  ['one payload per field', (n) => PAYLOADS[n % PAYLOADS.length]!],
  ['one payload per field, shifted', (n) => PAYLOADS[(n + 7) % PAYLOADS.length]!],
];

describe('XSS corpus through every element', () => {
  afterEach(() => {
    delete window.__xss;
  });

  for (const [corpus, payloadOf] of CORPORA) {
    describe(corpus, () => {
      before(async () => {
        await useMockApi({ seed: hostileSeed(payloadOf) });
      });

      for (const view of VIEWS) {
        it(`${view.name}: renders the payloads as text, runs none`, async () => {
          const { el } = await mountWithProvider<HTMLElement>(view.template(), { as: view.as });
          await view.open?.(el);
          if (view.showsText) await waitUntil(() => /XSS\d+/.test(deepText(el)), `${view.name}: no payload text rendered`, { timeout: 5000 });
          else await new Promise((resolve) => setTimeout(resolve, 800));
          // Let failed image loads and focus fire their (escaped) handlers, if any existed.
          await new Promise((resolve) => setTimeout(resolve, 200));
          assertInert(el, `${corpus} / ${view.name}`);
        });
      }
    });
  }
});
