// Reads the one map of Portico's events, `PorticoElementEvents` in packages/elements/src/events.ts,
// with the TypeScript parser: per element tag, each event it fires and the name of its detail type.
// The manifest check and the React wrapper generator take the events from here; `emit()` and the
// global event maps are typed by the same interface, so the three cannot disagree.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

export const EVENTS_FILE = resolve(import.meta.dirname, '../../packages/elements/src/events.ts');

/** @returns {Map<string, Map<string, string>>} tag → (event name → detail type) */
export function eventMap(file = EVENTS_FILE) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const map = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'PorticoElementEvents');
  if (!map) throw new Error(`${file}: no interface PorticoElementEvents`);
  const name = (member) => (ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : member.name.getText(source));
  const out = new Map();
  for (const element of map.members) {
    if (!ts.isPropertySignature(element) || !element.type) continue;
    const events = new Map();
    // `Record<never, never>` (an element without events) has no members.
    if (ts.isTypeLiteralNode(element.type)) {
      for (const event of element.type.members) if (ts.isPropertySignature(event) && event.type) events.set(name(event), event.type.getText(source));
    }
    out.set(name(element), events);
  }
  return out;
}
