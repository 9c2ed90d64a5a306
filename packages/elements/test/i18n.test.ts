/**
 * Translations: every msg() id of @portico/elements must be translated into every target
 * locale (lit-localize.json), and every element that calls msg() must re-render on a
 * locale change (@localized()). Adding a string means adding its translations: see docs/i18n.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SRC = 'packages/elements/src';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('translations', () => {
  it('cover every msg() id in every target locale, and the generated modules are current', () => {
    const run = spawnSync(process.execPath, ['scripts/i18n.mjs'], { encoding: 'utf8' });
    assert.equal(run.status, 0, `npm run i18n failed:\n${run.stderr}${run.stdout}`);
    assert.match(run.stdout, /i18n: \d+ messages, translated into de, ar/);
  });

  it('re-render on a locale change wherever an element calls msg()', () => {
    const offenders = sources(SRC).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /\bclass \w+ extends LitElement\b/.test(text) && /\bmsg\(/.test(text) && !/@localized\(\)\s*(export\s+)?class/.test(text);
    });
    assert.deepEqual(offenders, [], 'these elements call msg() without @localized() on the class');
  });

  it('no user-visible literal is glued to a translated fragment with +', () => {
    const offenders = sources(SRC).filter((file) => /msg\([^)]*\)\s*\+|\+\s*msg\(/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
