#!/usr/bin/env node
// Keeps the `exports` map of @portico/elements in step with its elements: one entry per
// element class module (`@portico/elements/<name>.js`) and one per define module
// (`@portico/elements/define/portico-<name>.js`), plus the index, the CDN files and the manifest.
//
//   npm run exports             rewrite packages/elements/package.json
//   npm run exports -- --check  exit 1 when it is out of date
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ELEMENTS = resolve(import.meta.dirname, '../packages/elements');
const PKG = join(ELEMENTS, 'package.json');

const entry = (src) => {
  const js = src.replace(/\.ts$/, '.js');
  return { types: `./dist/${js.replace(/\.js$/, '.d.ts')}`, 'portico-source': `./src/${src}`, default: `./dist/${js}` };
};

/** The exports map the sources call for. */
export function exportsMap() {
  const defines = readdirSync(join(ELEMENTS, 'src/define'))
    .filter((f) => /^portico-[a-z0-9-]+\.ts$/.test(f))
    .sort();
  const map = { '.': entry('index.ts') };
  for (const file of defines) {
    const name = file.replace(/^portico-/, '').replace(/\.ts$/, '');
    if (existsSync(join(ELEMENTS, 'src', name, `${name}.ts`))) map[`./${name}.js`] = entry(`${name}/${name}.ts`);
  }
  for (const file of defines) map[`./define/${file.replace(/\.ts$/, '.js')}`] = entry(`define/${file}`);
  map['./cdn/*'] = './dist/cdn/*';
  map['./custom-elements.json'] = './custom-elements.json';
  map['./package.json'] = './package.json';
  // Everything else (contexts, tokens, helpers) by path, as before.
  map['./*.js'] = { types: './dist/*.d.ts', 'portico-source': './src/*.ts', default: './dist/*.js' };
  return map;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pkg = JSON.parse(readFileSync(PKG, 'utf8'));
  const wanted = exportsMap();
  if (process.argv.includes('--check')) {
    if (JSON.stringify(pkg.exports) !== JSON.stringify(wanted)) {
      console.error('packages/elements/package.json "exports" is out of date: run `npm run exports`');
      process.exit(1);
    }
    console.log(`@portico/elements exports: ${Object.keys(wanted).length} entries up to date.`);
  } else {
    pkg.exports = wanted;
    writeFileSync(PKG, `${JSON.stringify(pkg, null, 2)}\n`);
    console.log(`@portico/elements exports: wrote ${Object.keys(wanted).length} entries.`);
  }
}
