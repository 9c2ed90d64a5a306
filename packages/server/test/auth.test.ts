import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import {
  createApp,
  createTokenVerifier,
  DEMO_JWT_SECRET,
  JWKS_MAX_AGE_MS,
  JWKS_REFETCH_COOLDOWN_MS,
  MemoryStore,
  demoSeed,
  type AuthConfig,
} from '@portico/server';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, NOW, harness, type Harness } from './helpers.ts';

const nowS = Math.floor(NOW.getTime() / 1000);
const enc = new TextEncoder();
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a valid token of Mia at Acme, with overrides (`undefined` deletes a claim). */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    sub: 'vendor-user-42',
    email: 'mia@acme.example',
    name: 'Mia Chen',
    account: DEMO_ACCOUNTS.acme,
    aud: 'portico',
    iat: nowS,
    exp: nowS + 600,
    ...overrides,
  };
  for (const [k, v] of Object.entries(base)) if (v === undefined) delete base[k];
  return base;
}

async function sign(payload: Record<string, unknown>, key: CryptoKey | Uint8Array, alg = 'HS256', kid?: string): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).sign(key);
}

const hs = (payload: Record<string, unknown>, secret = DEMO_JWT_SECRET) => sign(payload, enc.encode(secret));

async function appWith(auth: AuthConfig) {
  const store = new MemoryStore();
  await store.load(demoSeed(NOW));
  const app = createApp({ store, auth, now: () => NOW, onError: () => {} });
  return {
    store,
    me: async (token: string | undefined) => {
      const res = await app.request('/v1/me', token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as any, headers: res.headers };
    },
  };
}

describe('auth: HS256', () => {
  let h: Awaited<ReturnType<typeof appWith>>;
  before(async () => {
    h = await appWith({ secret: DEMO_JWT_SECRET });
  });

  it('accepts a valid token', async () => {
    const res = await h.me(await hs(claims()));
    assert.equal(res.status, 200);
    assert.equal(res.body.contact.id, DEMO_CONTACTS.mia);
  });

  const refused: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['a malformed token', async () => 'not.a.jwt'],
    ['a bad signature', async () => hs(claims(), 'another-secret-that-is-long-enough-to-use!')],
    ['an expired token', async () => hs(claims({ iat: nowS - 1200, exp: nowS - 600 }))],
    ['a wrong audience', async () => hs(claims({ aud: 'someone-else' }))],
    ['a missing audience', async () => hs(claims({ aud: undefined }))],
    ['a missing exp', async () => hs(claims({ exp: undefined }))],
    ['a missing iat', async () => hs(claims({ iat: undefined }))],
    ['a missing sub', async () => hs(claims({ sub: undefined }))],
    ['a lifetime over one hour', async () => hs(claims({ iat: nowS, exp: nowS + 3601 + 60 }))],
    ['an exp more than one hour ahead', async () => hs(claims({ iat: nowS + 1800, exp: nowS + 3600 + 1800 }))],
    ['alg: none', async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`],
    ['a missing email', async () => hs(claims({ email: undefined }))],
    ['a missing account', async () => hs(claims({ account: undefined }))],
    ['an unknown account', async () => hs(claims({ account: 'acc_unknown' }))],
    ["an email whose domain is not one of the account's domains", async () => hs(claims({ email: 'mia@globex-lookalike.example' }))],
    ['a deactivated contact', async () => hs(claims({ email: 'dan@acme.example' }))],
  ];
  for (const [name, make] of refused) {
    it(`refuses ${name} with 401`, async () => {
      const res = await h.me(await make());
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body.code, 'unauthorized');
      assert.equal(res.headers.get('Content-Type'), 'application/problem+json');
      assert.match(res.headers.get('WWW-Authenticate') ?? '', /^Bearer/);
    });
  }

  it('creates a contact on first sight only when the email domain belongs to the account', async () => {
    const fresh = await h.me(await hs(claims({ email: 'New.Person@ACME.example', name: 'New Person', role: 'member' })));
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.contact.email, 'new.person@acme.example');
    assert.equal(fresh.body.contact.role, 'member');
    assert.equal(fresh.body.contact.status, 'active');
    const again = await h.me(await hs(claims({ email: 'new.person@acme.example', role: 'admin' })));
    assert.equal(again.body.contact.id, fresh.body.contact.id);
    assert.equal(again.body.contact.role, 'member', 'the role claim only applies at creation');
    const badRole = await h.me(await hs(claims({ email: 'someone@acme.example', role: 'superuser' })));
    assert.equal(badRole.body.contact.role, 'requester');
    const foreign = await h.me(await hs(claims({ email: 'intruder@globex.example' })));
    assert.equal(foreign.status, 401);
    assert.match(foreign.body.detail, /domain/);
    assert.equal(await h.store.findContactByEmail(DEMO_ACCOUNTS.acme, 'intruder@globex.example'), undefined);
  });

  it('activates an invited contact on its first verified token', async () => {
    assert.equal((await h.store.getContact(DEMO_CONTACTS.ivy))?.status, 'invited');
    const res = await h.me(await hs(claims({ email: 'ivy@acme.example' })));
    assert.equal(res.status, 200);
    assert.equal(res.body.contact.status, 'active');
    assert.equal((await h.store.getContact(DEMO_CONTACTS.ivy))?.lastSeenAt, NOW.toISOString());
  });

  it('remembers a verified token until it expires, never past it, and never for an earlier clock', async () => {
    const verify = createTokenVerifier({ secret: DEMO_JWT_SECRET });
    const token = await hs(claims({ iat: nowS, exp: nowS + 600 }));
    const at = (s: number) => new Date((nowS + s) * 1000);
    assert.equal((await verify(token, at(0))).email, 'mia@acme.example');
    assert.equal((await verify(token, at(599))).email, 'mia@acme.example', 'served from memory');
    await assert.rejects(verify(token, at(600 + 30)), /expired/, 'expired once exp and the leeway have passed');
    await assert.rejects(verify(token, at(-120)), /future/, 'an earlier clock verifies again');
    await assert.rejects(verify(`${token.slice(0, -2)}xx`, at(1)), /signature/, 'another token string is verified on its own');
  });

  it('refuses a secret shorter than 32 bytes and configs with zero or two key families', () => {
    assert.throws(() => createTokenVerifier({ secret: 'short' }));
    assert.throws(() => createTokenVerifier({} as AuthConfig));
    assert.throws(() => createTokenVerifier({ secret: DEMO_JWT_SECRET, jwksUrl: 'https://x.example/jwks' } as unknown as AuthConfig));
  });
});

describe('auth: lastSeenAt', () => {
  let h: Harness;
  before(async () => {
    h = await harness('memory');
  });
  after(() => h.dispose());

  it('is written at most once a minute', async () => {
    await h.call('GET', '/v1/me', { as: 'jay' });
    const first = (await h.store.getContact(DEMO_CONTACTS.jay))!.lastSeenAt;
    assert.equal(first, NOW.toISOString());
    h.clock.now = new Date(NOW.getTime() + 30_000);
    await h.call('GET', '/v1/me', { as: 'jay' });
    assert.equal((await h.store.getContact(DEMO_CONTACTS.jay))!.lastSeenAt, first);
    h.clock.now = new Date(NOW.getTime() + 61_000);
    await h.call('GET', '/v1/me', { as: 'jay' });
    assert.equal((await h.store.getContact(DEMO_CONTACTS.jay))!.lastSeenAt, h.clock.now.toISOString());
  });
});

describe('auth: RS256 / ES256 public keys', () => {
  it('accepts RS256 with an RSA key, refuses HS/RS confusion and alg none', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const h = await appWith({ publicKey: pem });
    assert.equal((await h.me(await sign(claims(), privateKey, 'RS256'))).status, 200);
    // The classic confusion attack: an HS256 token "signed" with the public key text as secret.
    assert.equal((await h.me(await sign(claims(), enc.encode(pem), 'HS256'))).status, 401);
    assert.equal((await h.me(await hs(claims()))).status, 401);
    assert.equal((await h.me(`${b64url({ alg: 'none' })}.${b64url(claims())}.`)).status, 401);
    const other = await generateKeyPair('RS256');
    assert.equal((await h.me(await sign(claims(), other.privateKey, 'RS256'))).status, 401, 'another key pair');
    assert.equal((await h.me(await sign(claims({ exp: nowS - 120, iat: nowS - 600 }), privateKey, 'RS256'))).status, 401, 'expired');
  });

  it('accepts ES256 with an EC key and refuses RS256 tokens against it', async () => {
    const ec = await generateKeyPair('ES256');
    const rsa = await generateKeyPair('RS256');
    const h = await appWith({ publicKey: await exportSPKI(ec.publicKey) });
    assert.equal((await h.me(await sign(claims(), ec.privateKey, 'ES256'))).status, 200);
    assert.equal((await h.me(await sign(claims(), rsa.privateKey, 'RS256'))).status, 401);
  });
});

describe('auth: JWKS URL', () => {
  let server: Server;
  let url: string;
  let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
  before(async () => {
    keys = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies RS256 tokens with keys from the JWKS and refuses others', async () => {
    const h = await appWith({ jwksUrl: url });
    assert.equal((await h.me(await sign(claims(), keys.privateKey, 'RS256', 'k1'))).status, 200);
    const stranger = await generateKeyPair('RS256');
    assert.equal((await h.me(await sign(claims(), stranger.privateKey, 'RS256', 'k1'))).status, 401);
    assert.equal((await h.me(await hs(claims()))).status, 401);
  });

  it('takes keys only from the configured JWKS, never from the token (jwk, jku, x5u headers)', async () => {
    const h = await appWith({ jwksUrl: url });
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const forged = (header: Record<string, unknown>) =>
      new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).sign(attacker.privateKey);
    assert.equal((await h.me(await forged({ jwk }))).status, 401);
    assert.equal((await h.me(await forged({ jku: 'https://attacker.example/jwks.json' }))).status, 401);
    assert.equal((await h.me(await forged({ x5u: 'https://attacker.example/cert.pem' }))).status, 401);
  });
});

describe('auth: JWKS rotation', () => {
  let server: Server;
  let url: string;
  let published: object[] = [];
  let fetches = 0;
  const pairs: Record<string, { privateKey: CryptoKey; jwk: object }> = {};
  before(async () => {
    for (const kid of ['old', 'new', 'next']) {
      const keys = await generateKeyPair('RS256', { extractable: true });
      pairs[kid] = { privateKey: keys.privateKey, jwk: { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' } };
    }
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(() => {
    mock.timers.reset();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('takes a newly published key at once, drops a retired one, and refetches for unknown kids at most once per cooldown', async () => {
    // jose times its cache with Date.now(): move that clock instead of waiting.
    mock.timers.enable({ apis: ['Date'], now: NOW });
    const as = (kid: string) => sign(claims(), pairs[kid]!.privateKey, 'RS256', kid);
    published = [pairs.old!.jwk];
    const h = await appWith({ jwksUrl: url });
    assert.equal((await h.me(await as('old'))).status, 200);
    assert.equal(fetches, 1);

    // The issuer rotates; the first token signed with the new key arrives 11 s later.
    published = [pairs.new!.jwk];
    mock.timers.tick(JWKS_REFETCH_COOLDOWN_MS + 1_000);
    assert.equal((await h.me(await as('new'))).status, 200);
    assert.equal(fetches, 2);
    assert.equal((await h.me(await as('old'))).status, 401, 'the retired key no longer verifies after the refetch');

    // Forged kids: refused, and the set is fetched at most once per cooldown whatever their number.
    for (let i = 0; i < 20; i++) assert.equal((await h.me(await sign(claims(), pairs.next!.privateKey, 'RS256', `forged-${i}`))).status, 401);
    assert.equal(fetches, 2);
    mock.timers.tick(JWKS_REFETCH_COOLDOWN_MS + 1_000);
    for (let i = 0; i < 5; i++) await h.me(await sign(claims(), pairs.next!.privateKey, 'RS256', `forged-late-${i}`));
    assert.equal(fetches, 3);

    // Without any new kid, a key the issuer retired stops verifying once the cache ages out.
    published = [pairs.next!.jwk];
    assert.equal((await h.me(await as('new'))).status, 200);
    mock.timers.tick(JWKS_MAX_AGE_MS + 1_000);
    assert.equal((await h.me(await as('new'))).status, 401);
    assert.equal((await h.me(await as('next'))).status, 200);
  });
});
