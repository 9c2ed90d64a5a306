/**
 * Switches zod's JIT off wherever a Content-Security-Policy may apply (pages and workers).
 * zod compiles object parsers with `new Function` and probes for it when an object schema
 * is built; under a strict CSP (no 'unsafe-eval') the probe raises a violation report even
 * though zod catches it. So this runs before any schema module builds a schema: every such
 * module imports this one first, and package.json lists it under `sideEffects`.
 * Node keeps the faster compiled parsers (there is no CSP there).
 */
import { config } from 'zod/mini';

if ('document' in globalThis || 'WorkerGlobalScope' in globalThis) config({ jitless: true });
