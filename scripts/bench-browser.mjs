#!/usr/bin/env node
// Browser benchmark, in headless Chromium (/usr/bin/chromium or PUPPETEER_EXECUTABLE_PATH):
//
// - <portico-ticket-list> against a hand-written DOM version of the same rows, in the same run:
//   create 1,000 rows, update every 10th, replace all, clear. Script time is performance.now()
//   from the change to the DOM holding it (the element's render, or the hand-written loop);
//   "total" adds forced style and layout. The data of each step is made before the clock starts.
//   The hand-written version creates rows with createElement and, on an update, writes every
//   field of each row whose ticket object changed (it cannot know which field a change touched).
// - the support panel's mount cost: a provider with a token around the panel, launcher mode
//   (the button) and inline (until the Tickets tab shows its first rows from the reference
//   server); main-thread script and task time from the Chrome DevTools Protocol.
// - frame times while scrolling 1,000 and 10,000 rows of the ticket list.
//
// Usage: npm run bench:browser [-- --runs N] [--only list,panel,scroll] [--json]
// Prints figures (and, with --json, one JSON line of them at the end); asserts nothing.
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { DEMO_JWT_SECRET, MemoryStore, demoSeed, mintToken } from '@portico/server';
import { startServer } from '@portico/server/node';
import { findChrome } from './ensure-chromium.mjs';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, json: { type: 'boolean', default: false }, only: { type: 'string', default: 'list,panel,scroll' } },
});
const parts = new Set(args.only.split(','));
const RUNS = Number(args.runs);
const WARMUP = 5;

const bundle = await build({
  entryPoints: ['scripts/lib/bench-page.ts'],
  bundle: true,
  minify: true,
  write: false,
  format: 'esm',
  target: 'es2022',
  conditions: ['portico-source', 'browser'],
  tsconfig: 'packages/elements/tsconfig.json',
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].text;

const store = new MemoryStore();
await store.load(demoSeed());
const server = await startServer({
  store,
  auth: { secret: DEMO_JWT_SECRET },
  port: 0,
  slaSweepMs: 0,
  basePath: '/api',
  extend(root) {
    // Cross-origin isolated, so performance.now() ticks in microseconds rather than 0.1 ms.
    const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    const page =
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title><script type="module" src="/bench.js"></script></head><body></body></html>';
    root.get('/bench', (c) => c.html(page, 200, isolated));
    root.get('/bench.js', (c) => c.body(script, 200, { ...isolated, 'content-type': 'text/javascript; charset=utf-8' }));
  },
});
const origin = new URL(server.url).origin;
const token = await mintToken({ email: 'mia@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, ttlSeconds: 3600 });

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await puppeteer.launch({ executablePath: findChrome(), args: [...(asRoot ? ['--no-sandbox'] : []), '--window-size=1280,900'] });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x) => x.toFixed(2);

async function freshPage() {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${origin}/bench`, { waitUntil: 'load' });
  await page.waitForFunction(() => globalThis.bench !== undefined);
  return page;
}

/**
 * The four list operations on the element and on the hand-written versions, RUNS times each
 * after a warm-up. The versions take turns within each run (in alternating order), so a busy
 * machine slows them alike.
 */
async function listOps(page) {
  return page.evaluate(
    async (runs, warmup) => {
      const { bench } = globalThis;
      const lists = { lit: await bench.litList(), vanilla: bench.vanillaList('row'), subject: bench.vanillaList('subject') };
      const ops = {
        'create 1,000 rows': () => [[], bench.makeTickets(1000)],
        'update every 10th row': () => {
          const rows = bench.makeTickets(1000);
          return [rows, bench.everyTenthChanged(rows)];
        },
        'replace all 1,000 rows': () => [bench.makeTickets(1000), bench.makeTickets(1000)],
        'clear 1,000 rows': () => [bench.makeTickets(1000), []],
      };
      const out = { lit: {}, vanilla: {}, subject: {} };
      for (const [name, data] of Object.entries(ops)) {
        // The subject-only version differs from the other hand-written one only in how it updates.
        const which = name.startsWith('update') ? ['lit', 'vanilla', 'subject'] : ['lit', 'vanilla'];
        for (const w of which) out[w][name] = [];
        for (let i = 0; i < warmup + runs; i++) {
          const order = i % 2 ? [...which].reverse() : which;
          for (const w of order) {
            const [before, after] = data();
            const t = await bench.timeOp(lists[w], before, after);
            await lists[w].set([]);
            if (i >= warmup) out[w][name].push(t);
          }
        }
      }
      for (const list of Object.values(lists)) list.box.remove();
      return out;
    },
    RUNS,
    WARMUP,
  );
}

async function scriptTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { script: get('ScriptDuration') * 1000, task: get('TaskDuration') * 1000 };
}

/** Mount cost of the support panel in `mode`, RUNS times on fresh pages. */
async function panelMount(mode) {
  const runs = [];
  for (let i = 0; i < Math.min(RUNS, 7); i++) {
    const page = await freshPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    const before = await scriptTime(cdp);
    const wall = await page.evaluate(
      (token, mode) =>
        globalThis.bench.mountPanel(token, mode, (panel) =>
          mode === 'launcher'
            ? Boolean(panel.shadowRoot?.querySelector('[part~="launcher"]'))
            : Boolean(panel.shadowRoot?.querySelector('portico-ticket-list')?.shadowRoot?.querySelector('[part~="row"]')),
        ),
      token,
      mode,
    );
    const after = await scriptTime(cdp);
    runs.push({ wall, script: after.script - before.script, task: after.task - before.task });
    await page.close();
  }
  return runs;
}

const results = { runs: RUNS, list: {}, panel: {}, scroll: {} };

if (parts.has('list')) {
  const page = await freshPage();
  const { lit, vanilla, subject: subjectOnly } = await listOps(page);
  await page.close();

  console.log(`\nTicket list vs hand-written DOM (median of ${RUNS} runs after ${WARMUP} warm-up; ms)`);
  console.log('| operation | Lit script | vanilla script | ratio | Lit total | vanilla total | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const name of Object.keys(lit)) {
    const l = { script: median(lit[name].map((t) => t.script)), total: median(lit[name].map((t) => t.total)) };
    const v = { script: median(vanilla[name].map((t) => t.script)), total: median(vanilla[name].map((t) => t.total)) };
    results.list[name] = { lit: l, vanilla: v, scriptRatio: l.script / v.script, totalRatio: l.total / v.total };
    console.log(
      `| ${name} | ${ms(l.script)} | ${ms(v.script)} | ${(l.script / v.script).toFixed(2)}× | ${ms(l.total)} | ${ms(v.total)} | ${(l.total / v.total).toFixed(2)}× |`,
    );
  }
  const update = Object.keys(subjectOnly)[0];
  const l = results.list[update].lit;
  const v = { script: median(subjectOnly[update].map((t) => t.script)), total: median(subjectOnly[update].map((t) => t.total)) };
  results.list[`${update}, vs writing only the subject`] = { lit: l, vanilla: v, scriptRatio: l.script / v.script, totalRatio: l.total / v.total };
  console.log(
    `| ${update}, vs a hand-written update that writes only the subject | ${ms(l.script)} | ${ms(v.script)} | ${(l.script / v.script).toFixed(2)}× | ${ms(l.total)} | ${ms(v.total)} | ${(l.total / v.total).toFixed(2)}× |`,
  );
}

if (parts.has('panel')) {
  console.log('\nSupport panel mount (median; ms of main thread from the DevTools Protocol, wall time includes the API round trips)');
  console.log('| mode | script | all tasks | wall |');
  console.log('|---|---|---|---|');
  for (const [mode, label] of [
    ['launcher', 'launcher (button only)'],
    ['inline', 'inline, until the Tickets tab shows rows'],
  ]) {
    const runs = await panelMount(mode);
    const m = { script: median(runs.map((r) => r.script)), task: median(runs.map((r) => r.task)), wall: median(runs.map((r) => r.wall)) };
    results.panel[mode] = m;
    console.log(`| ${label} | ${ms(m.script)} | ${ms(m.task)} | ${ms(m.wall)} |`);
  }
}

if (parts.has('scroll')) {
  console.log('\nScrolling the ticket list (240 frames, 120 px a frame, in a 600 px box; frame intervals in ms)');
  console.log('| rows | list | create (ms) | frame median | frame p95 | frame max | frames > 25 ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const count of [1_000, 10_000]) {
    for (const which of ['lit', 'vanilla']) {
      const scrollPage = await freshPage();
      const { createMs, intervals } = await scrollPage.evaluate(
        async (which, count) => {
          const list = which === 'lit' ? await globalThis.bench.litList() : globalThis.bench.vanillaList();
          return globalThis.bench.scrollFrames(list, count);
        },
        which,
        count,
      );
      await scrollPage.close();
      const slow = intervals.filter((x) => x > 25).length;
      const s = {
        createMs,
        median: median(intervals),
        p95: quantile(intervals, 0.95),
        max: Math.max(...intervals),
        slowFrames: slow,
        frames: intervals.length,
      };
      results.scroll[`${which} ${count}`] = s;
      console.log(
        `| ${count.toLocaleString('en')} | ${which === 'lit' ? 'portico-ticket-list' : 'hand-written DOM'} | ${ms(createMs)} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.max)} | ${slow} of ${intervals.length} |`,
      );
    }
  }
}

await browser.close();
await server.close();
if (args.json) console.log(`\nJSON ${JSON.stringify(results)}`);
