/**
 * A database from before knowledge-base authoring (schema version 6) opens with its articles
 * published, in English, for every account (as customers saw them before), and its
 * deflections survive the article being deleted.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SQLITE_MIGRATIONS, SqliteStore } from '@portico/server/node';

it('migration 7 keeps existing articles visible and deflections counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-migrate-'));
  const file = join(dir, 'old.db');
  try {
    const old = new DatabaseSync(file, { enableForeignKeyConstraints: true });
    old.exec('CREATE TABLE portico_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 6)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO portico_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    }
    old.exec(`
      INSERT INTO accounts (id, name, domains, tier, parent_id, default_visibility) VALUES ('acc_a', 'A', '[]', 'standard', NULL, 'private');
      INSERT INTO contacts (id, account_id, email, name, role, status, created_at) VALUES ('con_a', 'acc_a', 'a@a.example', 'A', 'admin', 'active', '2026-01-01T00:00:00.000Z');
      INSERT INTO articles (id, title, summary, body, category, updated_at) VALUES ('art_old', 'Reset your quokkaline password', 'S', 'B', 'account', '2026-01-02T00:00:00.000Z');
      INSERT INTO deflections (id, article_id, account_id, contact_id, query, created_at) VALUES ('dfl_old', 'art_old', 'acc_a', 'con_a', NULL, '2026-01-03T00:00:00.000Z');
    `);
    old.close();

    const store = new SqliteStore(file);
    try {
      const article = await store.getArticle('art_old');
      assert.deepEqual(article, {
        id: 'art_old',
        title: 'Reset your quokkaline password',
        summary: 'S',
        body: 'B',
        category: 'account',
        locale: 'en',
        audience: 'all',
        status: 'published',
        publishedAt: '2026-01-02T00:00:00.000Z',
        createdAt: '2026-01-02T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
        version: 1,
      });
      const found = await store.searchArticles({ text: 'quokkaline', limit: 5, status: 'published', tier: 'standard', language: 'en' });
      assert.deepEqual(
        found.items.map((a) => a.id),
        ['art_old'],
      );
      assert.equal(await store.deleteArticle('art_old'), true, 'no foreign key from deflections blocks it');
      assert.equal(await store.countDeflections(['acc_a']), 1);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
