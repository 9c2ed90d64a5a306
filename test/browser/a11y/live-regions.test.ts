/**
 * WCAG 4.1.3 Status Messages (docs/accessibility.md): every widget says its status messages —
 * a reply sent, a reply arriving live, a status change, a save, an error — through one polite
 * live region of its own, once per event, and never through the host page's live regions.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { PorticoContacts } from '@portico/elements/define/portico-contacts.js';
import type { PorticoTicketDetail } from '@portico/elements/define/portico-ticket-detail.js';
import { html } from 'lit';
import { http, HttpResponse } from 'msw';
import { announcer, liveStreamOpen, mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../fixtures.ts';
import { serviceCall as agent } from '../data-element-suite.ts';
import { composedElements } from './a11y-kit.ts';
import { WIDGETS, mountWidget } from './widgets.ts';

/** Live regions a screen reader reads politely: explicit `aria-live="polite"` and the roles that imply it. */
const POLITE = '[aria-live="polite"], [role="status"]:not([aria-live]), [role="log"]:not([aria-live])';
/** Regions that interrupt. */
const ASSERTIVE = '[aria-live="assertive"], [role="alert"]:not([aria-live])';

/** The polite live regions of one shadow root (not of the widgets nested in it). */
const politeRegions = (root: ShadowRoot) => [...root.querySelectorAll(POLITE)];

/**
 * What a live region says, change by change: each text it is given, as a screen reader gets
 * them (one mutation per message; a repeat is told apart by a no-break space, which is not read).
 */
function record(region: Element): { said: string[]; stop: () => void } {
  const said: string[] = [];
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      const text = m.type === 'characterData' ? (m.target.textContent ?? '') : [...m.addedNodes].map((n) => n.textContent ?? '').join('');
      if (text.trim()) said.push(text.replace(/\u00a0$/, ''));
    }
  });
  observer.observe(region, { childList: true, characterData: true, subtree: true });
  return { said, stop: () => observer.disconnect() };
}

/** A live region the host page owns, as a vendor's app would have one; removed after each test. */
function hostRegion(): { region: HTMLElement; mutations: () => number; remove: () => void } {
  const region = document.createElement('div');
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.textContent = 'Vendor app: 3 unread messages';
  document.body.prepend(region);
  let count = 0;
  const observer = new MutationObserver((m) => (count += m.length));
  observer.observe(region, { childList: true, characterData: true, subtree: true, attributes: true });
  return {
    region,
    mutations: () => count,
    remove: () => {
      observer.disconnect();
      region.remove();
    },
  };
}

/** Lets late answers and live events arrive, so a repeat would have happened by now. */
const settle = (ms = 600) => new Promise((resolve) => setTimeout(resolve, ms));

describe('4.1.3 Status Messages: one polite live region per widget', () => {
  let host: ReturnType<typeof hostRegion>;
  beforeEach(() => {
    host = hostRegion();
  });
  afterEach(() => {
    // The host page's own live region: never written to, whatever the widget said.
    expect(host.mutations(), 'the host page’s live region was written to').to.equal(0);
    expect(host.region.textContent).to.equal('Vendor app: 3 unread messages');
    host.remove();
  });

  for (const widget of WIDGETS) {
    it(`${widget.tag} has exactly one polite live region, its own`, async () => {
      const { el } = await mountWidget(widget);
      // Each shadow root: the element's own region and nothing else polite; a data element's is its announcer.
      const roots = [el, ...composedElements(el)].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []));
      for (const root of roots) {
        const regions = politeRegions(root);
        // The panel only hosts widgets: it has a region of its own only while it loads.
        if (root.host.localName === 'portico-support-panel') {
          expect(regions.length, 'the panel’s polite regions').to.be.at.most(1);
          continue;
        }
        expect(
          regions.map((r) => r.outerHTML.slice(0, 80)),
          `${root.host.localName}'s polite regions`,
        ).to.have.length(1);
        expect(regions[0], `${root.host.localName}'s region is its announcer`).to.equal(announcer(root.host));
      }
      expect(document.querySelectorAll(POLITE).length, 'no region leaks into the page').to.equal(1);
    });
  }

  describe('portico-ticket-detail', () => {
    async function mountDetail(as = 'mia@acme.example') {
      await useMockApi();
      const { el } = await mountWithProvider<PorticoTicketDetail>(html`<portico-ticket-detail ticket-id="tkt_1001"></portico-ticket-detail>`, { as });
      await waitForPart(el, 'header');
      await waitForPart(el, 'comment');
      await el.updateComplete;
      return el;
    }

    it('says “Reply sent.” once for the user’s reply, not again when its live event arrives', async () => {
      const el = await mountDetail();
      await liveStreamOpen();
      const region = record(announcer(el)!);
      const box = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[name="reply"]')!;
      box.value = 'It works again, thanks.';
      box.dispatchEvent(new Event('input'));
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="reply"] button[type="submit"]')!.click();
      await waitUntil(() => region.said.length > 0, 'the reply was never announced');
      await settle();
      expect(region.said).to.deep.equal(['Reply sent.']);
      region.stop();
    });

    it('says a reply arriving over the live stream once, with who wrote it', async () => {
      const el = await mountDetail();
      await liveStreamOpen();
      const region = record(announcer(el)!);
      const before = parts(el, 'comment').length;
      await agent('POST', '/tickets/tkt_1001/comments', { body: 'We rolled out a fix.', agent: { id: 'agt_sam', name: 'Sam Patel' } });
      await waitUntil(() => parts(el, 'comment').length === before + 1, 'the reply never arrived');
      await settle();
      expect(region.said).to.deep.equal(['New reply from Sam Patel.']);

      await agent('POST', '/tickets/tkt_1001/comments', { body: 'Anything else?', agent: { id: 'agt_sam', name: 'Sam Patel' } });
      await waitUntil(() => parts(el, 'comment').length === before + 2, 'the second reply never arrived');
      await settle();
      expect(region.said, 'a second reply is news again, said once').to.deep.equal(['New reply from Sam Patel.', 'New reply from Sam Patel.']);
      region.stop();
    });

    it('says a status change once, whether the user made it or support did', async () => {
      const el = await mountDetail();
      await liveStreamOpen();
      const region = record(announcer(el)!);
      // The user's own change: its answer and its live event both bring the new status.
      el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="close"]')!.click();
      await waitUntil(() => part(el, 'status')?.dataset.status === 'solved', 'the ticket was never solved');
      await settle();
      expect(region.said).to.deep.equal(['Status: Solved.']);
      // Support's change, arriving live.
      await agent('PATCH', '/tickets/tkt_1001', { status: 'open', agent: { name: 'Sam Patel' } });
      await waitUntil(() => part(el, 'status')?.dataset.status === 'open', 'the live status never showed');
      await settle();
      expect(region.said).to.deep.equal(['Status: Solved.', 'Status: Open.']);
      region.stop();
    });

    it('an error interrupts once through its alert, and is not repeated politely', async () => {
      const { worker } = await useMockApi();
      const { el } = await mountWithProvider<PorticoTicketDetail>(html`<portico-ticket-detail ticket-id="tkt_1001"></portico-ticket-detail>`);
      await waitForPart(el, 'header');
      const polite = record(announcer(el)!);
      const alertRegion = el.shadowRoot!.querySelector(`[part~="reply-error"]`)!;
      expect(alertRegion.matches(ASSERTIVE), 'the reply error is an alert').to.equal(true);
      const alert = record(alertRegion);
      worker.use(
        http.post('/api/v1/tickets/:id/comments', () =>
          HttpResponse.json(
            { type: 'about:blank', title: 'Down for maintenance', status: 503, code: 'internal', detail: 'Down for maintenance' },
            { status: 503 },
          ),
        ),
      );
      const box = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[name="reply"]')!;
      box.value = 'Hello?';
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="reply"] button[type="submit"]')!.click();
      await waitUntil(() => alert.said.length > 0, 'the error was never shown');
      await settle();
      expect(alert.said).to.have.length(1);
      expect(alert.said[0]).to.contain('Your reply wasn’t sent: Down for maintenance');
      expect(polite.said, 'the polite region does not say it again').to.deep.equal([]);
      polite.stop();
      alert.stop();
    });
  });

  describe('portico-contacts', () => {
    it('says each save once, and a second save of the same kind again', async () => {
      await useMockApi();
      const { el } = await mountWithProvider<PorticoContacts>(html`<portico-contacts></portico-contacts>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'row');
      await el.updateComplete;
      const region = record(announcer(el)!);
      const roleOf = (name: string) =>
        parts(el, 'row')
          .find((r) => r.querySelector('.name')!.textContent!.includes(name))!
          .querySelector<HTMLSelectElement>('[part~="role"] select')!;
      const choose = async (name: string, role: string) => {
        const select = roleOf(name);
        const saved = nextEvent(el, 'portico-contact-updated');
        select.value = role;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        await saved;
        await el.updateComplete;
      };
      await choose('Mia Chen', 'admin');
      await waitUntil(() => region.said.length > 0, 'the save was never announced');
      await settle();
      expect(region.said).to.deep.equal(['Mia Chen is now Admin.']);
      expect(part(el, 'notice')!.textContent, 'and shown').to.contain('Mia Chen is now Admin.');
      await choose('Mia Chen', 'member');
      await choose('Mia Chen', 'admin');
      await waitUntil(() => region.said.length === 3, 'every save is said');
      await settle();
      expect(region.said).to.deep.equal(['Mia Chen is now Admin.', 'Mia Chen is now Member.', 'Mia Chen is now Admin.']);
      region.stop();
    });
  });
});
