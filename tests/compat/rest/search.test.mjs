// Nearest-vector search through the Query API (client.query / client.queryBatch) and the legacy search routes
// (POST /points/search and /points/search/batch; client 1.19 no longer has methods for them, so plain HTTP with the
// same JSON), for Cosine, Dot, Euclid and Manhattan. Ids and scores are checked to 1e-4 against a brute-force
// reference over the same data, with filter, score_threshold and offset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, normalize, bruteForce, assertScored, assertVectorClose, expectApiError } from '../lib/reference.mjs';

const N = 300;
const DIM = 16;
const DISTANCES = ['Cosine', 'Dot', 'Euclid', 'Manhattan'];
const GROUPS = ['a', 'b', 'c', 'd'];

let server, client;
const points = [];
const queries = [];
{
  const next = rng(7);
  for (let i = 0; i < N; i++) {
    points.push({ id: i + 1, vector: randomVector(next, DIM), payload: { group: GROUPS[i % 4], n: i } });
  }
  for (let q = 0; q < 4; q++) queries.push(randomVector(next, DIM));
}
const filter = { must: [{ key: 'group', match: { any: ['a', 'c'] } }], must_not: [{ key: 'n', range: { lt: 40 } }] };
const accept = (p) => (p.payload.group === 'a' || p.payload.group === 'c') && !(p.payload.n < 40);
const coll = (d) => `c_${d.toLowerCase()}`;

before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  for (const d of DISTANCES) {
    await client.createCollection(coll(d), { vectors: { size: DIM, distance: d } });
    await client.upsert(coll(d), { points });
  }
  await client.createCollection('named', {
    vectors: { left: { size: DIM, distance: 'Dot' }, right: { size: DIM, distance: 'Euclid' } },
  });
  await client.upsert('named', {
    points: points.map((p) => ({ id: p.id, vector: { left: p.vector, right: p.vector.slice().reverse() }, payload: p.payload })),
  });
});
after(async () => { await server?.stop(); });

/** The legacy route: POST /collections/{c}/points/search answers a bare list of ScoredPoint in `result`. */
async function legacySearch(collection, body) {
  const r = await server.http('POST', `/collections/${collection}/points/search`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'ok');
  return r.body.result;
}

for (const d of DISTANCES) {
  test(`${d}: query nearest (shorthand and {nearest}) matches brute force`, async () => {
    for (const q of queries) {
      const expected = bruteForce(d, points, q, { limit: 10 });
      const short = await client.query(coll(d), { query: q, limit: 10 });
      assertScored(short.points, expected, 1e-4, `${d} shorthand`);
      for (const p of short.points) {
        assert.equal(typeof p.version, 'number');
        assert.equal(p.payload, undefined, 'query defaults to with_payload false');
        assert.equal(p.vector, undefined, 'query defaults to with_vector false');
      }
      const explicit = await client.query(coll(d), { query: { nearest: q }, limit: 10, params: { exact: true } });
      assertScored(explicit.points, expected, 1e-4, `${d} nearest`);
    }
  });

  test(`${d}: query with filter, offset and payload`, async () => {
    const q = queries[1];
    const expected = bruteForce(d, points, q, { limit: 6, offset: 4, accept });
    const r = await client.query(coll(d), { query: q, filter, limit: 6, offset: 4, with_payload: true });
    assertScored(r.points, expected, 1e-4, `${d} filter+offset`);
    for (let i = 0; i < expected.length; i++) assert.deepEqual(r.points[i].payload, expected[i].payload);
  });

  test(`${d}: score_threshold keeps exactly the results on the good side`, async () => {
    const q = queries[2];
    const all = bruteForce(d, points, q, { limit: 20 });
    // Halfway between the 7th and 8th scores: no result sits on the boundary.
    const threshold = (all[6].score + all[7].score) / 2;
    const expected = bruteForce(d, points, q, { limit: 20, threshold });
    assert.equal(expected.length, 7);
    const r = await client.query(coll(d), { query: q, limit: 20, score_threshold: threshold });
    assertScored(r.points, expected, 1e-4, `${d} threshold`);
    const legacy = await legacySearch(coll(d), { vector: q, limit: 20, score_threshold: threshold });
    assertScored(legacy, expected, 1e-4, `${d} legacy threshold`);
  });

  test(`${d}: legacy search with filter, offset, payload and vector`, async () => {
    const q = queries[3];
    const expected = bruteForce(d, points, q, { limit: 5, offset: 2, accept });
    const res = await legacySearch(coll(d), { vector: q, filter, limit: 5, offset: 2, with_payload: true, with_vector: true });
    assertScored(res, expected, 1e-4, `${d} legacy`);
    const stored = new Map(points.map((p) => [p.id, p.vector]));
    for (let i = 0; i < expected.length; i++) {
      assert.deepEqual(res[i].payload, expected[i].payload);
      // Cosine stores vectors normalised, as Qdrant does.
      const want = d === 'Cosine' ? normalize(stored.get(res[i].id)) : stored.get(res[i].id);
      assertVectorClose(res[i].vector, want, 1e-5, `${d} vector of ${res[i].id}`);
    }
    const plain = await legacySearch(coll(d), { vector: q, limit: 3 });
    for (const p of plain) assert.equal(p.payload, undefined, 'search defaults to with_payload false');
  });

  test(`${d}: legacy searchBatch and queryBatch answer each request in order`, async () => {
    const e0 = bruteForce(d, points, queries[0], { limit: 4 });
    const e1 = bruteForce(d, points, queries[1], { limit: 3, accept });
    const r = await server.http('POST', `/collections/${coll(d)}/points/search/batch`, {
      searches: [{ vector: queries[0], limit: 4 }, { vector: queries[1], limit: 3, filter }],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.result.length, 2);
    assertScored(r.body.result[0], e0, 1e-4, `${d} batch[0]`);
    assertScored(r.body.result[1], e1, 1e-4, `${d} batch[1]`);
    const qb = await client.queryBatch(coll(d), {
      searches: [{ query: queries[0], limit: 4 }, { query: queries[1], limit: 3, filter }],
    });
    assert.equal(qb.length, 2);
    assertScored(qb[0].points, e0, 1e-4, `${d} queryBatch[0]`);
    assertScored(qb[1].points, e1, 1e-4, `${d} queryBatch[1]`);
  });
}

test('query by a stored point id searches with its vector and leaves that point out', async () => {
  const self = points[17];
  const expected = bruteForce('Dot', points.filter((p) => p.id !== self.id), self.vector, { limit: 5 });
  const r = await client.query(coll('Dot'), { query: self.id, limit: 5 });
  assertScored(r.points, expected, 1e-4, 'by id');
  assert.ok(!r.points.some((p) => p.id === self.id));
});

test('named vectors: `using` picks the vector (query and legacy search)', async () => {
  const q = queries[0];
  const right = points.map((p) => ({ ...p, vector: p.vector.slice().reverse() }));
  const eLeft = bruteForce('Dot', points, q, { limit: 5 });
  const eRight = bruteForce('Euclid', right, q, { limit: 5 });
  assertScored((await client.query('named', { query: q, using: 'left', limit: 5 })).points, eLeft, 1e-4, 'using left');
  assertScored((await client.query('named', { query: q, using: 'right', limit: 5 })).points, eRight, 1e-4, 'using right');
  assertScored(await legacySearch('named', { vector: { name: 'right', vector: q }, limit: 5 }), eRight, 1e-4, 'legacy named');
});

test('limit larger than the matching set returns all matches', async () => {
  const q = queries[0];
  const expected = bruteForce('Euclid', points, q, { limit: 1000, accept });
  const r = await client.query(coll('Euclid'), { query: q, filter, limit: 1000 });
  assertScored(r.points, expected, 1e-4, 'large limit');
});

test('search errors: wrong dimension 400, missing collection 404, unknown vector name 400', async () => {
  const countBefore = await client.count(coll('Dot'));
  await expectApiError(client.query(coll('Dot'), { query: [1, 2, 3], limit: 3 }), 400, /Vector dimension error: expected dim: 16, got 3/);
  await expectApiError(client.query('missing', { query: queries[0], limit: 3 }), 404, /Collection `missing` doesn't exist/);
  await expectApiError(client.query('named', { query: queries[0], using: 'nope', limit: 3 }), 400, /Not existing vector name/);
  await expectApiError(client.query(coll('Dot'), { query: queries[0], limit: 0 }), 422);
  const legacy = await server.http('POST', `/collections/${coll('Dot')}/points/search`, { vector: [1, 2], limit: 3 });
  assert.equal(legacy.status, 400);
  assert.match(legacy.body.status.error, /expected dim: 16, got 2/);
  assert.deepEqual(await client.count(coll('Dot')), countBefore);
});
