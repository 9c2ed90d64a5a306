// The server under test of scripts/bench-server.mjs, in its own process so the load
// generator does not share its event loop. Prints one JSON line once it listens.
import { performance } from 'node:perf_hooks';
import { DEMO_JWT_SECRET } from '@portico/server';
import { startServer } from '@portico/server/node';

const db = process.argv[2];
const t0 = performance.now();
const server = await startServer({ db, port: 0, hostname: '127.0.0.1', auth: { secret: DEMO_JWT_SECRET }, rateLimit: false, authFailureLimit: false });
console.log(JSON.stringify({ url: server.url, startServerMs: performance.now() - t0, sinceProcessStartMs: performance.now() }));
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
