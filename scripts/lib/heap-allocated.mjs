// Bytes a process has allocated on its V8 heap, for "KB allocated per request" figures. V8 keeps
// no running total, so it is rebuilt from the garbage collections: what the heap holds now, plus
// what every collection since the start freed (v8.GCProfiler reports the heap before and after
// each). Off-heap memory (Buffers, SQLite's own) is not counted.
import { GCProfiler, getHeapStatistics } from 'node:v8';

let profiler = new GCProfiler();
profiler.start();
const startedWith = getHeapStatistics().used_heap_size;
let freed = 0;

/** Bytes allocated on the V8 heap since this module was loaded. */
export function heapAllocatedBytes() {
  for (const gc of profiler.stop().statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  profiler = new GCProfiler();
  profiler.start();
  return getHeapStatistics().used_heap_size + freed - startedWith;
}
