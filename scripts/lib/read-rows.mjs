// A captured statement of the server benchmark, run again: see bench-server.mjs.

/**
 * Runs a captured SQLite statement: all its rows, or, for one the store iterated, as many
 * steps as the store took (a search page stops reading once it has its rows).
 */
export function readRows(prepared, statement) {
  if (statement.steps === undefined) return prepared.all(...statement.params);
  const rows = [];
  const iterator = prepared.iterate(...statement.params);
  for (let i = 0; i < statement.steps; i++) {
    const step = iterator.next();
    if (step.done) return rows;
    rows.push(step.value);
  }
  iterator.return?.();
  return rows;
}

/** The `SET LOCAL` planner settings of a transaction's first round trip, without its time budget. */
export function plannerSettings(sql) {
  return (sql.match(/SET LOCAL (?!statement_timeout)[^;]+/g) ?? []).join('; ');
}

/**
 * Runs a captured PostgreSQL statement (on a client with its scope set), in a transaction with
 * its planner settings if it had some; resolves with its rows. A statement the store prepared
 * (`name`) is prepared on this client too, so its replay is planned as often as the store's.
 */
export async function queryWithSettings(client, statement) {
  const query = statement.name ? { name: statement.name, text: statement.sql, values: statement.params } : undefined;
  const run = async () => (await (query ? client.query(query) : client.query(statement.sql, statement.params))).rows;
  if (!statement.settings) return run();
  await client.query(`BEGIN READ ONLY; ${statement.settings}`);
  try {
    return await run();
  } finally {
    await client.query('COMMIT');
  }
}
