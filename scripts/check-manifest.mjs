#!/usr/bin/env node
// Checks that the elements' public contract as documented matches the code, both ways:
//   - every `@fires` names an event of the element in the event map (src/events.ts, which types its `emit()`),
//     with the map's detail type, and every event in the map is documented;
//   - every `@csspart` names a `part`/`exportparts` in its templates, and every part is documented;
//   - every `@cssproperty` is read by its styles (`var(--portico-…)`), and every public property read is documented
//     (the shared tokens are documented once, in styles/tokens.ts, and count for each element using them);
//   - the generated custom-elements.json says the same (so the analyzer read the JSDoc as meant);
//   - docs/elements.md and the event table of docs/events.md are what `npm run docs:elements` generates.
//   - packages/elements/custom-elements.json (checked in) is what the analyzer writes now.
// Usage: node scripts/check-manifest.mjs  (regenerates the manifest first with `npm run analyze`)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { elementFacts, sharedTokens } from './lib/element-sources.mjs';
import { eventMap } from './lib/event-map.mjs';

const MANIFEST = resolve(import.meta.dirname, '../packages/elements/custom-elements.json');

// The manifest is checked in (package consumers, editors and Storybook read it); it must be
// what the analyzer writes from the JSDoc now.
let before = '';
try {
  before = readFileSync(MANIFEST, 'utf8');
} catch {
  // No manifest yet: the analyzer is about to write the first one.
}
if (!process.argv.includes('--no-analyze')) {
  const analyzed = spawnSync('npm', ['run', '--silent', 'analyze'], { stdio: 'inherit' });
  if (analyzed.status !== 0) {
    console.error('check-manifest: `npm run analyze` failed');
    process.exit(1);
  }
}
const manifestText = readFileSync(MANIFEST, 'utf8');
const manifest = JSON.parse(manifestText);
const declarations = new Map();
for (const mod of manifest.modules) for (const d of mod.declarations ?? []) if (d.customElement && d.tagName) declarations.set(d.tagName, d);

const diff = (a, b) => [...a].filter((x) => !b.has(x)).sort();
const names = (list) => new Set((list ?? []).map((x) => x.name));
let passed = 0;
let failed = 0;

function report(subject, problems) {
  if (problems.length) {
    failed++;
    console.log(`✗ ${subject}`);
    for (const p of problems) console.log(`    ${p}`);
  } else {
    passed++;
    console.log(`✓ ${subject}`);
  }
}

const shared = sharedTokens();
report('shared tokens (styles/tokens.ts)', [
  ...diff(new Set(shared.documented.keys()), shared.read).map((n) => `@cssproperty ${n} is documented but tokens.ts never reads it`),
  ...diff(shared.read, new Set(shared.documented.keys())).map((n) => `${n} is read in tokens.ts but has no @cssproperty line in its module JSDoc`),
]);

const elements = elementFacts();
const events = eventMap();
for (const tag of events.keys())
  if (!elements.some((e) => e.tag === tag)) report(`event map entry ${tag}`, ['src/events.ts names an element that does not exist']);
for (const el of elements) {
  const problems = [];
  const where = `(${el.path})`;
  const { jsdoc, code } = el;
  const docEvents = new Set(jsdoc.events.keys());
  const docParts = new Set(jsdoc.parts.keys());
  const docProps = new Set([...jsdoc.cssProperties.keys(), ...(code.usesTokens ? shared.documented.keys() : [])]);
  const codeProps = new Set([...code.cssProperties, ...(code.usesTokens ? shared.read : [])]);

  const mapped = events.get(el.tag) ?? new Map();
  if (!events.has(el.tag)) problems.push(`no entry in PorticoElementEvents (src/events.ts) ${where}`);
  for (const n of diff(docEvents, new Set(mapped.keys())))
    problems.push(`@fires ${n}: not in its PorticoElementEvents entry (src/events.ts), so it cannot emit it ${where}`);
  for (const n of diff(new Set(mapped.keys()), docEvents)) problems.push(`PorticoElementEvents gives it "${n}" but it has no @fires line ${where}`);
  for (const n of diff(docParts, code.parts)) problems.push(`@csspart ${n}: no template has part="${n}" ${where}`);
  for (const n of diff(code.parts, docParts)) problems.push(`part "${n}" in a template has no @csspart line ${where}`);
  for (const n of diff(docProps, codeProps)) problems.push(`@cssproperty ${n}: the styles never read it ${where}`);
  for (const n of diff(codeProps, docProps)) problems.push(`styles read ${n} but it has no @cssproperty line ${where}`);

  const decl = declarations.get(el.tag);
  if (!decl) problems.push(`custom-elements.json has no declaration for <${el.tag}> (is @tag right?)`);
  else {
    if (!decl.summary) problems.push('no @summary in the class JSDoc');
    if (!decl.description?.trim()) problems.push('no description (the paragraph before @summary in the class JSDoc)');
    const checks = [
      ['events', names(decl.events), docEvents],
      ['cssParts', names(decl.cssParts), docParts],
      ['cssProperties', names(decl.cssProperties), docProps],
    ];
    for (const e of decl.events ?? []) {
      const detail = mapped.get(e.name);
      if (detail && e.type?.text !== `CustomEvent<${detail}>`)
        problems.push(`@fires ${e.name} says {${e.type?.text}}; the event map says CustomEvent<${detail}>`);
    }
    for (const [field, inManifest, documented] of checks) {
      for (const n of diff(documented, inManifest)) problems.push(`custom-elements.json ${field} lacks ${n} (malformed JSDoc line?)`);
      for (const n of diff(inManifest, documented)) problems.push(`custom-elements.json ${field} has ${n}, which the JSDoc does not document`);
    }
  }
  report(`<${el.tag}> ${el.className}`, problems);
}
for (const tag of declarations.keys()) {
  if (!elements.some((e) => e.tag === tag)) report(`<${tag}>`, [`in custom-elements.json but no class module with @tag ${tag} was found`]);
}

report(
  'packages/elements/custom-elements.json is current',
  before === manifestText ? [] : ['it was stale and has just been regenerated: review and commit it (`npm run docs:elements` regenerates it and the docs)'],
);

// docs/elements.md is generated from the manifest; it must say what the manifest says now.
const docs = spawnSync(process.execPath, [resolve(import.meta.dirname, 'elements-docs.mjs'), '--check'], { encoding: 'utf8' });
report('docs/elements.md and docs/events.md are current', docs.status === 0 ? [] : [(docs.stderr || docs.stdout).trim()]);

console.log(`\nmanifest check: ${elements.length} elements`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
