/**
 * A vendor theme keeps contrast (docs/theming.md, "Accessible tokens"): the "Accessible theme"
 * story's two themes through the same in-page check the story shows — the first draft must be
 * caught, the fixed one must pass. docs/accessibility.md cites this test for 1.4.3 and 1.4.11.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '@portico/elements/define/portico-ticket-form.js';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { SUNRISE_FAILING, SUNRISE_FIXED } from '../../../stories/support/vendor-themes.ts';
import { mountWithProvider, useMockApi } from '../fixtures.ts';
import { fieldBorderFailures, textContrastFailures } from './contrast.ts';

/** The ticket form (accent button, secondary hints, text fields) under `tokens`, loaded. */
async function themedForm(tokens: Readonly<Record<string, string>>): Promise<HTMLElement> {
  await useMockApi();
  const { el } = await mountWithProvider<HTMLElement>(html`<div style=${styleMap(tokens)}><portico-ticket-form></portico-ticket-form></div>`);
  const form = el.querySelector('portico-ticket-form')!;
  await waitUntil(() => form.shadowRoot?.querySelector('form [part~="submit"], form button[type="submit"]'), 'the form never loaded', { timeout: 8000 });
  await form.updateComplete;
  return form;
}

describe('a vendor theme and the contrast check — 1.4.3, 1.4.11', () => {
  it('catches the failing theme: secondary text, text on the accent, field borders', async () => {
    const form = await themedForm(SUNRISE_FAILING);
    const text = textContrastFailures(form);
    const borders = fieldBorderFailures(form);
    const texts = text.map((f) => f.text);
    expect(
      texts.some((t) => t.startsWith('Submit ticket')),
      `white on the orange button is caught: ${JSON.stringify(texts)}`,
    ).to.equal(true);
    expect(
      text.some((f) => f.needed === 4.5 && f.ratio < 3),
      'the grey secondary text is caught',
    ).to.equal(true);
    expect(borders.length, 'pale field borders are caught').to.be.greaterThan(0);
    for (const f of [...text, ...borders]) expect(f.ratio).to.be.below(f.needed);
  });

  it('passes the fixed theme: nothing below AA', async () => {
    const form = await themedForm(SUNRISE_FIXED);
    expect(textContrastFailures(form)).to.deep.equal([]);
    expect(fieldBorderFailures(form)).to.deep.equal([]);
  });
});
