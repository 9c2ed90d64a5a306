// Bundles the demo's two pages: the vendor app's page script (with @portico/elements,
// code-split) and the agent console's. Used by `npm start` and the end-to-end browser tests.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { compileHints } from './compile-hints.mjs';
import { minifyTemplatesRollup } from './minify-templates.mjs';

const CONDITIONS = ['portico-source', 'browser'];
const TSCONFIG = 'packages/elements/tsconfig.json';

/**
 * The vendor page: Portico (portico.ts) and the page's own code (main.ts) as two scripts, as a
 * vendor's page includes a widget: Lighthouse reports each script's main-thread time on its own.
 * The support panel loads each tab (and each language) on first use: those stay chunks.
 *
 * Rollup, not esbuild, splits it: esbuild makes one chunk per set of entry points and dynamic
 * imports that share a module, which gave Portico's first load about ten chunks of a few hundred
 * bytes each, every one a request and a module task of its own. Rollup keeps what the page's
 * first load needs together (it knows a lazy chunk's importer has loaded its modules already):
 * portico.js and one chunk it shares with the Team area's lazy element (docs/builds.md).
 * Templates are minified as in every shipped build (scripts/lib/minify-templates.mjs), and the
 * first load's two files carry V8's compile hint (scripts/lib/compile-hints.mjs).
 */
async function buildVendorPage() {
  const bundle = await rollup({
    input: { portico: 'examples/vendor-app/src/portico.ts', app: 'examples/vendor-app/src/main.ts' },
    plugins: [
      nodeResolve({ exportConditions: CONDITIONS, extensions: ['.ts', '.mjs', '.js'] }),
      minifyTemplatesRollup(),
      esbuild({ target: 'es2022', tsconfig: TSCONFIG, minify: true, sourceMap: true }),
      compileHints(),
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
    },
  });
  try {
    await bundle.write({
      dir: 'examples/vendor-app/dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
    });
  } finally {
    await bundle.close();
  }
}

export async function buildDemo() {
  const { rm } = await import('node:fs/promises');
  // A fresh directory: chunks of an earlier build (other names) must not linger.
  await rm('examples/vendor-app/dist', { recursive: true, force: true });
  await buildVendorPage();
  // The support team's agent console, served by the same backend at /agent/.
  await build({
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: 'es2022',
    conditions: CONDITIONS,
    tsconfig: TSCONFIG,
    logLevel: 'warning',
    entryPoints: { console: 'examples/agent-console/src/main.ts' },
    outdir: 'examples/agent-console/dist',
  });
}
