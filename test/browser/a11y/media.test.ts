/**
 * Forced colors (Windows High Contrast) and reduced motion, emulated in Chromium: focus stays
 * visible without author colours (1.4.11, 2.4.7), buttons keep an outline of their own, and
 * nothing moves when the user asked for less motion (2.3.3 is AAA; Portico honours it anyway,
 * and it backs 2.2.2's "no auto-moving content"). docs/accessibility.md cites these tests.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { WIDGETS, mountWidget } from './widgets.ts';
import { composedElements, controls, deepActive, emulate, isRendered } from './a11y-kit.ts';

describe('accessibility: forced colors and reduced motion', () => {
  afterEach(() => emulate({}));

  for (const widget of WIDGETS) {
    it(`${widget.tag}: under forced colors every control reached with Tab shows an outline`, async () => {
      await emulate({ forcedColors: 'active' });
      const { el } = await mountWidget(widget);
      if (controls(el).length === 0) return; // read-only widget
      expect(matchMedia('(forced-colors: active)').matches, 'forced colors are not emulated').to.equal(true);
      const start = document.createElement('button');
      start.textContent = 'before';
      el.before(start);
      start.focus();
      const missing: string[] = [];
      const seen = new Set<Element>();
      for (let i = 0; i < 30; i++) {
        await sendKeys({ press: 'Tab' });
        const active = deepActive();
        if (!active || active === start || seen.has(active) || !composedElements(el).includes(active)) break;
        seen.add(active);
        // Forced colors drop box-shadow: only an outline (or a border change) still shows.
        const style = getComputedStyle(active);
        if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 1) missing.push(`${active.localName}.${[...active.classList].join('.')}`);
      }
      start.remove();
      expect(seen.size, 'Tab never reached a control of the widget').to.be.greaterThan(0);
      expect(missing).to.deep.equal([]);
    });

    it(`${widget.tag}: under reduced motion nothing animates or transitions`, async () => {
      await emulate({ reducedMotion: 'reduce' });
      const { el } = await mountWidget(widget);
      const moving = composedElements(el)
        .filter((e) => isRendered(e))
        .flatMap((e) => {
          const style = getComputedStyle(e);
          const longest = (list: string) => Math.max(...list.split(',').map((d) => parseFloat(d) * (d.trim().endsWith('ms') ? 0.001 : 1)));
          const animated = style.animationName !== 'none' && longest(style.animationDuration) > 0.01;
          const transitions = longest(style.transitionDuration) > 0.01 && style.transitionProperty !== 'none';
          return animated || transitions ? [`${e.localName}.${[...e.classList].join('.')} ${style.animationName} ${style.transitionDuration}`] : [];
        });
      expect(moving).to.deep.equal([]);
    });
  }
});
