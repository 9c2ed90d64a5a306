#!/usr/bin/env node
// CORS benchmark (a report, not a test): server CPU time per list request when the server allows
// any origin (`*`) and when it lists its origins (`--cors-origin`), over HTTP. Two server children
// (scripts/lib/bench-server-child.mjs), each on its own copy of a SQLite file, are loaded in
// alternating rounds by autocannon as a browser on an allowed origin would call them (an `Origin`
// header, the member c1@a0.example of the largest account, 50 rows), without and with
// `Accept-Encoding: br`; each figure is the child's process.cpuUsage() (and the bytes it
// allocated on its V8 heap, see lib/heap-allocated.mjs) over the round divided by its requests.
// The servers run no SLA sweeper, whose background passes would land in some rounds and not
// others. Alternating rounds on the same machine is what makes the two comparable while other
// jobs run.
//
//   npm run bench:server -- --stores sqlite --sizes 100000 --seed-only /tmp/x.db
//   npm run bench:cors -- /tmp/x.db [--rounds 4] [--seconds 3] [--connections 10]
import { fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_JWT_SECRET, mintToken } from '@portico/server';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '3' }, connections: { type: 'string', default: '10' } },
});
const [source] = positionals;
if (!source) {
  console.error('usage: bench-cors.mjs <sqlite file> [--rounds 4] [--seconds 3] [--connections 10]');
  process.exit(2);
}
const ORIGIN = 'https://help.vendor.example';
const LISTED = `https://vendor.example,${ORIGIN}`;
const PATH = '/v1/tickets?view=account&limit=50';
const CHILD = new URL('./lib/bench-server-child.mjs', import.meta.url).pathname;

/** A server child on a copy of the database; resolves once it listens. */
function start(db, corsOrigins) {
  const child = fork(CHILD, [db, '--cors-origins', corsOrigins, '--sla-sweep-ms', '0'], {
    execArgv: ['--conditions=portico-source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let asked = 0;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The server exited with ${code} before listening`)));
    child.once('message', (message) => {
      child.removeAllListeners('exit');
      resolve({
        url: message.url,
        /** CPU ms the child has used so far, and KB it allocated on its V8 heap. */
        usage: () =>
          new Promise((done) => {
            const id = ++asked;
            const answer = (m) => {
              if (m.type !== 'cpu' || m.id !== id) return;
              child.off('message', answer);
              done({ cpuMs: (m.usage.user + m.usage.system) / 1000, heapKb: m.heapBytes / 1024 });
            };
            child.on('message', answer);
            child.send({ type: 'cpu', id });
          }),
        stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))),
      });
    });
  });
}

/** Loads `server` for `seconds`; its CPU ms and heap KB per answered request. */
async function round(server, headers, seconds) {
  const before = await server.usage();
  let failures = 0;
  const instance = autocannon({ url: `${server.url}${PATH}`, connections: Number(values.connections), duration: seconds, headers });
  instance.on('response', (_client, status) => status === 200 || failures++);
  const result = await instance;
  // A moment for the requests still in flight to finish before reading the CPU.
  await new Promise((done) => setTimeout(done, 200));
  const now = await server.usage();
  if (failures || result.errors) throw new Error(`${failures} failed answers, ${result.errors} errors`);
  return { cpuMs: (now.cpuMs - before.cpuMs) / result.requests.total, heapKb: (now.heapKb - before.heapKb) / result.requests.total };
}

const dir = mkdtempSync(join(tmpdir(), 'portico-bench-cors-'));
const servers = {};
try {
  for (const origins of ['*', LISTED]) {
    const db = join(dir, `${origins === '*' ? 'any' : 'listed'}.db`);
    copyFileSync(source, db);
    servers[origins] = await start(db, origins);
  }
  const token = await mintToken({ email: 'c1@a0.example', account: 'acc_0000' }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });
  const encodings = { plain: {}, br: { 'accept-encoding': 'br' } };
  const figures = {};
  // Warm both (statement cache, JIT) before anything counts.
  for (const server of Object.values(servers)) await round(server, { authorization: `Bearer ${token}`, origin: ORIGIN }, 2);
  for (let r = 0; r < Number(values.rounds); r++) {
    // Each round in the other order, so neither server always runs right after the other.
    const order = r % 2 ? ['*', LISTED] : [LISTED, '*'];
    for (const [encoding, extra] of Object.entries(encodings)) {
      for (const origins of order) {
        const figure = await round(servers[origins], { authorization: `Bearer ${token}`, origin: ORIGIN, ...extra }, Number(values.seconds));
        (figures[`${origins === '*' ? '*' : 'listed'} ${encoding}`] ??= []).push(figure);
      }
    }
  }
  const median = (list) => {
    const sorted = [...list].sort((x, y) => x - y);
    return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
  };
  const least = (list) => Math.min(...list);
  console.log(
    `| encoding | CPU ms/req \`*\`: least / median | listed: least / median | listed − \`*\`, median of the ${values.rounds} rounds' differences | heap KB/req \`*\` / listed |\n|---|---|---|---|---|`,
  );
  for (const encoding of Object.keys(encodings)) {
    const any = figures[`* ${encoding}`];
    const listed = figures[`listed ${encoding}`];
    const cpu = (rounds) => rounds.map((f) => f.cpuMs);
    const differences = listed.map((f, i) => f.cpuMs - any[i].cpuMs);
    console.log(
      `| ${encoding} | ${least(cpu(any)).toFixed(3)} / ${median(cpu(any)).toFixed(3)} | ${least(cpu(listed)).toFixed(3)} / ${median(cpu(listed)).toFixed(3)} | ${median(differences) >= 0 ? '+' : ''}${median(differences).toFixed(3)} | ${median(any.map((f) => f.heapKb)).toFixed(0)} / ${median(listed.map((f) => f.heapKb)).toFixed(0)} |`,
    );
  }
  console.log(
    `\n${PATH} at ${values.connections} connections, ${values.seconds} s per round; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
