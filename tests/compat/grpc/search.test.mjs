// Reads through Qdrant's official gRPC client: Search/SearchBatch, Query/QueryBatch (nearest vector and point id),
// Scroll with pagination and Count with filters, each compared with the same request through REST on the same
// data (ids, payloads, vectors, versions; scores to 1e-4) and with a brute-force reference.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, seededUuid, bruteForce, assertScored, compareIds } from '../lib/reference.mjs';
import * as G from '../lib/grpc.mjs';

const N = 240, DIM = 16;
const DISTANCES = { Cosine: G.Distance.Cosine, Euclid: G.Distance.Euclid, Dot: G.Distance.Dot, Manhattan: G.Distance.Manhattan };
const COLORS = ['red', 'green', 'blue', 'black'];
let server, grpc, rest, points;

const next = rng(2024);
const data = [];
for (let i = 0; i < N; i++) {
  const id = i % 6 === 5 ? seededUuid(next) : i + 1;
  data.push({ id, vector: randomVector(next, DIM), payload: { color: COLORS[i % 4], n: i, score: i / 10, tags: i % 3 === 0 ? ['x', 'y'] : ['z'] } });
}
const queries = Array.from({ length: 3 }, () => randomVector(next, DIM));
const filterJson = { must: [{ key: 'color', match: { any: ['red', 'blue'] } }], must_not: [{ key: 'n', range: { lt: 30 } }] };
const accept = (p) => (p.payload.color === 'red' || p.payload.color === 'blue') && !(p.payload.n < 30);
const coll = (d) => `s_${d.toLowerCase()}`;

before(async () => {
  server = await GrapeServer.start();
  grpc = server.grpcClient();
  rest = server.client();
  points = grpc.api('points');
  for (const [name, d] of Object.entries(DISTANCES)) {
    await grpc.api('collections').create({ collectionName: coll(name), vectorsConfig: { config: { case: 'params', value: { size: BigInt(DIM), distance: d } } } });
    // Loaded over gRPC in a few batches.
    for (let i = 0; i < N; i += 100) {
      await points.upsert({ collectionName: coll(name), wait: true, points: data.slice(i, i + 100).map(G.point) });
    }
  }
});
after(async () => { await server?.stop(); });

/** REST's legacy search route (client 1.19 has no method for it). */
async function restSearch(collection, body) {
  const r = await server.http('POST', `/collections/${collection}/points/search`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.result;
}

for (const name of Object.keys(DISTANCES)) {
  test(`${name}: Search (with filter, offset, payload, vectors) = REST search = brute force`, async () => {
    for (const q of queries) {
      const expected = bruteForce(name, data, q, { limit: 7, offset: 3, accept });
      const g = await points.search({
        collectionName: coll(name), vector: q, limit: 7n, offset: 3n, filter: G.filter(filterJson),
        withPayload: G.withPayload(true), withVectors: G.withVectors(true),
      });
      const gj = g.result.map((p) => G.fromScored(p, { withPayload: true }));
      const r = await restSearch(coll(name), { vector: q, limit: 7, offset: 3, filter: filterJson, with_payload: true, with_vector: true });
      assertScored(gj, expected, 1e-4, `${name} gRPC`);
      G.assertSameScored(gj, r, `${name} gRPC vs REST`);
      for (let i = 0; i < expected.length; i++) assert.deepEqual(gj[i].payload, expected[i].payload);
    }
  });

  test(`${name}: Query nearest vector and by point id = REST query`, async () => {
    const q = queries[0];
    const g = await points.query({ collectionName: coll(name), query: G.nearest(q), limit: 10n, withPayload: G.withPayload(['color']) });
    const r = await rest.query(coll(name), { query: q, limit: 10, with_payload: ['color'] });
    const gj = g.result.map((p) => G.fromScored(p, { withPayload: true }));
    G.assertSameScored(gj, r.points, `${name} query vector`);
    assertScored(gj, bruteForce(name, data, q, { limit: 10 }), 1e-4, `${name} query vs brute force`);
    for (const p of gj) assert.deepEqual(Object.keys(p.payload), ['color']);

    // By point id: the point's own vector, the point itself left out.
    const anchor = data[17];
    const gi = await points.query({ collectionName: coll(name), query: G.nearest(anchor.id), limit: 5n, filter: G.filter(filterJson) });
    const ri = await rest.query(coll(name), { query: anchor.id, limit: 5, filter: filterJson });
    const gij = gi.result.map((p) => G.fromScored(p));
    G.assertSameScored(gij, ri.points, `${name} query by id`);
    const others = data.filter((p) => p.id !== anchor.id);
    assertScored(gij, bruteForce(name, others, anchor.vector, { limit: 5, accept }), 1e-4, `${name} query by id vs brute force`);
  });
}

test('score_threshold over gRPC keeps the same results as REST', async () => {
  for (const name of ['Cosine', 'Euclid']) {
    const q = queries[1];
    const all = bruteForce(name, data, q, { limit: 20 });
    const threshold = (all[8].score + all[9].score) / 2;
    const g = await points.query({ collectionName: coll(name), query: G.nearest(q), limit: 20n, scoreThreshold: threshold });
    const r = await rest.query(coll(name), { query: q, limit: 20, score_threshold: threshold });
    const gj = g.result.map((p) => G.fromScored(p));
    G.assertSameScored(gj, r.points, `${name} threshold`);
    assert.equal(gj.length, 9, `${name}: exactly the 9 on the good side`);
  }
});

test('SearchBatch and QueryBatch = REST batches, one result list per request in order', async () => {
  const c = coll('Dot');
  const g = await points.searchBatch({ collectionName: c, searchPoints: queries.map((q, i) => ({
    collectionName: c, vector: q, limit: BigInt(3 + i), filter: i === 1 ? G.filter(filterJson) : undefined,
  })) });
  const r = await server.http('POST', `/collections/${c}/points/search/batch`, {
    searches: queries.map((q, i) => ({ vector: q, limit: 3 + i, filter: i === 1 ? filterJson : undefined })),
  });
  assert.equal(r.status, 200);
  assert.equal(g.result.length, queries.length);
  for (let i = 0; i < queries.length; i++) {
    G.assertSameScored(g.result[i].result.map((p) => G.fromScored(p)), r.body.result[i], `search batch #${i}`);
  }

  const gq = await points.queryBatch({ collectionName: c, queryPoints: queries.map((q, i) => ({
    collectionName: c, query: G.nearest(q), limit: BigInt(4 + i), withPayload: G.withPayload(true), withVectors: G.withVectors(i === 2),
  })) });
  const rq = await rest.queryBatch(c, { searches: queries.map((q, i) => ({ query: q, limit: 4 + i, with_payload: true, with_vector: i === 2 })) });
  for (let i = 0; i < queries.length; i++) {
    G.assertSameScored(gq.result[i].result.map((p) => G.fromScored(p, { withPayload: true })), rq[i].points, `query batch #${i}`);
  }
});

/** Every page of a scroll through both protocols, followed by their own next-page offsets. */
async function scrollAll(collection, { limit, filter, withPayload, withVector }) {
  const pagesG = [], pagesR = [];
  let offset;
  for (;;) {
    const g = await points.scroll({
      collectionName: collection, limit, offset: offset === undefined ? undefined : G.pid(offset),
      filter: G.filter(filter), withPayload: G.withPayload(withPayload), withVectors: G.withVectors(withVector),
    });
    pagesG.push(g.result.map((p) => G.fromRecord(p, { withPayload: Boolean(withPayload) })));
    if (!g.nextPageOffset) break;
    offset = G.fromPid(g.nextPageOffset);
  }
  let roffset;
  for (;;) {
    const r = await rest.scroll(collection, { limit, offset: roffset, filter, with_payload: withPayload, with_vector: withVector });
    pagesR.push(r.points.map((p) => G.restRecord(p, { withPayload: Boolean(withPayload) })));
    if (r.next_page_offset === null || r.next_page_offset === undefined) break;
    roffset = r.next_page_offset;
  }
  return { pagesG, pagesR };
}

test('Scroll: pages of 7 over mixed int/uuid ids, the same pages as REST, id order, nothing missed', async () => {
  const { pagesG, pagesR } = await scrollAll(coll('Cosine'), { limit: 7, withPayload: true, withVector: true });
  assert.equal(pagesG.length, pagesR.length, 'page counts differ');
  assert.equal(pagesG.length, Math.ceil(N / 7));
  for (let i = 0; i < pagesR.length; i++) G.assertSameRecords(pagesG[i], pagesR[i], `page ${i}`);
  const ids = pagesG.flat().map((p) => p.id);
  assert.deepEqual(ids, data.map((p) => p.id).sort(compareIds));
});

test('Scroll with a filter and without payload/vectors = REST', async () => {
  const { pagesG, pagesR } = await scrollAll(coll('Euclid'), { limit: 10, filter: filterJson, withPayload: false, withVector: false });
  assert.equal(pagesG.length, pagesR.length);
  for (let i = 0; i < pagesR.length; i++) G.assertSameRecords(pagesG[i], pagesR[i], `filtered page ${i}`);
  const ids = pagesG.flat().map((p) => p.id);
  assert.deepEqual(ids, data.filter(accept).map((p) => p.id).sort(compareIds));
  for (const p of pagesG.flat()) assert.deepEqual(Object.keys(p), ['id']);
});

test('Count with and without filters = REST = reference', async () => {
  const c = coll('Dot');
  const filters = [
    undefined,
    filterJson,
    { must: [{ key: 'tags', match: { value: 'x' } }] },
    { should: [{ key: 'color', match: { value: 'black' } }, { key: 'score', range: { gte: 20 } }] },
    { must: [{ has_id: [1, 2, 3, data[5].id, 999] }] },
    { must_not: [{ key: 'color', match: { except: ['green'] } }] },
  ];
  const refs = [
    () => true, accept, (p) => p.payload.tags.includes('x'), (p) => p.payload.color === 'black' || p.payload.score >= 20,
    (p) => [1, 2, 3, data[5].id].includes(p.id), (p) => p.payload.color === 'green',
  ];
  for (let i = 0; i < filters.length; i++) {
    const g = await points.count({ collectionName: c, filter: G.filter(filters[i]), exact: true });
    const r = await rest.count(c, { filter: filters[i], exact: true });
    assert.equal(Number(g.result.count), r.count, `filter #${i}: gRPC ${g.result.count} vs REST ${r.count}`);
    assert.equal(r.count, data.filter(refs[i]).length, `filter #${i} vs reference`);
  }
});
