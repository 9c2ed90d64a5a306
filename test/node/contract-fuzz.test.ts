/**
 * Contract fuzz: every operation of docs/openapi.json gets generated hostile requests —
 * malformed, huge and deeply nested JSON, prototype keys (`__proto__`, `constructor`), control
 * characters and lone surrogates, wrong or missing headers (type, auth, Idempotency-Key,
 * If-Match), odd path ids and query values. Never a 5xx; every error is problem+json; a refused
 * request leaves every row of the SQLite file as it was; Object.prototype is never touched.
 * Seeded and bounded (`FUZZ_CASES` per operation, default 30; `FUZZ_SEED`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '@portico/core';
import { DEMO_JWT_SECRET, DEMO_SERVICE_API_KEY, createApp, demoSeed, mintToken, type PorticoApp } from '@portico/server';
import { SqliteStore } from '@portico/server/node';

const CASES = Number(process.env.FUZZ_CASES ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 4_242);
const NOW = new Date('2026-03-02T10:00:00.000Z');

interface Operation {
  method: string;
  path: string;
  operationId: string;
  query: string[];
  json: boolean;
  service: boolean;
}

const spec = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const OPERATIONS: Operation[] = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([, op]) => typeof op === 'object' && op.operationId)
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      operationId: op.operationId as string,
      query: ((op.parameters ?? []) as { in: string; name: string }[]).filter((p) => p.in === 'query').map((p) => p.name),
      json: Boolean(op.requestBody?.content?.['application/json']) && op.operationId !== 'uploadAttachment',
      service: JSON.stringify(op.security ?? []).includes('serviceApiKey'),
    })),
);

/** A body the operation would take, to mutate from (unknown operations start from `{}`). */
const VALID: Record<string, Record<string, unknown>> = {
  createTicket: { subject: 'Fuzzed export', description: 'Generated', category: 'technical' },
  updateTicket: { status: 'solved' },
  addComment: { body: 'Fuzzed reply' },
  escalateTicket: { reason: 'Fuzzed escalation' },
  rateTicket: { rating: 'good' },
  recordDeflection: { query: 'export' },
  markNotificationsSeen: {},
  createSavedView: { name: 'Fuzz', query: { view: 'account' } },
  inviteContact: { email: 'fuzz@acme.example', role: 'member' },
  updateContact: { role: 'viewer' },
  transferContactTickets: { to: 'con_mia' },
  serviceUpdateTicket: { status: 'pending', agent: { name: 'Sam' } },
  serviceAddComment: { body: 'Agent reply', agent: { name: 'Sam' } },
};

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const NASTY_STRINGS = [
  'a\u0000b',
  '\u001b[2J',
  'x\ud800y',
  '\u0085',
  '\u202e',
  ' ',
  '',
  '../../etc/passwd',
  '%00',
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE tickets; --",
  '"v1"',
  '0x10',
  '1e3',
  '-1',
  'null',
  'x'.repeat(5_000),
];
const nastyString = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

/** Raw body text of one fuzz case for an operation. */
const bodyFor = (op: Operation): fc.Arbitrary<string | undefined> => {
  const base = VALID[op.operationId] ?? {};
  const keys = [...Object.keys(base), 'extra'];
  return fc.oneof(
    fc.constant(JSON.stringify(base)),
    fc.tuple(fc.constantFrom(...keys), nastyValue).map(([k, v]) => JSON.stringify({ ...base, [k]: v })),
    // Prototype keys as text: JSON.parse makes them own properties, which must stay harmless.
    fc
      .constantFrom('__proto__', 'constructor', 'prototype')
      .map((k) => `${JSON.stringify(base).slice(0, -1)}${Object.keys(base).length ? ',' : ''}"${k}":{"polluted":true,"prototype":{"polluted":true}}}`),
    fc.constantFrom('{', '{"a":', '[1,]', 'nul', '\u0000', '{"subject":"x"}}', '', '"text"', '123', 'null', '[]'),
    fc.constant(JSON.stringify({ ...base, extra: 'x'.repeat(300_000) })),
    fc.constant(`{"extra":${deep(5_000)}}`),
    fc.json({ maxDepth: 3 }),
    fc.constant(undefined),
  );
};

interface Case {
  body: string | undefined;
  contentType: string | undefined;
  auth: 'valid' | 'viewer' | 'none' | 'garbage' | 'service' | 'other-account';
  idempotencyKey: string | undefined;
  ifMatch: string | undefined;
  id: string;
  query: [string, string][];
}

const caseFor = (op: Operation): fc.Arbitrary<Case> =>
  fc.record({
    body: op.json ? bodyFor(op) : fc.option(fc.constantFrom('{}', 'x'.repeat(1_000), deep(100)), { nil: undefined }),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/json-seq',
      'application/x-www-form-urlencoded',
      '',
      undefined,
    ),
    auth: fc.constantFrom(op.service ? 'service' : 'valid', op.service ? 'service' : 'valid', 'viewer', 'none', 'garbage', 'service', 'other-account'),
    idempotencyKey: fc.option(fc.constantFrom('fuzz-1', 'fuzz-2', '', 'a b', 'ä', 'x'.repeat(300)), { nil: undefined }),
    ifMatch: fc.option(fc.constantFrom('', '*', '"v1"', '"c1"', 'W/"c1"', 'garbage', '"v999"'), { nil: undefined }),
    id: fc.constantFrom(
      'tkt_1001',
      'tkt_1002',
      'tkt_1020',
      'con_jay',
      'con_ivy',
      'con_pia',
      'art_sso_setup',
      'nope',
      '..%2F..%2Fme',
      '%00',
      encodeURIComponent('<x>'),
      'x'.repeat(2_000),
    ),
    query: fc.array(fc.tuple(op.query.length ? fc.constantFrom(...op.query) : fc.constant('x'), nastyString), { maxLength: 4 }),
  });

/** Every row of every table, in a stable order: what "the database did not change" compares. */
function dump(db: DatabaseSync): string {
  // Full-text tables are read through their shadow tables (plain tables, listed too).
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
    .all() as { name: string }[];
  // Some tables have no rowid: sort the serialized rows instead. Integers are read as BigInt:
  // the full-text index's shadow tables hold 64-bit values no JS number represents.
  const text = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
  return JSON.stringify(
    tables.map(({ name }) => {
      const all = db.prepare(`SELECT * FROM "${name}"`);
      all.setReadBigInts(true);
      return [
        name,
        all
          .all()
          .map((row) => JSON.stringify(row, text))
          .sort(),
      ];
    }),
  );
}

/**
 * Dumps, re-read only after another connection committed: SQLite's `data_version` changes on
 * every commit by another connection, so an unchanged version means not one write happened.
 */
function snapshots(db: DatabaseSync): () => string {
  let version = -1;
  let last = '';
  return () => {
    const now = (db.prepare('PRAGMA data_version').get() as { data_version: number }).data_version;
    if (now !== version) {
      version = now;
      last = dump(db);
    }
    return last;
  };
}

describe('contract fuzz of every operation in docs/openapi.json', () => {
  let dir: string;
  let store: SqliteStore;
  let reader: DatabaseSync;
  let snapshot: () => string;
  let app: PorticoApp;
  const tokens: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-fuzz-'));
    const file = join(dir, 'fuzz.db');
    store = new SqliteStore(file);
    await store.load(demoSeed(NOW));
    app = createApp({
      store,
      auth: { secret: DEMO_JWT_SECRET },
      now: () => NOW,
      serviceApiKeys: [DEMO_SERVICE_API_KEY],
      onError: (e) => console.error('[fuzz] unhandled', e),
    });
    reader = new DatabaseSync(file, { readOnly: true });
    snapshot = snapshots(reader);
    tokens.valid = await mintToken({ email: 'ada@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, now: NOW });
    tokens.viewer = await mintToken({ email: 'val@acme.example', account: 'acc_acme' }, { secret: DEMO_JWT_SECRET, now: NOW });
    tokens['other-account'] = await mintToken({ email: 'ada@acme.example', account: 'acc_globex' }, { secret: DEMO_JWT_SECRET, now: NOW });
    // Settle what a first request writes anyway (last seen, SLA marks), so refused requests are compared alone.
    for (const t of [tokens.valid, tokens.viewer]) await app.request('/v1/me', { headers: { Authorization: `Bearer ${t}` } });
    await app.request('/v1/service/sla/sweep', { method: 'POST', headers: { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` } });
  });
  after(async () => {
    reader.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const op of OPERATIONS) {
    it(`${op.method} ${op.path}`, async () => {
      await fc.assert(
        fc.asyncProperty(caseFor(op), async (k) => {
          const headers = new Headers();
          const auth = {
            valid: `Bearer ${tokens.valid}`,
            viewer: `Bearer ${tokens.viewer}`,
            'other-account': `Bearer ${tokens['other-account']}`,
            service: `Bearer ${DEMO_SERVICE_API_KEY}`,
            garbage: 'Bearer not.a.token',
            none: undefined,
          }[k.auth];
          if (auth) headers.set('Authorization', auth);
          if (k.contentType !== undefined) headers.set('Content-Type', k.contentType);
          if (k.idempotencyKey !== undefined) headers.set('Idempotency-Key', k.idempotencyKey);
          if (k.ifMatch !== undefined) headers.set('If-Match', k.ifMatch);
          const search = new URLSearchParams(k.query).toString();
          const path = op.path.replace(/\{[^}]+\}/g, k.id) + (search ? `?${search}` : '');
          const before = snapshot();
          const res = await app.request(path, { method: op.method, headers, ...(k.body !== undefined && op.method !== 'GET' ? { body: k.body } : {}) });
          const label = `${op.method} ${path.slice(0, 120)} ${k.auth} ${String(k.contentType)} body=${k.body?.slice(0, 80)}`;
          if (res.headers.get('Content-Type')?.startsWith('text/event-stream')) {
            await res.body?.cancel();
            return;
          }
          const text = await res.text();
          assert.ok(res.status < 500, `${label} → ${res.status} ${text.slice(0, 200)}`);
          assert.equal(({} as { polluted?: unknown }).polluted, undefined, `${label} polluted Object.prototype`);
          if (res.status >= 400) {
            assert.equal(res.headers.get('Content-Type'), PROBLEM_CONTENT_TYPE, label);
            const problem = ProblemSchema.safeParse(JSON.parse(text));
            assert.ok(problem.success && problem.data.status === res.status, `${label}: ${text.slice(0, 200)}`);
            assert.equal(snapshot(), before, `${label} → ${res.status} changed the database`);
          }
        }),
        { seed: SEED, numRuns: CASES, endOnFailure: true },
      );
    });
  }
});
