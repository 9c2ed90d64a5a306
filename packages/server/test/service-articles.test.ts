/**
 * Knowledge-base authoring over HTTP (`/v1/service/articles`) and what customers see of it at
 * once (`GET /v1/articles`, the new-ticket form's suggestions): drafts and other tiers'
 * articles never, the reader's language first. Plus the account summary's deflection count.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArticleSchema, type Article } from '@portico/core';
import { DEMO_SERVICE_API_KEY, assertProblem, harness, type Harness, type StoreKind } from './helpers.ts';

const SERVICE = { Authorization: `Bearer ${DEMO_SERVICE_API_KEY}` };
const draft = {
  title: 'Export a dashboard as a quokkaline archive',
  summary: 'Quokkaline archives keep every chart and filter.',
  // Paragraphs, as articles have them (the form shows the body with its line breaks).
  body: 'Open the dashboard menu and choose "Export as archive".\n\nThe archive keeps every chart and filter.',
  category: 'technical',
};

function suite(kind: StoreKind): void {
  describe(`knowledge-base authoring on ${kind}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(kind);
    });
    after(() => h.dispose());

    /** Ids of a list: a customer's (`as`) or, under `/v1/service`, the vendor's. */
    const ids = async (path: string, as: 'mia' | 'gus' | 'pia' = 'mia', headers: Record<string, string> = {}) => {
      const res = await h.call('GET', path, path.startsWith('/v1/service/') ? { headers: SERVICE } : { as, headers });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items.map((a: Article) => a.id) as string[];
    };

    it('creates a draft once per idempotency key; customers see it only once published, and no longer once unpublished', async () => {
      const key = { ...SERVICE, 'Idempotency-Key': `kb-${kind}` };
      const created = await h.call('POST', '/v1/service/articles', { headers: key, json: draft });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.ok(ArticleSchema.safeParse(created.body).success);
      assert.deepEqual(
        [created.body.status, created.body.locale, created.body.audience, created.body.publishedAt, created.body.version],
        ['draft', 'en', 'all', null, 1],
      );
      assert.equal(created.headers.get('ETag'), '"a1"');
      assert.equal(created.headers.get('Location'), `/v1/service/articles/${created.body.id}`);
      const replay = await h.call('POST', '/v1/service/articles', { headers: key, json: draft });
      assert.deepEqual(replay.body, created.body);
      assert.equal((await ids('/v1/service/articles?q=quokkaline')).length, 1, 'a retried create makes one article');
      const id: string = created.body.id;

      assert.deepEqual(await ids('/v1/articles?q=quokkaline'), [], 'a draft is not suggested');
      assertProblem(await h.call('GET', `/v1/articles/${id}`, { as: 'mia' }), 404, 'not_found');
      assertProblem(await h.call('POST', `/v1/articles/${id}/deflections`, { as: 'mia', json: {} }), 404, 'not_found');

      const published = await h.call('POST', `/v1/service/articles/${id}/publish`, { headers: { ...SERVICE, 'If-Match': '"a1"' } });
      assert.equal(published.status, 200);
      assert.deepEqual([published.body.status, published.body.publishedAt, published.body.version], ['published', h.clock.now.toISOString(), 2]);
      assert.deepEqual(await ids('/v1/articles?q=quokkaline'), [id], 'suggested at once');
      assert.deepEqual(await ids('/v1/articles?q=quokkaline', 'gus'), [id], 'audience all: every account');
      assert.equal((await h.call('GET', `/v1/articles/${id}`, { as: 'mia' })).body.title, draft.title);

      const unpublished = await h.call('POST', `/v1/service/articles/${id}/unpublish`, { headers: SERVICE });
      assert.deepEqual([unpublished.body.status, unpublished.body.publishedAt], ['draft', null]);
      assert.deepEqual(await ids('/v1/articles?q=quokkaline'), []);
      assert.deepEqual(await ids('/v1/service/articles?status=draft&q=quokkaline'), [id], 'the vendor still sees its draft');
    });

    it('changes an article under If-Match, re-indexing its text; a stale ETag changes nothing', async () => {
      const created = await h.call('POST', '/v1/service/articles', {
        headers: SERVICE,
        json: { ...draft, title: 'Reset a zebrafold token', status: 'published' },
      });
      const id: string = created.body.id;
      assert.deepEqual(await ids('/v1/articles?q=zebrafold'), [id]);
      const changed = await h.call('PATCH', `/v1/service/articles/${id}`, {
        headers: { ...SERVICE, 'If-Match': '"a1"' },
        json: { title: 'Reset a marmotic token' },
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.headers.get('ETag'), '"a2"');
      assert.deepEqual(await ids('/v1/articles?q=zebrafold'), [], 'the old words are out of the index');
      assert.deepEqual(await ids('/v1/articles?q=marmotic'), [id]);
      const stale = await h.call('PATCH', `/v1/service/articles/${id}`, { headers: { ...SERVICE, 'If-Match': '"a1"' }, json: { title: 'Lost update' } });
      assertProblem(stale, 412, 'precondition_failed');
      assert.equal(stale.headers.get('ETag'), '"a2"');
      assertProblem(await h.call('POST', `/v1/service/articles/${id}/publish`, { headers: { ...SERVICE, 'If-Match': 'garbled' } }), 412, 'precondition_failed');
      const now = await h.call('GET', `/v1/service/articles/${id}`, { headers: SERVICE });
      assert.deepEqual([now.body.title, now.body.version, now.headers.get('ETag')], ['Reset a marmotic token', 2, '"a2"']);

      assertProblem(await h.call('DELETE', `/v1/service/articles/${id}`, { headers: { ...SERVICE, 'If-Match': '"a1"' } }), 412, 'precondition_failed');
      assert.equal((await h.call('DELETE', `/v1/service/articles/${id}`, { headers: SERVICE })).status, 204);
      assert.deepEqual(await ids('/v1/articles?q=marmotic'), []);
      assertProblem(await h.call('GET', `/v1/service/articles/${id}`, { headers: SERVICE }), 404, 'not_found');
      assertProblem(await h.call('DELETE', `/v1/service/articles/${id}`, { headers: SERVICE }), 404, 'not_found');
      assertProblem(await h.call('PATCH', '/v1/service/articles/art_nope', { headers: SERVICE, json: { title: 'Valid title' } }), 404, 'not_found');
      assertProblem(await h.call('POST', '/v1/service/articles/art_nope/publish', { headers: SERVICE }), 404, 'not_found');
    });

    it('refuses bad payloads with 422 field errors and writes nothing; contact tokens are refused', async () => {
      const before = await ids('/v1/service/articles?limit=100');
      const bad = [
        [{ ...draft, title: '' }, 'title'],
        [{ ...draft, category: 'gossip' }, 'category'],
        [{ ...draft, locale: 'english please' }, 'locale'],
        [{ ...draft, audience: { tiers: ['business'] } }, 'audience'],
        [{ ...draft, audience: { tiers: [] } }, 'audience'],
        [{ ...draft, status: 'live' }, 'status'],
        [{ ...draft, colour: 'red' }, '_'],
        [{ summary: 'x', body: 'y', category: 'technical' }, 'title'],
      ] as const;
      for (const [json, field] of bad) {
        const res = await h.call('POST', '/v1/service/articles', { headers: SERVICE, json });
        assertProblem(res, 422, 'validation_failed');
        assert.ok(
          Object.keys(res.body.fieldErrors).some((k) => k === field || k.startsWith(`${field}.`) || (field === '_' && k)),
          `${JSON.stringify(json)} → ${JSON.stringify(res.body.fieldErrors)}`,
        );
      }
      const id = (await ids('/v1/articles?limit=1'))[0]!;
      assertProblem(await h.call('PATCH', `/v1/service/articles/${id}`, { headers: SERVICE, json: { status: 'draft' } }), 422, 'validation_failed');
      assertProblem(await h.call('PATCH', `/v1/service/articles/${id}`, { headers: SERVICE, json: {} }), 422, 'validation_failed');
      assertProblem(await h.call('PATCH', `/v1/service/articles/${id}`, { headers: SERVICE, json: { locale: 'x' } }), 422, 'validation_failed');
      assertProblem(await h.call('GET', '/v1/service/articles?status=gone', { headers: SERVICE }), 422, 'validation_failed');
      assertProblem(await h.call('GET', '/v1/articles?locale=not%20a%20locale', { as: 'mia' }), 422, 'validation_failed');
      assert.deepEqual(await ids('/v1/service/articles?limit=100'), before, 'nothing was written');
      assertProblem(await h.call('POST', '/v1/service/articles', { as: 'ada', json: draft }), 401, 'unauthorized');
      assertProblem(await h.call('GET', '/v1/service/articles', { as: 'ada' }), 401, 'unauthorized');
    });

    it('lists every article for the vendor by cursor, filtered by status and locale', async () => {
      const walk = async (query: string) => {
        const out: Article[] = [];
        let cursor: string | null = null;
        do {
          const res: any = await h.call('GET', `/v1/service/articles?limit=5${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
            headers: SERVICE,
          });
          assert.equal(res.status, 200);
          out.push(...res.body.items);
          cursor = res.body.nextCursor;
        } while (cursor);
        return out;
      };
      const all = await walk('');
      const stored = await h.store.searchArticles({ limit: 100 });
      assert.deepEqual(
        all.map((a) => a.id),
        stored.items.map((a) => a.id),
      );
      assert.ok(all.length > 20);
      assert.ok((await walk('&status=draft')).every((a) => a.status === 'draft'));
      assert.deepEqual(
        (await walk('&locale=DE')).map((a) => a.id),
        ['art_sso_certificate_rotation_de'],
      );
    });

    it('customers read their tier’s articles only: premier-only articles never reach a standard account', async () => {
      // Acme is premier, Globex standard.
      assert.ok((await ids('/v1/articles?q=premier%20phone%20line', 'mia')).includes('art_premier_phone_line'));
      assert.ok(!(await ids('/v1/articles?q=premier%20phone%20line', 'gus')).includes('art_premier_phone_line'));
      assertProblem(await h.call('GET', '/v1/articles/art_premier_phone_line', { as: 'pia' }), 404, 'not_found');
      assertProblem(await h.call('POST', '/v1/articles/art_premier_phone_line/deflections', { as: 'pia', json: {} }), 404, 'not_found');
      const created = await h.call('POST', '/v1/service/articles', {
        headers: SERVICE,
        json: { ...draft, title: 'Standard plan quillion limits', audience: { tiers: ['standard'] }, status: 'published' },
      });
      assert.deepEqual(await ids('/v1/articles?q=quillion', 'gus'), [created.body.id]);
      assert.deepEqual(await ids('/v1/articles?q=quillion', 'mia'), []);
      const standard = await h.call('GET', '/v1/articles?limit=100', { as: 'gus' });
      assert.ok(standard.body.items.every((a: Article) => a.status === 'published' && (a.audience === 'all' || a.audience.tiers.includes('standard'))));
    });

    it('answers in the reader’s language first and falls back to English where it has nothing', async () => {
      const de = { 'Accept-Language': 'de-CH,de;q=0.9,en;q=0.5' };
      assert.deepEqual(await ids('/v1/articles?q=SSO%20Zertifikat', 'mia', de), ['art_sso_certificate_rotation_de']);
      assert.deepEqual(
        (await ids('/v1/articles?q=SSO%20certificate', 'mia', de))[0],
        'art_sso_certificate_rotation_de',
        'German readers get the German article',
      );
      assert.equal((await ids('/v1/articles?q=SSO%20certificate&locale=en', 'mia', de))[0], 'art_sso_certificate_rotation', '?locale wins over the header');
      const csv = await ids('/v1/articles?q=CSV%20export', 'mia', de);
      assert.equal(csv[0], 'art_csv_export_large', 'no German match: the English ones answer');
      assert.deepEqual(
        await ids('/v1/articles?limit=100', 'mia', de),
        ['art_sso_certificate_rotation_de'],
        'listing: the reader’s language when it has articles',
      );
      const fr = await ids('/v1/articles?limit=100', 'mia', { 'Accept-Language': 'fr-FR' });
      assert.ok(
        fr.length > 20 && fr.includes('art_sso_certificate_rotation') && !fr.includes('art_sso_certificate_rotation_de'),
        'no French articles: English',
      );
    });

    it('the account summary counts a deflection as soon as it is recorded', async () => {
      const count = async () => (await h.call('GET', '/v1/summary', { as: 'ada' })).body.figures.deflections as number;
      const before = await count();
      const res = await h.call('POST', '/v1/articles/art_sso_setup/deflections', { as: 'mia', json: { query: 'how do I set up SSO' } });
      assert.equal(res.status, 201);
      // The summary's period ends just before "now": look a second later, as a real reader would.
      const start = h.clock.now;
      h.clock.now = new Date(start.getTime() + 1000);
      try {
        assert.equal(await count(), before + 1);
      } finally {
        h.clock.now = start;
      }
      // The timeline shows it to the account, without what was typed.
      const timeline = await h.call('GET', '/v1/activity?type=article.deflected', { as: 'ada' });
      assert.equal(timeline.body.items[0]?.actor.name, 'Mia Chen');
      assert.ok(!JSON.stringify(timeline.body).includes('how do I set up SSO'));
      // Globex had none of it.
      assert.equal((await h.call('GET', '/v1/summary', { as: 'gus' })).body.figures.deflections, 0);
    });
  });
}

suite('memory');
suite('sqlite');
suite('postgres');
