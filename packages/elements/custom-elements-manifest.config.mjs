// Custom Elements Manifest for @portico/elements, from the elements' JSDoc.
// Run from the repo root with `npm run analyze` (writes custom-elements.json here).
// Globs are explicit: walking the whole tree would enter node_modules of other packages.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/internal/**'],
  outdir: '.',
  litelement: true,
  packagejson: true,
};
