#!/usr/bin/env node
// `npm start`: bundles the demo vendor app's page script and the agent console's
// (scripts/lib/demo-build.mjs) and runs the vendor backend, which serves everything at
// http://localhost:8787 (PORT overrides) on an embedded SQLite file under .portico/, seeded
// with the demo data on first run. The agent console is at /agent/.
import { spawn } from 'node:child_process';
import { buildDemo } from './lib/demo-build.mjs';

await buildDemo();

// Demo mode: the page signs in as any demo contact through /demo/session (examples/vendor-app/server.ts).
const server = spawn(process.execPath, ['--conditions=portico-source', 'examples/vendor-app/server.ts', '--demo'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
