// Storybook 10 for Portico: web components on Vite, stories in /stories, MSW's worker
// served from @portico/mocks, controls and docs from the Custom Elements Manifest.
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', 'msw-storybook-addon'],
  // mockServiceWorker.js must be served from the root so its scope covers iframe.html.
  staticDirs: ['../packages/mocks/public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite');
    return mergeConfig(viteConfig, {
      // Workspace packages resolve to their TypeScript sources, as in the browser tests.
      resolve: { conditions: ['portico-source', 'browser', 'module', 'import', 'default'] },
      build: { chunkSizeWarningLimit: 4096 },
    });
  },
};

export default config;
