/**
 * Loads a BUILT example (examples/<name>/dist, made by `node scripts/build-examples.mjs`, a step
 * of `npm test`) into the test page: its markup, then its scripts, with the MSW mocks standing
 * in for the demo backend (the Portico API and /demo/session). Imports no Portico source, so the
 * elements on the page are exactly the example's own bundled copy.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createMockApi, type MockApi } from '@portico/mocks';
import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import '../page-focus.ts';
import '../serializable-failures.ts';

let api: MockApi | undefined;

async function startMocks(): Promise<MockApi> {
  if (api) return api;
  const mock = createMockApi({ apiBase: '/api' });
  const session = http.post('/demo/session', async ({ request }) => {
    const { email } = (await request.json()) as { email: string };
    return HttpResponse.json({ token: await mock.tokenFor(email) });
  });
  const worker = setupWorker(session, ...mock.handlers);
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledFrame: 'bypass' });
  await mock.ready;
  api = mock;
  return mock;
}

/** Mounts `url` (an example's built index.html) into this page and runs its module scripts (unless `scripts: false`). */
export async function mountBuiltExample(url: string, { scripts = true } = {}): Promise<MockApi> {
  const mock = await startMocks();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}. Build the examples first: node scripts/build-examples.mjs`);
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const node of [...doc.body.children]) if (node.localName !== 'script') document.body.append(document.importNode(node, true));
  if (!scripts) return mock;
  for (const script of doc.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')) {
    const src = script.getAttribute('src')!;
    // Root-relative paths are the demo backend's routes (/cdn/… serves packages/elements/dist/cdn).
    const href = src.startsWith('/cdn/') ? `/packages/elements/dist${src}` : new URL(src, new URL(url, location.href)).href;
    await import(/* @vite-ignore */ href);
  }
  return mock;
}

/** The element in `host`'s shadow root matching `selector`. */
export const inShadow = <T extends Element = HTMLElement>(host: Element | null | undefined, selector: string): T | null =>
  host?.shadowRoot?.querySelector<T>(selector) ?? null;

/** The ticket list's view tab labels (each tab also shows a count once the per-view counts arrive). */
export const viewTabs = (list: Element | null) =>
  [...(list?.shadowRoot?.querySelectorAll('[part~="view"]') ?? [])].map((t) => (t.querySelector('.label') ?? t).textContent!.trim());

/**
 * Walks the panel through several places as a user would — a tab, back to Tickets, one ticket,
 * the panel's Back — and checks each move reached the app's own state through
 * `portico-navigate` (`place()` reads what the app rendered from the event's detail).
 */
export async function walkThePanel(panel: Element, place: () => string | undefined): Promise<void> {
  const tab = (view: string) => inShadow<HTMLButtonElement>(panel, `[part~="tab"][data-view="${view}"]`);
  await waitUntil(() => tab('activity'), 'the panel shows no Activity tab', { timeout: 10_000 });
  tab('activity')!.click();
  await waitUntil(() => place() === 'Support panel at activity', 'the app was not told about Activity', { timeout: 5000 });
  await waitUntil(() => inShadow(panel, 'portico-timeline'), 'Activity shows no timeline', { timeout: 10_000 });

  tab('tickets')!.click();
  await waitUntil(() => place() === 'Support panel at tickets', 'the app was not told about Tickets', { timeout: 5000 });
  await waitUntil(() => inShadow(inShadow(panel, 'portico-ticket-list:not([hidden])'), '[part~="row"]'), 'the list shows no tickets', { timeout: 10_000 });
  const row = inShadow(inShadow(panel, 'portico-ticket-list'), '[part~="row"]')!;
  const id = row.dataset.id!;
  row.click();
  await waitUntil(() => place() === `Support panel at tickets/${id}`, 'the app was not told which ticket opened', { timeout: 5000 });
  await waitUntil(() => inShadow(inShadow(panel, 'portico-ticket-detail'), '[part~="subject"]'), 'the ticket never showed', { timeout: 10_000 });

  inShadow<HTMLButtonElement>(panel, '[part~="back"]')!.click();
  await waitUntil(() => place() === 'Support panel at tickets', 'the app was not told about Back', { timeout: 5000 });
  await waitUntil(() => inShadow(panel, 'portico-ticket-list:not([hidden])'), 'Back did not show the list', { timeout: 5000 });
}

/** How one framework example wires the panel, in that framework's words (for failure messages). */
export interface FrameworkExample {
  /** `react` or `vue`: the example's folder and the suite's name. */
  name: string;
  /** The framework as people call it ("React"). */
  framework: string;
  /** How the app binds the drawer's `open` property (`open={true}`, `:open.prop`). */
  openBinding: string;
  /** How the app listens for portico-panel-toggle (`onPorticoPanelToggle`, `@portico-panel-toggle`). */
  toggleListener: string;
}

/**
 * The suite both framework examples pass: the framework sets the elements' properties
 * (getToken, lang, open), receives their events (session change, panel toggle, navigate), and
 * the panel's widgets get the provider's context through the framework's tree.
 */
export function frameworkExampleSuite({ name, framework, openBinding, toggleListener }: FrameworkExample): void {
  describe(`examples/${name} (built)`, () => {
    before(async () => {
      await mountBuiltExample(`/examples/${name}/dist/index.html`);
    });

    const text = (selector: string) => document.querySelector(selector)?.textContent?.trim();
    const panel = () => document.querySelector('portico-support-panel');

    it(`signs in through the getToken property and reports the session to ${framework}`, async () => {
      await waitUntil(() => text('.user') === 'Signed in as Mia Chen', `${framework} never got portico-session-change`, { timeout: 10_000 });
      expect(customElements.get('portico-support-panel')).to.not.equal(undefined);
      expect(panel()!.getAttribute('mode')).to.equal('launcher');
    });

    it(`opens the drawer from ${framework} state and shows the account’s tickets through the provider context`, async () => {
      (document.querySelector('button.contact') as HTMLButtonElement).click();
      await waitUntil(() => inShadow<HTMLDialogElement>(panel(), 'dialog')?.open, `${openBinding} did not open the drawer`, { timeout: 5000 });
      await waitUntil(() => inShadow(panel(), 'portico-ticket-list'), 'no ticket list in the drawer', { timeout: 10_000 });
      const list = inShadow(panel(), 'portico-ticket-list');
      await waitUntil(() => inShadow(list, '[part~="row"]'), 'the list shows no tickets: no context from the provider?', { timeout: 10_000 });
      expect(text('.drawer-state')).to.equal('Support drawer is open');
    });

    it(`tells ${framework} when the user closes the drawer (Esc)`, async () => {
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => text('.drawer-state') === 'Support drawer is closed', `${toggleListener} never reached ${framework}`, { timeout: 5000 });
      expect(inShadow<HTMLDialogElement>(panel(), 'dialog')!.open).to.equal(false);
    });

    it(`switches every widget to German when ${framework} changes the provider’s lang`, async () => {
      const select = document.querySelector<HTMLSelectElement>('select[name="lang"]')!;
      select.value = 'de';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await waitUntil(() => document.querySelector('portico-provider')!.getAttribute('lang') === 'de', undefined, { timeout: 5000 });
      const list = inShadow(panel(), 'portico-ticket-list');
      await waitUntil(() => viewTabs(list)[0] === 'Meine Tickets', 'the list never turned German', { timeout: 5000 });
      expect(inShadow(panel(), '[part~="launcher"]')!.textContent!.trim()).to.equal('Support');
    });

    it(`tells ${framework} where the user goes in the panel (portico-navigate): a tab, a ticket, Back`, async () => {
      expect(text('.place'), 'no move yet').to.equal(undefined);
      (document.querySelector('button.contact') as HTMLButtonElement).click();
      await waitUntil(() => inShadow<HTMLDialogElement>(panel(), 'dialog')?.open, 'the drawer did not open again', { timeout: 5000 });
      await walkThePanel(panel()!, () => text('.place'));
    });
  });
}
