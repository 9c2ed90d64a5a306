/**
 * Versioned, forward-only schema migrations: the one runner both SQL stores use. Each store
 * lists its migrations (`SQLITE_MIGRATIONS`, `POSTGRES_MIGRATIONS`) and records the applied
 * ones in a `portico_migrations` table; the runner decides what to apply and applies each
 * migration in its own transaction together with its record, so a failing migration leaves
 * the schema exactly as it was. Browser-safe (no Node imports).
 */

/** One schema change. Append new ones with the next version; never edit one that has shipped. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** How the runner talks to one database. */
export interface MigrationDriver {
  /** Creates `portico_migrations` if missing; returns the versions recorded in it. */
  applied(): Promise<number[]>;
  /** Runs the migration's SQL and records it, in one transaction (all or nothing). */
  apply(migration: Migration, appliedAt: string): Promise<void>;
}

/** A database this server cannot run on (newer schema, broken history, failed migration). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** The migrations still to apply, oldest first; refuses a history this code does not know. */
export function pendingMigrations(migrations: readonly Migration[], applied: readonly number[]): Migration[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migration versions must be 1, 2, 3…; found ${m.version} at position ${i + 1}.`);
  });
  const latest = migrations.length;
  const unknown = applied.filter((v) => v > latest);
  if (unknown.length) {
    throw new MigrationError(`The database has schema version ${Math.max(...unknown)}, newer than this server knows (${latest}). Upgrade the server.`);
  }
  const done = new Set(applied);
  return migrations.filter((m) => !done.has(m.version));
}

/** Applies the pending migrations in order; resolves with the versions applied. Stops at the first failure. */
export async function runMigrations(driver: MigrationDriver, migrations: readonly Migration[], now: () => Date = () => new Date()): Promise<number[]> {
  const pending = pendingMigrations(migrations, await driver.applied());
  const done: number[] = [];
  for (const m of pending) {
    try {
      await driver.apply(m, now().toISOString());
    } catch (error) {
      throw new MigrationError(`Migration ${m.version} (${m.name}) failed and was rolled back: ${(error as Error).message}`, { cause: error });
    }
    done.push(m.version);
  }
  return done;
}
