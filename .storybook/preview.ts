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

const preview: Preview = {
  loaders: [
    mswLoader(async () => {
      const worker = setupWorker();
      // Only API calls are mocked; Storybook's own files pass through without a warning.
      await worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: './mockServiceWorker.js' } });
      return worker;
    }),
    mockApiLoader,
  ],
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
