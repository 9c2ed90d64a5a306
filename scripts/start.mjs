#!/usr/bin/env node
// `npm start`: bundles the demo vendor app's page script (with @portico/elements) and runs
// its backend, which serves everything at http://localhost:8787 (PORT overrides) on an
// embedded SQLite file under .portico/, seeded with the demo data on first run.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';

const APP = 'examples/vendor-app';

await build({
  entryPoints: [`${APP}/src/main.ts`],
  outfile: `${APP}/dist/app.js`,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2022',
  conditions: ['portico-source', 'browser'],
  tsconfig: 'packages/elements/tsconfig.json',
  logLevel: 'warning',
});

const server = spawn(process.execPath, ['--conditions=portico-source', `${APP}/server.ts`], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
