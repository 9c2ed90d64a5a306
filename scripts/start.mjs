#!/usr/bin/env node
// `npm start`: bundles the demo vendor app's page script (with @portico/elements, code-split) and runs
// its backend, which serves everything at http://localhost:8787 (PORT overrides) on an
// embedded SQLite file under .portico/, seeded with the demo data on first run.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';

const APP = 'examples/vendor-app';

await build({
  entryPoints: { app: `${APP}/src/main.ts` },
  outdir: `${APP}/dist`,
  // The support panel loads each tab (and each language) on first use: keep them as chunks.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2022',
  conditions: ['portico-source', 'browser'],
  tsconfig: 'packages/elements/tsconfig.json',
  logLevel: 'warning',
});

// Demo mode: the page signs in as any demo contact through /demo/session (examples/vendor-app/server.ts).
const server = spawn(process.execPath, ['--conditions=portico-source', `${APP}/server.ts`, '--demo'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
