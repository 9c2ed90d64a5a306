/**
 * The support panel re-exports the parts of the widgets it shows (`exportparts`, as
 * `<widget>__<part>`). Its lists must name every part each widget documents and renders,
 * or a host's `::part(ticket-list__row)` would silently match nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NESTED_PARTS, exportParts, type NestedWidget } from '../src/support-panel/nested-parts.ts';

/** Parts a widget's class documents (`@csspart`) and its templates set (`part="…"`, `part=${… ? '…' : '…'}`). */
function partsOf(widget: string): Set<string> {
  const source = readFileSync(`packages/elements/src/${widget}/${widget}.ts`, 'utf8');
  const parts = new Set<string>();
  for (const [, name] of source.matchAll(/@csspart ([a-z-]+)/g)) parts.add(name!);
  for (const [, names] of source.matchAll(/\bpart="([^"$]+)"/g)) for (const name of names!.split(/\s+/)) parts.add(name);
  for (const [, expression] of source.matchAll(/\bpart=\$\{([^}]*)\}/g)) {
    for (const [, names] of expression!.matchAll(/'([^']+)'/g)) for (const name of names!.split(/\s+/)) parts.add(name);
  }
  return parts;
}

describe('support panel exportparts', () => {
  for (const widget of Object.keys(NESTED_PARTS) as NestedWidget[]) {
    it(`re-exports every part of portico-${widget}`, () => {
      const listed = NESTED_PARTS[widget].split(' ');
      assert.equal(new Set(listed).size, listed.length, 'a part is listed twice');
      assert.deepEqual([...new Set(listed)].sort(), [...partsOf(widget)].sort());
      const mapping = exportParts(widget).split(',');
      assert.ok(mapping.includes(`base:${widget}__base`));
      assert.equal(mapping.length, listed.length);
    });
  }

  it('documents the re-exported parts on the panel', () => {
    const panel = readFileSync('packages/elements/src/support-panel/support-panel.ts', 'utf8');
    for (const widget of Object.keys(NESTED_PARTS)) assert.match(panel, new RegExp(`@csspart ${widget}__\\*? `), `no @csspart for ${widget}`);
  });
});
