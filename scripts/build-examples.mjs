#!/usr/bin/env node
// Builds what the example browser tests load: the packages' npm output (rollup, JS only),
// the CDN files, and the React and Vue examples with Vite. Part of `npm test`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { build } from 'vite';
import { buildCdn } from './build-cdn.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const started = Date.now();
const rollup = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], { cwd: ROOT, stdio: 'inherit' });
if (rollup.status !== 0) process.exit(rollup.status ?? 1);
await buildCdn();
for (const example of ['react', 'vue']) {
  const root = resolve(ROOT, 'examples', example);
  await build({ root, configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn', build: { emptyOutDir: true } });
}
console.log(`examples built in ${((Date.now() - started) / 1000).toFixed(1)} s (packages/*/dist, packages/elements/dist/cdn, examples/{react,vue}/dist)`);
