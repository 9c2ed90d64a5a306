// Main-thread JavaScript time by whose code it is, from the V8 CPU samples in a Chrome trace
// (recorded with the `disabled-by-default-v8.cpu_profiler` category). Each sample goes to the
// innermost frame of the stack that is one of the page's own scripts, mapped through that
// script's source map to the original file; `ownerOf(file)` names the owner. Work the browser
// does for that code while it runs (a forced layout, a DOM call) is in the sample, so it counts
// for the code that asked for it.
import { readFileSync } from 'node:fs';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** The longest time one sample stands for (see below). */
const MAX_SAMPLE_MS = 1;

/**
 * @param {{ traceEvents: any[] }} trace
 * @param {{ pid: number, tid: number }} mainThread the renderer main thread to read
 * @param {(url: string) => string | undefined} sourceMapPath where a script URL's source map lies on disk (undefined: not ours)
 * @param {(file: string) => string} ownerOf owner of an original source file (path relative to the repository)
 * @returns {{ byOwner: Map<string, number>, functions: Map<string, { owner: string, ms: number }>, sampledMs: number }}
 */
export function jsTimeByOwner(trace, mainThread, sourceMapPath, ownerOf) {
  // Profile ids repeat across processes: key them by process.
  const profiles = new Map();
  for (const e of trace.traceEvents) {
    if (e.pid === mainThread.pid && e.tid === mainThread.tid && e.name === 'Profile') profiles.set(e.id, { nodes: new Map(), samples: [], deltas: [] });
  }
  for (const e of trace.traceEvents) {
    if (e.pid !== mainThread.pid || e.name !== 'ProfileChunk') continue;
    const profile = profiles.get(e.id);
    const data = e.args.data;
    for (const node of data.cpuProfile?.nodes ?? []) profile?.nodes.set(node.id, node);
    profile?.samples.push(...(data.cpuProfile?.samples ?? []));
    profile?.deltas.push(...(data.timeDeltas ?? []));
  }

  const maps = new Map();
  const mapFor = (url) => {
    if (!maps.has(url)) {
      const path = sourceMapPath(url);
      maps.set(url, path ? new TraceMap(readFileSync(path, 'utf8'), path) : null);
    }
    return maps.get(url);
  };
  const frames = new Map();
  /** The original file and function of a profile node, or null when it is not the page's code. */
  const frameOf = (node) => {
    if (!frames.has(node)) {
      const { url, functionName, lineNumber, columnNumber } = node.callFrame;
      const map = url && lineNumber >= 0 ? mapFor(url) : null;
      let frame = null;
      if (map) {
        const original = originalPositionFor(map, { line: lineNumber + 1, column: Math.max(columnNumber, 0) });
        const file = (original.source ?? url).replace(/^.*?\/(examples|packages|node_modules)\//, '$1/');
        frame = { file, owner: ownerOf(file), name: `${original.name ?? (functionName || '(anonymous)')} (${file}:${original.line ?? '?'})` };
      }
      frames.set(node, frame);
    }
    return frames.get(node);
  };

  const byOwner = new Map();
  const functions = new Map();
  let sampledMs = 0;
  for (const profile of profiles.values()) {
    for (let i = 0; i < profile.samples.length; i++) {
      // A sample stands for the time until the next one, up to MAX_SAMPLE_MS: V8 samples a busy
      // thread every ~0.2 ms, and a longer gap is the machine not running the thread at all.
      const ms = Math.min(Math.max(profile.deltas[i + 1] ?? 0, 0) / 1000, MAX_SAMPLE_MS);
      let node = profile.nodes.get(profile.samples[i]);
      if (!node || node.callFrame.functionName === '(idle)') continue;
      sampledMs += ms;
      const leaf = node;
      let frame = null;
      while (node && !(frame = frameOf(node))) node = profile.nodes.get(node.parent);
      if (!frame) continue;
      byOwner.set(frame.owner, (byOwner.get(frame.owner) ?? 0) + ms);
      // Bottom-up: the innermost of the page's own frames, with the browser's work under it.
      const key = leaf === node ? frame.name : `${frame.name} → ${leaf.callFrame.functionName || '(native)'}`;
      const entry = functions.get(key) ?? { owner: frame.owner, ms: 0 };
      entry.ms += ms;
      functions.set(key, entry);
    }
  }
  return { byOwner, functions, sampledMs };
}
