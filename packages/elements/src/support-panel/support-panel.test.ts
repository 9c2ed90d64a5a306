import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { mountWithProvider, nextEvent, part, parts, useMockApi, waitForPart } from '../../../../test/browser/fixtures.ts';
import '../define/portico-support-panel.ts';
import type { PorticoNavigateDetail, PorticoPanelToggleDetail, PorticoSupportPanel } from './support-panel.ts';
import { PANEL_TABS, type PanelTab } from './tabs.ts';

const tabNames = (el: Element) => parts(el, 'tab').map((t) => t.textContent!.trim());
const tabNamed = (el: Element, name: string) => parts(el, 'tab').find((t) => t.textContent!.trim() === name)!;
const inner = (el: Element, tag: string) => el.shadowRoot!.querySelector(tag);
/** Every computed style property of an element, to compare before and after. */
const computed = (el: Element) => {
  const style = getComputedStyle(el);
  return Object.fromEntries([...Array(style.length).keys()].map((i) => [style.item(i), style.getPropertyValue(style.item(i))]));
};
const deepActive = (): Element | null => {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

describe('portico-support-panel', () => {
  beforeEach(async () => {
    sessionStorage.clear();
    await useMockApi();
  });

  describe('lazy loading', () => {
    it('imports the tab element only when the tab is first shown', async () => {
      // This test page imported only the panel's define module: the list is not registered yet.
      expect(customElements.get('portico-ticket-list')).to.equal(undefined);
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 100));
      expect(customElements.get('portico-ticket-list'), 'closed launcher loads no tab').to.equal(undefined);
      part(el, 'launcher')!.click();
      await waitUntil(() => inner(el, 'portico-ticket-list'), 'the tickets tab never appeared', { timeout: 5000 });
      expect(customElements.get('portico-ticket-list')).to.not.equal(undefined);
      const list = inner(el, 'portico-ticket-list')!;
      await waitForPart(list, 'row', 'the list inside the panel shows no tickets (no provider context?)');
    });
  });

  describe('inline mode', () => {
    it('shows the tickets of the signed-in contact through the provider', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      expect(part(el, 'launcher')).to.equal(null);
      await waitUntil(() => inner(el, 'portico-ticket-list'), 'no ticket list', { timeout: 5000 });
      await waitForPart(inner(el, 'portico-ticket-list')!, 'row');
      expect(part(el, 'title')!.textContent!.trim()).to.equal('Support');
      await expect(el).to.be.accessible();
    });

    it('says so when it is not inside a provider', async () => {
      const el = await fixture<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
      expect(part(el, 'error')!.textContent).to.contain('portico-provider');
    });

    it('says the session expired when the provider reports it', async () => {
      await useMockApi();
      const provider = await fixture(html`<portico-provider api-base="/api" token="not-a-jwt"><portico-support-panel></portico-support-panel></portico-provider>`);
      const panel = provider.querySelector('portico-support-panel')!;
      const error = await waitForPart(panel, 'error');
      expect(error.textContent).to.contain('session has expired');
    });
  });

  describe('with several tabs', () => {
    // The build has the Tickets and New ticket tabs; register a third that needs an admin
    // permission so gating, navigation and history can be exercised for real.
    const tabs = PANEL_TABS as Partial<Record<string, PanelTab>>;
    before(() => {
      tabs.team ??= {
        view: 'team',
        label: () => 'Team',
        permission: 'contact.manage',
        load: () => import('../define/portico-ticket-list.ts'),
        render: () => html`<portico-ticket-list view="unsolved" data-test="team"></portico-ticket-list>`,
      };
    });
    after(() => {
      if (tabs.team?.label() === 'Team') delete tabs.team;
    });

    it('shows a tab only to roles that have its permission', async function () {
      // Two panels with their lists under axe: slow on a busy machine.
      (this as unknown as { timeout(ms: number): void }).timeout(30_000);
      const member = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'mia@acme.example' });
      await waitForPart(member.el, 'tabs');
      expect(tabNames(member.el)).to.deep.equal(['Tickets', 'New ticket']);

      const admin = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(admin.el, 'tabs');
      expect(tabNames(admin.el)).to.deep.equal(['Tickets', 'New ticket', 'Team']);
      await expect(admin.el).to.be.accessible();
    });

    it('shows no tab list when the role has a single tab', async () => {
      // A viewer may neither file tickets nor manage contacts.
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'val@acme.example' });
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      expect(part(el, 'tabs') === null, 'a single tab needs no tab list').to.equal(true);
    });

    it('falls back to an allowed tab when the host asks for one the role cannot use', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="team"></portico-support-panel>`, { as: 'mia@acme.example' });
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      expect(inner(el, 'portico-ticket-list')!.hasAttribute('data-test')).to.equal(false);
    });

    it('opens the place named by the view attribute', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel view="team"></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitUntil(() => inner(el, '[data-test="team"]'), 'team tab not shown', { timeout: 5000 });
      expect(part(el, 'tab-selected')!.textContent!.trim()).to.equal('Team');
    });

    it('fires portico-navigate on each user move and walks back and forward', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'tabs');
      const moves: PorticoNavigateDetail[] = [];
      el.addEventListener('portico-navigate', (e) => moves.push(e.detail));
      expect(part<HTMLButtonElement>(el, 'back')!.disabled).to.equal(true);

      tabNamed(el, 'Team').click();
      await waitUntil(() => inner(el, '[data-test="team"]'), undefined, { timeout: 5000 });
      expect(el.view).to.equal('team');
      expect(part<HTMLButtonElement>(el, 'back')!.disabled).to.equal(false);

      part(el, 'back')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(part<HTMLButtonElement>(el, 'forward')!.disabled).to.equal(false);

      part(el, 'forward')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('team');
      expect(moves).to.deep.equal([
        { view: 'team', ticketId: null, navigation: 'push' },
        { view: 'tickets', ticketId: null, navigation: 'back' },
        { view: 'team', ticketId: null, navigation: 'forward' },
      ]);
    });

    it('stays put when the host cancels portico-navigate, and fires nothing when the host moves it', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'tabs');
      el.addEventListener('portico-navigate', (e) => e.preventDefault(), { once: true });
      tabNamed(el, 'Team').click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(part(el, 'tab-selected')!.textContent!.trim()).to.equal('Tickets');

      let fired = 0;
      el.addEventListener('portico-navigate', () => fired++);
      el.view = 'team';
      await waitUntil(() => inner(el, '[data-test="team"]'), undefined, { timeout: 5000 });
      expect(fired).to.equal(0);
      // A host move is history too: Back returns to the list.
      part(el, 'back')!.click();
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
      expect(fired).to.equal(1);
    });

    it('moves between tabs with the arrow keys', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`, { as: 'ada@acme.example' });
      await waitForPart(el, 'tabs');
      parts(el, 'tab')[0]!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.view).to.equal('new-ticket');
      expect(deepActive()?.textContent?.trim()).to.equal('New ticket');
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(el.view).to.equal('team');
      expect(deepActive()?.textContent?.trim()).to.equal('Team');
      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(el.view).to.equal('tickets');
    });
  });

  describe('launcher mode', () => {
    it('opens a modal drawer from the launcher, traps focus in it and closes on Esc', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      const launcher = part<HTMLButtonElement>(el, 'launcher')!;
      const drawer = part<HTMLDialogElement>(el, 'drawer')!;
      expect(drawer.open).to.equal(false);
      expect(launcher.getAttribute('aria-expanded')).to.equal('false');

      launcher.focus();
      const opened = oneEvent(el, 'portico-panel-toggle');
      launcher.click();
      expect(((await opened) as CustomEvent<PorticoPanelToggleDetail>).detail).to.deep.equal({ open: true });
      await el.updateComplete;
      expect(drawer.open).to.equal(true);
      expect(drawer.matches(':modal')).to.equal(true);
      expect(el.open).to.equal(true);
      expect(drawer.contains(deepActive())).to.equal(true);

      // Tab repeatedly: focus never lands on the page behind the modal drawer.
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      for (let i = 0; i < 12; i++) {
        await sendKeys({ press: 'Tab' });
        const active = deepActive();
        if (active && active !== document.body) {
          expect(drawer.contains(active) || drawer.contains((active.getRootNode() as ShadowRoot).host ?? null), `focus escaped to ${active.outerHTML.slice(0, 60)}`).to
            .be.true;
        }
      }

      const closed = nextEvent<CustomEvent<PorticoPanelToggleDetail>>(el, 'portico-panel-toggle');
      await sendKeys({ press: 'Escape' });
      expect((await closed).detail).to.deep.equal({ open: false });
      await el.updateComplete;
      expect(drawer.open).to.equal(false);
      expect(el.open).to.equal(false);
      expect(deepActive()).to.equal(launcher);
    });

    it('closes from its Close button', async () => {
      const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher" open></portico-support-panel>`);
      await el.updateComplete;
      expect(part<HTMLDialogElement>(el, 'drawer')!.open).to.equal(true);
      part(el, 'close')!.click();
      await el.updateComplete;
      expect(part<HTMLDialogElement>(el, 'drawer')!.open).to.equal(false);
    });

    it('remembers whether it was open and where it was', async () => {
      const first = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      part(first.el, 'launcher')!.click();
      await waitUntil(() => inner(first.el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      first.provider.remove();

      const again = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      await again.el.updateComplete;
      expect(again.el.open).to.equal(true);
      expect(part<HTMLDialogElement>(again.el, 'drawer')!.open).to.equal(true);

      again.el.open = false;
      await again.el.updateComplete;
      again.provider.remove();
      const third = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher"></portico-support-panel>`);
      await third.el.updateComplete;
      expect(third.el.open).to.equal(false);
    });

    it('remembers nothing with an empty storage-key', async () => {
      const first = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel mode="launcher" storage-key=""></portico-support-panel>`);
      part(first.el, 'launcher')!.click();
      await first.el.updateComplete;
      expect(sessionStorage.length).to.equal(0);
    });
  });

  describe('isolation', () => {
    it('neither takes styles from the host page nor gives any to it', async () => {
      const style = document.createElement('style');
      style.textContent = `
        body { text-align: center; letter-spacing: 4px; text-transform: uppercase; font-style: italic; line-height: 5; }
        button { background: rgb(255, 0, 0) !important; font-size: 40px !important; }
        h2 { color: rgb(0, 255, 0); font-size: 60px; }
      `;
      document.head.append(style);
      try {
        const host = await fixture(html`<div><button id="host-button">Host</button><h2 id="host-h2">Host heading</h2></div>`);
        const hostButton = host.querySelector('#host-button')!;
        const hostH2 = host.querySelector('#host-h2')!;
        const before = [computed(hostButton), computed(hostH2)];

        const { el } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
        await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
        const title = part(el, 'title')!;
        const titleStyle = getComputedStyle(title);
        expect(titleStyle.color).to.not.equal('rgb(0, 255, 0)');
        expect(titleStyle.fontSize).to.not.equal('60px');
        expect(titleStyle.textAlign).to.equal('start');
        expect(titleStyle.letterSpacing).to.equal('normal');
        expect(titleStyle.textTransform).to.equal('none');
        expect(titleStyle.fontStyle).to.equal('normal');
        const back = getComputedStyle(part(el, 'back')!);
        expect(back.backgroundColor).to.not.equal('rgb(255, 0, 0)');
        expect(back.fontSize).to.not.equal('40px');

        const after = [computed(hostButton), computed(hostH2)];
        expect(after).to.deep.equal(before);
      } finally {
        style.remove();
      }
    });

    it('works inside another shadow root, launcher and all', async () => {
      const { api } = await useMockApi();
      const outer = await fixture<HTMLDivElement>(html`<div></div>`);
      const root = outer.attachShadow({ mode: 'open' });
      root.innerHTML = `<portico-provider api-base="/api"><portico-support-panel mode="launcher"></portico-support-panel></portico-provider>`;
      const provider = root.querySelector('portico-provider')!;
      provider.getToken = () => api.tokenFor('mia@acme.example');
      const el = root.querySelector<PorticoSupportPanel>('portico-support-panel')!;
      await el.updateComplete;
      part(el, 'launcher')!.click();
      await waitUntil(() => inner(el, 'portico-ticket-list'), undefined, { timeout: 5000 });
      await waitForPart(inner(el, 'portico-ticket-list')!, 'row');
      expect(part<HTMLDialogElement>(el, 'drawer')!.matches(':modal')).to.equal(true);
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(el.open).to.equal(false);
    });
  });
});
