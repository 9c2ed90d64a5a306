#!/usr/bin/env node
// `npm run test:isolation -- [--cases n] [--seed n]`: the isolation property tests
// (test/node/isolation.test.ts) with more cases than the 10 000 of `npm test`, or another seed.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { cases: { type: 'string' }, seed: { type: 'string' } } });
const env = { ...process.env };
if (values.cases) env.ISOLATION_CASES = values.cases;
if (values.seed) env.ISOLATION_SEED = values.seed;
const child = spawn(process.execPath, ['--conditions=portico-source', '--test', '--test-timeout=0', 'test/node/isolation.test.ts'], { stdio: 'inherit', env });
child.on('exit', (code) => process.exit(code ?? 1));
