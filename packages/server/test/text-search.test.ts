import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accountToken, bm25Rank, demoSeed, ftsQuery, searchTerms, tokenize, type TextRow } from '@portico/server';
import { SqliteStore } from '@portico/server/node';
import { NOW } from './helpers.ts';

describe('text search', () => {
  it('tokenizes like unicode61 remove_diacritics: lower case, no accents, split on punctuation', () => {
    assert.deepEqual(tokenize('Café-Login FAILS: "SAML" v2.1 naïve_user'), ['cafe', 'login', 'fails', 'saml', 'v2', '1', 'naive', 'user']);
  });

  it('turns typed text into terms: no stopwords or single letters, no repeats, the word being typed as a prefix', () => {
    assert.deepEqual(searchTerms('SSO login fa'), { terms: ['sso', 'login', 'fa'], prefixLast: true });
    assert.deepEqual(searchTerms('SSO login fails '), { terms: ['sso', 'login', 'fails'], prefixLast: false });
    assert.deepEqual(searchTerms('The login of the SSO, the login!'), { terms: ['login', 'sso'], prefixLast: false });
    assert.deepEqual(searchTerms('a the of'), { terms: [], prefixLast: false });
    assert.deepEqual(searchTerms('error 5'), { terms: ['error', '5'], prefixLast: true });
    assert.equal(ftsQuery(searchTerms('say "hi" there wor')), '"say" OR "hi" OR "wor"*');
  });

  it('ranks exactly like SQLite FTS5 bm25() over the demo tickets and comments, the match scoped to accounts', async () => {
    const seed = demoSeed(NOW);
    const store = new SqliteStore(':memory:');
    try {
      await store.load(seed);
      const accountOf = new Map(seed.tickets.map((t) => [t.id, accountToken(t.accountId)]));
      const rows: TextRow[] = [
        ...seed.tickets.map((t) => ({ docId: t.id, columns: [accountOf.get(t.id)!, `${t.ref} ${t.subject}`, t.description] })),
        ...seed.comments.map((c) => ({ docId: c.ticketId, columns: [accountOf.get(c.ticketId)!, '', c.body] })),
      ];
      // Half the accounts: the others' rows still count in the statistics, as in FTS5.
      const accounts = seed.accounts.filter((_, i) => i % 2 === 0).map((a) => accountToken(a.id));
      const vocabulary = [...new Set(rows.flatMap((r) => r.columns.slice(1).flatMap(tokenize)))].filter((w) => w.length > 2);
      const sql = store.db.prepare(
        `WITH hits AS MATERIALIZED (SELECT ticket_id, bm25(ticket_text, 0, 0, 0, 3.0, 1.0) AS rank FROM ticket_text WHERE ticket_text MATCH ?)
         SELECT ticket_id, min(rank) AS rank FROM hits GROUP BY ticket_id`,
      );
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 5 }), fc.boolean(), (words, typing) => {
          const terms = searchTerms(words.join(' ') + (typing ? '' : ' '));
          fc.pre(terms.terms.length > 0);
          const match = `account : (${accounts.map((a) => `"${a}"`).join(' OR ')}) AND {subject body} : (${ftsQuery(terms)})`;
          const want = new Map((sql.all(match) as { ticket_id: string; rank: number }[]).map((r) => [r.ticket_id, r.rank]));
          const ranked = bm25Rank(rows, terms, [0, 3, 1]);
          const got = new Map([...ranked].filter(([id]) => accounts.includes(accountOf.get(id)!)));
          assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), 'the same tickets match');
          for (const [id, rank] of want) assert.ok(Math.abs(got.get(id)! - rank) < 1e-9, `${id}: ${got.get(id)} vs ${rank}`);
        }),
        { numRuns: 150 },
      );
    } finally {
      await store.close();
    }
  });
});
