// The universal Query API through @qdrant/js-client-rest 1.19.0: prefetch + fusion (RRF, DBSF), recommend,
// discover, queryGroups and the distance matrix, checked against references computed here from the definitions
// (brute force over the same data); the legacy recommend/discover routes through plain HTTP answer the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, score, bruteForce, assertScored, expectApiError } from '../lib/reference.mjs';

const N = 200;
const DIM = 8;
let server, client;
const points = [];
{
  const next = rng(11);
  for (let i = 0; i < N; i++) {
    points.push({ id: i + 1, vector: { a: randomVector(next, DIM), b: randomVector(next, DIM) }, payload: { g: `g${i % 5}`, n: i } });
  }
}
const va = (p) => ({ id: p.id, vector: p.vector.a, payload: p.payload });
const vb = (p) => ({ id: p.id, vector: p.vector.b, payload: p.payload });
const byId = new Map(points.map((p) => [p.id, p]));
const qa = randomVector(rng(21), DIM);
const qb = randomVector(rng(22), DIM);

before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  await client.createCollection('q', { vectors: { a: { size: DIM, distance: 'Dot' }, b: { size: DIM, distance: 'Euclid' } } });
  await client.upsert('q', { points });
});
after(async () => { await server?.stop(); });

function sortFused(map) {
  return [...map.entries()].map(([id, s]) => ({ id, score: s })).sort((x, y) => y.score - x.score || x.id - y.id);
}

test('prefetch + fusion rrf and dbsf match the definitions', async () => {
  const la = bruteForce('Dot', points.map(va), qa, { limit: 20 });
  const lb = bruteForce('Euclid', points.map(vb), qb, { limit: 20 });
  const prefetch = [{ query: qa, using: 'a', limit: 20 }, { query: qb, using: 'b', limit: 20 }];

  const rrf = new Map();
  for (const list of [la, lb]) list.forEach((p, rank) => rrf.set(p.id, (rrf.get(p.id) ?? 0) + 1 / (rank + 2)));
  const gotRrf = await client.query('q', { prefetch, query: { fusion: 'rrf' }, limit: 10 });
  assertScored(gotRrf.points, sortFused(rrf).slice(0, 10), 1e-6, 'rrf');

  const dbsf = new Map();
  for (const list of [la, lb]) {
    const mean = list.reduce((s, p) => s + p.score, 0) / list.length;
    const sd = Math.sqrt(list.reduce((s, p) => s + (p.score - mean) ** 2, 0) / (list.length - 1));
    for (const p of list) dbsf.set(p.id, (dbsf.get(p.id) ?? 0) + (p.score - (mean - 3 * sd)) / (6 * sd));
  }
  const gotDbsf = await client.query('q', { prefetch, query: { fusion: 'dbsf' }, limit: 10 });
  assertScored(gotDbsf.points, sortFused(dbsf).slice(0, 10), 1e-4, 'dbsf');

  // Re-scoring: the outer nearest query ranks only the prefetched points.
  const rescored = await client.query('q', { prefetch: { query: qa, using: 'a', limit: 30 }, query: qb, using: 'b', limit: 5 });
  const candidates = new Set(bruteForce('Dot', points.map(va), qa, { limit: 30 }).map((p) => p.id));
  assertScored(rescored.points, bruteForce('Euclid', points.map(vb), qb, { limit: 5, accept: (p) => candidates.has(p.id) }), 1e-4, 'rescore');
});

test('recommend best_score and discover match the definitions; legacy routes answer the same', async () => {
  const sig = (x) => x / (1 + Math.abs(x));
  const scaled = (x) => 0.5 * (sig(x) + 1);
  const sim = (x, y) => score('Dot', x, y);
  const pos = [3, 8], neg = [13];
  const best = points.filter((p) => !pos.includes(p.id) && !neg.includes(p.id)).map((p) => {
    const mp = Math.max(...pos.map((i) => sim(byId.get(i).vector.a, p.vector.a)));
    const mn = Math.max(...neg.map((i) => sim(byId.get(i).vector.a, p.vector.a)));
    return { id: p.id, score: mp > mn ? scaled(mp) : -scaled(mn) };
  }).sort((x, y) => y.score - x.score || x.id - y.id).slice(0, 8);
  const r = await client.query('q', { query: { recommend: { positive: pos, negative: neg, strategy: 'best_score' } }, using: 'a', limit: 8 });
  assertScored(r.points, best, 1e-5, 'best_score');
  const legacy = await server.http('POST', '/collections/q/points/recommend', { positive: pos, negative: neg, strategy: 'best_score', using: 'a', limit: 8 });
  assert.equal(legacy.status, 200, JSON.stringify(legacy.body));
  assertScored(legacy.body.result, best, 1e-5, 'legacy recommend');

  const pairs = [[5, 6], [7, 9]];
  const disc = points.filter((p) => ![5, 6, 7, 9].includes(p.id)).map((p) => {
    let rank = 0;
    for (const [a, b] of pairs) rank += Math.sign(sim(byId.get(a).vector.a, p.vector.a) - sim(byId.get(b).vector.a, p.vector.a));
    return { id: p.id, score: rank + scaled(sim(qa, p.vector.a)) };
  }).sort((x, y) => y.score - x.score || x.id - y.id).slice(0, 6);
  const context = pairs.map(([positive, negative]) => ({ positive, negative }));
  const d = await client.query('q', { query: { discover: { target: qa, context } }, using: 'a', limit: 6 });
  assertScored(d.points, disc, 1e-5, 'discover');
  const legacyDiscover = await server.http('POST', '/collections/q/points/discover', { target: qa, context, using: 'a', limit: 6 });
  assert.equal(legacyDiscover.status, 200, JSON.stringify(legacyDiscover.body));
  assertScored(legacyDiscover.body.result, disc, 1e-5, 'legacy discover');

  await expectApiError(client.query('q', { query: { fusion: 'rrf' } }), 400, /cannot apply Fusion without prefetches/);
});

test('queryGroups groups the ranked list by a payload value', async () => {
  const r = await client.queryGroups('q', { query: qa, using: 'a', group_by: 'g', group_size: 2, limit: 3, with_payload: true });
  const ranked = bruteForce('Dot', points.map(va), qa, { limit: N });
  const want = [];
  for (const p of ranked) {
    const g = want.find((x) => x.id === p.payload.g);
    if (g) { if (g.hits.length < 2) g.hits.push(p); } else if (want.length < 3) want.push({ id: p.payload.g, hits: [p] });
  }
  assert.deepEqual(r.groups.map((g) => g.id), want.map((g) => g.id));
  r.groups.forEach((g, i) => assertScored(g.hits, want[i].hits, 1e-5, `group ${g.id}`));
  assert.equal(r.groups[0].hits[0].payload.g, r.groups[0].id);
});

test('searchMatrixPairs and searchMatrixOffsets describe the same nearest neighbours', async () => {
  const pairs = await client.searchMatrixPairs('q', { sample: 12, limit: 2, using: 'b' });
  const offsets = await client.searchMatrixOffsets('q', { sample: 12, limit: 2, using: 'b' });
  assert.equal(pairs.pairs.length, 24);
  assert.equal(offsets.ids.length, 12);
  assert.equal(offsets.scores.length, offsets.offsets_row.length);
  // Each pair's score is the Euclid distance of the two points, and b is among a's two nearest sampled points.
  for (const p of pairs.pairs) {
    assert.ok(Math.abs(p.score - score('Euclid', byId.get(p.a).vector.b, byId.get(p.b).vector.b)) < 1e-4);
  }
  for (let i = 0; i < offsets.offsets_row.length; i++) {
    const a = offsets.ids[offsets.offsets_row[i]], b = offsets.ids[offsets.offsets_col[i]];
    assert.notEqual(a, b);
    assert.ok(Math.abs(offsets.scores[i] - score('Euclid', byId.get(a).vector.b, byId.get(b).vector.b)) < 1e-4);
  }
});
