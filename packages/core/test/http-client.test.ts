import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, PorticoError, isPorticoError, tokenExpiry } from '@portico/core';
import { tokenClaims } from '@portico/core/http-client.js';
import { fakeFetch } from './fake-fetch.ts';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const problem = (status: number, code: string, extra: object = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, detail: `detail of ${code}`, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** An unsigned JWT-shaped token expiring `inSeconds` from now (the client only reads `exp`). */
const tokenExpiringIn = (inSeconds: number, tag = 'x') =>
  `e30.${btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + inSeconds, tag })).replace(/=+$/, '')}.sig`;

describe('HttpClient', () => {
  it('sends the bearer token to /v1 routes under the api base', async () => {
    const { fetch, requests } = fakeFetch(() => json({ items: [], nextCursor: null }));
    const client = new HttpClient({ apiBase: 'https://api.test/api/', token: 'T1', fetch });
    await client.listTickets({ view: 'mine', status: ['open', 'pending'], limit: 10 });
    const url = new URL(requests[0]!.url);
    assert.equal(url.pathname, '/api/v1/tickets');
    assert.equal(url.searchParams.get('status'), 'open,pending');
    assert.equal(url.searchParams.get('view'), 'mine');
    assert.equal(requests[0]!.headers.get('authorization'), 'Bearer T1');
  });

  it('refreshes the token once after a 401 and retries', async () => {
    const tokens = ['old', 'new'];
    const calls: boolean[] = [];
    const { fetch, requests } = fakeFetch((req) => (req.headers.get('authorization') === 'Bearer new' ? json({ ok: true }) : problem(401, 'unauthorized')));
    const client = new HttpClient({
      apiBase: 'http://localhost/api',
      fetch,
      getToken: ({ forceRefresh }) => {
        calls.push(forceRefresh);
        return tokens.shift()!;
      },
    });
    await client.getSession();
    assert.deepEqual(calls, [false, true]);
    assert.equal(requests.length, 2);
  });

  it('reports a session that stays unauthorized and throws a PorticoError', async () => {
    const { fetch } = fakeFetch(() => problem(401, 'unauthorized'));
    let reported: PorticoError | undefined;
    const client = new HttpClient({
      apiBase: 'http://localhost/api',
      fetch,
      getToken: () => 'never-good',
      onUnauthorized: (e) => (reported = e),
    });
    await assert.rejects(client.getSession(), (e: unknown) => isPorticoError(e) && e.status === 401 && e.code === 'unauthorized');
    assert.equal(reported?.status, 401);
  });

  it('asks for a new token before the current one expires', async () => {
    let n = 0;
    const { fetch, requests } = fakeFetch(() => json({}));
    const client = new HttpClient({
      apiBase: 'http://localhost/api',
      fetch,
      getToken: () => tokenExpiringIn(n++ === 0 ? 5 : 3600, `t${n}`),
    });
    await client.getSession();
    await client.getSession();
    await client.getSession();
    assert.equal(n, 2, 'the nearly expired token is replaced once, the fresh one is reused');
    assert.notEqual(requests[0]!.headers.get('authorization'), requests[1]!.headers.get('authorization'));
    assert.equal(requests[1]!.headers.get('authorization'), requests[2]!.headers.get('authorization'));
  });

  it('turns problem+json into PorticoError with field errors', async () => {
    const { fetch } = fakeFetch(() => problem(422, 'validation_failed', { fieldErrors: { subject: ['Subject is required'] } }));
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    await assert.rejects(
      client.createTicket({ subject: '', description: 'x', category: 'technical' }),
      (e: unknown) =>
        isPorticoError(e) &&
        e.status === 422 &&
        e.code === 'validation_failed' &&
        e.retryable === false &&
        e.fieldErrors?.['subject']?.[0] === 'Subject is required',
    );
  });

  it('sends an Idempotency-Key on creates and reuses the one it is given', async () => {
    const { fetch, requests } = fakeFetch(() => json({ id: 't1' }, 201));
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    await client.createTicket({ subject: 'abc', description: 'x', category: 'technical' });
    await client.createTicket({ subject: 'abc', description: 'x', category: 'technical' }, { idempotencyKey: 'draft-1' });
    await client.createTicket({ subject: 'abc', description: 'x', category: 'technical' }, { idempotencyKey: 'draft-1' });
    const keys = requests.map((r) => r.headers.get('idempotency-key'));
    assert.match(keys[0]!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(keys.slice(1), ['draft-1', 'draft-1']);
    assert.deepEqual(await requests[1]!.json(), { subject: 'abc', description: 'x', category: 'technical' });
  });

  it('reports a network failure as a retryable PorticoError with status 0', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    await assert.rejects(
      client.addComment('t1', { body: 'hi' }),
      (e: unknown) => isPorticoError(e) && e.status === 0 && e.code === 'network_error' && e.retryable,
    );
  });

  it('rejects with the abort reason when the signal aborts', async () => {
    const { fetch } = fakeFetch(
      (req) =>
        new Promise<Response>((_resolve, reject) => {
          req.signal.addEventListener('abort', () => reject(req.signal.reason));
        }),
    );
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    const controller = new AbortController();
    const pending = client.getTicket('t1', { signal: controller.signal });
    controller.abort(new DOMException('gone', 'AbortError'));
    await assert.rejects(pending, (e: unknown) => e instanceof DOMException && e.name === 'AbortError');
  });

  it('retries an idempotent request on 503 and honours Retry-After, but never a create', async () => {
    let n = 0;
    const { fetch, requests } = fakeFetch(() => (++n < 3 ? problem(503, 'internal') : json({ id: 't1' })));
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    const started = Date.now();
    assert.deepEqual(await client.getTicket('t1'), { id: 't1' });
    assert.equal(requests.length, 3, 'two retries');
    assert.ok(Date.now() - started >= 250, 'it waits between attempts');

    n = 0;
    requests.length = 0;
    const limited = fakeFetch(() => (++n < 2 ? problem(429, 'rate_limited', {}) : json({ ok: true })));
    const retryAfter = (response: Response) => (response.headers.set('Retry-After', '1'), response);
    const slow = new HttpClient({
      apiBase: 'http://localhost/api',
      token: 't',
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => limited.fetch(input, init).then(retryAfter)) as typeof globalThis.fetch,
    });
    const before = Date.now();
    await slow.getSession();
    assert.ok(Date.now() - before >= 950, 'Retry-After: 1 is waited for');

    const failing = fakeFetch(() => problem(503, 'internal'));
    const creates = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch: failing.fetch });
    await assert.rejects(creates.addComment('t1', { body: 'hi' }), (e: unknown) => isPorticoError(e) && e.status === 503 && e.retryable);
    assert.equal(failing.requests.length, 1, 'a POST is sent once');
    await assert.rejects(creates.getTicket('t1'), (e: unknown) => isPorticoError(e) && e.status === 503);
    assert.equal(failing.requests.length, 4, 'a GET gives up after two retries');
  });

  it('reports at once a server that asks to come back in more than 10 s, instead of waiting', async () => {
    const { fetch, requests } = fakeFetch(() => {
      const response = problem(503, 'internal');
      response.headers.set('Retry-After', '60');
      return response;
    });
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    const started = Date.now();
    await assert.rejects(client.getTicket('t1'), (e: unknown) => isPorticoError(e) && e.status === 503 && e.retryable);
    assert.equal(requests.length, 1);
    assert.ok(Date.now() - started < 1000);
  });

  it('retries a GET after a network failure and then answers', async () => {
    let n = 0;
    const { fetch, requests } = fakeFetch(() => {
      if (++n === 1) throw new TypeError('Failed to fetch');
      return json({ items: [], nextCursor: null });
    });
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch });
    assert.deepEqual(await client.listComments('t1'), { items: [], nextCursor: null });
    assert.equal(requests.length, 2);
  });

  it('gives up on a server that does not answer in time, with a retryable timeout error', async () => {
    const { fetch } = fakeFetch(
      (req) => new Promise<Response>((_resolve, reject) => req.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const client = new HttpClient({ apiBase: 'http://localhost/api', token: 't', fetch, timeout: 50 });
    await assert.rejects(client.addComment('t1', { body: 'hi' }), (e: unknown) => isPorticoError(e) && e.status === 0 && e.code === 'timeout' && e.retryable);
  });

  it('sends JSON bodies, query strings without empty values, and raw uploads as they are', async () => {
    const { fetch, requests } = fakeFetch(() => json({ id: 'x' }, 201));
    // ky builds a Request: a relative apiBase resolves against the page in a browser, so Node needs an absolute one.
    const client = new HttpClient({ apiBase: 'http://host.test/api', token: 't', fetch });
    await client.updateTicket('a/b', { status: 'solved' }, { ifMatch: '"t3"' });
    const patch = requests[0]!;
    assert.equal(patch.method, 'PATCH');
    assert.equal(new URL(patch.url).pathname, '/api/v1/tickets/a%2Fb');
    assert.equal(patch.headers.get('content-type'), 'application/json');
    assert.equal(patch.headers.get('if-match'), '"t3"');
    assert.deepEqual(await patch.json(), { status: 'solved' });
    await client.listTickets({ q: '', status: [], view: 'mine' });
    assert.equal(new URL(requests[1]!.url).search, '?view=mine');
    await client.uploadAttachment(new File(['hello'], 'notes.log'));
    const upload = requests[2]!;
    assert.equal(upload.headers.get('content-type'), 'text/plain');
    assert.equal(new URL(upload.url).searchParams.get('name'), 'notes.log');
    assert.equal(await upload.text(), 'hello');
  });

  it('marks 5xx and 429 answers retryable but not 4xx', () => {
    assert.equal(PorticoError.fromProblem(503, null).retryable, true);
    assert.equal(PorticoError.fromProblem(429, null).retryable, true);
    assert.equal(PorticoError.fromProblem(404, null).retryable, false);
  });
});

describe('token claims (read unverified, for the expiry, the session end and the locale)', () => {
  const jwt = (payload: string) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(payload).toString('base64url')}.c2ln`;

  it('reads the claims of a JWT, base64url characters included', () => {
    // "~~~" and "???" encode to base64url's "-" and "_": the claims must still decode.
    const claims = tokenClaims(jwt(JSON.stringify({ exp: 1_900_000_000, locale: 'de', note: '~~~???' })));
    assert.deepEqual(claims, { exp: 1_900_000_000, locale: 'de', note: '~~~???' });
    assert.equal(tokenExpiry(jwt(JSON.stringify({ exp: 1_900_000_000 }))), 1_900_000_000_000);
  });

  it('gives no claims for no token, an opaque token, or a payload that is not JSON', () => {
    for (const token of [undefined, '', 'opaque-api-token', 'a..c', jwt('not json'), jwt('null')]) {
      assert.deepEqual(tokenClaims(token), {}, String(token));
    }
    assert.equal(tokenExpiry('opaque-api-token'), undefined);
  });
});
