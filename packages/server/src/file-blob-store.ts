/** Attachment content as files in one directory (Node only). */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertBlobKey, type BlobStore } from './blobs.ts';

/**
 * One file per blob in `dir` (created on first write). Writes go to a temporary file that
 * is renamed into place, so a crash never leaves half a file under a real key.
 */
export class FileBlobStore implements BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    assertBlobKey(key);
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${key}.${crypto.randomUUID()}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(this.dir, key));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertBlobKey(key);
    try {
      return new Uint8Array(await readFile(join(this.dir, key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await rm(join(this.dir, key), { force: true });
  }
}

/** The attachments directory that belongs to a SQLite file: `<db>-attachments` beside it (like `-wal`). */
export function attachmentsDirFor(dbPath: string): string {
  return `${dbPath}-attachments`;
}
