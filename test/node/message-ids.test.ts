// The short message ids of the shipped builds (scripts/lib/message-ids.mjs): every element's
// msg() ids and every translation module's keys must turn into the same short ids, or a
// shipped widget would silently fall back to English.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs build helper without types
import { messageIdMap, shortenMessageIds } from '../../scripts/lib/message-ids.mjs';
// @ts-expect-error: a plain .mjs build helper without types
import { shippedSource } from '../../scripts/lib/minify-templates.mjs';

const SRC = resolve(import.meta.dirname, '../../packages/elements/src');
const ids = messageIdMap() as Map<string, string>;
const shorten = shortenMessageIds as (source: string, ids: Map<string, string>) => string;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('short message ids', () => {
  it('are unique and can never be mistaken for a readable id', () => {
    assert.ok(ids.size > 300, `catalogue has ${ids.size} ids`);
    const short = [...ids.values()];
    assert.equal(new Set(short).size, short.length);
    for (const [long, s] of ids) {
      assert.match(long, /\./, `readable ids are dotted: ${long}`);
      assert.doesNotMatch(s, /\./);
      assert.ok(s.length < long.length);
    }
  });

  it('replace msg() ids and translation keys, nothing else', () => {
    const source = "msg('Loading…', { id: 'common.loading' }); const field = { id: 'cc' }; const t = { 'common.loading': 1 }; const s = 'common.loading';";
    const out = shorten(source, ids);
    const short = ids.get('common.loading');
    assert.equal(out, `msg('Loading…', { id: '${short}' }); const field = { id: 'cc' }; const t = { 'common.loading': 1 }; const s = 'common.loading';`);
    assert.equal(
      shorten("export const templates = {\n  'common.loading': html`Lädt…`,\n'other': 1,\n};", ids),
      `export const templates = {\n  '${short}': html\`Lädt…\`,\n'other': 1,\n};`,
    );
  });

  it('give the shipped elements and the shipped translations the same ids', () => {
    const used = new Set<string>();
    for (const file of sources(SRC).filter((f) => !f.includes('/locales/'))) {
      const shipped = shippedSource(readFileSync(file, 'utf8')) as string;
      const shortIds = new Set(ids.values());
      for (const [, id = ''] of shipped.matchAll(/\bid:\s*'([^']+)'/g)) if (shortIds.has(id)) used.add(id);
      for (const [, id] of shipped.matchAll(/\bid:\s*'([a-z][\w-]*(?:\.[\w-]+)+)'/g))
        assert.fail(`${file}: msg id ${id} is not in the catalogue (run npm run i18n -- update)`);
    }
    assert.equal(used.size, ids.size, 'every catalogued id is used by some element');
    for (const locale of ['de', 'ar']) {
      const shipped = shippedSource(readFileSync(join(SRC, `locales/${locale}.ts`), 'utf8')) as string;
      const keys = new Set([...shipped.matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]));
      assert.deepEqual([...keys].sort(), [...used].sort(), `${locale}: translation keys match the elements' ids`);
    }
  });
});
