// The universal Query API through @qdrant/js-client-grpc 1.19.0: every query form (nearest by vector and id,
// recommend with its three strategies, discover, context, order_by, rrf/dbsf fusion and rrf with k/weights over
// prefetches, formula, sample, mmr, nested prefetch, lookup_from, score_threshold, offset, payload/vector selectors),
// QueryBatch, QueryGroups, the distance matrix and the legacy Recommend*/Discover*/SearchGroups RPCs. Each gRPC answer
// equals the REST answer to the same request on the same data (ids, scores to 1e-5, payloads, vectors) and, where
// cheap, a brute-force reference; bad input is INVALID_ARGUMENT with the data unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, score, bruteForce, assertScored, expectApiError } from '../lib/reference.mjs';
import * as G from '../lib/grpc.mjs';
import * as Q from '../lib/grpc-query.mjs';

const N = 200, DIM = 8;
let server, grpc, rest, points;

const data = [];
{
  const next = rng(31);
  for (let i = 0; i < N; i++) {
    data.push({
      id: i + 1,
      vector: { a: randomVector(next, DIM), b: randomVector(next, DIM) },
      payload: { g: `g${i % 5}`, k: i % 7, n: i, price: Math.round(next() * 1000) / 10, tags: i % 3 === 0 ? ['x'] : ['y', 'z'] },
    });
  }
}
const byId = new Map(data.map((p) => [p.id, p]));
const va = (p) => ({ id: p.id, vector: p.vector.a, payload: p.payload });
const vb = (p) => ({ id: p.id, vector: p.vector.b, payload: p.payload });
const qa = randomVector(rng(41), DIM);
const qb = randomVector(rng(42), DIM);
const other = Array.from({ length: 10 }, (_, i) => ({ id: 1000 + i, vector: { a: randomVector(rng(50 + i), DIM) }, payload: { o: i } }));

before(async () => {
  server = await GrapeServer.start();
  grpc = server.grpcClient();
  rest = server.client();
  points = grpc.api('points');
  const cols = grpc.api('collections');
  const named = (d) => ({ config: { case: 'paramsMap', value: { map: { a: { size: BigInt(DIM), distance: G.Distance.Dot }, ...(d ? { b: { size: BigInt(DIM), distance: G.Distance.Euclid } } : {}) } } } });
  await cols.create({ collectionName: 'q', vectorsConfig: named(true) });
  await cols.create({ collectionName: 'other', vectorsConfig: named(false) });
  await cols.create({ collectionName: 'owners', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: G.Distance.Dot } } } });
  for (let i = 0; i < N; i += 100) await points.upsert({ collectionName: 'q', wait: true, points: data.slice(i, i + 100).map(G.point) });
  await points.upsert({ collectionName: 'other', wait: true, points: other.map(G.point) });
  await points.upsert({ collectionName: 'owners', wait: true, points: Array.from({ length: 7 }, (_, i) => G.point({ id: i, vector: [1, i], payload: { owner: `o${i}` } })) });
  await rest.createPayloadIndex('q', { field_name: 'n', field_schema: 'integer', wait: true });
});
after(async () => { await server?.stop(); });

const wantsPayload = (b) => b.with_payload !== undefined && b.with_payload !== false;

/** The same query through both protocols; returns the gRPC answer as REST JSON. */
async function both(body, what, collection = 'q') {
  const r = await rest.query(collection, body);
  const g = await points.query(Q.queryPoints(collection, body));
  const gj = g.result.map((p) => G.fromScored(p, { withPayload: wantsPayload(body) }));
  G.assertSameScored(gj, r.points, what, 1e-5);
  return gj;
}

/** A legacy REST route beside its gRPC RPC. */
async function restLegacy(path, body) {
  const r = await server.http('POST', `/collections/q/points/${path}`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.result;
}

function groupId(id) {
  return id.kind.case === 'stringValue' ? id.kind.value : Number(id.kind.value);
}

function assertSameGroups(gGroups, rGroups, withPayload, what) {
  assert.deepEqual(gGroups.map((g) => groupId(g.id)), rGroups.map((g) => g.id), `${what}: group ids`);
  gGroups.forEach((g, i) => {
    G.assertSameScored(g.hits.map((h) => G.fromScored(h, { withPayload })), rGroups[i].hits, `${what}: group ${rGroups[i].id}`, 1e-5);
    if (rGroups[i].lookup) assert.deepEqual(G.fromRecord(g.lookup), G.restRecord(rGroups[i].lookup), `${what}: lookup of ${rGroups[i].id}`);
    else assert.equal(g.lookup, undefined, `${what}: unexpected lookup`);
  });
}

const sim = (x, y) => score('Dot', x, y);
const sig = (x) => x / (1 + Math.abs(x));
const scaled = (x) => 0.5 * (sig(x) + 1);
const byScore = (x, y) => y.score - x.score || x.id - y.id;

test('nearest by vector and by id, with filter, threshold, offset, params and selectors = REST = brute force', async () => {
  const filter = { must: [{ key: 'g', match: { any: ['g1', 'g3'] } }], must_not: [{ key: 'n', range: { lt: 20 } }] };
  const accept = (p) => (p.payload.g === 'g1' || p.payload.g === 'g3') && !(p.payload.n < 20);
  const got = await both({ query: qa, using: 'a', filter, limit: 6, offset: 2, params: { exact: true }, with_payload: true, with_vector: ['b'] }, 'nearest vector');
  assertScored(got, bruteForce('Dot', data.map(va), qa, { limit: 6, offset: 2, accept }), 1e-5, 'nearest vector vs brute force');
  for (const p of got) {
    assert.deepEqual(p.payload, byId.get(p.id).payload);
    assert.deepEqual(Object.keys(p.vector), ['b']);
  }

  const threshold = 0.3;
  const t = await both({ query: qa, using: 'a', limit: 50, score_threshold: threshold, params: { hnsw_ef: 64 } }, 'threshold');
  assertScored(t, bruteForce('Dot', data.map(va), qa, { limit: 50, threshold }), 1e-5, 'threshold vs brute force');

  const anchor = byId.get(17);
  const byIdGot = await both({ query: 17, using: 'b', limit: 5, with_payload: ['g'], with_vector: true }, 'nearest id');
  assertScored(byIdGot, bruteForce('Euclid', data.filter((p) => p.id !== 17).map(vb), anchor.vector.b, { limit: 5 }), 1e-5, 'nearest id vs brute force');
  for (const p of byIdGot) {
    assert.deepEqual(p.payload, { g: byId.get(p.id).payload.g });
    assert.deepEqual(Object.keys(p.vector).sort(), ['a', 'b']);
  }
  const excluded = await both({ query: qb, using: 'b', limit: 4, with_payload: { exclude: ['tags', 'price'] } }, 'payload exclude');
  for (const p of excluded) assert.deepEqual(Object.keys(p.payload).sort(), ['g', 'k', 'n']);
});

test('recommend: average_vector, best_score and sum_scores with ids and vectors = REST = brute force', async () => {
  const pos = [3, 8], neg = [13];
  const extraPos = randomVector(rng(77), DIM);
  const posV = [...pos.map((i) => byId.get(i).vector.a), extraPos], negV = neg.map((i) => byId.get(i).vector.a);
  const candidates = data.filter((p) => !pos.includes(p.id) && !neg.includes(p.id));
  const avg = (vs) => vs[0].map((_, d) => vs.reduce((s, v) => s + v[d], 0) / vs.length);
  const ap = avg(posV), an = avg(negV);
  const avgQuery = ap.map((x, d) => x + x - an[d]);
  const expected = {
    average_vector: bruteForce('Dot', candidates.map(va), avgQuery, { limit: 8 }),
    best_score: candidates.map((p) => {
      const mp = Math.max(...posV.map((v) => sim(v, p.vector.a))), mn = Math.max(...negV.map((v) => sim(v, p.vector.a)));
      return { id: p.id, score: mp > mn ? scaled(mp) : -scaled(mn) };
    }).sort(byScore).slice(0, 8),
    sum_scores: candidates.map((p) => ({
      id: p.id, score: posV.reduce((s, v) => s + sim(v, p.vector.a), 0) - negV.reduce((s, v) => s + sim(v, p.vector.a), 0),
    })).sort(byScore).slice(0, 8),
  };
  for (const strategy of ['average_vector', 'best_score', 'sum_scores']) {
    const got = await both({ query: { recommend: { positive: [...pos, extraPos], negative: neg, strategy } }, using: 'a', limit: 8 }, `recommend ${strategy}`);
    assertScored(got, expected[strategy], 1e-4, `recommend ${strategy} vs brute force`);
    const legacy = await restLegacy('recommend', { positive: [...pos, extraPos], negative: neg, strategy, using: 'a', limit: 8 });
    const g = await points.recommend(Q.recommendPoints('q', { positive: [...pos, extraPos], negative: neg, strategy, using: 'a', limit: 8 }));
    G.assertSameScored(g.result.map((p) => G.fromScored(p)), legacy, `legacy Recommend ${strategy}`, 1e-5);
    G.assertSameScored(got, legacy, `legacy Recommend ${strategy} = query`, 1e-5);
  }
});

test('discover and context = REST = brute force; legacy Discover and DiscoverBatch = REST', async () => {
  const pairs = [[5, 6], [7, 9]];
  const context = pairs.map(([positive, negative]) => ({ positive, negative }));
  const rest4 = data.filter((p) => ![5, 6, 7, 9].includes(p.id));
  const rank = (p) => pairs.reduce((r, [a, b]) => r + Math.sign(sim(byId.get(a).vector.a, p.vector.a) - sim(byId.get(b).vector.a, p.vector.a)), 0);
  const disc = rest4.map((p) => ({ id: p.id, score: rank(p) + scaled(sim(qa, p.vector.a)) })).sort(byScore).slice(0, 6);
  const d = await both({ query: { discover: { target: qa, context } }, using: 'a', limit: 6 }, 'discover');
  assertScored(d, disc, 1e-5, 'discover vs brute force');

  // Context scores are ≤ 0 (0 when every pair holds); the values themselves are checked against REST.
  const c = await both({ query: { context }, using: 'a', limit: 10 }, 'context');
  assert.ok(c.length === 10 && c.every((p) => p.score <= 0 && ![5, 6, 7, 9].includes(p.id)));

  const legacyBody = { target: 11, context: [{ positive: 5, negative: [0, 0, 0, 0, 0, 0, 0, 1] }], using: 'a', limit: 5, offset: 1, with_payload: true };
  const r = await restLegacy('discover', legacyBody);
  const g = await points.discover(Q.discoverPoints('q', legacyBody));
  G.assertSameScored(g.result.map((p) => G.fromScored(p, { withPayload: true })), r, 'legacy Discover', 1e-5);

  const batch = [{ context, using: 'a', limit: 4 }, { target: qa, context, using: 'a', limit: 3 }];
  const rb = await restLegacy('discover/batch', { searches: batch });
  const gb = await points.discoverBatch({ collectionName: 'q', discoverPoints: batch.map((b) => Q.discoverPoints('q', b)) });
  assert.equal(gb.result.length, 2);
  gb.result.forEach((b, i) => G.assertSameScored(b.result.map((p) => G.fromScored(p)), rb[i], `legacy DiscoverBatch ${i}`, 1e-5));
});

test('order_by asc/desc with start_from = REST = payload order', async () => {
  const asc = await both({ query: { order_by: { key: 'n', start_from: 50 } }, limit: 5, with_payload: ['n'] }, 'order_by asc');
  assert.deepEqual(asc.map((p) => p.payload.n), [50, 51, 52, 53, 54]);
  const desc = await both({ query: { order_by: { key: 'n', direction: 'desc' } }, filter: { must: [{ key: 'g', match: { value: 'g2' } }] }, limit: 3, with_payload: true }, 'order_by desc');
  assert.deepEqual(desc.map((p) => p.payload.n), [197, 192, 187]);
});

test('rrf and dbsf fusion, rrf with k and weights, nested prefetch re-scoring = REST = definitions', async () => {
  const la = bruteForce('Dot', data.map(va), qa, { limit: 20 });
  const lb = bruteForce('Euclid', data.map(vb), qb, { limit: 20 });
  const prefetch = [{ query: qa, using: 'a', limit: 20 }, { query: qb, using: 'b', limit: 20 }];
  const fused = (weights, k) => {
    const m = new Map();
    [la, lb].forEach((list, s) => list.forEach((p, rank) => m.set(p.id, (m.get(p.id) ?? 0) + (weights[s] <= 0 ? 0 : 1 / ((rank + 1) / weights[s] + k - 1)))));
    return [...m.entries()].map(([id, s]) => ({ id, score: s })).sort(byScore);
  };
  assertScored(await both({ prefetch, query: { fusion: 'rrf' }, limit: 10 }, 'rrf'), fused([1, 1], 2).slice(0, 10), 1e-6, 'rrf vs definition');
  assertScored(await both({ prefetch, query: { rrf: { k: 60 } }, limit: 10 }, 'rrf k'), fused([1, 1], 60).slice(0, 10), 1e-6, 'rrf k=60 vs definition');
  assertScored(await both({ prefetch, query: { rrf: { k: 5, weights: [3, 0.5] } }, limit: 10 }, 'rrf weights'), fused([3, 0.5], 5).slice(0, 10), 1e-6, 'rrf weights vs definition');

  const dbsf = new Map();
  for (const list of [la, lb]) {
    const mean = list.reduce((s, p) => s + p.score, 0) / list.length;
    const sd = Math.sqrt(list.reduce((s, p) => s + (p.score - mean) ** 2, 0) / (list.length - 1));
    for (const p of list) dbsf.set(p.id, (dbsf.get(p.id) ?? 0) + (p.score - (mean - 3 * sd)) / (6 * sd));
  }
  const wantDbsf = [...dbsf.entries()].map(([id, s]) => ({ id, score: s })).sort(byScore).slice(0, 10);
  assertScored(await both({ prefetch, query: { fusion: 'dbsf' }, limit: 10, with_payload: true }, 'dbsf'), wantDbsf, 1e-4, 'dbsf vs definition');

  // Two levels: an rrf of two prefetches, re-scored by the b vector.
  const nested = await both({ prefetch: { prefetch, query: { fusion: 'rrf' }, limit: 15 }, query: qb, using: 'b', limit: 5 }, 'nested');
  const inner = new Set(fused([1, 1], 2).slice(0, 15).map((p) => p.id));
  assertScored(nested, bruteForce('Euclid', data.map(vb), qb, { limit: 5, accept: (p) => inner.has(p.id) }), 1e-5, 'nested vs brute force');
  // A fused score threshold keeps the points at or above it.
  const cut = await both({ prefetch, query: { fusion: 'rrf' }, score_threshold: 0.3, limit: 50 }, 'rrf threshold');
  assert.ok(cut.length > 0 && cut.every((p) => p.score >= 0.3));
});

test('formula: arithmetic over $score, payload values, conditions, decay and defaults = REST = definition', async () => {
  const prefetch = { query: qa, using: 'a', limit: 30 };
  const formula = {
    sum: ['$score', { mult: [0.01, 'price'] }, { key: 'g', match: { value: 'g0' } }, { div: { left: 1, right: { sum: ['n', -50] }, by_zero_default: 7 } }],
  };
  const got = await both({ prefetch, query: { formula }, limit: 10, with_payload: true }, 'formula');
  const cands = bruteForce('Dot', data.map(va), qa, { limit: 30 });
  const want = cands.map((p) => {
    const n = p.payload.n;
    return { id: p.id, score: p.score + 0.01 * p.payload.price + (p.payload.g === 'g0' ? 1 : 0) + (n - 50 === 0 ? 7 : 1 / (n - 50)) };
  }).sort(byScore).slice(0, 10);
  assertScored(got, want, 1e-4, 'formula vs definition');

  const decay = { gauss_decay: { x: 'missing', target: 10, scale: 5, midpoint: 0.5 } };
  const withDefault = await both({ prefetch, query: { formula: { mult: ['$score', decay, { abs: { neg: 2 } }] }, defaults: { missing: 13 } }, limit: 5 }, 'formula decay + defaults');
  const g = Math.exp((Math.log(0.5) / 25) * (13 - 10) ** 2);
  assertScored(withDefault, cands.map((p) => ({ id: p.id, score: p.score * g * 2 })).sort(byScore).slice(0, 5), 1e-4, 'decay vs definition');
  await both({ prefetch, query: { formula: { sum: [{ sqrt: { pow: { base: 'price', exponent: 2 } } }, { ln: { exp: '$score' } }, { log10: 100 }, { exp_decay: { x: 'n' } }, { lin_decay: { x: 'n', scale: 300 } }] } }, limit: 5 }, 'formula operators');
});

test('sample, mmr, lookup_from and QueryBatch = REST', async () => {
  const sample = await points.query(Q.queryPoints('q', { query: { sample: 'random' }, limit: 20, filter: { must: [{ key: 'k', match: { value: 3 } }] } }));
  const ids = sample.result.map((p) => G.fromPid(p.id));
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 20);
  for (const id of ids) assert.equal(byId.get(id).payload.k, 3);
  const prefetched = new Set(bruteForce('Dot', data.map(va), qa, { limit: 12 }).map((p) => p.id));
  const sampledPrefetch = await points.query(Q.queryPoints('q', { prefetch: { query: qa, using: 'a', limit: 12 }, query: { sample: 'random' }, limit: 12 }));
  assert.deepEqual(new Set(sampledPrefetch.result.map((p) => G.fromPid(p.id))), prefetched);

  await both({ query: { nearest: qa, mmr: { diversity: 0.6, candidates_limit: 40 } }, using: 'a', limit: 8 }, 'mmr');
  await both({ query: { nearest: qb, mmr: { diversity: 0 } }, using: 'b', limit: 5, with_payload: true }, 'mmr λ=1');

  // Example ids read from another collection: they are not excluded here, and their vectors are the other collection's.
  const lookup = { collection: 'other', vector: 'a' };
  const lf = await both({ query: { recommend: { positive: [1000, 1001], negative: [1002] } }, using: 'a', lookup_from: lookup, limit: 6 }, 'lookup_from recommend');
  const o = new Map(other.map((p) => [p.id, p.vector.a]));
  const lfQuery = o.get(1000).map((x, d) => 2 * ((x + o.get(1001)[d]) / 2) - o.get(1002)[d]);
  assertScored(lf, bruteForce('Dot', data.map(va), lfQuery, { limit: 6 }), 1e-4, 'lookup_from vs brute force');
  await both({ query: 1003, using: 'a', lookup_from: lookup, limit: 4 }, 'lookup_from nearest id');

  const searches = [{ query: qa, using: 'a', limit: 3 }, { prefetch: [{ query: qa, using: 'a' }, { query: qb, using: 'b' }], query: { fusion: 'dbsf' }, limit: 4 }, { query: { order_by: 'n' }, limit: 2 }];
  const rb = await rest.queryBatch('q', { searches });
  const gb = await points.queryBatch({ collectionName: 'q', queryPoints: searches.map((s) => Q.queryPoints('q', s)) });
  assert.equal(gb.result.length, searches.length);
  gb.result.forEach((b, i) => G.assertSameScored(b.result.map((p) => G.fromScored(p)), rb[i].points, `QueryBatch ${i}`, 1e-5));
});

test('QueryGroups with lookup, legacy SearchGroups and RecommendGroups = REST = grouped brute force', async () => {
  const body = { query: qa, using: 'a', group_by: 'g', group_size: 2, limit: 3, with_payload: true };
  const r = await rest.queryGroups('q', body);
  const g = await points.queryGroups(Q.queryPointGroups('q', body));
  assertSameGroups(g.result.groups, r.groups, true, 'QueryGroups');
  const ranked = bruteForce('Dot', data.map(va), qa, { limit: N });
  const want = [];
  for (const p of ranked) {
    const x = want.find((w) => w.id === p.payload.g);
    if (x) { if (x.hits.length < 2) x.hits.push(p); } else if (want.length < 3) want.push({ id: p.payload.g, hits: [p] });
  }
  assert.deepEqual(g.result.groups.map((x) => groupId(x.id)), want.map((w) => w.id));

  const lookupBody = { prefetch: [{ query: qa, using: 'a', limit: 40 }, { query: qb, using: 'b', limit: 40 }], query: { fusion: 'rrf' }, group_by: 'k', group_size: 3, limit: 4, with_lookup: { collection: 'owners', with_payload: true, with_vectors: true } };
  const rl = await rest.queryGroups('q', lookupBody);
  const gl = await points.queryGroups(Q.queryPointGroups('q', lookupBody));
  assertSameGroups(gl.result.groups, rl.groups, false, 'QueryGroups with_lookup');
  for (const x of gl.result.groups) assert.equal(G.fromRecord(x.lookup).payload.owner, `o${groupId(x.id)}`);

  const sg = { vector: { name: 'b', vector: qb }, group_by: 'k', group_size: 2, limit: 3, with_payload: ['k'], with_lookup: 'owners', filter: { must_not: [{ key: 'k', match: { value: 0 } }] } };
  const rs = await restLegacy('search/groups', sg);
  const gs = await points.searchGroups(Q.searchPointGroups('q', sg));
  assertSameGroups(gs.result.groups, rs.groups, true, 'legacy SearchGroups');
  assert.ok(gs.result.groups.every((x) => groupId(x.id) !== 0));

  const rg = { positive: [4, 9], negative: [16], strategy: 'best_score', using: 'a', group_by: 'g', group_size: 2, limit: 2, with_lookup: { collection: 'owners', with_payload: false } };
  const rr = await restLegacy('recommend/groups', rg);
  const gr = await points.recommendGroups(Q.recommendPointGroups('q', rg));
  assertSameGroups(gr.result.groups, rr.groups, false, 'legacy RecommendGroups');

  const rb = await restLegacy('recommend/batch', { searches: [{ positive: [4], using: 'a', limit: 3 }, { positive: [qb], negative: [5], using: 'b', strategy: 'sum_scores', limit: 4, offset: 2 }] });
  const gb = await points.recommendBatch({ collectionName: 'q', recommendPoints: [Q.recommendPoints('q', { positive: [4], using: 'a', limit: 3 }), Q.recommendPoints('q', { positive: [qb], negative: [5], using: 'b', strategy: 'sum_scores', limit: 4, offset: 2 })] });
  gb.result.forEach((b, i) => G.assertSameScored(b.result.map((p) => G.fromScored(p)), rb[i], `legacy RecommendBatch ${i}`, 1e-5));
});

test('SearchMatrixPairs and SearchMatrixOffsets = REST over the same (whole-filter) sample', async () => {
  const filter = { must: [{ key: 'n', range: { lt: 12 } }] };
  const rp = await rest.searchMatrixPairs('q', { sample: 12, limit: 3, using: 'b', filter });
  const gp = await points.searchMatrixPairs({ collectionName: 'q', sample: 12n, limit: 3n, using: 'b', filter: G.filter(filter) });
  const key = (a, b) => `${a}-${b}`;
  const restPairs = new Map(rp.pairs.map((p) => [key(p.a, p.b), p.score]));
  assert.equal(gp.result.pairs.length, rp.pairs.length);
  for (const p of gp.result.pairs) {
    const s = restPairs.get(key(G.fromPid(p.a), G.fromPid(p.b)));
    assert.ok(s !== undefined && Math.abs(s - p.score) < 1e-5, `pair ${G.fromPid(p.a)}-${G.fromPid(p.b)}`);
    assert.ok(Math.abs(p.score - score('Euclid', byId.get(G.fromPid(p.a)).vector.b, byId.get(G.fromPid(p.b)).vector.b)) < 1e-4);
  }
  const ro = await rest.searchMatrixOffsets('q', { sample: 12, limit: 3, using: 'a', filter });
  const go = await points.searchMatrixOffsets({ collectionName: 'q', sample: 12n, limit: 3n, using: 'a', filter: G.filter(filter) });
  const triples = (ids, rows, cols, scores) => rows.map((r, i) => `${ids[Number(r)]}>${ids[Number(cols[i])]}:${scores[i].toFixed(5)}`).sort();
  assert.deepEqual(triples(go.result.ids.map(G.fromPid), go.result.offsetsRow, go.result.offsetsCol, go.result.scores),
    triples(ro.ids, ro.offsets_row, ro.offsets_col, ro.scores));
});

test('bad queries are INVALID_ARGUMENT naming the problem (REST 400 alike); a missing collection NOT_FOUND; data unchanged', async () => {
  const before = await rest.count('q', { exact: true });
  const snapshot = await rest.retrieve('q', { ids: [1, 2], with_payload: true, with_vector: true });
  const cases = [
    [{ prefetch: [{ query: qa, using: 'nope' }], query: { fusion: 'rrf' } }, /Not existing vector name error: nope/],
    [{ query: { fusion: 'dbsf' } }, /cannot apply Fusion without prefetches/],
    [{ prefetch: { query: qa, using: 'a' }, query: { formula: { sum: ['$score', '$nope'] } } }, /Invalid reserved word: \$nope/],
    [{ prefetch: { query: qa, using: 'a' }, query: { formula: { mult: ['$score', 'no_such_key'] } } }, /no_such_key/],
    [{ query: { recommend: { positive: [], negative: [], strategy: 'sum_scores' } }, using: 'a' }, /At least one positive or negative/],
    [{ query: { recommend: {} }, using: 'a' }, /Positive vectors should not be empty/],
    [{ query: { recommend: { negative: [3], strategy: 'average_vector' } }, using: 'a' }, /Positive vectors should not be empty/],
    [{ prefetch: [{ query: qa, using: 'a' }], query: { rrf: { weights: [1, 2] } } }, /Number of weights in RRF should match/],
  ];
  for (const [body, pattern] of cases) {
    const text = await G.expectGrpcError(points.query(Q.queryPoints('q', body)), G.Code.InvalidArgument, pattern);
    const restText = await expectApiError(rest.query('q', body), 400, pattern);
    assert.equal(text, restText, `gRPC and REST texts differ for ${JSON.stringify(body)}`);
  }
  await G.expectGrpcError(points.queryGroups(Q.queryPointGroups('q', { query: qa, using: 'a', group_by: '' })), G.Code.InvalidArgument, /group_by/);
  await G.expectGrpcError(points.searchGroups(Q.searchPointGroups('q', { vector: { name: 'a', vector: qa }, group_by: '', group_size: 1, limit: 1 })), G.Code.InvalidArgument, /group_by/);
  // A group_by key no point has: both protocols answer the same (no groups).
  const noField = { query: qa, using: 'a', group_by: 'no_such_field', group_size: 1, limit: 2 };
  const rNo = await rest.queryGroups('q', noField);
  const gNo = await points.queryGroups(Q.queryPointGroups('q', noField));
  assertSameGroups(gNo.result.groups, rNo.groups, false, 'group_by on a missing field');
  assert.equal(gNo.result.groups.length, 0);

  await G.expectGrpcError(points.recommend(Q.recommendPoints('q', { using: 'a', limit: 3 })), G.Code.InvalidArgument, /At least one positive vector ID required/);
  await G.expectGrpcError(points.recommend(Q.recommendPoints('q', { negative: [3], strategy: 'best_score', using: 'a', limit: 0 })), G.Code.InvalidArgument, /limit/);
  await G.expectGrpcError(points.recommendGroups(Q.recommendPointGroups('q', { strategy: 'sum_scores', using: 'a', group_by: 'g', group_size: 1, limit: 1 })), G.Code.InvalidArgument, /At least one positive or negative/);
  await G.expectGrpcError(points.discover(Q.discoverPoints('q', { using: 'a', limit: 3 })), G.Code.InvalidArgument, /target or context must be specified/);
  await G.expectGrpcError(points.recommend(Q.recommendPoints('q', { positive: [qa.slice(2)], using: 'a', limit: 3 })), G.Code.InvalidArgument, /dim/);
  await G.expectGrpcError(points.query(Q.queryPoints('q', { query: 99999, using: 'a' })), G.Code.NotFound, /99999/);
  await G.expectGrpcError(points.query(Q.queryPoints('none', { query: qa })), G.Code.NotFound, /none/);
  await G.expectGrpcError(points.recommend(Q.recommendPoints('none', { positive: [1], limit: 1 })), G.Code.NotFound, /none/);
  await G.expectGrpcError(points.searchGroups(Q.searchPointGroups('none', { vector: qa, group_by: 'g', group_size: 1, limit: 1 })), G.Code.NotFound, /none/);

  assert.deepEqual(await rest.count('q', { exact: true }), before);
  assert.deepEqual(await rest.retrieve('q', { ids: [1, 2], with_payload: true, with_vector: true }), snapshot);
});
