#!/usr/bin/env node
// Builds the CDN bundle: packages/elements/dist/portico.min.js, one minified ES module with
// Lit and every dependency inside, registering every element. What a page without a bundler
// loads with <script type="module" src=".../portico.min.js">. Usage: npm run build:cdn
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, statSync } from 'node:fs';

const OUT = 'packages/elements/dist/portico.min.js';
const { version } = JSON.parse(readFileSync('packages/elements/package.json', 'utf8'));
mkdirSync('packages/elements/dist', { recursive: true });
await build({
  entryPoints: ['packages/elements/src/index.ts'],
  outfile: OUT,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  conditions: ['portico-source', 'browser'],
  tsconfig: 'packages/elements/tsconfig.json',
  legalComments: 'eof',
  banner: { js: `/*! @portico/elements ${version} | MIT */` },
  logLevel: 'warning',
});
const bytes = statSync(OUT).size;
const gzip = gzipSync(readFileSync(OUT), { level: 9 }).length;
console.log(`wrote ${OUT}: ${(bytes / 1024).toFixed(1)} KB min, ${(gzip / 1024).toFixed(1)} KB min+gzip`);
