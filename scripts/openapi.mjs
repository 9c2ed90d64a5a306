#!/usr/bin/env node
// Writes docs/openapi.json from the zod schemas of @portico/core (packages/core/src/openapi.ts).
// Usage: npm run openapi            (write)
//        npm run openapi -- --check (exit 1 when docs/openapi.json is not what would be written)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiDocument } from '@portico/core/openapi.js';

const FILE = resolve(import.meta.dirname, '../docs/openapi.json');
const version = JSON.parse(readFileSync(resolve(import.meta.dirname, '../packages/core/package.json'), 'utf8')).version;
const text = `${JSON.stringify(openApiDocument(version), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(FILE, 'utf8');
  } catch {
    // No document yet: it is stale by definition.
  }
  if (current !== text) {
    console.error('docs/openapi.json is stale: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('docs/openapi.json is current.');
} else {
  writeFileSync(FILE, text);
  console.log(`wrote docs/openapi.json (${Object.keys(openApiDocument(version).paths).length} paths)`);
}
