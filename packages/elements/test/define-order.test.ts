/**
 * In a code-split bundle (the demo, the CDN lazy build, a vendor's bundler) a widget's define
 * module may land in a shared chunk that runs before the page's own code. If the widget is
 * registered before `<portico-provider>`, it upgrades first, asks for the client, nobody
 * answers, and it stays empty. Every widget's define module therefore imports the provider's,
 * so its chunk depends on the provider's registration. Checked on a real esbuild split.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { build, type Metafile } from 'esbuild';

const DEFINE = 'packages/elements/src/define';
const widgets = readdirSync(DEFINE).filter((f) => f.endsWith('.ts') && f !== 'portico-provider.ts');

describe('registration order in code-split bundles', () => {
  it('loads the provider’s registration before every widget’s, whichever chunk holds it', async () => {
    // A page that imports everything, while each widget is also imported lazily (as the
    // support panel's tabs do): the widgets' define modules move into shared chunks.
    const lazy = widgets.map((f) => `() => import('./${DEFINE}/${f}')`).join(', ');
    const result = await build({
      stdin: {
        contents: `import './packages/elements/src/index.ts';\nexport const lazy = [${lazy}];`,
        resolveDir: process.cwd(),
        loader: 'ts',
        sourcefile: 'page.ts',
      },
      bundle: true,
      splitting: true,
      format: 'esm',
      outdir: 'order-out',
      write: false,
      metafile: true,
      conditions: ['portico-source', 'browser'],
      tsconfig: 'packages/elements/tsconfig.json',
      logLevel: 'silent',
    });
    const outputs: Metafile['outputs'] = result.metafile.outputs;
    const holder = (source: string) => Object.keys(outputs).find((key) => Object.keys(outputs[key]!.inputs).some((i) => i.endsWith(source)))!;
    /** Chunks a chunk imports statically (they are evaluated before its own code), transitively. */
    const before = (key: string, seen = new Set<string>()): Set<string> => {
      for (const imp of outputs[key]!.imports) {
        if (imp.kind === 'import-statement' && !seen.has(imp.path)) {
          seen.add(imp.path);
          before(imp.path, seen);
        }
      }
      return seen;
    };
    const provider = holder('define/portico-provider.ts');
    assert.ok(provider, 'the provider is bundled');
    for (const file of widgets) {
      const chunk = holder(`define/${file}`);
      assert.ok(chunk === provider || before(chunk).has(provider), `${file}: its chunk can run before the provider is registered`);
    }
  });
});
