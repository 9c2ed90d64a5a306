#!/usr/bin/env node
// Builds the CDN files of @portico/elements into packages/elements/dist/cdn/:
//   portico.min.js (+ .map)   one self-contained module that registers every element
//                             (translations included) and exports the public API
//   portico.lazy.js (+ chunks/) registers elements as their tags appear on the page
//   integrity.json            SRI hashes (sha384) of both entry files, for <script integrity>
// and records portico.min.js's hash for this version in docs/integrity.md (the reference server
// serves that file at /portico/<version>/portico.min.js).
// Usage: node scripts/build-cdn.mjs  (also part of `npm run build`)
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import esbuildPlugin from 'rollup-plugin-esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minifyTemplatesEsbuild, minifyTemplatesRollup } from './lib/minify-templates.mjs';

const ELEMENTS = resolve(import.meta.dirname, '../packages/elements');
const OUT = join(ELEMENTS, 'dist/cdn');
const INTEGRITY_DOC = resolve(import.meta.dirname, '../docs/integrity.md');

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2022',
  conditions: ['portico-source', 'browser'],
  tsconfig: join(ELEMENTS, 'tsconfig.json'),
  legalComments: 'eof',
  logLevel: 'warning',
  // Lit's production build (no dev-mode warnings).
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [minifyTemplatesEsbuild()],
};

/**
 * The rollup build of the one-file `portico.min.js`: it inlines the dynamic imports (panel
 * tabs, translations) and still tree-shakes through them; esbuild would wrap them and keep all
 * of core. `translations: false` leaves the German and Arabic modules out (the size script
 * measures "everything, English" on exactly this build).
 */
export function oneFileBundle({ translations = true } = {}) {
  return rollup({
    input: join(ELEMENTS, 'src/index.ts'),
    external: translations ? [] : (id) => /[\\/]locales[\\/](?!locale-codes)[\w-]+(\.ts)?$/.test(id),
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['portico-source', 'browser', 'production'] }),
      minifyTemplatesRollup(),
      esbuildPlugin({ target: 'es2022', tsconfig: join(ELEMENTS, 'tsconfig.json'), define: common.define }),
      terser({ format: { comments: /^!|@license|@preserve/ }, module: true, ecma: 2022, compress: { passes: 2 } }),
    ],
    // The package.json `sideEffects` flags, applied to the TypeScript sources too: core and
    // zod are side-effect free, so only what the elements use of them is kept.
    treeshake: { moduleSideEffects: (id) => !/[\\/](packages[\\/]core|node_modules[\\/]zod)[\\/]/.test(id) },
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'INVALID_ANNOTATION') return;
      warn(warning);
    },
  });
}

export async function buildCdn() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const bundle = await oneFileBundle();
  await bundle.write({ file: join(OUT, 'portico.min.js'), format: 'es', sourcemap: true, inlineDynamicImports: true });
  await bundle.close();
  await build({
    ...common,
    entryPoints: { 'portico.lazy': join(ELEMENTS, 'cdn/lazy.ts') },
    outdir: OUT,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  const integrity = {};
  for (const file of ['portico.min.js', 'portico.lazy.js']) {
    integrity[file] = `sha384-${createHash('sha384').update(readFileSync(join(OUT, file))).digest('base64')}`;
  }
  writeFileSync(join(OUT, 'integrity.json'), `${JSON.stringify(integrity, null, 2)}\n`);
  const { version } = JSON.parse(readFileSync(join(ELEMENTS, 'package.json'), 'utf8'));
  writeIntegrityDoc(version, integrity['portico.min.js']);
  return integrity;
}

/** docs/integrity.md: one row per released version (this one's replaced), newest first. */
function writeIntegrityDoc(version, hash) {
  const rows = new Map();
  if (existsSync(INTEGRITY_DOC)) {
    for (const m of readFileSync(INTEGRITY_DOC, 'utf8').matchAll(/^\| `([^`]+)` \| `[^`]+` \| `(sha384-[^`]+)` \|$/gm)) rows.set(m[1], m[2]);
  }
  rows.set(version, hash);
  const newestFirst = [...rows].sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
  const lines = [
    '# Subresource Integrity of the widget bundle',
    '',
    'The reference server serves the one-file widget bundle of each release at',
    '`/portico/<version>/portico.min.js` (see [getting-started.md](getting-started.md)). Put the',
    'hash of your version in the `integrity` attribute, with `crossorigin="anonymous"`, so the',
    'browser refuses a file that is not the one released.',
    '',
    'Generated by `node scripts/build-cdn.mjs` (part of `npm run build` and of',
    '`npm run release:version`); do not edit.',
    '',
    '| version | path | integrity |',
    '|---|---|---|',
    ...newestFirst.map(([v, h]) => `| \`${v}\` | \`/portico/${v}/portico.min.js\` | \`${h}\` |`),
    '',
  ];
  writeFileSync(INTEGRITY_DOC, lines.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const integrity = await buildCdn();
  for (const [file, hash] of Object.entries(integrity)) {
    const bytes = readFileSync(join(OUT, file));
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`dist/cdn/${file}  ${kb(bytes.length)} min, ${kb(gzipSync(bytes, { level: 9 }).length)} gzip  integrity="${hash}"`);
  }
}
