/**
 * The widget bundle at a versioned path, so a vendor embeds Portico from its own Portico
 * server rather than a third-party CDN:
 *
 * ```html
 * <script type="module" src="https://support.example.com/portico/0.1.0/portico.min.js"
 *         integrity="sha384-…" crossorigin="anonymous"></script>
 * ```
 *
 * `GET /portico/<version>/portico.min.js` (and its `.map`) answers the CDN build of
 * @portico/elements (`npm run build` writes it to packages/elements/dist/cdn; docs/integrity.md
 * lists each release's SRI hash). A version's file never changes, so it is cached for a year
 * and marked immutable, and compressed once, at the highest brotli and gzip levels, on its
 * first request; another version, or another file, is the API's 404.
 *
 * Node-only (it reads files): `startServer` (node.ts) registers it; the browser-loadable app
 * (app.ts) never does.
 */
import type { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { STATIC_LEVELS, addVary, compressBody, negotiateEncoding, type Encoding } from '../compression.ts';

/** Where the built bundle is, and the version it is served under. */
export interface WidgetBundle {
  /** The CDN build's directory (holds `portico.min.js`). */
  dir: string;
  /** The @portico/elements version the files belong to: the `<version>` of the path. */
  version: string;
}

/** The files served, with their content types. */
const FILES: Readonly<Record<string, string>> = {
  'portico.min.js': 'text/javascript; charset=utf-8',
  'portico.min.js.map': 'application/json; charset=utf-8',
};

/** A year: the longest lifetime caches honour; `immutable` spares even the revalidation. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The CDN build of the installed @portico/elements, if it is installed and built. */
export function findWidgetBundle(): WidgetBundle | undefined {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('@portico/elements/package.json');
  } catch {
    return undefined;
  }
  const dir = join(dirname(packageJson), 'dist/cdn');
  if (!existsSync(join(dir, 'portico.min.js'))) return undefined;
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return { dir, version };
}

/** Adds `GET /portico/<version>/<file>` to `root`. */
export function widgetBundleRoutes(root: Hono, bundle: WidgetBundle): void {
  /** Each file's bytes as read, and each encoding of them, made once. */
  const cache = new Map<string, Promise<Uint8Array>>();
  const bytes = (file: string, encoding: Encoding | undefined): Promise<Uint8Array> => {
    const key = `${file}:${encoding ?? 'identity'}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = encoding ? bytes(file, undefined).then((raw) => compressBody(encoding, raw, STATIC_LEVELS)) : readFile(join(bundle.dir, file));
      // A failed read is tried again next time rather than remembered.
      entry.catch(() => cache.delete(key));
      cache.set(key, entry);
    }
    return entry;
  };
  root.get('/portico/:version/:file', async (c, next) => {
    const { version, file } = c.req.param();
    const type = FILES[file];
    if (version !== bundle.version || !type) return next();
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'));
    const body = await bytes(file, encoding);
    const headers = new Headers({
      'Content-Type': type,
      'Cache-Control': IMMUTABLE,
      // Pages on the vendor's own origin load it with `crossorigin` (SRI needs CORS).
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    addVary(headers);
    if (encoding) headers.set('Content-Encoding', encoding);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, Object.fromEntries(headers));
  });
}
