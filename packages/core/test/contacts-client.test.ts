/** The contact manager's part of core: HttpClient's contact calls, the email helpers, `canManageContacts`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContactInviteSchema, canManageContacts, emailDomain, isExternalEmail, isValidEmail, type Actor } from '@portico/core';
import { recorder } from './fake-fetch.ts';

describe('HttpClient contact calls', () => {
  it('lists contacts with comma-joined filters and no empty parameters', async () => {
    const { client, requests } = recorder();
    await client.listContacts({ q: 'mia', role: ['admin', 'member'], status: ['active'], sort: 'last_seen', dir: 'desc', account: '', limit: 50 });
    const url = new URL(requests[0]!.url);
    assert.equal(url.pathname, '/api/v1/contacts');
    assert.deepEqual(Object.fromEntries(url.searchParams), { q: 'mia', role: 'admin,member', status: 'active', sort: 'last_seen', dir: 'desc', limit: '50' });
  });

  it('sends If-Match for a known version, and none otherwise', async () => {
    const { client, requests } = recorder(() => Response.json({}));
    await client.updateContact('con 1', { role: 'admin' }, { version: 3 });
    await client.updateContact('con_2', { role: 'viewer' });
    assert.equal(requests[0]!.method, 'PATCH');
    assert.equal(new URL(requests[0]!.url).pathname, '/api/v1/contacts/con%201');
    assert.equal(requests[0]!.headers.get('if-match'), '"c3"');
    assert.deepEqual(await requests[0]!.json(), { role: 'admin' });
    assert.equal(requests[1]!.headers.get('if-match'), null);
  });

  it('deactivates with an optional transfer target and version', async () => {
    const { client, requests } = recorder(() => Response.json({ contact: {}, transferred: [] }));
    await client.deactivateContact('con_jay', { transferTo: 'con_mia', version: 1 });
    await client.deactivateContact('con_dan');
    assert.equal(requests[0]!.method, 'DELETE');
    assert.equal(new URL(requests[0]!.url).searchParams.get('transferTo'), 'con_mia');
    assert.equal(requests[0]!.headers.get('if-match'), '"c1"');
    assert.equal(new URL(requests[1]!.url).search, '');
  });

  it('invites with an Idempotency-Key, and reaches resend, revoke and transfer', async () => {
    const { client, requests } = recorder((req) => (req.method === 'DELETE' ? new Response(null, { status: 204 }) : Response.json({}, { status: 201 })));
    await client.inviteContact({ email: 'kim@acme.example', role: 'member' }, { idempotencyKey: 'k-1' });
    await client.resendInvitation('con_ivy');
    assert.equal(await client.revokeInvitation('con_ivy'), undefined);
    await client.transferTickets('con_jay', 'con_mia');
    assert.deepEqual(
      requests.map((r) => `${r.method} ${new URL(r.url).pathname}`),
      [
        'POST /api/v1/contacts',
        'POST /api/v1/contacts/con_ivy/invitation',
        'DELETE /api/v1/contacts/con_ivy/invitation',
        'POST /api/v1/contacts/con_jay/transfer',
      ],
    );
    assert.equal(requests[0]!.headers.get('idempotency-key'), 'k-1');
    assert.deepEqual(await requests[3]!.json(), { to: 'con_mia' });
  });
});

describe('email helpers', () => {
  it('accepts plain addresses and refuses malformed ones', () => {
    for (const ok of ['a@b.co', ' Kim.Lee+support@Acme.Example ', 'x@sub.acme-emea.example']) assert.equal(isValidEmail(ok), true, ok);
    for (const bad of [
      '',
      'kim',
      'kim@',
      '@acme.example',
      'kim@acme',
      'k m@acme.example',
      'kim@@acme.example',
      'kim@acme..example',
      `${'x'.repeat(250)}@acme.example`,
    ]) {
      assert.equal(isValidEmail(bad), false, bad);
    }
  });

  it('tells account domains from outside ones, case-insensitively and exactly', () => {
    assert.equal(emailDomain('Kim@ACME.example'), 'acme.example');
    assert.equal(isExternalEmail('kim@ACME.example', ['acme.example']), false);
    assert.equal(isExternalEmail('kim@evil-acme.example', ['acme.example']), true);
    assert.equal(isExternalEmail('kim@sub.acme.example', ['acme.example']), true);
    assert.equal(isExternalEmail('kim@acme.example', []), true);
  });

  it('the invite schema normalizes the email and defaults to the least-privilege role', () => {
    const parsed = ContactInviteSchema.parse({ email: '  Kim@Acme.Example ' });
    assert.deepEqual(parsed, { email: 'kim@acme.example', role: 'requester' });
  });
});

describe('canManageContacts', () => {
  const actor = (role: Actor['role']): Actor => ({ contactId: 'c', accountId: 'acc_parent', role, childAccountIds: ['acc_child'] });
  it('lets admins manage their account and its children, nobody else anything', () => {
    assert.equal(canManageContacts(actor('admin'), 'acc_parent'), true);
    assert.equal(canManageContacts(actor('admin'), 'acc_child'), true);
    assert.equal(canManageContacts(actor('admin'), 'acc_other'), false);
    for (const role of ['member', 'billing', 'requester', 'viewer'] as const) {
      assert.equal(canManageContacts(actor(role), 'acc_parent'), false, role);
      assert.equal(canManageContacts(actor(role), 'acc_child'), false, role);
    }
  });
});
