/**
 * Contrast computed in the page, from the colours Chromium actually paints (WCAG 1.4.3 and
 * 1.4.11), and the composed-tree walking it needs. No test-runner imports: the accessibility
 * tests (through a11y-kit.ts) and the "Accessible theme" story (stories/theming.stories.ts)
 * run the same check. Not part of any package.
 */

/** Every element under `root` in the composed tree: light children and shadow roots alike. */
export function composedElements(root: Element | ShadowRoot): Element[] {
  const out: Element[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const child of node.children) {
      out.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
      visit(child);
    }
  };
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return out;
}

/** The composed parent: the parent element, or the host of a shadow root. */
export function composedParent(el: Element): Element | null {
  if (el.assignedSlot) return el.assignedSlot;
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/** Whether an element is rendered (has a box and is not hidden by visibility or an ancestor). */
export function isRendered(el: Element): boolean {
  if (el.getClientRects().length === 0) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none';
}

// --- colour ----------------------------------------------------------------------------

export type Rgba = [number, number, number, number];

const canvas = document.createElement('canvas');
canvas.width = canvas.height = 1;
const paint = canvas.getContext('2d', { willReadFrequently: true })!;

/** Any CSS colour Chromium computes (rgb(), color(srgb …), oklab(), …) as 0–255 RGBA. */
export function toRgba(color: string): Rgba {
  if (color === 'transparent' || color === 'rgba(0, 0, 0, 0)') return [0, 0, 0, 0];
  paint.clearRect(0, 0, 1, 1);
  paint.fillStyle = '#000';
  paint.fillStyle = color;
  paint.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = paint.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a! / 255];
}

/** `top` painted over an opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

const channel = (v: number) => {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const luminance = ([r, g, b]: Rgba) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

/** WCAG contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The opaque colour behind an element: its own and its ancestors' backgrounds, composited. */
export function backgroundBehind(el: Element): Rgba {
  const layers: Rgba[] = [];
  for (let node: Element | null = el; node; node = composedParent(node)) {
    const bg = toRgba(getComputedStyle(node).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let result: Rgba = [255, 255, 255, 1];
  if (layers.at(-1)?.[3] === 1) result = layers.pop()!;
  for (const layer of layers.reverse()) result = over(layer, result);
  return result;
}

/** Whether text is "large" in WCAG terms (≥ 24 px, or ≥ 18.66 px bold). */
export function isLargeText(el: Element): boolean {
  const style = getComputedStyle(el);
  const size = parseFloat(style.fontSize);
  return size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
}

/** Elements that paint text of their own (a non-blank text node child), under `root`. */
export function textElements(root: Element): Element[] {
  return composedElements(root).filter(
    (el) =>
      isRendered(el) &&
      !el.closest('.visually-hidden') &&
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '') &&
      getComputedStyle(el).opacity !== '0',
  );
}

export interface ContrastFailure {
  text: string;
  ratio: number;
  needed: number;
  color: string;
}

/** Text under `root` whose contrast with what is behind it is below AA (4.5:1, or 3:1 for large text). */
export function textContrastFailures(root: Element): ContrastFailure[] {
  const failures: ContrastFailure[] = [];
  for (const el of textElements(root)) {
    const style = getComputedStyle(el);
    const bg = backgroundBehind(el);
    const fg = over(toRgba(style.color), bg);
    const ratio = contrastRatio(fg, bg);
    const needed = isLargeText(el) ? 3 : 4.5;
    if (ratio + 0.005 < needed)
      failures.push({
        text: el.textContent!.trim().slice(0, 40),
        ratio: Math.round(ratio * 100) / 100,
        needed,
        color: `${style.color} on rgb(${bg.slice(0, 3).join(',')})`,
      });
  }
  return failures;
}

/** Text fields and selects under `root` whose border has less than 3:1 against what is behind it (1.4.11). */
export function fieldBorderFailures(root: Element): ContrastFailure[] {
  return composedElements(root)
    .filter(
      (f) => f.matches('input:not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea') && isRendered(f) && !f.closest('.visually-hidden'),
    )
    .flatMap((f) => {
      const style = getComputedStyle(f);
      const behind = backgroundBehind(f.parentElement ?? f);
      const ratio = contrastRatio(over(toRgba(style.borderBottomColor), behind), behind);
      return ratio + 0.005 < 3
        ? [
            {
              text: `${f.localName}${f.getAttribute('name') ? `[name=${f.getAttribute('name')}]` : `#${f.id}`} border`,
              ratio: Math.round(ratio * 100) / 100,
              needed: 3,
              color: `${style.borderBottomColor} on rgb(${behind.slice(0, 3).join(',')})`,
            },
          ]
        : [];
    });
}
