/**
 * WCAG 2.4.11 Focus Not Obscured (Minimum): wherever keyboard focus goes in the support panel
 * — inline at a short height, or in the launcher's drawer — the focused control is at least
 * partly visible, never hidden under the panel header, outside its scroll area or under the
 * launcher. docs/accessibility.md cites this test.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { html } from 'lit';
import { mountWithProvider } from '../fixtures.ts';
import { FIXED_NOW } from './widgets.ts';
import { useMockApi } from '../fixtures.ts';
import { deepActive, isPartlyUnobscured } from './a11y-kit.ts';
import '@portico/elements/define/portico-support-panel.js';

const label = (el: Element) =>
  `${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;

/** Tabs `count` times and returns the focused controls that were entirely hidden. */
async function hiddenWhileFocused(count: number): Promise<string[]> {
  const hidden: string[] = [];
  const seen = new Set<Element>();
  for (let i = 0; i < count; i++) {
    await sendKeys({ press: 'Tab' });
    const active = deepActive();
    if (!active || active === document.body || seen.has(active)) continue;
    seen.add(active);
    // The browser scrolls a focused control into view on its own; give layout a frame.
    await new Promise((r) => requestAnimationFrame(r));
    if (!isPartlyUnobscured(active)) hidden.push(label(active));
  }
  expect(seen.size, 'Tab reached no control').to.be.greaterThan(3);
  return hidden;
}

describe('accessibility: focus is never hidden (2.4.11)', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('inline panel at a short height: every control Tab reaches is visible', async () => {
    await setViewport({ width: 360, height: 420 });
    await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(
      html`<portico-support-panel style="--portico-support-panel-block-size: 380px"></portico-support-panel>`,
      { as: 'ada@acme.example' },
    );
    await waitUntil(() => el.shadowRoot?.querySelector('portico-ticket-list')?.shadowRoot?.querySelector('[part~="row"]'), 'the list never loaded', {
      timeout: 8000,
    });
    (el.shadowRoot!.querySelector('[role="tab"]') as HTMLElement).focus();
    expect(await hiddenWhileFocused(45)).to.deep.equal([]);
  });

  it('launcher drawer on a phone-sized screen: every control Tab reaches is visible', async () => {
    await setViewport({ width: 360, height: 560 });
    await useMockApi({ now: FIXED_NOW });
    const { el } = await mountWithProvider<HTMLElement>(html`<portico-support-panel mode="launcher"></portico-support-panel>`, { as: 'ada@acme.example' });
    const launcher = await waitUntil(() => el.shadowRoot?.querySelector('[part~="launcher"]'), 'no launcher', { timeout: 8000 }).then(() =>
      el.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]')!,
    );
    launcher.focus();
    expect(isPartlyUnobscured(launcher), 'the focused launcher is hidden').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot?.querySelector('portico-ticket-list')?.shadowRoot?.querySelector('[part~="row"]'), 'the drawer list never loaded', {
      timeout: 8000,
    });
    expect(await hiddenWhileFocused(45)).to.deep.equal([]);
  });
});
