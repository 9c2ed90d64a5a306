// Marks the chunks a page runs as soon as it loads them with V8's per-file compile hint,
// `//# allFunctionsCalledOnLoad`: Chromium then compiles all of their functions on the
// background thread that streams the script, instead of compiling each one on the main thread
// the first time it runs (lit's first render, the client's first request, …). Browsers without
// the hint read a comment. Lazily loaded chunks (panel tabs, translations) are left alone: they
// load when used, and much of their code may never run.
//
// The hint is the file's first line. It is added after every other plugin has run (minifiers
// drop comments), and each marked chunk's source map moves one line down with it.
// See docs/builds.md, "Compile hints".

export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/** Rollup plugin: the compile hint on the entry chunks and every chunk they import statically. */
export function compileHints() {
  return {
    name: 'portico-compile-hints',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const firstLoad = new Set();
        const visit = (fileName) => {
          const chunk = bundle[fileName];
          if (!chunk || chunk.type !== 'chunk' || firstLoad.has(fileName)) return;
          firstLoad.add(fileName);
          chunk.imports.forEach(visit);
        };
        for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk' && chunk.isEntry) visit(chunk.fileName);
        for (const fileName of firstLoad) {
          const chunk = bundle[fileName];
          chunk.code = `${COMPILE_HINT}\n${chunk.code}`;
          // One generated line more at the top: a `;` ahead of the mappings says so, in the
          // chunk's map and in the .map file rollup has already emitted from it.
          if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
          const mapFile = chunk.sourcemapFileName && bundle[chunk.sourcemapFileName];
          if (mapFile?.type === 'asset') {
            const map = JSON.parse(String(mapFile.source));
            mapFile.source = JSON.stringify({ ...map, mappings: `;${map.mappings}` });
          }
        }
      },
    },
  };
}
