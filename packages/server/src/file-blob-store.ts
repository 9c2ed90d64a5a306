/** Attachment content as files in one directory (Node only). */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BLOB_KEY_PATTERN, assertBlobKey, type BlobStore } from './blobs.ts';

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

  /**
   * Removes what a crash left behind: temporary files of writes that never finished, and
   * finished files no attachment row points to (written, then the process died before the row
   * committed). Only safe while nothing writes to the directory: `startServer` runs it before it
   * listens. Resolves with the names removed.
   */
  async removeOrphans(isReferenced: (key: string) => Promise<boolean>): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const removed: string[] = [];
    for (const name of names) {
      const orphan = name.startsWith('.') && name.endsWith('.tmp') ? true : BLOB_KEY_PATTERN.test(name) && !(await isReferenced(name));
      if (!orphan) continue;
      await rm(join(this.dir, name), { force: true });
      removed.push(name);
    }
    return removed;
  }
}

/** The attachments directory that belongs to a SQLite file: `<db>-attachments` beside it (like `-wal`). */
export function attachmentsDirFor(dbPath: string): string {
  return `${dbPath}-attachments`;
}
