/**
 * The build step that strips the indentation of Lit templates (scripts/lib/minify-templates.mjs):
 * it must shrink html/css templates, keep line numbers, and never touch code, strings,
 * regular expressions or other templates — and every element must still compile after it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { transformSync } from 'esbuild';
// @ts-expect-error — a plain .mjs build helper without types
import { minifyTemplates } from '../../scripts/lib/minify-templates.mjs';

const minify = minifyTemplates as (source: string) => string;

describe('minifyTemplates', () => {
  it('drops the indentation of html templates but keeps their line breaks and expressions', () => {
    const source = 'const t = html`\n  <div part="base">\n    ${this.renderRows()}\n    <span>${a} ${b}</span>\n  </div>\n`;';
    assert.equal(minify(source), 'const t = html`\n<div part="base">\n${this.renderRows()}\n<span>${a} ${b}</span>\n</div>\n`;');
  });

  it('minifies css templates: comments, indentation, spaces around braces, semicolons, commas and after colons, the last semicolon of a block', () => {
    const source =
      "export default css`\n  /* rows */\n  .row:hover,\n  .row[aria-selected='true'] {\n    padding: var(--a, 1px 2px);\n    color: red;\n  }\n`;";
    assert.equal(minify(source), "export default css`\n\n.row:hover,\n.row[aria-selected='true']{\npadding:var(--a,1px 2px);\ncolor:red\n}\n`;");
  });

  it('handles templates nested in expressions, and leaves other templates, strings, regexes and comments alone', () => {
    const source = [
      'const a = html`<ul>\n   ${items.map((i) => html`<li>\n      ${i}</li>`)}\n</ul>`;',
      'const b = msg(str`Due   ${when}\n   today`, { id: "x`y" });',
      "const c = '  html`  not a template  `  ';",
      'const d = text.split(/`{2,}\\n/).map((p) => html`<p>\n   ${p}</p>`);',
      '// html`\n   comment`',
      'const e = x / 2 / y; const f = `plain\n   text`;',
    ].join('\n');
    const expected = [
      'const a = html`<ul>\n${items.map((i) => html`<li>\n${i}</li>`)}\n</ul>`;',
      'const b = msg(str`Due   ${when}\n   today`, { id: "x`y" });',
      "const c = '  html`  not a template  `  ';",
      'const d = text.split(/`{2,}\\n/).map((p) => html`<p>\n${p}</p>`);',
      '// html`\n   comment`',
      'const e = x / 2 / y; const f = `plain\n   text`;',
    ].join('\n');
    assert.equal(minify(source), expected);
  });

  it('keeps every element module valid TypeScript with the same number of lines', () => {
    const dir = 'packages/elements/src';
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    let saved = 0;
    for (const file of files) {
      const source = readFileSync(`${dir}/${file}`, 'utf8');
      const out = minify(source);
      assert.equal(out.split('\n').length, source.split('\n').length, `${file}: line count changed`);
      assert.doesNotThrow(
        () => transformSync(out, { loader: 'ts', format: 'esm', target: 'es2022', tsconfigRaw: { compilerOptions: { experimentalDecorators: true } } }),
        file,
      );
      saved += source.length - out.length;
    }
    assert.ok(saved > 10_000, `only ${saved} characters saved`);
  });
});
