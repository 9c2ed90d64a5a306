import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    vue({
      // Portico's tags are custom elements, not Vue components.
      template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('portico-') } },
    }),
  ],
  base: './',
  // `npm start` at the repository root runs the demo backend on :8787.
  server: { proxy: { '/api': 'http://localhost:8787', '/demo': 'http://localhost:8787' } },
});
