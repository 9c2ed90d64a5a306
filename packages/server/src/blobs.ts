/**
 * Where attachment bytes live. The store keeps the metadata (name, type, size, ticket);
 * a `BlobStore` keeps the content under the attachment's id. `MemoryBlobStore` serves the
 * browser mocks and tests; `FileBlobStore` (`@portico/server/node`) writes files beside the
 * SQLite database; an object store (S3, GCS) fits the same three methods.
 */
export interface BlobStore {
  /** Stores `data` under `key` (replacing any earlier content). */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The content under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes `key`; a missing key is fine. */
  delete(key: string): Promise<void>;
}

/** Keys are ids the server made (`att_…`): letters, digits, `_` and `-` only, so they are safe file names. */
export const BLOB_KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function assertBlobKey(key: string): void {
  if (!BLOB_KEY_PATTERN.test(key)) throw new Error(`Invalid blob key ${JSON.stringify(key)}`);
}

/** Blobs in a `Map` (copies in and out, so callers cannot change what is stored). */
export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Uint8Array>();

  async put(key: string, data: Uint8Array): Promise<void> {
    assertBlobKey(key);
    this.#blobs.set(key, data.slice());
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.#blobs.get(key)?.slice();
  }

  async delete(key: string): Promise<void> {
    this.#blobs.delete(key);
  }
}
