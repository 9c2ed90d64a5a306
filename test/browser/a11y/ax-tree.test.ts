/**
 * What a screen reader is told: Chromium's accessibility tree (roles, names, states) of every
 * widget in its main loaded state, compared with a reviewed expectation in
 * test/browser/a11y/ax-expectations/ (4.1.2 Name, Role, Value; 1.3.1 Info and Relationships;
 * 2.4.6 Headings and Labels). Regenerate after an intended change with
 * `PORTICO_UPDATE_AX=1 npx web-test-runner test/browser/a11y/ax-tree.test.ts` and review the diff.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { WIDGETS, mountWidget } from './widgets.ts';
import { axNodes, axTree, type AxNode } from './a11y-kit.ts';

/**
 * Roles folded away: wrappers say nothing on their own, and static text is the data of the
 * moment (the demo seed's words); the tree keeps what structures and operates the widget.
 */
const WRAPPERS = new Set(['generic', 'none', 'LineBreak', 'InlineTextBox', 'StaticText']);

/**
 * The tree as expectations keep it: roles, names and states, with digits masked (relative
 * times and counts move with the clock) and wrapper and text nodes folded into their parent.
 */
function normalise(node: AxNode): unknown[] {
  const children = (node.children ?? []).flatMap(normalise);
  if (WRAPPERS.has(node.role)) return children;
  const states = (['checked', 'pressed', 'selected', 'expanded', 'disabled', 'required', 'invalid', 'level'] as const)
    .filter((k) => node[k] !== undefined && node[k] !== false)
    .map((k) => `${k}=${String(node[k])}`);
  const name = (node.name ?? '')
    .replace(/\d+/g, '#')
    // Relative times move with the browser's clock (the API's clock is fixed).
    .replace(/(?<!\w)(yesterday|today|tomorrow|(last|next) (week|month|year)|# \w+ ago|in # \w+)(?!\w)/gi, '<time>')
    .replace(/\s+/g, ' ')
    .trim();
  const label = [node.role, name && JSON.stringify(name), ...states].filter(Boolean).join(' ');
  return children.length ? [{ [label]: children }] : [label];
}

describe('accessibility: the accessibility tree of every widget', () => {
  before(() => setViewport({ width: 1024, height: 900 }));

  for (const widget of WIDGETS) {
    it(`${widget.tag} tells assistive technology what the reviewed expectation says`, async () => {
      await mountWidget(widget);
      // Chromium updates its accessibility tree after layout: let the last render reach it.
      await new Promise((r) => setTimeout(r, 150));
      // The whole page: it holds only this widget (a custom element's host has no role of its own).
      const tree = await axTree();
      expect(tree, 'no accessibility tree').to.not.equal(null);
      const nodes = [...axNodes(tree)];
      // Every control has a name: an unnamed button or field is never announced usefully.
      const unnamed = nodes.filter(
        (n) => ['button', 'textbox', 'combobox', 'checkbox', 'link', 'tab', 'searchbox', 'radio', 'menuitem'].includes(n.role) && !n.name?.trim(),
      );
      expect(
        unnamed.map((n) => n.role),
        'controls without an accessible name',
      ).to.deep.equal([]);
      const actual = normalise(tree!);
      const expected = await executeServerCommand('portico-ax-expectation', { name: widget.tag, tree: actual });
      expect(actual).to.deep.equal(expected);
    });
  }
});
