#!/usr/bin/env node
// One command for every figure: the bundle sizes (`npm run size`), the browser benchmark
// (`npm run bench:browser`), Lighthouse on the demo page (`npm run bench:lighthouse`, one run
// and one profiled run) and the server benchmark (`npm run bench:server`: 10k and 100k tickets
// on SQLite and PostgreSQL; `--huge` adds 1M). Prints each as it runs and writes a markdown report to
// .portico/bench-report.md. With --docs it also replaces the generated blocks of
// docs/performance.md (between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`), leaving the
// prose around them as it is.
//
// Usage: npm run bench [-- --docs] [-- --runs N] [-- --huge]
//   (--runs goes to the browser benchmark, --huge to the server benchmark)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { docs: { type: 'boolean', default: false }, runs: { type: 'string' }, huge: { type: 'boolean', default: false } },
});

/** Runs a Node script with the repo's conditions, echoing its output; resolves with stdout and exit code. */
function run(script, argv = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=portico-source', script, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ out, code: code ?? 1 }));
  });
}

/** The size report's rows (its --json output) as a markdown table. */
function sizeTable(json) {
  const rows = JSON.parse(json);
  return [
    '| what a page loads | files | min | min + gzip | budget | status |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.entry} | ${r.files} | ${r.min} | ${r.gzip} | ${r.budget} | ${r.status} |`),
  ].join('\n');
}

/** The markdown tables a benchmark printed (lines starting with `|`, with the line above each as its caption). */
function tablesOf(output) {
  const lines = output.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|')) continue;
    if (i === 0 || !lines[i - 1].startsWith('|')) out.push('', lines[i - 1]?.trim() ? `${lines[i - 1].trim()}` : '', '');
    out.push(lines[i]);
  }
  return out.join('\n').trim();
}

const started = new Date();
const sections = {};

console.log('## Bundle sizes (npm run size)\n');
const size = await run('scripts/size.mjs', ['--json']);
sections.size = size.out.trim().startsWith('[') ? sizeTable(size.out) : '```\n' + size.out.trim() + '\n```';

console.log('\n## Browser (npm run bench:browser)\n');
const browser = await run('scripts/bench-browser.mjs', args.runs ? ['--runs', args.runs] : []);
sections.browser = browser.code === 0 ? tablesOf(browser.out) : `The browser benchmark failed (exit ${browser.code}).`;

console.log('\n## Lighthouse (npm run bench:lighthouse)\n');
const lighthouse = await run('scripts/bench-lighthouse.mjs', ['--runs', '1', '--profile-runs', '1']);
sections.lighthouse = lighthouse.code === 0 ? tablesOf(lighthouse.out) : `Lighthouse failed (exit ${lighthouse.code}).`;

console.log('\n## Server (npm run bench:server)\n');
// The server benchmark prints its whole report (tables and query plans) as markdown on stdout.
const server = await run('scripts/bench-server.mjs', args.huge ? ['--huge'] : []);
sections.server = server.code === 0 ? server.out.trim() : `The server benchmark failed (exit ${server.code}).`;

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}`;
const report = [
  `# Portico benchmark report`,
  '',
  `${started.toISOString()} · ${machine} · \`npm run bench\``,
  ...Object.entries(sections).flatMap(([name, body]) => ['', `## ${name[0].toUpperCase()}${name.slice(1)}`, '', body]),
  '',
].join('\n');
mkdirSync('.portico', { recursive: true });
writeFileSync('.portico/bench-report.md', report);
console.log(`\nReport written to .portico/bench-report.md`);

if (args.docs) {
  const path = 'docs/performance.md';
  let doc = readFileSync(path, 'utf8');
  for (const [name, body] of Object.entries(sections)) {
    const block = new RegExp(`(<!-- bench:${name} -->)[\\s\\S]*?(<!-- /bench:${name} -->)`);
    if (block.test(doc)) doc = doc.replace(block, `$1\n\n_${started.toISOString().slice(0, 10)}, ${machine}_\n\n${body}\n\n$2`);
  }
  writeFileSync(path, doc);
  console.log(`Updated the generated blocks of ${path}.`);
}
