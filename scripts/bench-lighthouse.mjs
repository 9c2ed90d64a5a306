#!/usr/bin/env node
// Lighthouse (mobile: its default emulated phone and simulated slow 4G / 4× CPU) against the
// demo page `npm start` serves, in headless Chromium, offline (the demo runs on this machine).
// Prints the performance and best-practices scores, the metrics behind them, and the main-thread
// time of the page's scripts: Portico's (/portico.js and its chunks) apart from the demo page's
// own code (/app.js: its sign-in switcher, mailbox, Team area).
//
// The per-script figures are Lighthouse's own attribution (its bootup-time audit: each main-thread
// task goes to the script its work came from, × the 4× CPU slowdown it simulates), recomputed
// from the run's trace so that every script counts: the audit's table leaves out scripts under 50 ms.
//
// Lighthouse gives a whole task to one script, so two scripts whose work shares a task (a promise
// of each settling in the same microtask checkpoint, a timer the page set while Portico ran) blur
// into each other. One more run records the V8 CPU sampler too and splits the JavaScript time by
// the source file it ran in (scripts/lib/cpu-samples.mjs): that split is not in the scores.
//
// Then what opening the bell's list and the support panel costs once the page has loaded.
//
// Usage: npm run bench:lighthouse [-- --runs N] [-- --profile-runs N] [-- --open-runs N]   (the
// median run by performance score is printed, and each run's Portico figure)
import { parseArgs } from 'node:util';
import lighthouse from 'lighthouse';
import { MainThreadTasks } from 'lighthouse/core/lib/tracehouse/main-thread-tasks.js';
import { TraceProcessor } from 'lighthouse/core/lib/tracehouse/trace-processor.js';
import puppeteer from 'puppeteer-core';
import { findChrome } from './ensure-chromium.mjs';
import { jsTimeByOwner } from './lib/cpu-samples.mjs';
import { buildDemo } from './lib/demo-build.mjs';
import { startDemoServer } from '../test/node/demo-server.ts';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'profile-runs': { type: 'string', default: '2' }, 'open-runs': { type: 'string', default: '5' } },
});

await buildDemo();
const demo = await startDemoServer();
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await puppeteer.launch({ executablePath: findChrome(), args: asRoot ? ['--no-sandbox'] : [] });

/** Who a script belongs to, by its path on the demo server (scripts/lib/demo-build.mjs). */
function ownerOf(url) {
  const path = URL.canParse(url) && url.startsWith(demo.base) ? new URL(url).pathname : undefined;
  if (path === '/portico.js' || path?.startsWith('/chunks/')) return 'portico';
  if (path === '/app.js') return 'demo';
  if (path === '/') return 'document';
  return 'other';
}

/**
 * Main-thread time by owner, the way Lighthouse's bootup-time audit counts it: each task's self
 * time by task group, to the first script URL the task's work is attributed to, times the CPU
 * slowdown Lighthouse simulates.
 */
function mainThreadByOwner(trace, lhr) {
  const processed = TraceProcessor.processTrace(trace);
  const tasks = MainThreadTasks.getMainThreadTasks(processed.mainThreadEvents, processed.frames, processed.timestamps.traceEnd);
  const multiplier = lhr.configSettings.throttlingMethod === 'simulate' ? lhr.configSettings.throttling.cpuSlowdownMultiplier : 1;
  const result = {};
  for (const task of tasks) {
    const url = task.attributableURLs.find((u) => /\.m?js(\?|$)/.test(u)) ?? task.attributableURLs[0] ?? '';
    const owner = url ? ownerOf(url) : 'other';
    const groups = (result[owner] ??= { total: 0, cpu: 0 });
    groups.total += task.selfTime * multiplier;
    // The thread's CPU time in the task: unlike wall time, not inflated by a busy machine.
    if (!task.parent) groups.cpu += ((task.event.tdur ?? 0) / 1000) * multiplier;
    groups[task.group.id] = (groups[task.group.id] ?? 0) + task.selfTime * multiplier;
  }
  return result;
}

/** Where a script of the demo keeps its source map (the bundle is built with them). */
function sourceMapPath(url) {
  const owner = ownerOf(url);
  return owner === 'portico' || owner === 'demo' ? `examples/vendor-app/dist${new URL(url).pathname}.map` : undefined;
}

async function runLighthouse(flags = {}) {
  const page = await browser.newPage();
  const flagsAll = { output: 'json', logLevel: 'error', onlyCategories: ['performance', 'best-practices'], ...flags };
  const result = await lighthouse(`${demo.base}/`, flagsAll, undefined, page);
  await page.close();
  return result;
}

/**
 * What opening costs once the page has loaded, unthrottled, in a fresh browser context (nothing
 * cached, as on a first visit): the bell's list (click → its items) and the support panel (click
 * on the launcher → the first ticket row, which needs the Tickets tab's code and a ticket page).
 * The main-thread figure is Chromium's own (Performance.getMetrics' TaskDuration: every task of
 * the page's main thread meanwhile, the demo's own timers included).
 */
async function openCosts() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const answered = new Set();
  page.on('response', (response) => answered.add(new URL(response.url()).pathname));
  await page.goto(`${demo.base}/`, { waitUntil: 'load' });
  const settled = async (what, check) => {
    for (let waited = 0; !(await check()); waited += 20) {
      if (waited > 15_000) throw new Error(`${what} did not happen`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await settled('the bell load', () => answered.has('/api/v1/notifications'));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const measure = async (click, done) => {
    const before = await page.metrics();
    const start = performance.now();
    await page.click(click);
    // Checked in the page at every animation frame (a string: it runs there, not here).
    await page.waitForFunction(done, { polling: 'raf', timeout: 15_000 });
    const wall = performance.now() - start;
    const after = await page.metrics();
    return { wall, task: (after.TaskDuration - before.TaskDuration) * 1000 };
  };
  const bell = await measure(
    'portico-notifications >>> [part~="button"]',
    `document.querySelector('portico-notifications')?.shadowRoot?.querySelector('[part~="item"], [part~="empty"]')`,
  );
  await page.click('portico-notifications >>> [part~="button"]');
  const panel = await measure(
    'portico-support-panel >>> [part~="launcher"]',
    `document.querySelector('portico-support-panel')?.shadowRoot?.querySelector('portico-ticket-list')?.shadowRoot?.querySelector('[part~="row"]')`,
  );
  await context.close();
  return { bell, panel };
}

const runs = [];
const profiles = [];
const opens = [];
try {
  for (let i = 0; i < Number(args['open-runs']); i++) opens.push(await openCosts());
  for (let i = 0; i < Number(args.runs); i++) {
    const { lhr, artifacts } = await runLighthouse();
    runs.push({ lhr, owners: mainThreadByOwner(artifacts.Trace, lhr) });
  }
  for (let i = 0; i < Number(args['profile-runs']); i++) {
    const { lhr, artifacts } = await runLighthouse({ additionalTraceCategories: 'disabled-by-default-v8.cpu_profiler' });
    const [main] = TraceProcessor.processTrace(artifacts.Trace).mainThreadEvents;
    const split = jsTimeByOwner(artifacts.Trace, main, sourceMapPath, (file) =>
      file.startsWith('examples/') || ownerOf(file) === 'demo' ? 'demo' : 'portico',
    );
    profiles.push({ split, multiplier: lhr.configSettings.throttlingMethod === 'simulate' ? lhr.configSettings.throttling.cpuSlowdownMultiplier : 1 });
  }
} finally {
  await browser.close();
  demo.stop();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const runsInOrder = [...runs];
runs.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
const { lhr, owners } = runs[Math.floor(runs.length / 2)];
const score = (name) => Math.round(lhr.categories[name].score * 100);
const audit = (id) => lhr.audits[id];
const ms = (x) => `${Math.round(x ?? 0)} ms`;
const row = (label, owner) => {
  const g = owners[owner] ?? {};
  return `| ${label} | ${ms(g.total)}; CPU ${ms(g.cpu)} (scripting ${ms(g.scriptEvaluation)}, parse/compile ${ms(g.scriptParseCompile)}, style/layout ${ms(g.styleLayout)}, other ${ms(g.other)}) |`;
};

console.log(
  `\nLighthouse ${lhr.lighthouseVersion}, mobile (${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling), median of ${runs.length} by performance score`,
);
console.log('| figure | value |');
console.log('|---|---|');
console.log(`| performance score | ${score('performance')} |`);
console.log(`| best-practices score | ${score('best-practices')} |`);
for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']) {
  console.log(`| ${audit(id).title} | ${audit(id).displayValue} |`);
}
console.log(`| main-thread work, whole page | ${ms(audit('mainthread-work-breakdown').numericValue)} |`);
console.log(row("Portico's scripts (/portico.js and its chunks): main thread", 'portico'));
console.log(row("the demo page's own script (/app.js): main thread", 'demo'));
console.log(row('the page itself (/: HTML, style, layout, paint)', 'document'));
console.log(row('not attributable to a script (browser)', 'other'));
for (const [label, key] of [
  ['', 'total'],
  [', CPU', 'cpu'],
]) {
  const each = runsInOrder.map((r) => r.owners.portico?.[key] ?? 0);
  console.log(`| Portico's main thread${label}, each run (median) | ${each.map((x) => Math.round(x)).join(', ')} ms (${ms(median(each))}) |`);
}
// The runs in the order they ran, as the lines above: a run slow for the whole page (the machine, a cold
// browser) tells apart from one slow for Portico alone.
const pageEach = runsInOrder.map((r) => r.lhr.audits['mainthread-work-breakdown'].numericValue);
console.log(`| main-thread work, whole page, each run (median) | ${pageEach.map((x) => Math.round(x)).join(', ')} ms (${ms(median(pageEach))}) |`);

if (profiles.length) {
  // The median profiled run by Portico's time.
  profiles.sort((a, b) => (a.split.byOwner.get('portico') ?? 0) - (b.split.byOwner.get('portico') ?? 0));
  const { split, multiplier } = profiles[Math.floor(profiles.length / 2)];
  const scaled = (x) => ms((x ?? 0) * multiplier);
  console.log(`\nMain-thread JavaScript by whose code it ran in: CPU samples of ${profiles.length} more run(s), source-mapped, × ${multiplier} as above`);
  console.log('| code | main thread |');
  console.log('|---|---|');
  console.log(`| Portico (packages/elements, packages/core, lit, ky, …) | ${scaled(split.byOwner.get('portico'))} |`);
  console.log(`| the demo page (examples/vendor-app) | ${scaled(split.byOwner.get('demo'))} |`);
  console.log(`\nCostliest functions (self time, with the browser work they asked for), × ${multiplier}`);
  console.log('| function | code | main thread |');
  console.log('|---|---|---|');
  for (const [name, { owner, ms: time }] of [...split.functions].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
    console.log(`| ${name.replaceAll('|', '\\|')} | ${owner} | ${scaled(time)} |`);
  }
}

if (opens.length) {
  console.log(`\nOpening, once the page has loaded: median of ${opens.length} fresh visits, unthrottled (× 1, not × 4), Chromium's main-thread metrics`);
  console.log('| what | wall time | main thread (all tasks) |');
  console.log('|---|---|---|');
  for (const [label, key] of [
    ['the bell: click → its list', 'bell'],
    ['the support panel: click on the launcher → the first ticket row', 'panel'],
  ]) {
    const of = (field) => ms(median(opens.map((o) => o[key][field])));
    console.log(`| ${label} | ${of('wall')} | ${of('task')} |`);
  }
}

const failed = Object.values(lhr.audits).filter(
  (a) => a.score !== null && a.score < 1 && lhr.categories['best-practices'].auditRefs.some((r) => r.id === a.id && r.weight > 0),
);
if (failed.length) console.log(`\nBest-practices audits not passed: ${failed.map((a) => `${a.id} (${a.title})`).join('; ')}`);
for (const item of audit('errors-in-console').details?.items ?? [])
  console.log(`  console: ${item.source}: ${item.description} ${item.sourceLocation?.url ?? item.url ?? ''}`);
