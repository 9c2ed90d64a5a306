/**
 * Response compression for the Node server: brotli when the client's `Accept-Encoding`
 * allows it, gzip otherwise. Node-only (zlib); the browser-loadable app never compresses (the
 * mocks' service worker must hand back plain bodies). See docs/deploy.md, "Compression".
 */
import type { Context, MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';
import { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createGzip,
  gzip,
  gzipSync,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';

/** The encodings the server produces, preferred first when the client rates them equally. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * The encoding to answer with for an `Accept-Encoding` header (RFC 9110 §12.5.3): the one
 * with the highest q-value above 0, brotli on a tie; `*` stands for any encoding not named;
 * undefined when the client accepts neither (or sent no header: identity).
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const qParam = params.find((p) => /^q\s*=/.test(p));
    const value = qParam === undefined ? 1 : Number(qParam.slice(qParam.indexOf('=') + 1).trim());
    // A malformed weight counts as "not acceptable" rather than as the default 1.
    q.set(name, Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0);
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const encoding of ENCODINGS) {
    const weight = q.get(encoding) ?? (encoding === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
    if (weight > bestQ) [best, bestQ] = [encoding, weight];
  }
  return best;
}

/** How hard each encoding works. */
export interface CompressionLevels {
  /** Brotli quality, 0–11. */
  brotli: number;
  /** Gzip level, 1–9. */
  gzip: number;
}

/**
 * For per-request bodies. On a 50-ticket list page (38 KB of JSON) brotli 4 is as small and
 * as cheap as gzip 6 (6.5 KB, ~0.35 ms of CPU); quality 5 is 8 % smaller for 1.7× the CPU,
 * 9 and up cost 10–50 ms (`npm run bench:compression` prints the curve). Per-request CPU is
 * what limits a server's throughput, so 4; gzip 6 is zlib's own default.
 */
export const DYNAMIC_LEVELS: CompressionLevels = { brotli: 4, gzip: 6 };
/** For files compressed once and kept (the widget bundle): the smallest output (brotli 11 is 12 % under gzip 9 on JavaScript). */
export const STATIC_LEVELS: CompressionLevels = { brotli: 11, gzip: 9 };

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const brotliOptions = (body: number | undefined, quality: number): BrotliOptions => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: quality,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    ...(body !== undefined ? { [constants.BROTLI_PARAM_SIZE_HINT]: body } : {}),
  },
});
const gzipOptions = (level: number): ZlibOptions => ({ level });

/** Compresses a whole body on libuv's thread pool, off the event loop (for large bodies and high levels). */
export async function compressBody(encoding: Encoding, body: Uint8Array, levels: CompressionLevels = DYNAMIC_LEVELS): Promise<Uint8Array> {
  return encoding === 'br' ? brotliAsync(body, brotliOptions(body.byteLength, levels.brotli)) : gzipAsync(body, gzipOptions(levels.gzip));
}

/** Compresses a whole body at once, on the event loop (for small bodies at per-request levels). */
function compressBodySync(encoding: Encoding, body: Uint8Array, levels: CompressionLevels): Uint8Array {
  return encoding === 'br' ? brotliCompressSync(body, brotliOptions(body.byteLength, levels.brotli)) : gzipSync(body, gzipOptions(levels.gzip));
}

/**
 * Bodies up to this size are compressed on the event loop: handing one to the thread pool
 * costs about 0.1 ms more CPU than compressing a 20–40 KB list page takes (0.1–0.35 ms at
 * the per-request levels), and per-request CPU is what limits a server's throughput.
 */
const SYNC_MAX = 64 * 1024;

/** A web transform stream that compresses, for bodies too large to hold. */
function compressStream(encoding: Encoding, levels: CompressionLevels): ReadableWritablePair<Uint8Array, Uint8Array> {
  const zlibStream = encoding === 'br' ? createBrotliCompress(brotliOptions(undefined, levels.brotli)) : createGzip(gzipOptions(levels.gzip));
  return Duplex.toWeb(zlibStream) as ReadableWritablePair<Uint8Array, Uint8Array>;
}

const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** Bodies up to this size are read whole and compressed in one call; larger ones stream. */
const WHOLE_BODY_MAX = 1024 * 1024;

/**
 * Compresses text responses of at least `threshold` bytes (default 1 KiB) for clients that
 * accept brotli or gzip. Left alone: event streams (each event must reach the client when
 * written), bodies already encoded, `Cache-Control: no-transform`, and responses with a
 * strong ETag (compressing would make it weak, and a weak tag never matches `If-Match`; such
 * records are single, small bodies).
 */
export function compression(options: { threshold?: number; levels?: CompressionLevels } = {}): MiddlewareHandler {
  const threshold = options.threshold ?? 1024;
  const levels = options.levels ?? DYNAMIC_LEVELS;
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('Content-Type');
    const etag = res.headers.get('ETag');
    // (`res.body` is read last: on the Node adapter's light responses, reading it builds the full
    // Response and costs the body its fast path, see below.)
    if (
      c.req.method === 'HEAD' ||
      res.status === 206 ||
      res.headers.has('Content-Encoding') ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '') ||
      (etag && !etag.startsWith('W/'))
    ) {
      return;
    }
    const declared = res.headers.get('Content-Length');
    if (declared !== null && Number(declared) < threshold) return;
    // Whether or not it is encoded, the answer depends on Accept-Encoding from here on. Said
    // also of a body whose length is not known yet (JSON from the routes) and turns out small:
    // knowing it would mean reading the body, which is the next point.
    addVary(res.headers);
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'));
    // Nothing to encode for this client: the body goes out as the route made it, unread. Read
    // whole and answered again, an in-memory body loses the Node adapter's fast path (see
    // `replaceBody`), which is about a tenth of a list page's CPU for no change in the bytes.
    if (!encoding || !res.body) return;
    if (declared === null || Number(declared) <= WHOLE_BODY_MAX) {
      // JSON from the routes has no length until read: read it, then decide.
      const body = new Uint8Array(await res.arrayBuffer());
      if (body.byteLength < threshold) {
        replaceBody(c, res, body);
        return;
      }
      const compressed = body.byteLength <= SYNC_MAX ? compressBodySync(encoding, body, levels) : await compressBody(encoding, body, levels);
      replaceBody(c, res, compressed);
      c.res.headers.set('Content-Length', String(compressed.byteLength));
    } else {
      // (Hono's `c.res` setter copies the old response's headers over the new one's, so each
      // header that changes is set after the assignment.)
      c.res = new Response(res.body.pipeThrough(compressStream(encoding, levels)), res);
      c.res.headers.delete('Content-Length');
    }
    c.res.headers.set('Content-Encoding', encoding);
  };
}

/**
 * Answers `body` (whole, in memory) with the status and headers of `res`. Built from a plain
 * init and swapped in without Hono's `c.res` setter: the setter re-wraps the new response
 * around its body *stream*, and the Node adapter (@hono/node-server) then copies a streamed
 * body chunk by chunk, where it writes a whole in-memory body with its headers in one call.
 * On a 50-ticket list page that is about a tenth of a millisecond of CPU per request.
 */
function replaceBody(c: Context, res: Response, body: Uint8Array): void {
  const whole = new Response(body as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers: res.headers });
  // Unset first: the setter copies headers only onto a replacement of a response it holds.
  c.res = undefined;
  c.res = whole;
}

/** Adds `Accept-Encoding` to `Vary` (once). */
export function addVary(headers: Headers): void {
  const vary = headers.get('Vary');
  if (vary === '*' || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}
