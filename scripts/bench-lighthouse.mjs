#!/usr/bin/env node
// Lighthouse (mobile: its default emulated phone and simulated slow 4G / 4× CPU) against the
// demo page `npm start` serves, in headless Chromium, offline (the demo runs on this machine).
// Prints the performance and best-practices scores, the metrics behind them, and the main-thread
// time of the page's scripts, Portico's (the demo bundle: /app.js and its chunks) on its own line.
//
// Usage: npm run bench:lighthouse [-- --runs N]   (the median run by performance score is printed)
import { parseArgs } from 'node:util';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { findChrome } from './ensure-chromium.mjs';
import { buildDemo } from './lib/demo-build.mjs';
import { startDemoServer } from '../test/node/demo-server.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });

await buildDemo();
const demo = await startDemoServer();
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await puppeteer.launch({ executablePath: findChrome(), args: asRoot ? ['--no-sandbox'] : [] });

const reports = [];
try {
  for (let i = 0; i < Number(args.runs); i++) {
    const page = await browser.newPage();
    const result = await lighthouse(`${demo.base}/`, { output: 'json', logLevel: 'error', onlyCategories: ['performance', 'best-practices'] }, undefined, page);
    reports.push(result.lhr);
    await page.close();
  }
} finally {
  await browser.close();
  demo.stop();
}

reports.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
const lhr = reports[Math.floor(reports.length / 2)];
const score = (name) => Math.round(lhr.categories[name].score * 100);
const audit = (id) => lhr.audits[id];
const ms = (x) => `${Math.round(x)} ms`;

// bootup-time lists each script's main-thread time (scripting, parse/compile) by URL.
const scripts = audit('bootup-time').details?.items ?? [];
const ours = scripts.filter((s) => {
  const path = URL.canParse(s.url) ? new URL(s.url).pathname : '';
  return path === '/app.js' || path.startsWith('/chunks/');
});
const sum = (items, key) => items.reduce((total, item) => total + (item[key] ?? 0), 0);

console.log(
  `\nLighthouse ${lhr.lighthouseVersion}, mobile (${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling), median of ${reports.length} by performance score`,
);
console.log('| figure | value |');
console.log('|---|---|');
console.log(`| performance score | ${score('performance')} |`);
console.log(`| best-practices score | ${score('best-practices')} |`);
for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']) {
  console.log(`| ${audit(id).title} | ${audit(id).displayValue} |`);
}
console.log(`| main-thread work, whole page | ${ms(audit('mainthread-work-breakdown').numericValue)} |`);
console.log(
  `| Portico's scripts (/app.js and its chunks): main thread | ${ms(sum(ours, 'total'))} (scripting ${ms(sum(ours, 'scripting'))}, parse/compile ${ms(sum(ours, 'scriptParseCompile'))}) |`,
);
const failed = Object.values(lhr.audits).filter(
  (a) => a.score !== null && a.score < 1 && lhr.categories['best-practices'].auditRefs.some((r) => r.id === a.id && r.weight > 0),
);
if (failed.length) console.log(`\nBest-practices audits not passed: ${failed.map((a) => `${a.id} (${a.title})`).join('; ')}`);
for (const item of audit('errors-in-console').details?.items ?? [])
  console.log(`  console: ${item.source}: ${item.description} ${item.sourceLocation?.url ?? item.url ?? ''}`);
