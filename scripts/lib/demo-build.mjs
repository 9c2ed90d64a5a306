// Bundles the demo's two pages: the vendor app's page script (with @portico/elements,
// code-split) and the agent console's. Used by `npm start` and the end-to-end browser tests.
import { build } from 'esbuild';

const shared = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2022',
  conditions: ['portico-source', 'browser'],
  tsconfig: 'packages/elements/tsconfig.json',
  logLevel: 'warning',
};

export async function buildDemo() {
  await build({
    ...shared,
    // Portico (portico.ts) and the page's own code (main.ts) as two scripts, as a vendor's page
    // includes a widget: Lighthouse reports each script's main-thread time on its own.
    entryPoints: { portico: 'examples/vendor-app/src/portico.ts', app: 'examples/vendor-app/src/main.ts' },
    outdir: 'examples/vendor-app/dist',
    // The support panel loads each tab (and each language) on first use: keep them as chunks.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  // The support team's agent console, served by the same backend at /agent/.
  await build({ ...shared, entryPoints: { console: 'examples/agent-console/src/main.ts' }, outdir: 'examples/agent-console/dist' });
}
