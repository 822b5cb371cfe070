// Multivectors (multivector_config with max_sim, late interaction as in ColBERT) through @qdrant/js-client-rest:
// create with multivector_config, upsert [[f32]] points (named and unnamed), retrieve them, query nearest with a
// multivector, a dense prefetch re-ranked by a multivector, recommend with multivector examples, and the 400s for bad
// multivectors; every answer is checked against a brute-force max_sim computed here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, normalize, score, bruteForce, assertScored, expectApiError } from '../lib/reference.mjs';

const N = 150, DIM = 8, SUB = 4;
const DISTANCES = ['Cosine', 'Dot', 'Euclid', 'Manhattan'];
let server, client;

const next = rng(77);
const multi = () => Array.from({ length: 1 + Math.floor(next() * 5) }, () => randomVector(next, SUB));
const points = Array.from({ length: N }, (_, i) => ({ id: i + 1, vector: { dense: randomVector(next, DIM), colbert: multi() }, payload: { n: i } }));
const query = Array.from({ length: 3 }, () => randomVector(next, SUB));

/** Raw similarity (higher is better) as Qdrant ranks: dot of normalized rows, dot, −squared L2, −L1. */
function sim(distance, a, b) {
  if (distance === 'Cosine') return score('Cosine', a, b);
  if (distance === 'Dot') return score('Dot', a, b);
  if (distance === 'Euclid') return -(score('Euclid', a, b) ** 2);
  return -score('Manhattan', a, b);
}

/** max_sim: for each query row the best similarity over the stored rows, summed; reported as Qdrant post-processes it. */
function maxSim(distance, q, stored) {
  let sum = 0;
  for (const row of q) sum += Math.max(...stored.map((s) => sim(distance, row, s)));
  return distance === 'Euclid' ? Math.sqrt(-sum) : distance === 'Manhattan' ? -sum : sum;
}

function bruteMulti(distance, q, { limit, accept = () => true }) {
  const hib = distance === 'Cosine' || distance === 'Dot';
  return points.filter(accept).map((p) => ({ id: p.id, score: maxSim(distance, q, p.vector.colbert) }))
    .sort((a, b) => (hib ? b.score - a.score : a.score - b.score) || a.id - b.id).slice(0, limit);
}

before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  for (const d of DISTANCES) {
    await client.createCollection(`mv_${d}`, {
      vectors: {
        dense: { size: DIM, distance: 'Cosine' },
        colbert: { size: SUB, distance: d, multivector_config: { comparator: 'max_sim' }, hnsw_config: { m: 0 } },
      },
    });
    await client.upsert(`mv_${d}`, { wait: true, points });
  }
});
after(async () => { await server?.stop(); });

test('collection info reports multivector_config', async () => {
  const info = await client.getCollection('mv_Dot');
  assert.deepEqual(info.config.params.vectors.colbert.multivector_config, { comparator: 'max_sim' });
  assert.equal(info.config.params.vectors.dense.multivector_config, undefined);
  assert.equal(info.points_count, N);
});

test('retrieve returns multivectors as lists of lists', async () => {
  const [p] = await client.retrieve('mv_Dot', { ids: [5], with_vector: true });
  assert.equal(p.vector.colbert.length, points[4].vector.colbert.length);
  assert.deepEqual(p.vector.colbert.map((r) => r.map(Math.fround)), points[4].vector.colbert);
  const [c] = await client.retrieve('mv_Cosine', { ids: [5], with_vector: ['colbert'] });
  c.vector.colbert.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - normalize(points[4].vector.colbert[i])[j]) < 1e-6)));
});

for (const d of DISTANCES) {
  test(`${d}: query nearest with a multivector = brute-force max_sim`, async () => {
    const got = await client.query(`mv_${d}`, { query, using: 'colbert', limit: 10 });
    assertScored(got.points, bruteMulti(d, query, { limit: 10 }), 1e-4, d);
    const nested = await client.query(`mv_${d}`, { query: { nearest: query }, using: 'colbert', limit: 3, filter: { must: [{ key: 'n', range: { gte: 50 } }] } });
    assertScored(nested.points, bruteMulti(d, query, { limit: 3, accept: (p) => p.payload.n >= 50 }), 1e-4, `${d} filtered`);
  });
}

test('dense prefetch re-ranked by a multivector', async () => {
  const dq = randomVector(rng(5), DIM);
  const got = await client.query('mv_Dot', {
    prefetch: { query: dq, using: 'dense', limit: 40 },
    query,
    using: 'colbert',
    limit: 8,
    with_payload: true,
  });
  const candidates = new Set(bruteForce('Cosine', points.map((p) => ({ id: p.id, vector: p.vector.dense })), dq, { limit: 40 }).map((p) => p.id));
  assertScored(got.points, bruteMulti('Dot', query, { limit: 8, accept: (p) => candidates.has(p.id) }), 1e-4, 'rerank');
  assert.equal(got.points[0].payload.n, got.points[0].id - 1);
});

test('recommend with multivector examples scores them with max_sim (sum_scores)', async () => {
  const pos = [points[0].vector.colbert], neg = [points[1].vector.colbert];
  const got = await client.query('mv_Dot', { query: { recommend: { positive: pos, negative: neg, strategy: 'sum_scores' } }, using: 'colbert', limit: 5 });
  const raw = (q, p) => maxSim('Dot', q, p.vector.colbert);
  const want = points.map((p) => ({ id: p.id, score: raw(pos[0], p) - raw(neg[0], p) })).sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 5);
  assertScored(got.points, want, 1e-4, 'recommend');
});

test('multivector upsert forms: unnamed [[f32]], batch, update vectors', async () => {
  await client.createCollection('mv_unnamed', { vectors: { size: SUB, distance: 'Euclid', multivector_config: { comparator: 'max_sim' } } });
  await client.upsert('mv_unnamed', { wait: true, points: [{ id: 1, vector: [[1, 0, 0, 0], [0, 1, 0, 0]] }, { id: 2, vector: [[0, 0, 1, 0]] }] });
  await client.upsert('mv_unnamed', { wait: true, batch: { ids: [3], vectors: [[[0, 0, 0, 1], [1, 1, 1, 1]]] } });
  await client.updateVectors('mv_unnamed', { wait: true, points: [{ id: 2, vector: [[0, 0, 2, 0], [0, 0, 0, 2]] }] });
  const got = await client.retrieve('mv_unnamed', { ids: [1, 2, 3], with_vector: true });
  assert.deepEqual(got.map((p) => p.vector), [[[1, 0, 0, 0], [0, 1, 0, 0]], [[0, 0, 2, 0], [0, 0, 0, 2]], [[0, 0, 0, 1], [1, 1, 1, 1]]]);
  const info = await client.getCollection('mv_unnamed');
  assert.deepEqual(info.config.params.vectors.multivector_config, { comparator: 'max_sim' });
  const q = await client.query('mv_unnamed', { query: [[1, 0, 0, 0]], limit: 3 });
  assert.deepEqual(q.points.map((p) => p.id), [1, 3, 2]);
  assert.ok(Math.abs(q.points[0].score) < 1e-6);
});

test('bad multivectors are 400 with the problem named', async () => {
  await expectApiError(client.upsert('mv_Dot', { wait: true, points: [{ id: 999, vector: { colbert: [[1, 2, 3]] } }] }), 400, /expected dim: 4, got 3/);
  await expectApiError(client.upsert('mv_Dot', { wait: true, points: [{ id: 999, vector: { dense: [[1, 2, 3, 4, 5, 6, 7, 8]] } }] }), 400, /multi and regular/);
  await expectApiError(client.query('mv_Dot', { query: [[1, 2]], using: 'colbert' }), 400, /expected dim: 4, got 2/);
  await expectApiError(client.query('mv_Dot', { query: [[1, 2, 3, 4, 5, 6, 7, 8]], using: 'dense' }), 400, /multi and regular/);
  const ragged = await server.http('PUT', '/collections/mv_Dot/points?wait=true', { points: [{ id: 999, vector: { colbert: [[1, 2, 3, 4], [1]] } }] });
  assert.equal(ragged.status, 422, JSON.stringify(ragged.body));
  assert.match(ragged.body.status.error, /same dimension/);
  const empty = await server.http('PUT', '/collections/mv_Dot/points?wait=true', { points: [{ id: 999, vector: { colbert: [[]] } }] });
  assert.equal(empty.status, 422, JSON.stringify(empty.body));
  const badComparator = await server.http('PUT', '/collections/mv_bad', { vectors: { size: 4, distance: 'Dot', multivector_config: { comparator: 'min_sim' } } });
  assert.equal(badComparator.status, 400, JSON.stringify(badComparator.body));
  assert.match(badComparator.body.status.error, /comparator/);
  assert.equal((await client.count('mv_Dot')).count, N);
});

test('a multivector column past indexing_threshold gets a max_sim graph; its answers equal exact=true', async () => {
  // Loaded unindexed, then indexing_threshold is set: the optimizer builds the column's HNSW graph (max_sim). Clustered
  // rows (each point draws around the centres of one topic), as late-interaction embeddings are.
  const D = 16, n = 1200, g = rng(91);
  const topics = Array.from({ length: 24 }, () => Array.from({ length: 4 }, () => randomVector(g, D)));
  const draw = (rows) => {
    const t = topics[Math.floor(g() * topics.length)];
    return Array.from({ length: rows }, () => t[Math.floor(g() * t.length)].map((x) => x + (g() - 0.5) * 0.6));
  };
  const name = 'mv_indexed';
  await client.createCollection(name, {
    vectors: { colbert: { size: D, distance: 'Cosine', multivector_config: { comparator: 'max_sim' } } },
    hnsw_config: { m: 16, ef_construct: 64, full_scan_threshold: 10 },
    optimizers_config: { indexing_threshold: 0, default_segment_number: 1 },
  });
  const stored = Array.from({ length: n }, (_, i) => ({ id: i + 1, vector: { colbert: draw(3 + Math.floor(g() * 6)) } }));
  for (let i = 0; i < n; i += 300) await client.upsert(name, { wait: true, points: stored.slice(i, i + 300) });
  await client.updateCollection(name, { optimizers_config: { indexing_threshold: 10 } });
  let info;
  for (let i = 0; i < 600; i++) {
    info = await client.getCollection(name);
    if (info.status === 'green' && info.indexed_vectors_count >= n) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(info.status, 'green');
  assert.ok(info.indexed_vectors_count >= n, `indexed ${info.indexed_vectors_count} of ${n}`);

  const byId = new Map(stored.map((p) => [p.id, p.vector.colbert]));
  for (let k = 0; k < 10; k++) {
    const q = draw(2 + (k % 4));
    const exact = (await client.query(name, { query: q, using: 'colbert', limit: 10, params: { exact: true } })).points;
    const graph = (await client.query(name, { query: q, using: 'colbert', limit: 10, params: { hnsw_ef: 256 } })).points;
    assert.deepEqual(graph.map((p) => p.id), exact.map((p) => p.id), `query ${k}`);
    for (let i = 0; i < 10; i++) {
      assert.ok(Math.abs(graph[i].score - exact[i].score) <= 1e-5 * Math.max(1, Math.abs(exact[i].score)), `query ${k} rank ${i}`);
      assert.ok(Math.abs(graph[i].score - maxSim('Cosine', q, byId.get(graph[i].id))) <= 1e-4, `query ${k} id ${graph[i].id} vs brute force`);
    }
    // The default ef (ef_construct) answers too, every hit scored exactly.
    const plain = (await client.query(name, { query: q, using: 'colbert', limit: 10 })).points;
    for (const p of plain) assert.ok(Math.abs(p.score - maxSim('Cosine', q, byId.get(p.id))) <= 1e-4);
  }
  // Deleted after indexing: never returned by the graph.
  const top = (await client.query(name, { query: stored[0].vector.colbert, using: 'colbert', limit: 1 })).points[0];
  assert.equal(top.id, 1);
  await client.delete(name, { wait: true, points: [1] });
  const after = (await client.query(name, { query: stored[0].vector.colbert, using: 'colbert', limit: 10, params: { hnsw_ef: 256 } })).points;
  assert.ok(!after.some((p) => p.id === 1));
  assert.deepEqual(after.map((p) => p.id),
    (await client.query(name, { query: stored[0].vector.colbert, using: 'colbert', limit: 10, params: { exact: true } })).points.map((p) => p.id));
});
