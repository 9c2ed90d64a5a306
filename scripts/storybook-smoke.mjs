#!/usr/bin/env node
// Story smoke test: builds the static Storybook, opens the first story as a first visit would
// (no service worker yet, and a worker slow to take control of the page: it must show data, not
// "Couldn't connect"), then renders every story in
// headless Chromium, each on a fresh page, and fails a story on a console error, an uncaught
// exception or unhandled rejection, a Storybook render error, or an axe violation.
//
// Usage: node scripts/storybook-smoke.mjs [--no-build] [--filter <text>] [--verbose]
//   --no-build   reuse storybook-static/ as it is
//   --filter     only stories whose id contains <text>
// Prints one line per story and closes with "N passed, M failed".
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';
import puppeteer from 'puppeteer-core';
import { findChrome } from './ensure-chromium.mjs';

const require = createRequire(import.meta.url);
const ROOT = resolve('storybook-static');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/**
 * How long a page may take to load Storybook (generous: CI machines are small and busy), a story
 * to show once Storybook runs, and the widgets to settle once shown.
 */
const LOAD_TIMEOUT = 90_000;
const RENDER_TIMEOUT = 20_000;
const SETTLE_TIMEOUT = 4_000;

/** Runs a command quietly; its output is printed only when it fails. */
function run(cmd, argv) {
  return new Promise((done) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      if (code !== 0) process.stderr.write(output);
      done(code ?? 1);
    });
  });
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/**
 * The mock worker's script, and how the cold start serves it: held back (a first visit on a slow
 * network, the worker registering well after Storybook's own scripts ran) and made to take
 * control of its pages (`clients.claim()`) only a while after it activated. MSW's `start()`
 * resolves once the worker is active, so that is the window in which a story's requests would
 * still reach the static server and get a 404: the preview must wait until the worker controls
 * the page (see `.storybook/preview.ts`). Chromium closes the window itself with MSW's own worker
 * (it claims while activating), so the test opens it on purpose to check that wait.
 */
const WORKER_SCRIPT = '/mockServiceWorker.js';
const COLD_WORKER_DELAY_MS = 1_500;
const COLD_CLAIM_DELAY_MS = 1_500;
const CLAIM_ON_ACTIVATE = 'event.waitUntil(self.clients.claim())';

/** MSW's worker, claiming its pages `ms` after it activated instead of while it activates. */
function claimLate(source, ms) {
  if (!source.includes(CLAIM_ON_ACTIVATE)) throw new Error(`storybook-smoke: ${WORKER_SCRIPT} no longer has \`${CLAIM_ON_ACTIVATE}\`; update claimLate()`);
  return source.replace(CLAIM_ON_ACTIVATE, `setTimeout(() => self.clients.claim(), ${ms})`);
}

/**
 * A static file server for storybook-static on a free loopback port. `server.delays` maps a path
 * to how long its responses are held back and `server.rewrites` to a change of its text (both
 * empty unless a check sets them); `server.requested` counts the requests for each path.
 */
function serve(root) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    server.requested.set(path, (server.requested.get(path) ?? 0) + 1);
    const delay = server.delays.get(path);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' });
    const rewrite = server.rewrites.get(path);
    if (rewrite) res.end(rewrite(readFileSync(file, 'utf8')));
    else createReadStream(file).pipe(res);
  });
  server.delays = new Map();
  server.rewrites = new Map();
  server.requested = new Map();
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** In the page: waits until Storybook showed the story (or its error screen). */
function waitForStory(timeout) {
  return new Promise((done) => {
    const started = Date.now();
    const check = () => {
      const classes = document.body.classList;
      if (classes.contains('sb-show-errordisplay'))
        return done({ ok: false, error: document.querySelector('#error-message')?.textContent?.trim() || 'render error' });
      if (classes.contains('sb-show-main') && document.querySelector('#storybook-root')?.childElementCount) return done({ ok: true });
      if (Date.now() - started > timeout) return done({ ok: false, error: 'story did not render in time' });
      setTimeout(check, 50);
    };
    check();
  });
}

/**
 * In the page: waits until no element (through open shadow roots) is `aria-busy`, and every
 * Lit element finished updating; gives up quietly after `timeout` (a Loading story stays busy).
 */
async function settle(timeout) {
  const all = () => {
    const out = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        out.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  };
  const started = Date.now();
  for (;;) {
    const elements = all();
    const pause = new Promise((r) => setTimeout(r, 1000));
    await Promise.race([Promise.all(elements.filter((el) => el.updateComplete).map((el) => el.updateComplete)), pause]);
    const busy = elements.some((el) => el.getAttribute('aria-busy') === 'true');
    if (!busy) {
      // A moment more, so work scheduled by the last update has run.
      await new Promise((r) => setTimeout(r, 50));
      if (!all().some((el) => el.getAttribute('aria-busy') === 'true')) return { settled: true };
    }
    if (Date.now() - started > timeout) return { settled: false };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How long to wait after unmounting a story for what its removal logs. */
const TEARDOWN_MS = 150;

/** In the page: removes the story's DOM (its elements disconnect and cancel their requests). */
async function teardown(ms) {
  const root = document.querySelector('#storybook-root');
  if (root) root.replaceChildren();
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * In the page: asks Storybook's preview to show another story (no reload: the bundle stays
 * parsed) and resolves when it rendered or failed. Loaders run again, so the mock API is new.
 */
function switchStory([storyId, timeout]) {
  return new Promise((done) => {
    const channel = window.__STORYBOOK_ADDONS_CHANNEL__;
    const events = ['storyRendered', 'storyErrored', 'storyThrewException', 'storyMissing', 'playFunctionThrewException'];
    const finish = (result) => {
      clearTimeout(timer);
      for (const name of events) channel.off(name, handlers[name]);
      done(result);
    };
    const handlers = Object.fromEntries(
      events.map((name) => [
        name,
        (payload) => {
          if (name === 'storyRendered') finish({ ok: true });
          else finish({ ok: false, error: `${name}: ${payload?.description ?? payload?.message ?? JSON.stringify(payload)}` });
        },
      ]),
    );
    for (const name of events) channel.on(name, handlers[name]);
    const timer = setTimeout(() => finish({ ok: false, error: 'story did not render in time' }), timeout);
    channel.emit('setCurrentStory', { storyId, viewMode: 'story' });
  });
}

/**
 * Takes stories from `queue` one by one and checks each in one page: the first (and any
 * after a failure to render) by loading iframe.html, the rest by switching stories in place.
 */
async function worker(context, base, axeSource, queue, results, onFirstLoad = () => {}) {
  let page;
  let current = { problems: [], networkErrors: [] };
  const open = async () => {
    await page?.close().catch(() => {});
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      // Chromium logs every HTTP error status; a story may expect those (see `smoke` below).
      if (/^Failed to load resource: (the server responded with a status of \d+|net::ERR_FAILED)/.test(msg.text())) current.networkErrors.push(msg.text());
      else current.problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => current.problems.push(`uncaught: ${error?.message ?? error}`));
    await page.evaluateOnNewDocument(() => {
      window.addEventListener('unhandledrejection', (event) => {
        console.error(
          `unhandled rejection: ${String(event.reason?.stack ?? event.reason)
            .split('\n')
            .slice(0, 2)
            .join(' ')}`,
        );
      });
    });
  };
  let fresh = true;
  for (let story = queue.shift(); story; story = queue.shift()) {
    current = { problems: [], networkErrors: [] };
    const { problems } = current;
    const t0 = Date.now();
    try {
      let shown;
      if (fresh) {
        await open();
        await page.goto(`${base}/iframe.html?id=${encodeURIComponent(story.id)}&viewMode=story`, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
        shown = await page.evaluate(waitForStory, RENDER_TIMEOUT);
        await page.evaluate(axeSource);
      } else {
        shown = await page.evaluate(switchStory, [story.id, RENDER_TIMEOUT]);
      }
      const tShown = Date.now();
      onFirstLoad();
      fresh = !shown.ok;
      if (!shown.ok) problems.push(`render: ${shown.error}`);
      else {
        // `parameters.smoke`: `networkErrors: true` marks stories whose API fails on purpose,
        // `staysBusy: true` those that never finish loading (no point waiting for them to settle),
        // `axeRulesOff: ['rule-id']` those that show one failure on purpose (a theme failing contrast).
        const smoke = await page.evaluate(() => window.__STORYBOOK_PREVIEW__?.currentRender?.story?.parameters?.smoke ?? {});
        const { settled } = await page.evaluate(settle, smoke.staysBusy ? 300 : SETTLE_TIMEOUT);
        const tSettled = Date.now();
        const rules = Object.fromEntries((smoke.axeRulesOff ?? []).map((id) => [id, { enabled: false }]));
        const violations = await page.evaluate(async (rules) => {
          const result = await window.axe.run(document.querySelector('#storybook-root'), { resultTypes: ['violations'], rules });
          return result.violations.map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s): ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' > '))
                .join(' | ')}`,
          );
        }, rules);
        for (const v of violations) problems.push(`axe: ${v}`);
        if (current.networkErrors.length && !smoke.networkErrors) problems.push(...current.networkErrors.map((text) => `console error: ${text}`));
        // Unmount the story before the next one: an exception on removal is this story's, but
        // requests it cancels (a Loading story's, a live stream) are logged as ERR_FAILED by
        // Chromium and are no failure.
        const before = current.networkErrors.length;
        await page.evaluate(teardown, TEARDOWN_MS);
        const cancelled = current.networkErrors.slice(before).filter((text) => !/net::ERR_FAILED/.test(text));
        if (cancelled.length && !smoke.networkErrors) problems.push(...cancelled.map((text) => `console error on removal: ${text}`));
        if (flag('--verbose')) {
          const phases = `render ${tShown - t0} ms, settle ${tSettled - tShown} ms, axe ${Date.now() - tSettled} ms`;
          console.log(`  ${story.id}: ${settled ? 'settled' : 'still busy'}; ${phases}`);
        }
      }
    } catch (error) {
      problems.push(`error: ${error?.message ?? error}`);
      fresh = true;
      onFirstLoad();
    }
    results.set(story.id, { problems: [...problems], ms: Date.now() - t0 });
  }
  await page?.close().catch(() => {});
}

/** In the page: the text of the story, through open shadow roots. */
function storyText() {
  const text = (node) =>
    [...node.childNodes].map((n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : text(n))).join(' ') + (node.shadowRoot ? text(node.shadowRoot) : '');
  return text(document.querySelector('#storybook-root') ?? document.body).replace(/\s+/g, ' ');
}

/**
 * Opens Storybook as a first visit does (a fresh browser context: no service worker, empty
 * cache), at its root, with the mock worker's script served late: the manager picks the first
 * story and renders it in its preview frame. Returns what went wrong: a render error, the widgets
 * saying they could not reach the API, or an API request the worker did not intercept.
 */
async function coldStart(browser, server, story) {
  const base = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.createBrowserContext();
  const problems = [];
  server.requested.delete(WORKER_SCRIPT);
  try {
    const worker = claimLate(readFileSync(join(ROOT, WORKER_SCRIPT), 'utf8'), COLD_CLAIM_DELAY_MS);
    server.rewrites.set(WORKER_SCRIPT, () => worker);
    server.delays.set(WORKER_SCRIPT, COLD_WORKER_DELAY_MS);
    const page = await context.newPage();
    const missing = [];
    page.on('response', (res) => {
      if (res.status() === 404 && new URL(res.url()).pathname.startsWith('/api/')) missing.push(new URL(res.url()).pathname);
    });
    await page.goto(`${base}/?path=/story/${encodeURIComponent(story.id)}`, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    const frameHandle = await page.waitForSelector('#storybook-preview-iframe', { timeout: LOAD_TIMEOUT });
    const frame = await frameHandle.contentFrame();
    await frame.waitForFunction(() => document.readyState === 'complete', { timeout: LOAD_TIMEOUT });
    const shown = await frame.evaluate(waitForStory, LOAD_TIMEOUT);
    if (!shown.ok) problems.push(`render: ${shown.error}`);
    await frame.evaluate(settle, SETTLE_TIMEOUT);
    const text = await frame.evaluate(storyText);
    if (/Couldn.t connect/.test(text)) problems.push(`the story says: ${text.slice(0, 200)}`);
    for (const path of missing) problems.push(`API request not intercepted by the mock worker: 404 ${path}`);
    // Without this the check would pass unseen if the worker's path changed and nothing was delayed.
    if (!server.requested.get(WORKER_SCRIPT)) problems.push(`the preview never requested the mock worker's script ${WORKER_SCRIPT}`);
  } catch (error) {
    problems.push(`error: ${error?.message ?? error}`);
  } finally {
    server.delays.delete(WORKER_SCRIPT);
    server.rewrites.delete(WORKER_SCRIPT);
    await context.close();
  }
  return problems;
}

async function main() {
  if (!flag('--no-build')) {
    const t = Date.now();
    const code = await run('npm', ['run', '--silent', 'build-storybook']);
    if (code === 0) console.log(`built storybook-static/ in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    if (code !== 0) {
      console.error('storybook-smoke: build-storybook failed');
      process.exit(code);
    }
  }
  if (!existsSync(join(ROOT, 'index.json'))) {
    console.error('storybook-smoke: storybook-static/index.json missing; run `npm run build-storybook` first');
    process.exit(1);
  }
  const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8'));
  const filter = option('--filter');
  const stories = Object.values(index.entries).filter((e) => e.type === 'story' && (!filter || e.id.includes(filter)));
  if (!stories.length) {
    console.error('storybook-smoke: no stories found');
    process.exit(1);
  }

  const server = await serve(ROOT);
  const base = `http://127.0.0.1:${server.address().port}`;
  const executablePath = findChrome();
  if (!executablePath) throw new Error('storybook-smoke: no Chrome/Chromium found (run node scripts/ensure-chromium.mjs or set CHROME_PATH)');
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      ...(asRoot ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      // Several pages run at once; none may be throttled as a background tab.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const started = Date.now();
  const results = new Map();
  // A cold start first, in a context of its own (no service worker registered, nothing cached):
  // the first story must show data, not "Couldn't connect to support" from a request the mock
  // worker was not yet intercepting.
  const cold = await coldStart(browser, server, stories[0]);
  const context = await browser.createBrowserContext();
  const queue = [...stories];
  const jobs = Math.max(1, Number(option('--jobs') ?? 2));
  try {
    // The first page loads alone (the bundle is then in the HTTP cache and parsed once by V8's
    // code cache), then the others start.
    let firstLoaded;
    const warm = new Promise((resolve) => (firstLoaded = resolve));
    await Promise.all(
      Array.from({ length: Math.min(jobs, queue.length) }, (_, i) =>
        i === 0 ? worker(context, base, axeSource, queue, results, firstLoaded) : warm.then(() => worker(context, base, axeSource, queue, results)),
      ),
    );
  } finally {
    await browser.close();
    server.close();
  }
  let passed = 0;
  let failed = 0;
  if (cold.length) {
    failed++;
    console.log(`✗ cold start: ${stories[0].id}`);
    for (const p of cold) console.log(`    ${p}`);
  } else {
    passed++;
    console.log(
      `✓ cold start: ${stories[0].id} shows data on a first visit (mock worker served ${COLD_WORKER_DELAY_MS} ms late, claiming the page ${COLD_CLAIM_DELAY_MS} ms after it activated)`,
    );
  }
  for (const story of stories) {
    const { problems, ms } = results.get(story.id);
    if (problems.length) {
      failed++;
      console.log(`✗ ${story.title} › ${story.name} (${story.id}, ${ms} ms)`);
      for (const p of problems) console.log(`    ${p}`);
    } else {
      passed++;
      console.log(`✓ ${story.title} › ${story.name} (${ms} ms)`);
    }
  }
  console.log(`\nstory smoke test: ${stories.length} stories in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
