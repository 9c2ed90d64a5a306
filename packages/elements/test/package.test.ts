/**
 * The npm shape of @portico/elements and @portico/react: an exports entry per element and per
 * define module, side effects only in define modules, and React wrappers for every element.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('packages/elements/package.json', 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  sideEffects: string[];
  customElements: string;
};
const defines = readdirSync('packages/elements/src/define').filter((f) => f.endsWith('.ts'));

const run = (script: string, ...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('@portico/elements package', () => {
  it('has an exports entry per element and per define module (npm run exports)', () => {
    const check = run('scripts/exports.mjs', '--check');
    assert.equal(check.status, 0, check.stderr);
    for (const file of defines) {
      const tag = file.replace(/\.ts$/, '');
      const entry = pkg.exports[`./define/${tag}.js`];
      assert.ok(entry && typeof entry === 'object', `no exports entry for define/${tag}.js`);
      assert.ok(existsSync(`packages/elements/${entry['portico-source']}`), `${tag}: source entry points nowhere`);
      assert.ok(pkg.exports[`./${tag.replace(/^portico-/, '')}.js`], `no exports entry for the ${tag} class module`);
    }
  });

  it('declares side effects only for the modules that register elements', () => {
    assert.deepEqual(pkg.sideEffects.sort(), ['./dist/cdn/*', './dist/define/*.js', './dist/index.js', './src/define/*.ts', './src/index.ts'].sort());
    // And the class modules really do not register themselves.
    for (const file of readdirSync('packages/elements/src', { recursive: true }) as string[]) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.startsWith('define') || file === 'index.ts' || file === 'define-element.ts') continue;
      assert.doesNotMatch(readFileSync(`packages/elements/src/${file}`, 'utf8'), /customElements\.define|defineElement\(/, `${file} registers an element`);
    }
    assert.equal(pkg.customElements, 'custom-elements.json');
  });
});

describe('@portico/react', () => {
  it('wraps every element, generated from the Custom Elements Manifest (npm run react-wrappers)', () => {
    const check = run('scripts/react-wrappers.mjs', '--check');
    assert.equal(check.status, 0, check.stderr);
    const index = readFileSync('packages/react/src/index.ts', 'utf8');
    for (const file of defines) assert.match(index, new RegExp(`from './${file.replace(/\.ts$/, '')}\\.ts'`));
    assert.match(
      readFileSync('packages/react/src/portico-support-panel.ts', 'utf8'),
      /onPorticoNavigate: 'portico-navigate' as EventName<CustomEvent<PorticoNavigateDetail>>/,
    );
  });
});
