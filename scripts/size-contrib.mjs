#!/usr/bin/env node
// What each source file adds to one minified file of everything (English) after gzip: the
// bundle's gzip size minus its gzip size with that file's output bytes left out (found through
// the source map). The bundle is esbuild's, with the shipped template minification and short
// message ids: npm run size measures the CDN's rollup + terser build, a little smaller, but its
// source map loses the templates (the CSS above all), so it cannot say where those bytes come from. Gzip rewards removing text nothing else repeats; a cut that only shortens
// repeated markup can even grow the gzip size, so measure each change with this.
// Usage: node scripts/size-contrib.mjs [regex of source paths] [--lines]
//   --lines  one row per source line instead of per file (slower; run with a narrow regex)
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { decode } from '@jridgewell/sourcemap-codec';
import { sizeBuildOptions } from './lib/size-build.mjs';

const args = process.argv.slice(2);
const byLine = args.includes('--lines');
const filter = new RegExp(args.find((a) => !a.startsWith('--')) ?? '.');
const LOCALES = /locales\/(?!locale-codes)/;

const result = await build({
  ...sizeBuildOptions(),
  entryPoints: ['packages/elements/src/index.ts'],
  sourcemap: 'external',
});

// The chunks as one text, and for each character the source (file or file:line) it came from.
const maps = new Map(result.outputFiles.filter((f) => f.path.endsWith('.map')).map((f) => [f.path.slice(0, -4), JSON.parse(f.text)]));
let text = '';
const owner = [];
for (const file of result.outputFiles) {
  if (file.path.endsWith('.map')) continue;
  const key = file.path.slice(file.path.indexOf('size-out'));
  if (Object.keys(result.metafile.outputs[key].inputs).every((input) => LOCALES.test(input))) continue;
  const map = maps.get(file.path);
  const lines = file.text.split('\n');
  const mappings = decode(map.mappings);
  let offset = text.length;
  text += file.text;
  lines.forEach((line, i) => {
    const segments = mappings[i] ?? [];
    segments.forEach(([column, source, sourceLine], s) => {
      if (source === undefined) return;
      const name = map.sources[source].replace(/^(\.\.\/)+/, '');
      if (!filter.test(name)) return;
      const end = s + 1 < segments.length ? segments[s + 1][0] : line.length;
      const id = byLine ? `${name}:${sourceLine + 1}` : name;
      for (let c = column; c < end; c++) owner[offset + c] = id;
    });
    offset += line.length + 1;
  });
}

const gzip = (t) => gzipSync(t, { level: 9 }).length;
const total = gzip(text);
const rows = [];
for (const id of new Set(owner.filter(Boolean))) {
  let rest = '';
  for (let i = 0; i < text.length; i++) if (owner[i] !== id) rest += text[i];
  rows.push({ id, min: text.length - rest.length, gzip: total - gzip(rest) });
}
rows.sort((a, b) => b.gzip - a.gzip);

const sourceLine = (id) => {
  const at = id.lastIndexOf(':');
  try {
    return readFileSync(id.slice(0, at), 'utf8').split('\n')[Number(id.slice(at + 1)) - 1].trim().slice(0, 80);
  } catch {
    return '';
  }
};
console.log(`one file, gzip: ${total} B; rows: bytes minified, bytes gzip it adds`);
for (const { id, min, gzip: g } of rows) console.log(`${String(min).padStart(7)} ${String(g).padStart(6)}  ${id}${byLine ? `  ${sourceLine(id)}` : ''}`);
console.log(`${String(rows.reduce((n, r) => n + r.min, 0)).padStart(7)} ${String(rows.reduce((n, r) => n + r.gzip, 0)).padStart(6)}  (sum)`);
