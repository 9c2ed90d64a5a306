#!/usr/bin/env node
// `npm test`: typecheck, lint, the manifest check, Node tests (core, server, mocks, i18n, packaging),
// a build of the examples, browser tests in Chromium (elements and the built examples), the size
// budgets, then the story smoke test. Runs every step, prints a summary, exits non-zero if any failed.
import { spawn } from 'node:child_process';

const STEPS = [
  { name: 'typecheck', cmd: 'tsc', args: ['-p', 'tsconfig.json'] },
  // ESLint, lit-analyzer (template bindings) and Prettier's check, over the whole tree.
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'] },
  // JSDoc @fires/@csspart/@cssproperty against the code and custom-elements.json, both ways.
  { name: 'manifest check', cmd: 'node', args: ['scripts/check-manifest.mjs'], counts: 'wtr' },
  { name: 'node tests', cmd: 'npm', args: ['run', '--silent', 'test:node'], counts: 'node' },
  // The example browser tests load the built React/Vue examples and the CDN bundle.
  { name: 'build examples', cmd: 'node', args: ['scripts/build-examples.mjs'] },
  { name: 'browser tests', cmd: 'npm', args: ['run', '--silent', 'test:browser'], counts: 'wtr' },
  { name: 'size budgets', cmd: 'node', args: ['scripts/size.mjs'] },
  // Builds Storybook, renders every story in Chromium: console errors, rejections, axe.
  { name: 'story smoke test', cmd: 'node', args: ['scripts/storybook-smoke.mjs'], counts: 'wtr' },
];

/** Runs a command, streaming its output, and resolves with its exit code and output. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const tee = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// eslint-disable-next-line no-control-regex
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

function countsOf(kind, output) {
  const text = plain(output);
  if (kind === 'node') {
    const pass = [...text.matchAll(/^ℹ pass (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    const fail = [...text.matchAll(/^ℹ fail (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    return { pass, fail };
  }
  const last = [...text.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  return last ? { pass: Number(last[1]), fail: Number(last[2]) } : { pass: 0, fail: 0 };
}

const results = [];
let passed = 0;
let failed = 0;
for (const step of STEPS) {
  console.log(`\n── ${step.name} ──`);
  const started = Date.now();
  const { code, output } = await run(step.cmd, step.args);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (step.counts) {
    const c = countsOf(step.counts, output);
    passed += c.pass;
    failed += c.fail;
    if (code !== 0 && c.fail === 0) failed += 1;
  } else if (code !== 0) {
    failed += 1;
  }
  results.push({ step: step.name, result: code === 0 ? 'ok' : `FAILED (exit ${code})`, seconds });
}

console.log('\n── summary ──');
console.table(results);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.result === 'ok') ? 0 : 1);
