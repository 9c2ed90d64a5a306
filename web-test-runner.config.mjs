// Browser tests: every element in real Chromium (never jsdom), against the MSW mocks,
// which run the server's own app on a memory store inside the page.
// Run: `npm run test:browser` (finds or installs Chromium first), or `npx web-test-runner`.
import commonjsPlugin from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { findChrome } from './scripts/ensure-chromium.mjs';

const commonjs = fromRollup(commonjsPlugin);
/** DevTools protocol sessions holding each page's media emulation (see `portico-emulate`). */
const emulationSessions = new WeakMap();
const executablePath = findChrome();
if (!executablePath) {
  throw new Error('web-test-runner: no Chrome/Chromium found. Run `node scripts/ensure-chromium.mjs` or set CHROME_PATH.');
}

// Running as root (containers, CI) Chromium refuses to start without --no-sandbox.
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: '.',
  files: ['packages/elements/src/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: {
    browser: true,
    // Workspace packages resolve to their TypeScript sources.
    exportConditions: ['portico-source', 'browser', 'development'],
  },
  plugins: [
    // `executeServerCommand('portico-focus-page')`: brings the test page to the front. After
    // some files (a modal <dialog> in the panel tests) the next page starts without focus,
    // and focus/blur-driven behaviour (pickers opening on focus, validation on blur) never fires.
    {
      name: 'portico-focus-page',
      async executeCommand({ command, session }) {
        if (command !== 'portico-focus-page') return undefined;
        if (session.browser.type !== 'puppeteer') return false;
        await session.browser.getPage(session.id).bringToFront();
        return true;
      },
    },
    // `executeServerCommand('portico-emulate', { forcedColors, reducedMotion, colorScheme })`:
    // CSS media features the accessibility tests need (test/browser/a11y/). The stock
    // emulateMedia command cannot emulate forced colors on Chromium through puppeteer.
    {
      name: 'portico-emulate',
      async executeCommand({ command, payload, session }) {
        if (command !== 'portico-emulate') return undefined;
        const page = session.browser.getPage(session.id);
        // Straight through the DevTools protocol: puppeteer's own emulateMediaFeatures refuses
        // forced-colors. The override lives as long as its protocol session, so keep one per page.
        let cdp = emulationSessions.get(page);
        if (!cdp) emulationSessions.set(page, (cdp = await page.createCDPSession()));
        await cdp.send('Emulation.setEmulatedMedia', {
          features: [
            { name: 'forced-colors', value: payload?.forcedColors ?? '' },
            { name: 'prefers-reduced-motion', value: payload?.reducedMotion ?? '' },
            { name: 'prefers-color-scheme', value: payload?.colorScheme ?? '' },
          ],
        });
        return true;
      },
    },
    // `executeServerCommand('portico-ax-tree', { selector })`: Chromium's accessibility tree
    // (roles, names, states) of the page, or under the first element matching `selector`.
    {
      name: 'portico-ax-tree',
      async executeCommand({ command, payload, session }) {
        if (command !== 'portico-ax-tree') return undefined;
        const page = session.browser.getPage(session.id);
        if (!payload?.selector) return page.accessibility.snapshot({ interestingOnly: true });
        const root = await page.$(payload.selector);
        if (!root) throw new Error(`portico-ax-tree: nothing matches ${payload.selector}`);
        return page.accessibility.snapshot({ root, interestingOnly: true });
      },
    },
    // `executeServerCommand('portico-ax-expectation', { name, tree })`: the reviewed
    // accessibility-tree expectation `name` from test/browser/a11y/ax-expectations/. When it does
    // not exist yet, or PORTICO_UPDATE_AX=1, `tree` is written as the new expectation (review the diff).
    {
      name: 'portico-ax-expectation',
      async executeCommand({ command, payload }) {
        if (command !== 'portico-ax-expectation') return undefined;
        const { mkdir, readFile, writeFile } = await import('node:fs/promises');
        const dir = new URL('./test/browser/a11y/ax-expectations/', import.meta.url);
        const file = new URL(`${payload.name}.json`, dir);
        const existing = await readFile(file, 'utf8').catch(() => undefined);
        if (existing !== undefined && process.env.PORTICO_UPDATE_AX !== '1') return JSON.parse(existing);
        await mkdir(dir, { recursive: true });
        await writeFile(file, `${JSON.stringify(payload.tree, null, 2)}\n`);
        return payload.tree;
      },
    },
    // Tests import '@open-wc/testing' through test/browser/open-wc-testing.ts (waitUntil waits
    // up to 5 s by default instead of 1 s: a loaded machine is slow, not wrong).
    {
      name: 'portico-open-wc-testing',
      resolveImport({ source, context }) {
        if (source === '@open-wc/testing' && !context.path.endsWith('/test/browser/open-wc-testing.ts')) return '/test/browser/open-wc-testing.ts';
        return undefined;
      },
    },
    // The raw tsconfig is handed to esbuild as is (no `extends`), so point it at the base:
    // it holds experimentalDecorators and useDefineForClassFields: false.
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.base.json', target: 'es2022' }),
    // CommonJS-only packages that may end up in the browser graph (older msw releases pull
    // `debug`). Keep the list narrow: axe-core's UMD build must stay untouched so it
    // registers `window.axe` for chai-a11y-axe.
    commonjs({ include: ['**/node_modules/debug/**', '**/node_modules/ms/**'] }),
  ],
  middleware: [
    // MSW's service worker must be served from the root so its scope covers the test pages.
    (context, next) => {
      if (context.path === '/mockServiceWorker.js') context.url = '/packages/mocks/public/mockServiceWorker.js';
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          ...(asRoot ? ['--no-sandbox'] : []),
          '--headless=new',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  // Lit's one-line dev-mode notice would otherwise print for every test file.
  filterBrowserLogs: ({ args }) => !(typeof args[0] === 'string' && args[0].startsWith('Lit is in dev mode')),
  concurrency: 1,
  concurrentBrowsers: 1,
  // Generous backstops: several helpers share two cores, and a page's first module load and
  // first axe run can take many seconds there. Passing tests never wait for these; what they
  // wait for is bounded by their own `waitUntil` timeouts (5 s). (A file that used to stall
  // until testsFinishTimeout was a failure wtr could not serialize: see
  // test/browser/serializable-failures.ts.)
  browserStartTimeout: 60_000,
  testsStartTimeout: 90_000,
  testsFinishTimeout: 240_000,
  testFramework: { config: { timeout: 20_000 } },
};
