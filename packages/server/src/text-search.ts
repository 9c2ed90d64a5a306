/**
 * Relevance search shared by the stores: how typed text becomes search terms, the FTS5
 * query the SQLite store runs, and the same BM25 ranking computed in plain JS for the
 * memory store, so both stores rank alike. Browser-safe (no Node imports).
 */

/** Words too common to say anything about a ticket or article. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can cannot could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our please so than that the their them then there these they this to too us was we were ' +
    'what when where which while who why will with would you your after again all also any before both each just more ' +
    'now only other same should some such up very get got since still'
  ).split(' '),
);

/** Most terms a query uses (the rest of a long text adds noise, not precision). */
const MAX_TERMS = 12;

/**
 * Splits text into tokens like SQLite's `unicode61 remove_diacritics 2` tokenizer: runs of
 * letters, digits and private-use characters, lower-cased, with diacritics removed.
 */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter(Boolean);
}

/** Search terms of typed text: distinct non-stopword tokens; the last one is matched as a prefix while the user is still typing it. */
export interface SearchTerms {
  terms: string[];
  /** Whether the last term matches as a prefix (the text did not end with a separator). */
  prefixLast: boolean;
}

/** `split` turns text into words: `tokenize` (FTS5's view, for articles) unless a store indexes words another way. */
export function searchTerms(text: string, split: (text: string) => string[] = tokenize): SearchTerms {
  const tokens = split(text);
  const terms: string[] = [];
  for (const token of tokens) {
    if (STOPWORDS.has(token) || (token.length < 2 && !/\d/.test(token)) || terms.includes(token)) continue;
    terms.push(token);
    if (terms.length === MAX_TERMS) break;
  }
  const endsInWord = /[\p{L}\p{N}]$/u.test(text);
  return { terms, prefixLast: endsInWord && terms.length > 0 && terms.at(-1) === tokens.at(-1) };
}

/** The FTS5 MATCH expression of search terms: any term (OR), each quoted; the last a prefix when asked. */
export function ftsQuery({ terms, prefixLast }: SearchTerms): string {
  return terms.map((t, i) => `"${t.replace(/"/g, '""')}"${prefixLast && i === terms.length - 1 ? '*' : ''}`).join(' OR ');
}

/**
 * The full-text token of an account: 'a' and the hex of its id's UTF-8 bytes (SQLite's
 * `'a' || hex(account_id)`), one word whatever the id holds. Index rows carry it so a search
 * can name the caller's accounts inside the match.
 */
export function accountToken(accountId: string): string {
  return `a${[...new TextEncoder().encode(accountId)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

const K1 = 1.2;
const B = 0.75;

/** One indexed row: a document id and its columns' texts. */
export interface TextRow {
  /** What the row belongs to (a ticket id, an article id). */
  docId: string;
  columns: readonly string[];
}

/**
 * FTS5's `bm25()` (k1 = 1.2, b = 0.75, per-column weights), over rows grouped into documents
 * (a ticket's own row and one per comment): each document scores as its best row, and lower
 * is better, exactly like `min(bm25(...))` in SQL. Corpus statistics (row count, average row
 * length, rows per term) come from every row given, as FTS5 takes them from the whole table.
 */
export function bm25Rank(rows: readonly TextRow[], query: SearchTerms, weights: readonly number[]): Map<string, number> {
  const best = new Map<string, number>();
  if (query.terms.length === 0 || rows.length === 0) return best;
  const tokenized = rows.map((row) => ({ docId: row.docId, columns: row.columns.map(tokenize) }));
  const totalTokens = tokenized.reduce((n, row) => n + row.columns.reduce((m, c) => m + c.length, 0), 0);
  const avgdl = totalTokens / rows.length;
  const matches = query.terms.map((term, i) => {
    const prefix = query.prefixLast && i === query.terms.length - 1;
    return (token: string) => (prefix ? token.startsWith(term) : token === term);
  });
  // Weighted hit count of each term in each row (FTS5 sums the column weights of every instance).
  const freqs = tokenized.map((row) =>
    matches.map((match) => row.columns.reduce((sum, tokens, col) => sum + (weights[col] ?? 1) * tokens.filter(match).length, 0)),
  );
  // A column of weight 0 is outside the match (FTS5's column filter), yet counts in the row's length.
  const contains = tokenized.map((row) => matches.map((match) => row.columns.some((tokens, col) => (weights[col] ?? 1) > 0 && tokens.some(match))));
  const idf = matches.map((_match, i) => {
    const n = contains.filter((row) => row[i]).length;
    const value = Math.log((rows.length - n + 0.5) / (n + 0.5));
    return value <= 0 ? 1e-6 : value;
  });
  tokenized.forEach((row, r) => {
    if (!contains[r]!.some(Boolean)) return;
    const length = row.columns.reduce((n, c) => n + c.length, 0);
    let score = 0;
    freqs[r]!.forEach((freq, i) => {
      score += (idf[i]! * (freq * (K1 + 1))) / (freq + K1 * (1 - B + (B * length) / avgdl));
    });
    const rank = -score;
    const previous = best.get(row.docId);
    if (previous === undefined || rank < previous) best.set(row.docId, rank);
  });
  return best;
}
