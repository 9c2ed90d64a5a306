// A captured SQLite statement of the server benchmark, run again: see bench-server.mjs.

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
