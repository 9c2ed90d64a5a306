#!/usr/bin/env node
// Makes sure PostgreSQL's programs exist for the PostgreSQL store's tests (which start a
// throwaway cluster: test/support/postgres.ts) and prints where they are. Order:
// $PORTICO_PG_BIN, then /usr/lib/postgresql/<newest>/bin. When none is found: on a
// Debian-like machine as root, installs Debian's `postgresql`; otherwise explains how to
// get it and exits 1 (the tests would fail with the same advice).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
// Node 24 (the repository's) runs the TypeScript module directly.
import { pgBinDir } from '../test/support/postgres.ts';

function install() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const debianLike = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (!isRoot || !debianLike) return false;
  console.log("ensure-postgres: no PostgreSQL found; installing Debian's postgresql package (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'postgresql'],
  ]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) return false;
  }
  return true;
}

let bin = pgBinDir();
if (!bin && install()) bin = pgBinDir();
if (!bin) {
  console.error(`ensure-postgres: the PostgreSQL store's tests need a real PostgreSQL server, and none was found.
  Get one, then run the tests again:
    Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y postgresql
    anywhere:       set PORTICO_PG_BIN to the directory holding initdb and pg_ctl`);
  process.exit(1);
}
console.log(`ensure-postgres: using ${bin}`);
