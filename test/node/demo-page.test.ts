/**
 * The demo page loads like a product, in real Chromium against the demo (`npm start`'s backend
 * and bundle, on SQLite): compressed responses, no request before the page has a token (so no
 * 401), only the launcher's code until the support panel opens, and nothing for areas the
 * user has not opened (the Team area's contacts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import puppeteer, { type Browser, type HTTPRequest, type HTTPResponse, type Page } from 'puppeteer-core';
// @ts-expect-error: a plain .mjs script without types
import { findChrome } from '../../scripts/ensure-chromium.mjs';
// @ts-expect-error: a plain .mjs build helper without types
import { buildDemo } from '../../scripts/lib/demo-build.mjs';
import { startDemo, type DemoServer } from './demo-server.ts';

let demo: DemoServer;
let browser: Browser;
before(async () => {
  await buildDemo();
  demo = await startDemo();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  browser = await puppeteer.launch({ executablePath: findChrome(), args: asRoot ? ['--no-sandbox'] : [] });
});
after(async () => {
  await browser?.close();
  demo?.stop();
});

interface Seen {
  path: string;
  status: number;
  encoding: string | undefined;
}

/** Records the path of every request the page sends (answered or not), in order. */
function recordRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request: HTTPRequest) => {
    const url = new URL(request.url());
    if (url.origin === demo.base) asked.push(url.pathname);
  });
  return asked;
}

/** Records every response the page gets, in order. */
function record(page: Page): Seen[] {
  const seen: Seen[] = [];
  page.on('response', (response: HTTPResponse) => {
    const url = new URL(response.url());
    if (url.origin !== demo.base) return;
    seen.push({ path: url.pathname, status: response.status(), encoding: response.headers()['content-encoding'] });
  });
  return seen;
}

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Element chunks the support panel's tabs and the Team area load on first use. */
const LAZY_ELEMENTS = /portico-(ticket-list|ticket-detail|ticket-form|timeline|account-summary|contacts)-/;

describe('the demo page (Chromium)', () => {
  it('asks nothing before the token, loads only the launcher, compresses, and loads areas when opened', async () => {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(() => localStorage.setItem('acme-analytics:signed-in-as', 'mia@acme.example'));
    const seen = record(page);
    const asked = recordRequests(page);
    await page.goto(`${demo.base}/`, { waitUntil: 'load' });
    await until('the session load', () => seen.some((s) => s.path === '/api/v1/me' && s.status === 200));
    // The bell asks for its count once the page has loaded and is idle (it waits for the
    // navigation timing entry, not the load event): that request goes out, after the load.
    await until('the bell’s count', () => seen.some((s) => s.path === '/api/v1/notifications' && s.status === 200));
    // What else the page asks once signed in has time to go out.
    await new Promise((r) => setTimeout(r, 1500));

    assert.deepEqual(
      seen.filter((s) => s.status === 401),
      [],
      'no request was refused',
    );
    // Requests, not responses: a request the page aborts once the token arrives was still sent.
    const beforeToken = asked.indexOf('/demo/session');
    assert.ok(beforeToken >= 0, 'the page asked its backend for a token');
    assert.deepEqual(
      asked.slice(0, beforeToken).filter((path) => path.startsWith('/api/')),
      [],
      'no API request before the token',
    );
    assert.deepEqual(
      asked.filter((path) => path.startsWith('/api/v1/contacts')),
      [],
      'no contacts for the hidden Team area',
    );
    assert.deepEqual(
      seen.filter((s) => LAZY_ELEMENTS.test(s.path)).map((s) => s.path),
      [],
      'no tab code before the panel opens',
    );
    // Portico's first load is its script and the one chunk it shares with the Team area's lazy
    // element (scripts/lib/demo-build.mjs), not a request and a module task per small module.
    const porticoFirstLoad = seen.filter((s) => s.path === '/portico.js' || s.path.startsWith('/chunks/')).map((s) => s.path);
    assert.ok(porticoFirstLoad.length <= 2, `Portico's first load is ${porticoFirstLoad.length} scripts: ${porticoFirstLoad.join(', ')}`);
    const app = seen.find((s) => s.path === '/app.js');
    // Chromium offers brotli to a secure context (https, or localhost as here), and gets it.
    assert.equal(app?.encoding, 'br', 'the page script is compressed');
    assert.equal(seen.find((s) => s.path === '/portico.js')?.encoding, 'br', 'Portico’s script is compressed');
    assert.equal(seen.find((s) => s.path === '/')?.encoding, 'br', 'the page is compressed');

    // Opening the panel loads the Tickets tab: its code, and a compressed ticket page.
    await page.click('portico-support-panel >>> [part~="launcher"]');
    await until('the ticket list load', () => seen.some((s) => s.path === '/api/v1/tickets' && s.status === 200));
    assert.equal(seen.find((s) => s.path === '/api/v1/tickets')?.encoding, 'br', 'the ticket page is compressed');
    assert.ok(
      seen.some((s) => /portico-ticket-list-/.test(s.path)),
      'the list’s code loads with the panel',
    );
    assert.deepEqual(
      seen.filter((s) => s.path.startsWith('/api/v1/contacts')),
      [],
      'still no contacts',
    );

    // The Team area, once shown, loads its element and the contacts.
    await page.keyboard.press('Escape');
    await page.evaluate(() => (location.hash = '#team'));
    await until('the contacts load', () => seen.some((s) => s.path === '/api/v1/contacts' && s.status === 200));
    assert.deepEqual(
      seen.filter((s) => s.status === 401),
      [],
      'no request was refused',
    );
    await page.close();
  });

  it('brings an open drawer back after a reload through its URL, and the panel reads no sessionStorage', async () => {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(() => {
      // Counts the page's sessionStorage accesses: the first one in a tab is slow (docs/performance.md).
      const owner = Object.getOwnPropertyDescriptor(window, 'sessionStorage') ? window : Window.prototype;
      const { get } = Object.getOwnPropertyDescriptor(owner, 'sessionStorage')!;
      (window as unknown as { storageReads: number }).storageReads = 0;
      Object.defineProperty(window, 'sessionStorage', {
        configurable: true,
        get() {
          (window as unknown as { storageReads: number }).storageReads++;
          return get!.call(window);
        },
      });
    });
    const seen = record(page);
    await page.goto(`${demo.base}/`, { waitUntil: 'load' });
    await until('the session load', () => seen.some((s) => s.path === '/api/v1/me' && s.status === 200));
    await page.click('portico-support-panel >>> [part~="launcher"]');
    await page.waitForSelector('portico-support-panel >>> [part~="tab"][data-view="activity"]', { timeout: 15_000 });
    await page.click('portico-support-panel >>> [part~="tab"][data-view="activity"]');
    await until('the Activity tab in the URL', () => page.url().endsWith('#support/activity'));

    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('portico-support-panel >>> [part~="tab-selected"][data-view="activity"]', { timeout: 15_000 });
    assert.equal(await page.$eval('portico-support-panel', (panel) => (panel as HTMLElement & { open: boolean }).open), true, 'the drawer is open again');
    // Past the page's idle time, when a closed launcher would read what it remembered.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await page.evaluate(() => (window as unknown as { storageReads: number }).storageReads), 0, 'sessionStorage was read');
    await page.close();
  });

  it('marks only its first load for eager compiling, and its source maps still point at the source', () => {
    const dist = 'examples/vendor-app/dist';
    const chunks = readdirSync(`${dist}/chunks`).filter((name) => name.endsWith('.js'));
    const firstLine = (file: string) => readFileSync(`${dist}/${file}`, 'utf8').split('\n', 1)[0];
    // portico.js and the chunks it imports statically run at load; the tabs' chunks do not.
    const porticoImports = [...readFileSync(`${dist}/portico.js`, 'utf8').matchAll(/from"\.\/chunks\/([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(porticoImports.length > 0, 'portico.js imports its shared chunk');
    for (const file of ['portico.js', 'app.js', ...porticoImports.map((name) => `chunks/${name}`)]) {
      assert.equal(firstLine(file), '//# allFunctionsCalledOnLoad', `${file} carries the compile hint`);
    }
    const lazy = chunks.filter((name) => !porticoImports.includes(name));
    assert.ok(
      lazy.some((name) => LAZY_ELEMENTS.test(name)),
      'the tabs are chunks of their own',
    );
    for (const name of lazy) assert.notEqual(firstLine(`chunks/${name}`), '//# allFunctionsCalledOnLoad', `${name} loads lazily: no hint`);

    // A line of minified code still maps to the module it came from (the hint moved every line).
    for (const [file, code, source] of [
      ['portico.js', '"portico-panel-toggle"', /packages\/elements\/src\/support-panel\/support-panel\.ts$/],
      [`chunks/${porticoImports[0]}`, 'customElements.define', /packages\/elements\/src\/define-element\.ts$/],
      [`chunks/${porticoImports[0]}`, 'JSON.parse(atob(', /packages\/core\/src\/http-client\.ts$/],
    ] as const) {
      const lines = readFileSync(`${dist}/${file}`, 'utf8').split('\n');
      const line = lines.findIndex((text) => text.includes(code));
      assert.ok(line >= 0, `${file} holds ${code}`);
      const map = new TraceMap(readFileSync(`${dist}/${file}.map`, 'utf8'));
      const position = originalPositionFor(map, { line: line + 1, column: lines[line]!.indexOf(code) });
      assert.match(position.source ?? '', source, `${code} in ${file} maps to its source`);
    }
  });
});
