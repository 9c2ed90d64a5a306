#!/usr/bin/env node
// Writes docs/elements.md — the reference of every element — and the "Every event" table of
// docs/events.md from custom-elements.json (which comes from the elements' JSDoc). Usage:
//   node scripts/elements-docs.mjs           write it (run `npm run analyze` first; `npm run docs:elements` does both)
//   node scripts/elements-docs.mjs --check   exit 1 when docs/elements.md is not what would be written
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sharedTokens } from './lib/element-sources.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const MANIFEST = resolve(ROOT, 'packages/elements/custom-elements.json');
const OUT = resolve(ROOT, 'docs/elements.md');
const EVENTS = resolve(ROOT, 'docs/events.md');
const EVENTS_START = /<!-- events:start[^>]*-->/;
const EVENTS_END = '<!-- events:end -->';

const oneLine = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
/** Table cell text: one line, pipes escaped (also inside code spans, as GFM tables need). */
const cell = (text) => oneLine(text).replace(/\|/g, '\\|');
const code = (text) => (text ? `\`${oneLine(text)}\`` : '');

function table(headers, rows) {
  if (!rows.length) return '';
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''].join('\n');
}

function elementSection(decl, modulePath, shared) {
  const out = [];
  out.push(`## \`<${decl.tagName}>\``, '');
  if (decl.summary) out.push(oneLine(decl.summary), '');
  if (decl.description) out.push(decl.description.trim(), '');
  const name = modulePath.replace(/^src\//, '').replace(/\.ts$/, '');
  out.push(
    `Class \`${decl.name}\` · register with \`import '@portico/elements/define/${decl.tagName}.js'\` · class only: \`import { ${decl.name} } from '@portico/elements/${name}.js'\``,
    '',
  );

  const fields = (decl.members ?? []).filter(
    (m) => m.kind === 'field' && m.privacy !== 'private' && m.privacy !== 'protected' && !m.static && !m.name.startsWith('#'),
  );
  const settable = fields.filter((m) => !m.readonly);
  if (settable.length) {
    out.push('### Properties', '');
    out.push(
      table(
        ['property', 'attribute', 'type', 'default', 'description'],
        settable.map((m) => [
          code(m.name),
          m.attribute ? code(m.attribute) + (m.reflects ? ' (reflects)' : '') : '—',
          code(m.type?.text),
          code(m.default),
          m.description,
        ]),
      ),
    );
  }
  const readonly = fields.filter((m) => m.readonly);
  const methods = (decl.members ?? []).filter(
    (m) => m.kind === 'method' && m.privacy !== 'private' && m.privacy !== 'protected' && !m.static && !m.name.startsWith('#') && m.description,
  );
  if (readonly.length || methods.length) {
    out.push('### Read-only properties and methods', '');
    out.push(
      table(
        ['member', 'type / returns', 'description'],
        [
          ...readonly.map((m) => [code(m.name), code(m.type?.text), m.description]),
          ...methods.map((m) => [code(`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`), code(m.return?.type?.text), m.description]),
        ],
      ),
    );
  }
  const events = (decl.events ?? []).filter((e) => e.name);
  if (events.length) {
    out.push('### Events', '');
    out.push(
      table(
        ['event', 'type', 'description'],
        events.map((e) => [code(e.name), code(e.type?.text), e.description]),
      ),
    );
  }
  if (decl.slots?.length) {
    out.push('### Slots', '');
    out.push(
      table(
        ['slot', 'description'],
        decl.slots.map((s) => [s.name ? code(s.name) : '(default)', s.description]),
      ),
    );
  }
  if (decl.cssParts?.length) {
    out.push('### Parts', '');
    out.push(
      table(
        ['part', 'description'],
        decl.cssParts.map((p) => [code(p.name), p.description]),
      ),
    );
  }
  const props = decl.cssProperties ?? [];
  const own = props.filter((p) => !shared.has(p.name) || shared.get(p.name) !== p.description);
  const usesShared = props.some((p) => shared.has(p.name));
  if (own.length || usesShared) {
    out.push('### CSS custom properties', '');
    if (own.length)
      out.push(
        table(
          ['property', 'description'],
          own.map((p) => [code(p.name), p.description]),
        ),
      );
    if (usesShared) out.push('Also every [design token](#design-tokens) (`--portico-color-*`, font, radius, density, spacing).', '');
  }
  return out.join('\n');
}

/** Custom element declarations, the provider first (everything goes inside it), then by tag. */
function elementsOf(manifest) {
  const elements = [];
  for (const mod of manifest.modules)
    for (const decl of mod.declarations ?? []) if (decl.customElement && decl.tagName) elements.push({ decl, path: mod.path });
  return elements.sort((a, b) =>
    a.decl.tagName === 'portico-provider' ? -1 : b.decl.tagName === 'portico-provider' ? 1 : a.decl.tagName.localeCompare(b.decl.tagName),
  );
}

/** docs/events.md with its generated table replaced. */
export function renderEvents(manifest, current) {
  const start = EVENTS_START.exec(current);
  const end = current.indexOf(EVENTS_END);
  if (!start || end < 0) throw new Error('docs/events.md lost its <!-- events:start --> / <!-- events:end --> markers');
  const rows = elementsOf(manifest).flatMap(({ decl }) =>
    (decl.events ?? []).filter((e) => e.name).map((e) => [code(e.name), code(`<${decl.tagName}>`), code(e.type?.text), e.description]),
  );
  const generated = table(['event', 'fired by', 'type', 'when, and the detail'], rows);
  return `${current.slice(0, start.index + start[0].length)}\n\n${generated}\n${current.slice(end)}`;
}

export function render(manifest) {
  const shared = sharedTokens().documented;
  const elements = elementsOf(manifest);
  return [
    '# Elements reference',
    '',
    '<!-- Generated from packages/elements/custom-elements.json by `npm run docs:elements`; do not edit. The source is each element’s JSDoc. -->',
    '',
    'Every Portico element, with its properties, events, slots, parts and CSS custom properties. How to theme them:',
    '[theming.md](theming.md); how the events fit together: [events.md](events.md); first steps: [getting-started.md](getting-started.md).',
    '',
    ...elements.map(({ decl }) => `- [\`<${decl.tagName}>\`](#${decl.tagName}) — ${oneLine(decl.summary)}`),
    '',
    ...elements.map(({ decl, path }) => elementSection(decl, path, shared)),
    '## Design tokens',
    '',
    'Shared by every element that renders a box; set them anywhere above the elements (see [theming.md](theming.md)).',
    '',
    table(
      ['token', 'description'],
      [...shared].map(([name, description]) => [code(name), description]),
    ),
  ].join('\n');
}

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const outputs = [
  [OUT, 'docs/elements.md', render(manifest)],
  [EVENTS, 'docs/events.md', renderEvents(manifest, readFileSync(EVENTS, 'utf8'))],
];
if (process.argv.includes('--check')) {
  const stale = outputs.filter(([file, , text]) => {
    try {
      return readFileSync(file, 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (stale.length) {
    console.error(`${stale.map(([, name]) => name).join(' and ')} stale: run \`npm run docs:elements\` and commit the result.`);
    process.exit(1);
  }
  console.log('docs/elements.md and docs/events.md are current.');
} else {
  for (const [file, name, text] of outputs) {
    writeFileSync(file, text);
    console.log(`wrote ${name}`);
  }
}
