#!/usr/bin/env node
// Prints the min+gzip size of each shipped browser entry, bundled with lit and every
// dependency, and fails when a budget is exceeded. Usage: npm run size [-- --json]
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';

const KB = 1024;

/** What a page loads for each scenario; `budget` in bytes of min+gzip (undefined = report only). */
const ENTRIES = [
  {
    name: 'provider + ticket list',
    imports: ['define/portico-provider', 'define/portico-ticket-list'],
    budget: 25 * KB,
  },
  {
    name: 'provider + ticket form',
    imports: ['define/portico-provider', 'define/portico-ticket-form'],
    budget: 37 * KB,
  },
  { name: 'provider + timeline', imports: ['define/portico-provider', 'define/portico-timeline'], budget: 24 * KB },
  { name: 'provider + notifications', imports: ['define/portico-provider', 'define/portico-notifications'], budget: 23 * KB },
  { name: 'provider + account summary', imports: ['define/portico-provider', 'define/portico-account-summary'], budget: 23 * KB },
  { name: 'everything (index)', imports: ['index'], budget: 45 * KB },
];

async function measure(imports) {
  const files = imports.map((i) => `packages/elements/src/${i}.ts`);
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) return { missing };
  const result = await build({
    stdin: { contents: files.map((f) => `import './${f}';`).join('\n'), resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    conditions: ['portico-source', 'browser'],
    tsconfig: 'packages/elements/tsconfig.json',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const rows = [];
let failed = false;
for (const entry of ENTRIES) {
  const m = await measure(entry.imports);
  if (m.missing) {
    rows.push({ entry: entry.name, min: '-', gzip: '-', budget: '-', status: `missing ${m.missing.join(', ')}` });
    failed = true;
    continue;
  }
  const over = entry.budget !== undefined && m.gzip > entry.budget;
  failed ||= over;
  rows.push({
    entry: entry.name,
    min: `${(m.min / KB).toFixed(1)} KB`,
    gzip: `${(m.gzip / KB).toFixed(1)} KB`,
    budget: entry.budget ? `${(entry.budget / KB).toFixed(0)} KB` : '',
    status: entry.budget === undefined ? '' : over ? 'OVER BUDGET' : 'ok',
  });
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log('Bundle sizes (minified + gzip -9, lit and all dependencies included):');
  console.table(rows);
}
if (failed) {
  console.error('size: a budget is exceeded or an entry is missing');
  process.exit(1);
}
