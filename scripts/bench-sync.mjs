#!/usr/bin/env node
// Bulk provisioning speed: 10,000 contacts across 1,000 accounts (a parent account per 10)
// into a fresh SQLite file, through the import path `portico-server import` and
// POST /v1/service/sync share (batches of 1,000, one transaction each). Then the same data
// again, which must change nothing. Prints seconds; the target is < 10 s for the first run.
// Usage: npm run bench:sync [-- --accounts 1000 --contacts 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteStore, importSyncItems } from '@portico/server/node';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = arg('accounts', 1000);
const CONTACTS = arg('contacts', 10_000);
const ROLES = ['admin', 'member', 'billing', 'requester', 'viewer'];

const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
  id: `acct-${i}`,
  name: `Customer ${i}`,
  domains: [`customer-${i}.example`],
  // Every tenth account is a parent of the nine after it.
  parentId: i % 10 === 0 ? null : `acct-${i - (i % 10)}`,
  tier: i % 3 === 0 ? 'premier' : 'standard',
}));
const contacts = Array.from({ length: CONTACTS }, (_, i) => {
  const account = i % ACCOUNTS;
  return {
    accountId: `acct-${account}`,
    email: `person-${i}@customer-${account}.example`,
    name: `Person ${i}`,
    role: ROLES[i % ROLES.length],
    locale: i % 4 ? 'en' : 'de',
  };
});

const dir = mkdtempSync(join(tmpdir(), 'portico-bench-sync-'));
const store = new SqliteStore(join(dir, 'bench.db'));
try {
  const items = { accounts, contacts };
  let t = performance.now();
  const first = await importSyncItems(store, items);
  const firstS = (performance.now() - t) / 1000;
  t = performance.now();
  const second = await importSyncItems(store, items);
  const secondS = (performance.now() - t) / 1000;
  const outbox = await store.listOutbox({ after: 0, limit: 1_000_000 });
  console.log(`bench:sync — ${CONTACTS.toLocaleString('en')} contacts across ${ACCOUNTS.toLocaleString('en')} accounts, fresh SQLite file, batches of 1,000`);
  console.log(`  first import:  ${firstS.toFixed(2)} s  (${first.counts.created} created; target < 10 s: ${firstS < 10 ? 'met' : 'NOT met'})`);
  console.log(`  same again:    ${secondS.toFixed(2)} s  (${second.counts.unchanged} unchanged, ${second.counts.created + second.counts.updated} changed)`);
  console.log(`  outbox events: ${outbox.length} (one per created account and contact)`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
