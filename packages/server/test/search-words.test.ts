/**
 * The memory store's full-text words (`searchWords`) must be the words SQLite's FTS5
 * `unicode61 remove_diacritics 2` tokenizer indexes, or the two stores would disagree.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { matchesWords, searchWords } from '@portico/server';

function ftsWords(db: DatabaseSync, text: string): string[] {
  db.exec('DELETE FROM t');
  db.prepare('INSERT INTO t (x) VALUES (?)').run(text);
  return (db.prepare('SELECT term FROM v ORDER BY term').all() as { term: string }[]).map((r) => r.term);
}

describe('searchWords', () => {
  it('splits, lower-cases and strips Latin accents exactly like the FTS5 tokenizer', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2'); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');`);
    const samples = [
      'SSO login fails for ALL users (after IdP certificate rotation)!',
      'Café crème, naïve façade — Zürich/Genève; Ærøskøbing & Łódź',
      'T-1001: invoice INV-2291 charges 120 seats; we have 95.',
      'Straße ΣΟΦΊΑ σοφία ς Москва ЁЛКА 東京 한국어 עברית العربية',
      'e-mail: ada@acme.example, path C:\\temp\\x, url https://x.example/a?b=c#d',
      'emoji 🚀 rocket, math ∑ x², fractions ½, superscript x³, ordinal 1ª',
    ];
    // Every Latin-1 and Latin Extended-A character, between letters.
    for (let cp = 0x20; cp <= 0x17f; cp++) samples.push(`ab${String.fromCodePoint(cp)}cd`);
    for (const text of samples) {
      assert.deepEqual([...new Set(searchWords(text))].sort(), ftsWords(db, text), JSON.stringify(text));
    }
    db.close();
  });

  it('matches when every query word begins a word of the text', () => {
    const words = searchWords('Webhook deliveries fail with TLS handshake error');
    assert.equal(matchesWords(searchWords('web TLS'), words), true);
    assert.equal(matchesWords(searchWords('hook'), words), false, 'prefixes, not infixes');
    assert.equal(matchesWords(searchWords('webhook ssl'), words), false, 'every word must match');
    assert.equal(matchesWords(searchWords('  ?!  '), words), true, 'no words: no constraint');
  });
});
