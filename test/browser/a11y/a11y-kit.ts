/**
 * What the accessibility tests measure in the page (docs/accessibility.md names the test of
 * each WCAG criterion): the composed tree across shadow roots, focus, target sizes, contrast
 * computed from the colours Chromium actually paints, reflow and clipping.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { composedElements, composedParent, isRendered } from './contrast.ts';

// The composed tree and the colour maths live in contrast.ts (no test-runner imports), which the
// accessible-theme story imports too.
export * from './contrast.ts';

/** The focused element, through shadow roots. */
export function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const NATIVE_FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** Interactive controls a pointer or keyboard user can operate, under `root`. */
export function controls(root: Element): HTMLElement[] {
  return composedElements(root).filter(
    (el): el is HTMLElement =>
      el instanceof HTMLElement &&
      el.matches(NATIVE_FOCUSABLE) &&
      !(el as HTMLButtonElement).disabled &&
      el.tabIndex >= 0 &&
      !(el instanceof HTMLInputElement && el.type === 'hidden') &&
      isRendered(el),
  );
}

/** The outline or box-shadow that shows focus on an element, or null when none shows. */
export function focusIndicator(el: Element): string | null {
  const style = getComputedStyle(el);
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) return `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
  if (style.boxShadow && style.boxShadow !== 'none') return `box-shadow ${style.boxShadow}`;
  return null;
}

// --- browser state ---------------------------------------------------------------------

export interface MediaFeatures {
  forcedColors?: 'active' | 'none';
  reducedMotion?: 'reduce' | 'no-preference';
  colorScheme?: 'light' | 'dark';
}

/** Emulates CSS media features (reset with `{}`); see web-test-runner.config.mjs. */
export function emulate(features: MediaFeatures): Promise<unknown> {
  return executeServerCommand('portico-emulate', features);
}

/** A node of Chromium's accessibility tree, as puppeteer reports it. */
export interface AxNode {
  role: string;
  name?: string;
  value?: string | number;
  checked?: boolean | 'mixed';
  pressed?: boolean | 'mixed';
  selected?: boolean;
  expanded?: boolean;
  disabled?: boolean;
  required?: boolean;
  invalid?: string;
  level?: number;
  focused?: boolean;
  children?: AxNode[];
}

/** Chromium's accessibility tree of the page, or under the first element matching a light-DOM selector. */
export async function axTree(selector?: string): Promise<AxNode | null> {
  return (await executeServerCommand('portico-ax-tree', { selector })) as AxNode | null;
}

/** Walks an accessibility tree depth first. */
export function* axNodes(node: AxNode | null | undefined): Generator<AxNode> {
  if (!node) return;
  yield node;
  for (const child of node.children ?? []) yield* axNodes(child);
}

/** Horizontal overflow of the page: how many CSS px it scrolls sideways. */
export function horizontalOverflow(): number {
  return document.documentElement.scrollWidth - document.documentElement.clientWidth;
}

/** Elements under `root` whose content is cut off: wider or taller than a box that hides overflow. */
export function clippedElements(root: Element): string[] {
  return composedElements(root)
    .filter((el) => {
      if (!isRendered(el) || el.closest('.visually-hidden') || el.matches('.visually-hidden')) return false;
      const style = getComputedStyle(el);
      const hidesX = style.overflowX === 'hidden' || style.overflowX === 'clip';
      const hidesY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      // Ellipsis and line clamps are intentional previews (a row's subject): the whole text is
      // one click away in the ticket itself (docs/accessibility.md, 1.4.12).
      if (style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none') return false;
      return (hidesX && el.scrollWidth > el.clientWidth + 1) || (hidesY && el.scrollHeight > el.clientHeight + 1);
    })
    .map((el) => `${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''}.${[...el.classList].join('.')}`);
}

/** The WCAG 1.4.12 text-spacing overrides as a style sheet, applied to the document and every shadow root under `root`. */
export function applyTextSpacing(root: Element): () => void {
  const css = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  const targets: (Document | ShadowRoot)[] = [
    document,
    ...composedElements(root).flatMap((el) => (el.shadowRoot ? [el.shadowRoot] : [])),
    ...(root.shadowRoot ? [root.shadowRoot] : []),
  ];
  for (const t of targets) t.adoptedStyleSheets = [...t.adoptedStyleSheets, sheet];
  return () => {
    for (const t of targets) t.adoptedStyleSheets = t.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}

// --- target size -----------------------------------------------------------------------

/** The box a pointer can hit for a control: a checkbox or radio together with the label around it. */
export function targetBox(el: HTMLElement): DOMRect {
  const label = el.closest('label');
  return label && isRendered(label) ? label.getBoundingClientRect() : el.getBoundingClientRect();
}

const intersects = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Controls under `root` that fail WCAG 2.2 SC 2.5.8 (Target Size, Minimum): smaller than
 * 24 × 24 CSS px, unless the spacing exception holds (a 24 px circle centred on the target
 * touches no other target) or the control sits inline in a sentence of text.
 */
export function undersizedTargets(root: Element): string[] {
  const all = controls(root).filter((c) => c.getBoundingClientRect().width > 1);
  const boxes = new Map(all.map((c) => [c, targetBox(c)]));
  return all
    .filter((c) => {
      const box = boxes.get(c)!;
      if (box.width >= 24 && box.height >= 24) return false;
      if (getComputedStyle(c).display === 'inline' && (composedParent(c)?.textContent?.trim().length ?? 0) > (c.textContent?.trim().length ?? 0)) return false;
      const cx = box.left + box.width / 2;
      const cy = box.top + box.height / 2;
      const circle = new DOMRect(cx - 12, cy - 12, 24, 24);
      return all.some((other) => other !== c && !other.contains(c) && !c.contains(other) && intersects(circle, boxes.get(other)!));
    })
    .map((c) => {
      const box = boxes.get(c)!;
      return `${c.localName}.${[...c.classList].join('.')} "${(c.textContent ?? '').trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`;
    });
}

/** The topmost element at a viewport point, through shadow roots. */
export function deepElementFromPoint(x: number, y: number): Element | null {
  let hit = document.elementFromPoint(x, y);
  while (hit?.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

/**
 * Whether some of an element is on screen and on top (WCAG 2.4.11: a focused control is not
 * entirely hidden by other content): its centre or a point just inside a corner is the
 * element itself (or inside it) when hit-tested.
 */
export function isPartlyUnobscured(el: Element): boolean {
  const r = el.getBoundingClientRect();
  const inset = 2;
  const points = [
    [r.left + r.width / 2, r.top + r.height / 2],
    [r.left + inset, r.top + inset],
    [r.right - inset, r.top + inset],
    [r.left + inset, r.bottom - inset],
    [r.right - inset, r.bottom - inset],
  ] as const;
  return points.some(([x, y]) => {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
    const hit = deepElementFromPoint(x, y);
    return hit !== null && (hit === el || el.contains(hit) || (el.shadowRoot?.contains(hit) ?? false) || composedElements(el).includes(hit));
  });
}
