/**
 * The README's event listener compiles in a strict TypeScript project that uses the package's
 * declarations: Portico's events are typed on the document and the window, not only on the
 * elements (src/events.ts augments the global event maps).
 *
 * The declarations are emitted from the sources as `npm run build:types` does, into a folder
 * under node_modules/.cache (so `lit` and the other dependencies resolve), then a consumer
 * project with `strict` and the README's snippet is type-checked against them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../../..');

function readConfig(path: string): ts.ParsedCommandLine {
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  assert.equal(error, undefined);
  return ts.parseJsonConfigFileContent(config, ts.sys, resolve(path, '..'));
}

const messages = (diagnostics: readonly ts.Diagnostic[]) =>
  diagnostics.map((d) => `${d.file ? `${d.file.fileName}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`).join('\n');

/** The README's own lines, so the test follows the README. */
function readmeSnippet(): string {
  const line = readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => l.includes("document.addEventListener('portico-navigate'"));
  assert.ok(line, 'README.md no longer shows a portico-navigate listener');
  return line.trim();
}

describe('Portico events in a strict TypeScript project', () => {
  it("types the README’s document.addEventListener('portico-navigate', …) from the package’s declarations", () => {
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/portico-strict-'));
    try {
      // 1. The package's declarations (core's too: the elements' types name it).
      const own = readConfig(join(ROOT, 'packages/elements/tsconfig.json'));
      const build = ts.createProgram({
        rootNames: [join(ROOT, 'packages/elements/src/index.ts')],
        options: {
          ...own.options,
          composite: false,
          declarationMap: false,
          sourceMap: false,
          rootDir: join(ROOT, 'packages'),
          outDir: join(dir, 'types'),
          emitDeclarationOnly: true,
          declaration: true,
        },
      });
      const emitted = build.emit();
      assert.equal(emitted.emitSkipped, false, messages(emitted.diagnostics));

      // 2. A consumer: strict, bundler resolution, the package names mapped to those declarations.
      const app = join(dir, 'app.ts');
      writeFileSync(
        app,
        [
          "import '@portico/elements';",
          readmeSnippet(),
          // The detail is the documented type, not `any`: a wrong field is an error.
          "document.addEventListener('portico-navigate', (e) => { const view: 'tickets' | 'new-ticket' | 'activity' | 'team' | 'summary' = e.detail.view; void view; });",
          "window.addEventListener('portico-ticket-select', (e) => e.detail.id.toUpperCase());",
          '',
        ].join('\n'),
      );
      const types = join(dir, 'types');
      const options: ts.CompilerOptions = {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: [],
        paths: {
          '@portico/elements': [join(types, 'elements/src/index.d.ts')],
          '@portico/core': [join(types, 'core/src/index.d.ts')],
          '@portico/core/*': [join(types, 'core/src/*')],
        },
      };
      const consumer = ts.createProgram({ rootNames: [app], options });
      const diagnostics = ts.getPreEmitDiagnostics(consumer);
      assert.equal(diagnostics.length, 0, messages(diagnostics));

      // And the check can fail: a detail field that does not exist is refused.
      writeFileSync(app, "import '@portico/elements';\ndocument.addEventListener('portico-navigate', (e) => e.detail.nope);\n");
      const wrong = ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: [app], options }));
      assert.match(messages(wrong), /Property 'nope' does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
