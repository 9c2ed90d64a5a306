// Builds every package to dist/ as unbundled ESM (one module per source file),
// transpiled by esbuild; `npm run build:types` emits the .d.ts files with tsc.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import esbuild from 'rollup-plugin-esbuild';
import { minifyTemplatesRollup } from './scripts/lib/minify-templates.mjs';

const PACKAGES = ['core', 'server', 'mocks', 'elements', 'react'];

/** Every non-test .ts module below `dir`: each becomes an entry, so dist mirrors src. */
function sourceModules(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceModules(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') && !name.startsWith('test-') ? [path] : [];
  });
}

function packageConfig(name) {
  const root = `packages/${name}`;
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  return {
    input: sourceModules(`${root}/src`),
    // Bare imports (dependencies, node: builtins) stay imports: consumers bundle them once.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    // The elements' templates ship without their indentation (scripts/lib/minify-templates.mjs).
    plugins: [minifyTemplatesRollup(), esbuild({ target: 'es2022', tsconfig: `${root}/tsconfig.json`, sourceMap: true })],
    output: {
      dir: `${root}/dist`,
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: `${root}/src`,
      entryFileNames: '[name].js',
      sourcemap: true,
    },
    onwarn(warning, warn) {
      if (warning.code === 'EMPTY_BUNDLE') return;
      warn(warning);
    },
    treeshake: { moduleSideEffects: pkg.sideEffects !== false },
  };
}

export default PACKAGES.filter((name) => existsSync(`packages/${name}/src`) && sourceModules(`packages/${name}/src`).length > 0).map(packageConfig);
