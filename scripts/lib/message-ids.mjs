// Short message ids for the shipped builds. In the sources every msg() has a readable id
// (`ticket-list.views`, kept for translators and the xliff files); shipped code only needs the
// ids to match between an element's msg() calls and the translation modules, so the builds
// that ship (dist/, the CDN files) and the size script replace each catalogued id with its
// index in the sorted catalogue, in base 36 (`'ticket-list.views'` → `'9x'`). ~360 ids of ~25
// characters each, in the English code and again in each translation.
//
// The catalogue is the set of trans-unit ids in xliff/de.xlf: an id missing from it (a new,
// untranslated message) keeps its long form and still works (English either way).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const XLIFF = resolve(import.meta.dirname, '../../packages/elements/xliff/de.xlf');

/** Long id → short id, for every id of the catalogue. */
export function messageIdMap(xliff = readFileSync(XLIFF, 'utf8')) {
  const ids = [...new Set([...xliff.matchAll(/<trans-unit id="([^"]+)"/g)].map((m) => m[1]))].sort();
  return new Map(ids.map((id, index) => [id, index.toString(36)]));
}

/**
 * Replaces catalogued ids in a module's source: `id: '<long>'` (msg options) and `'<long>':`
 * (the keys of a generated translation module). Other strings are left alone, even when they
 * happen to equal an id.
 */
export function shortenMessageIds(source, ids) {
  return source
    .replace(/(\bid:\s*)(['"])([^'"\n]+)\2/g, (match, before, quote, id) => (ids.has(id) ? `${before}${quote}${ids.get(id)}${quote}` : match))
    .replace(/^(\s*)(['"])([^'"\n]+)\2:/gm, (match, indent, quote, id) => (ids.has(id) ? `${indent}${quote}${ids.get(id)}${quote}:` : match));
}
