// Reads what the elements' sources say about their public styling and events, from two
// sides: the class JSDoc (`@fires`, `@csspart`, `@cssproperty`) and the code itself
// (`part`/`exportparts` attributes in templates, `var(--portico-*)` read by the styles; the
// events an element fires are in the event map, see event-map.mjs). Used by scripts/check-manifest.mjs and the manifest config.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ELEMENTS_SRC = resolve(process.env.PORTICO_ELEMENTS_SRC ?? resolve(import.meta.dirname, '../../packages/elements/src'));
export const TOKENS_FILE = join(ELEMENTS_SRC, 'styles/tokens.ts');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/** The JSDoc block right before `export class` (class decorators such as `@localized()` may sit between), or undefined. */
function classDoc(source) {
  const match = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:@[\w.]+(?:\([^)]*\))?\s*)*export\s+(?:abstract\s+)?class\s+(\w+)/.exec(source);
  return match ? { doc: match[1], className: match[2] } : undefined;
}

/** `@tag`-carrying class modules: one per public element. */
export function elementModules(src = ELEMENTS_SRC) {
  return walk(src)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('/define/'))
    .map((file) => ({ file, source: readFileSync(file, 'utf8') }))
    .map(({ file, source }) => ({ file, source, doc: classDoc(source) }))
    .filter(({ doc }) => doc && /@tag\s+[\w-]+/.test(doc.doc))
    .map(({ file, source, doc }) => ({ file, source, className: doc.className, tag: /@tag\s+([\w-]+)/.exec(doc.doc)[1], doc: doc.doc }));
}

/** Names documented by one JSDoc tag (`@fires {Type} name - text`, `@csspart name - text`, `[--x=default]`). */
export function docNames(doc, tag) {
  const out = new Map();
  // `*` ends a prefix: `@csspart ticket-list__*` documents every part re-exported with that prefix.
  const re = new RegExp(`@${tag}\\s+(?:\\{[^}]*\\}\\s+)?\\[?([\\w-]+\\*?)(?:=[^\\]]*)?\\]?(?:\\s+-?\\s*(.*))?`, 'g');
  for (const m of doc.matchAll(re)) out.set(m[1], (m[2] ?? '').replace(/\s*\*\s*$/, '').trim());
  return out;
}

/** The JSDoc block that opens a module (before its first import/export), or ''. */
export function moduleDoc(source) {
  const match = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export\s/.exec(source);
  return match ? match[1] : '';
}

/** Relative imports of a module, resolved to files. */
function importsOf(file, source) {
  const out = [];
  for (const m of source.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g)) {
    if (/^import\s+type\b/.test(m[0]) || /^export\s+type\b/.test(m[0])) continue;
    const target = resolve(dirname(file), m[1]);
    if (existsSync(target)) out.push(target);
  }
  // Parts of an element loaded on first use (`import('./invite-form.ts')`) are still its code.
  for (const m of source.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    const target = resolve(dirname(file), m[1]);
    if (existsSync(target)) out.push(target);
  }
  return out;
}

/**
 * The modules an element's code is made of: its class module and what it imports
 * relatively, stopping at other elements' class modules (their events and parts are theirs).
 */
export function moduleGraph(entry, otherElements) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop();
    // Another element's class, or a define module (it only registers elements: what they
    // dispatch and expose belongs to them, not to the element that loads them lazily).
    if (seen.has(file) || (file !== entry && (otherElements.has(file) || file.includes('/define/')))) continue;
    seen.add(file);
    stack.push(...importsOf(file, readFileSync(file, 'utf8')));
  }
  return [...seen];
}

/** String literals inside a JS expression. */
const literals = (expr) => [...expr.matchAll(/(['"`])((?:(?!\1)[^\\$]|\\.)*)\1/g)].map((m) => m[2]);

/** What the code of these modules exposes as parts and reads as public CSS properties (events: see event-map.mjs). */
export function codeFacts(files) {
  const parts = new Set();
  const cssProperties = new Set();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?<![\w-])(part|exportparts)=(?:"([^"]*)"|'([^']*)'|\$\{([^}]*)\})/g)) {
      // exportparts=${exportParts('ticket-list')}: every part of that widget, as `ticket-list__*`
      // (support-panel/nested-parts.ts; packages/elements/test/nested-parts.test.ts checks the lists).
      const widget = m[1] === 'exportparts' && m[4] !== undefined ? /^\s*exportParts\(\s*'([\w-]+)'\s*\)\s*$/.exec(m[4]) : null;
      if (widget) {
        parts.add(`${widget[1]}__*`);
        continue;
      }
      const values = m[4] !== undefined ? literals(m[4]) : [m[2] ?? m[3]];
      for (const value of values) {
        if (m[1] === 'part') for (const name of value.split(/\s+/)) if (/^[\w-]+$/.test(name)) parts.add(name);
        if (m[1] === 'exportparts') {
          for (const mapping of value.split(',')) {
            const name = mapping.split(':').at(-1).trim();
            if (/^[\w-]+$/.test(name)) parts.add(name);
          }
        }
      }
    }
    if (file !== TOKENS_FILE) for (const m of source.matchAll(/var\(\s*(--portico-[\w-]+)/g)) cssProperties.add(m[1]);
  }
  return { parts, cssProperties, usesTokens: files.includes(TOKENS_FILE) };
}

/** The shared tokens: documented (`@cssproperty` in tokens.ts) and read (`var(--portico-*)` in it). */
export function sharedTokens() {
  const source = readFileSync(TOKENS_FILE, 'utf8');
  return {
    documented: docNames(moduleDoc(source), 'cssproperty'),
    read: new Set([...source.matchAll(/var\(\s*(--portico-[\w-]+)/g)].map((m) => m[1])),
  };
}

/** Everything the check and the manifest need, per element. */
export function elementFacts() {
  const modules = elementModules();
  const classFiles = new Set(modules.map((m) => m.file));
  return modules.map((m) => ({
    tag: m.tag,
    className: m.className,
    file: m.file,
    path: relative(resolve(ELEMENTS_SRC, '..'), m.file),
    jsdoc: { events: docNames(m.doc, 'fires'), parts: docNames(m.doc, 'csspart'), cssProperties: docNames(m.doc, 'cssproperty') },
    code: codeFacts(moduleGraph(m.file, classFiles)),
  }));
}
