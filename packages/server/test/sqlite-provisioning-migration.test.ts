/** Upgrading an existing SQLite file: the provisioning migration keeps every account and contact usable. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SQLITE_MIGRATIONS, SqliteStore } from '@portico/server/node';

it('SQLite: a database made before provisioning gains account status, version and updatedAt, and takes upserts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-migrate-'));
  try {
    const file = join(dir, 'old.db');
    // The schema as it was before provisioning, with data in it.
    const db = new DatabaseSync(file);
    db.exec('CREATE TABLE portico_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of SQLITE_MIGRATIONS.filter((x) => x.version <= 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO portico_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    }
    db.prepare(
      `INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES ('old', 'Old Co', '["old.example"]', 'standard', NULL, 'private')`,
    ).run();
    db.prepare(
      `INSERT INTO contacts (id, account_id, email, name, role, status, created_at, last_seen_at, version) VALUES ('con_old', 'old', 'ann@old.example', 'Ann', 'admin', 'active', '2026-01-01T00:00:00.000Z', NULL, 3)`,
    ).run();
    db.close();

    const store = new SqliteStore(file);
    try {
      const account = (await store.getAccount('old'))!;
      assert.deepEqual([account.status, account.slaPolicy, account.version], ['active', null, 1]);
      assert.match(account.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const ann = (await store.getContact('con_old'))!;
      assert.deepEqual([ann.role, ann.version, ann.locale], ['admin', 3, undefined]);
      const now = '2026-03-02T10:00:00.000Z';
      const result = await store.provision({
        accounts: [{ id: 'old', status: 'suspended' }],
        contacts: [{ accountId: 'old', email: 'ann@old.example', locale: 'de' }],
        actor: { kind: 'system', id: 'service', name: 'Provisioning' },
        now,
      });
      assert.ok(result.ok);
      assert.deepEqual(
        result.results.map((r) => r.result),
        ['updated', 'updated'],
      );
      assert.deepEqual([(await store.getAccount('old'))!.status, (await store.getContact('con_old'))!.locale], ['suspended', 'de']);
      assert.deepEqual(
        (await store.listAccounts({ updatedSince: now, limit: 10 })).items.map((a) => a.id),
        ['old'],
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
