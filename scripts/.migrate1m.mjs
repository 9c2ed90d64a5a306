import { SqliteStore } from '@portico/server/node';
const t0 = performance.now();
const s = new SqliteStore(process.argv[2]);
console.log('migrated', s.migrated, ((performance.now() - t0) / 1000).toFixed(1), 's');
await s.close();
console.log('closed', ((performance.now() - t0) / 1000).toFixed(1), 's');
