// Minifies the text of Lit's tagged templates in the elements' sources — what a JS minifier
// leaves alone: the indentation of `html`/`svg` templates and the whitespace and comments of
// `css` templates. Used by every build that ships (dist/, the CDN files) and by the size
// script, so what is measured is what ships. Rendering does not change:
//   html`…` / svg`…`  the indentation after a line break goes (HTML collapses a run of
//                      whitespace anyway; templates never hold <pre> text, and a <textarea>'s
//                      content is always an expression)
//   css`…`            comments and indentation go; no spaces around { } ; , nor after a
//                      colon (a space after `:` never matters in CSS); no `;` before `}`
// Line breaks themselves stay, so line numbers (and source maps) do not move.
// Expressions (`${…}`), other templates (msg(str`…`)) and all other code are copied as they are.
// The plugins below also give msg() ids their short shipped form (see message-ids.mjs).

import { messageIdMap, shortenMessageIds } from './message-ids.mjs';

const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'in', 'of', 'void', 'delete', 'throw', 'new', 'else', 'do', 'await', 'yield']);

/** Minifies the `html`, `svg` and `css` tagged templates of a JS/TS module's source. */
export function minifyTemplates(source) {
  let i = 0;
  let out = '';
  /** The last significant character emitted (decides whether `/` starts a regex). */
  let prev = '';

  // Line breaks stay (one per line break removed from), so line numbers — and source maps —
  // do not move; only indentation and spaces go.
  const lineBreaks = (match) => match.replace(/[^\n]/g, '');
  const minify = (tag, text) => {
    if (tag === 'css') {
      return text
        .replace(/\/\*[\s\S]*?\*\//g, lineBreaks)
        .replace(/[ \t]*\n\s*/g, lineBreaks)
        .replace(/[ \t]+/g, ' ')
        .replace(/ ?([{};,]) ?/g, '$1')
        .replace(/: /g, ':')
        .replace(/;(\s*)\}/g, '$1}');
    }
    if (tag === 'html' || tag === 'svg') return text.replace(/[ \t]*\n\s*/g, lineBreaks);
    return text;
  };

  const regexAllowed = () => {
    if (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev)) return true;
    const word = /([A-Za-z_$][\w$]*)\s*$/.exec(out);
    return !!word && KEYWORDS_BEFORE_REGEX.has(word[1]);
  };

  const string = (quote) => {
    const start = i++;
    while (i < source.length && source[i] !== quote) i += source[i] === '\\' ? 2 : 1;
    i++;
    out += source.slice(start, i);
    prev = quote;
  };

  const regex = () => {
    const start = i++;
    let inClass = false;
    while (i < source.length) {
      const c = source[i];
      if (c === '\\') i += 2;
      else {
        i++;
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        else if (c === '\n') break; // not a regex after all: copy as is
      }
    }
    while (/[a-z]/.test(source[i] ?? '')) i++;
    out += source.slice(start, i);
    prev = '/';
  };

  const template = () => {
    const tag = /(?:^|[^\w$.])(html|css|svg)\s*$/.exec(out)?.[1];
    out += '`';
    i++;
    let text = '';
    while (i < source.length) {
      const c = source[i];
      if (c === '\\') {
        text += c + (source[i + 1] ?? '');
        i += 2;
      } else if (c === '`') {
        out += minify(tag, text) + '`';
        i++;
        prev = '`';
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        out += minify(tag, text) + '${';
        text = '';
        i += 2;
        prev = '{';
        code(true);
        out += '}';
        i++;
      } else {
        text += c;
        i++;
      }
    }
    out += text;
  };

  /** Copies code up to the end (or, inside `${…}`, up to its closing brace, left unconsumed). */
  function code(inExpression) {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      const next = source[i + 1];
      if (c === '/' && next === '/') {
        const end = source.indexOf('\n', i);
        const stop = end < 0 ? source.length : end;
        out += source.slice(i, stop);
        i = stop;
      } else if (c === '/' && next === '*') {
        const end = source.indexOf('*/', i + 2);
        const stop = end < 0 ? source.length : end + 2;
        out += source.slice(i, stop);
        i = stop;
      } else if (c === '"' || c === "'") string(c);
      else if (c === '`') template();
      else if (c === '/' && regexAllowed()) regex();
      else {
        if (c === '{') depth++;
        else if (c === '}') {
          if (inExpression && depth === 0) return;
          depth--;
        }
        out += c;
        i++;
        if (!/\s/.test(c)) prev = c;
      }
    }
  }

  code(false);
  return out;
}

/** Which modules get minified templates: the elements' sources, not their tests. */
const ELEMENT_SOURCES = /[\\/]packages[\\/]elements[\\/]src[\\/].*\.ts$/;
export const isTemplateSource = (path) => ELEMENT_SOURCES.test(path) && !path.endsWith('.test.ts');

/**
 * What every shipped build does to an element module's source: minified templates and short
 * message ids (scripts/lib/message-ids.mjs). Line numbers do not move.
 */
export function shippedSource(code, ids = messageIds()) {
  return shortenMessageIds(minifyTemplates(code), ids);
}

let catalogue;
const messageIds = () => (catalogue ??= messageIdMap());

/** The esbuild plugin (size script, CDN lazy build). */
export function minifyTemplatesEsbuild() {
  return {
    name: 'portico-shipped-source',
    setup(build) {
      const ids = messageIdMap();
      build.onLoad({ filter: ELEMENT_SOURCES }, async (args) => {
        if (!isTemplateSource(args.path)) return undefined;
        const { readFile } = await import('node:fs/promises');
        return { contents: shippedSource(await readFile(args.path, 'utf8'), ids), loader: 'ts' };
      });
    },
  };
}

/** The rollup plugin (dist/, the one-file CDN build); put it before the TypeScript transform. */
export function minifyTemplatesRollup() {
  const ids = messageIdMap();
  return {
    name: 'portico-shipped-source',
    transform(code, id) {
      return isTemplateSource(id) ? { code: shippedSource(code, ids), map: null } : null;
    },
  };
}
