// Every story: a fresh mock API (the server's own app on a memory store), MSW in front of
// it, a provider signed in as the toolbar's contact, and the manifest for controls/docs.
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { setupWorker } from 'msw/browser';
import manifest from '../packages/elements/custom-elements.json';
import { withPortico } from '../stories/support/decorators.ts';
import { globalTypes, initialGlobals } from '../stories/support/globals.ts';
import { apiHandlers, mockApiLoader } from '../stories/support/mock-api.ts';
import './preview.css';

setCustomElementsManifest(manifest);

/** How long to wait, at most, for a new mock worker to take control of the page. */
const CLAIM_TIMEOUT_MS = 3_000;

/**
 * Starts the mock worker and resolves once it controls this page. On a cold load (no service
 * worker registered yet) the new worker claims the page (`clients.claim()`) as it activates; a
 * request sent before the page is controlled goes to the static server instead, and the first
 * story shows "Couldn't connect to support" (a 404). `mswLoader` awaits this before any story
 * renders. (A hard reload leaves the page uncontrolled for good: MSW reloads it itself, hence
 * the time limit rather than waiting forever.)
 */
async function startMockWorker() {
  const worker = setupWorker();
  // Only API calls are mocked; Storybook's own files pass through without a warning.
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: './mockServiceWorker.js' } });
  if (!navigator.serviceWorker.controller) {
    await new Promise<void>((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
      setTimeout(resolve, CLAIM_TIMEOUT_MS);
    });
  }
  return worker;
}

const preview: Preview = {
  // Loaders run side by side; mockApiLoader needs no worker (it only makes the store), and the
  // story renders after both: with the worker in control.
  loaders: [mswLoader(startMockWorker), mockApiLoader],
  decorators: [withPortico],
  globalTypes,
  initialGlobals,
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    // `state` comes first so a story's state handlers win over the API itself.
    msw: { handlers: { state: [], api: apiHandlers } },
    backgrounds: { disable: true },
  },
};

export default preview;
