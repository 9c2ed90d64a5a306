/**
 * `portico-server copy --from <sqlite-file> --to postgres://…`: moves a vendor off SQLite.
 * Copies every table row for row into an empty, migrated PostgreSQL database in one
 * transaction (all or nothing), keeping ids, ticket numbers, the activity order (live-event
 * ids) and outbox sequences, and building the full-text vectors on the way. Node-only.
 */
import type { SQLOutputValue } from 'node:sqlite';
import { searchWords } from './store.ts';
import { PostgresStore, tsvectorOf } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';

type SqliteRow = Record<string, SQLOutputValue>;
type Row = Record<string, unknown>;

/** Rows copied per table. */
export type CopyReport = Record<string, number>;

const json = (v: SQLOutputValue | undefined) => (v === null || v === undefined ? null : (JSON.parse(String(v)) as unknown));

/**
 * Tables in foreign-key order, with how a SQLite row becomes a PostgreSQL row (SQLite keeps
 * booleans as 0/1 and JSON as text; PostgreSQL has boolean and json columns, and the
 * tickets' search vectors).
 */
const TABLES: readonly { name: string; select: string; convert?: (r: SqliteRow, words: Map<string, string[]>) => Row }[] = [
  { name: 'accounts', select: 'SELECT * FROM accounts ORDER BY parent_id IS NOT NULL, id', convert: (r) => ({ ...r, domains: json(r.domains) }) },
  { name: 'contacts', select: 'SELECT * FROM contacts' },
  {
    name: 'tickets',
    select: 'SELECT * FROM tickets',
    convert: (r, words) => ({
      ...r,
      escalated: Number(r.escalated) === 1,
      sla_status_changes: json(r.sla_status_changes),
      search_vector: tsvectorOf([...searchWords(`${r.ref} ${r.subject} ${r.description}`), ...(words.get(String(r.id)) ?? [])]),
      subject_vector: tsvectorOf(searchWords(`${r.ref} ${r.subject}`)),
    }),
  },
  { name: 'ticket_followers', select: 'SELECT * FROM ticket_followers' },
  { name: 'comments', select: 'SELECT * FROM comments' },
  { name: 'internal_notes', select: 'SELECT * FROM internal_notes' },
  { name: 'activity', select: 'SELECT rowid AS seq, * FROM activity ORDER BY rowid', convert: (r) => ({ ...r, data: json(r.data) }) },
  { name: 'service_outbox', select: 'SELECT * FROM service_outbox ORDER BY sequence', convert: (r) => ({ ...r, data: json(r.data) }) },
  {
    name: 'webhook_endpoints',
    select: 'SELECT * FROM webhook_endpoints',
    convert: (r) => ({ ...r, event_types: json(r.event_types), enabled: Number(r.enabled) === 1 }),
  },
  { name: 'webhook_deliveries', select: 'SELECT * FROM webhook_deliveries ORDER BY seq' },
  { name: 'roles', select: 'SELECT * FROM roles', convert: (r) => ({ ...r, rules: json(r.rules) }) },
  { name: 'idempotency_keys', select: 'SELECT * FROM idempotency_keys', convert: (r) => ({ ...r, body: json(r.body) }) },
  { name: 'escalations', select: 'SELECT * FROM escalations' },
  { name: 'ticket_seen', select: 'SELECT * FROM ticket_seen' },
  { name: 'saved_views', select: 'SELECT * FROM saved_views', convert: (r) => ({ ...r, shared: Number(r.shared) === 1, query: json(r.query) }) },
  { name: 'attachments', select: 'SELECT * FROM attachments' },
  {
    name: 'articles',
    select: 'SELECT * FROM articles',
    convert: (r) => ({
      ...r,
      audience_tiers: json(r.audience_tiers),
      search_vector: tsvectorOf(searchWords(`${r.title} ${r.summary} ${r.body}`)),
      title_vector: tsvectorOf(searchWords(String(r.title))),
    }),
  },
  { name: 'deflections', select: 'SELECT * FROM deflections' },
  { name: 'sla_marks', select: 'SELECT * FROM sla_marks' },
  { name: 'notification_marks', select: 'SELECT * FROM notification_marks' },
];

/** Copies a SQLite database (migrated to the latest schema on open) into an empty PostgreSQL database. */
export async function copySqliteToPostgres(from: string, to: string): Promise<CopyReport> {
  const source = new SqliteStore(from);
  const target = await PostgresStore.open(to);
  try {
    if (!(await target.isEmpty())) throw new Error('The PostgreSQL database already holds accounts; copy only into an empty one.');
    // Comment words go into their ticket's search vector.
    const words = new Map<string, string[]>();
    for (const c of source.db.prepare('SELECT ticket_id, body FROM comments').iterate() as Iterable<SqliteRow>) {
      const id = String(c.ticket_id);
      words.set(id, [...(words.get(id) ?? []), ...searchWords(String(c.body))]);
    }
    const report: CopyReport = {};
    await target.importTables(async (insert) => {
      for (const table of TABLES) {
        let batch: Row[] = [];
        report[table.name] = 0;
        for (const r of source.db.prepare(table.select).iterate() as Iterable<SqliteRow>) {
          batch.push(table.convert ? table.convert(r, words) : r);
          if (batch.length === 2000) {
            await insert(table.name, batch);
            report[table.name]! += batch.length;
            batch = [];
          }
        }
        await insert(table.name, batch);
        report[table.name]! += batch.length;
      }
    });
    return report;
  } finally {
    await source.close();
    await target.close();
  }
}
