import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '@portico/server';
import { SqliteStore } from '@portico/server/node';
import { storeConformance } from './store-conformance.ts';

storeConformance('MemoryStore', () => new MemoryStore());
storeConformance('SqliteStore (:memory:)', () => new SqliteStore(':memory:'));

/** A SQLite store on its own temp file (WAL, migrations on open), deleted on close. */
class TempFileSqliteStore extends SqliteStore {
  readonly dir: string;
  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'portico-conformance-'));
    super(join(dir, 'store.db'));
    this.dir = dir;
  }
  override async close(): Promise<void> {
    await super.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
storeConformance('SqliteStore (file)', () => new TempFileSqliteStore());
