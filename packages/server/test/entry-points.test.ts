import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const MOCKS = resolve(dirname(fileURLToPath(import.meta.url)), '../../mocks/src');

/** Every module reachable from an entry through relative imports, with its bare imports. */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
    seen.set(
      file,
      specifiers.filter((s) => !s.startsWith('.')),
    );
    for (const s of specifiers) if (s.startsWith('.')) visit(resolve(dirname(file), s));
  };
  visit(entry);
  return seen;
}

describe('entry points', () => {
  for (const [name, entry] of [
    ['@portico/server', resolve(SRC, 'index.ts')],
    ['@portico/mocks', resolve(MOCKS, 'index.ts')],
  ] as const) {
    it(`${name} reaches no Node-only module (it must load in a browser)`, () => {
      for (const [file, bare] of graph(entry)) {
        for (const specifier of bare) {
          assert.ok(!specifier.startsWith('node:') && specifier !== '@hono/node-server' && !specifier.endsWith('/node'), `${file} imports ${specifier}`);
        }
      }
    });
  }

  it('@portico/server/node is where SQLite, PostgreSQL and the HTTP server live', () => {
    const bare = [...graph(resolve(SRC, 'node.ts')).values()].flat();
    assert.ok(bare.includes('node:sqlite'));
    assert.ok(bare.includes('pg'));
    assert.ok(bare.includes('@hono/node-server'));
  });
});
