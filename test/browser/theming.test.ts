/**
 * Theming as a host page uses it (docs/theming.md): tokens set above an element, component
 * tokens, `::part()` rules, the provider's `theme` attribute and the OS color scheme.
 * Asserts computed styles, i.e. what a user would see.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '@portico/elements/define/portico-support-panel.js';
import '@portico/elements/define/portico-ticket-list.js';
import type { PorticoSupportPanel, PorticoTicketList } from '@portico/elements';
import { emulateMedia } from '@web/test-runner-commands';
import { html } from 'lit';
import { mountWithProvider, part, useMockApi, waitForPart } from './fixtures.ts';

/** Light and dark defaults of `--portico-color-surface` (styles/tokens.ts). */
const LIGHT_SURFACE = 'rgb(255, 255, 255)';
const DARK_SURFACE = 'rgb(23, 25, 30)';

async function mountList() {
  const mounted = await mountWithProvider<PorticoTicketList>(html`<portico-ticket-list></portico-ticket-list>`);
  // No transitions, so a computed style is the final one at once (also a token: --portico-duration).
  mounted.provider.style.setProperty('--portico-duration', '0s');
  await waitForPart(mounted.el, 'row', 'no ticket rows appeared');
  return mounted;
}

const styleOf = (el: Element, name: string) => getComputedStyle(part(el, name)!);

describe('theming', () => {
  let sheet: HTMLStyleElement | undefined;

  beforeEach(async () => {
    await useMockApi();
  });

  afterEach(async () => {
    sheet?.remove();
    sheet = undefined;
    await emulateMedia({ colorScheme: 'light' });
  });

  function addPageStyles(css: string): void {
    sheet = document.createElement('style');
    sheet.textContent = css;
    document.head.append(sheet);
  }

  it('a token set on the provider reaches the widgets inside', async () => {
    const { provider, el } = await mountList();
    const before = styleOf(el, 'view-selected').color;
    provider.style.setProperty('--portico-color-accent', 'rgb(200, 0, 120)');
    expect(before).to.not.equal('rgb(200, 0, 120)');
    expect(styleOf(el, 'view-selected').color).to.equal('rgb(200, 0, 120)');
    expect(styleOf(el, 'view-selected').borderBlockEndColor).to.equal('rgb(200, 0, 120)');
  });

  it('a token set anywhere above the provider (here, the page) works too', async () => {
    addPageStyles(':root { --portico-radius: 13px; --portico-font-family: monospace; }');
    const { el } = await mountList();
    expect(styleOf(el, 'base').borderTopLeftRadius).to.equal('13px');
    expect(styleOf(el, 'base').fontFamily).to.equal('monospace');
  });

  it('a component token wins over the system token it falls back to', async () => {
    const { provider, el } = await mountList();
    provider.style.setProperty('--portico-color-surface', 'rgb(1, 1, 1)');
    expect(styleOf(el, 'row').backgroundColor).to.equal('rgb(1, 1, 1)');
    provider.style.setProperty('--portico-ticket-list-row-background', 'rgb(2, 2, 2)');
    expect(styleOf(el, 'row').backgroundColor).to.equal('rgb(2, 2, 2)');
  });

  it('a ::part() rule in the page restyles that region', async () => {
    const { el } = await mountList();
    const before = styleOf(el, 'subject');
    expect(before.textTransform).to.equal('none');
    addPageStyles(`
      portico-ticket-list::part(subject) { text-transform: uppercase; }
      portico-ticket-list::part(status) { border-radius: 0; background-color: rgb(10, 20, 30); }
    `);
    expect(styleOf(el, 'subject').textTransform).to.equal('uppercase');
    expect(styleOf(el, 'status').backgroundColor).to.equal('rgb(10, 20, 30)');
    expect(styleOf(el, 'status').borderTopLeftRadius).to.equal('0px');
  });

  it("a nested widget's parts are re-exported: ::part(ticket-list__row) on the support panel", async () => {
    const { provider, el: panel } = await mountWithProvider<PorticoSupportPanel>(html`<portico-support-panel></portico-support-panel>`);
    provider.style.setProperty('--portico-duration', '0s');
    let list: Element | null = null;
    await waitUntil(() => (list = panel.shadowRoot?.querySelector('portico-ticket-list') ?? null) && part(list, 'row'), 'the Tickets tab never showed rows', {
      timeout: 5000,
    });
    const before = getComputedStyle(part(list!, 'row')!).backgroundColor;
    addPageStyles(`
      portico-support-panel::part(ticket-list__row) { background-color: rgb(9, 8, 7); }
      portico-support-panel::part(ticket-list__status) { text-transform: uppercase; }
    `);
    expect(before).to.not.equal('rgb(9, 8, 7)');
    expect(getComputedStyle(part(list!, 'row')!).backgroundColor).to.equal('rgb(9, 8, 7)');
    expect(getComputedStyle(part(list!, 'status')!).textTransform).to.equal('uppercase');
  });

  it('density scales the spacing of every region', async () => {
    const { provider, el } = await mountList();
    const normal = parseFloat(styleOf(el, 'row').paddingInlineStart);
    provider.style.setProperty('--portico-density', '2');
    expect(parseFloat(styleOf(el, 'row').paddingInlineStart)).to.equal(normal * 2);
  });

  it('theme="dark" on the provider switches every widget to the dark palette', async () => {
    const { provider, el } = await mountList();
    expect(styleOf(el, 'base').backgroundColor).to.equal(LIGHT_SURFACE);
    provider.setAttribute('theme', 'dark');
    await provider.updateComplete;
    expect(styleOf(el, 'base').backgroundColor).to.equal(DARK_SURFACE);
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
  });

  it('theme="auto" follows the OS (prefers-color-scheme); theme="light" ignores it', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const { provider, el } = await mountList();
    // No theme: the page's own color-scheme (normal, i.e. light) decides.
    expect(styleOf(el, 'base').backgroundColor).to.equal(LIGHT_SURFACE);
    provider.theme = 'auto';
    await provider.updateComplete;
    expect(styleOf(el, 'base').backgroundColor).to.equal(DARK_SURFACE);
    provider.theme = 'light';
    await provider.updateComplete;
    expect(styleOf(el, 'base').backgroundColor).to.equal(LIGHT_SURFACE);
  });

  it('without a theme the widgets follow the color-scheme of the page', async () => {
    addPageStyles(':root { color-scheme: dark; }');
    const { el } = await mountList();
    expect(styleOf(el, 'base').backgroundColor).to.equal(DARK_SURFACE);
  });

  it('warns once and follows the page for an unknown theme', async () => {
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const { provider, el } = await mountList();
      provider.setAttribute('theme', 'purple');
      await provider.updateComplete;
      expect(styleOf(el, 'base').backgroundColor).to.equal(LIGHT_SURFACE);
      expect(warnings.some((w) => String(w).includes('theme="purple"'))).to.equal(true);
    } finally {
      console.warn = original;
    }
  });
});
