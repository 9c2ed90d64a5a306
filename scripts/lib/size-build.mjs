// The esbuild options the size scripts share: an app bundler's production build of the
// elements — minified, code-split, from the TypeScript sources, with the template minification
// and short message ids every shipped build applies.
import { minifyTemplatesEsbuild } from './minify-templates.mjs';

export const sizeBuildOptions = () => ({
  bundle: true,
  splitting: true,
  outdir: 'size-out',
  minify: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  metafile: true,
  conditions: ['portico-source', 'browser'],
  tsconfig: 'packages/elements/tsconfig.json',
  legalComments: 'none',
  logLevel: 'silent',
  plugins: [minifyTemplatesEsbuild()],
});
