#!/usr/bin/env node
// `portico-server`: runs the built CLI (dist/) when installed from npm, and the TypeScript
// sources directly in the repository (Node ≥ 22.18 / 24 strips types), resolving the
// workspace packages to their sources through the `portico-source` export condition.
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, sep } from 'node:path';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(`portico-server needs Node.js 22.13 or later (for node:sqlite); this is ${process.version}.`);
  process.exit(1);
}

const here = dirname(realpathSync(fileURLToPath(import.meta.url)));
const dist = join(here, '..', 'dist', 'cli.js');
const source = join(here, '..', 'src', 'cli.ts');
// Node never strips types below node_modules, so an installed copy must use dist.
const installed = here.split(sep).includes('node_modules');

let entry;
if (!installed && existsSync(source) && process.features.typescript) {
  if (typeof module.registerHooks !== 'function') {
    console.error("portico-server: running from sources needs Node 22.15+ (module.registerHooks); use the repository's Node 24 (npx).");
    process.exit(1);
  }
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const conditions = context.conditions.includes('portico-source') ? context.conditions : [...context.conditions, 'portico-source'];
      return nextResolve(specifier, { ...context, conditions });
    },
  });
  entry = source;
} else if (existsSync(dist)) {
  entry = dist;
} else {
  console.error('portico-server: no build found; run `npm run build` first.');
  process.exit(1);
}

const { main } = await import(pathToFileURL(entry).href);
await main();
