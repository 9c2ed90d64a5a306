/**
 * WCAG 2.2 AA checks axe cannot make, computed in Chromium for every widget in the light and
 * dark themes: text contrast (1.4.3), non-text contrast of form borders and focus rings
 * (1.4.11), target size (2.5.8), reflow at 320 CSS px — the width of 1280 px at 400 % zoom —
 * (1.4.10) and text-spacing overrides (1.4.12). docs/accessibility.md cites these tests.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { WIDGETS, mountWidget } from './widgets.ts';
import {
  applyTextSpacing,
  backgroundBehind,
  clippedElements,
  controls,
  composedElements,
  contrastRatio,
  deepActive,
  fieldBorderFailures,
  focusIndicator,
  horizontalOverflow,
  over,
  textContrastFailures,
  toRgba,
  undersizedTargets,
} from './a11y-kit.ts';

const settle = () => new Promise((r) => setTimeout(r, 80));

describe('accessibility: what the eye and the pointer need', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const widget of WIDGETS) {
    for (const theme of ['light', 'dark'] as const) {
      describe(`${widget.tag} (${theme})`, () => {
        it('text contrast is at least 4.5:1 (3:1 for large text) — 1.4.3', async () => {
          const { el } = await mountWidget(widget, { theme });
          expect(textContrastFailures(el)).to.deep.equal([]);
        });

        it('form-field borders have at least 3:1 against what is behind them — 1.4.11', async () => {
          const { el } = await mountWidget(widget, { theme });
          expect(fieldBorderFailures(el)).to.deep.equal([]);
        });

        it('every control reached with Tab shows a focus ring of at least 3:1 — 2.4.7, 1.4.11', async () => {
          const { el } = await mountWidget(widget, { theme });
          if (controls(el).length === 0) return; // nothing to focus: the summary is read-only
          const missing: string[] = [];
          const seen = new Set<Element>();
          // Start just before the widget, then walk forward with the real keyboard.
          const start = document.createElement('button');
          start.textContent = 'before';
          el.before(start);
          start.focus();
          for (let i = 0; i < 40; i++) {
            await sendKeys({ press: 'Tab' });
            const active = deepActive();
            if (!active || (!el.contains((active.getRootNode() as ShadowRoot).host ?? active) && !composedElements(el).includes(active))) break;
            if (seen.has(active)) break;
            seen.add(active);
            const ring = focusIndicator(active);
            if (!ring) {
              missing.push(`${active.localName}.${[...active.classList].join('.')} (no outline or shadow)`);
              continue;
            }
            const style = getComputedStyle(active);
            if (ring.startsWith('outline')) {
              const behind = backgroundBehind(active.parentElement ?? active);
              const ratio = contrastRatio(over(toRgba(style.outlineColor), behind), behind);
              if (ratio < 3) missing.push(`${active.localName}.${[...active.classList].join('.')} ring ${ratio.toFixed(2)}:1`);
            }
          }
          start.remove();
          expect(seen.size, 'Tab never reached a control of the widget').to.be.greaterThan(0);
          expect(missing).to.deep.equal([]);
        });

        it('every control is at least 24 × 24 px or spaced like one — 2.5.8', async () => {
          const { el } = await mountWidget(widget, { theme });
          expect(undersizedTargets(el)).to.deep.equal([]);
        });
      });
    }

    describe(`${widget.tag} at 320 CSS px`, () => {
      it('reflows without horizontal scrolling — 1.4.10', async () => {
        await setViewport({ width: 320, height: 640 });
        const { el } = await mountWidget(widget);
        await settle();
        expect(horizontalOverflow(), 'the page scrolls sideways').to.be.at.most(0);
        expect(el.scrollWidth, 'the widget is wider than the viewport').to.be.at.most(document.documentElement.clientWidth);
      });

      it('keeps all text under the text-spacing overrides — 1.4.12', async () => {
        await setViewport({ width: 320, height: 640 });
        const { el } = await mountWidget(widget);
        const undo = applyTextSpacing(el);
        await settle();
        const clipped = clippedElements(el);
        const overflow = horizontalOverflow();
        undo();
        expect(clipped).to.deep.equal([]);
        expect(overflow, 'the page scrolls sideways with wider text spacing').to.be.at.most(0);
      });
    });
  }
});
