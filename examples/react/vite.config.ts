import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm start` at the repository root runs the demo backend on :8787; the dev server forwards
// the Portico API and the demo's token endpoint to it.
export default defineConfig({
  plugins: [react()],
  base: './',
  server: { proxy: { '/api': 'http://localhost:8787', '/demo': 'http://localhost:8787' } },
});
