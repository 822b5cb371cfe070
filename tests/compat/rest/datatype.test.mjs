// Vector datatypes through @qdrant/js-client-rest: collections created with `datatype` float16 and uint8 report it,
// points come back rounded as Qdrant stores them (nearest half; uint8 truncated and saturated like Rust's `as u8`),
// searches score on the stored type (float16 cosine = dot of the rounded unit vectors; uint8 cosine computed per pair
// on the bytes, the query converted to bytes too) and equal a brute force over the rounded values; bad datatypes 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, normalize, expectApiError } from '../lib/reference.mjs';

const N = 200, DIM = 16;
let server, client;
const next = rng(4242);

/** Round half to even at IEEE half precision (Node 20 has no Math.f16round). */
function f16round(x) {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const step = e < -14 ? 2 ** -24 : 2 ** (e - 10);
  const q = a / step;
  let r = Math.floor(q);
  const frac = q - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 === 1)) r++;
  return Math.sign(x) * r * step;
}
const u8 = (x) => (Number.isNaN(x) || x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x));

const CASES = {
  dt_f16_cos: { datatype: 'float16', distance: 'Cosine', raw: () => randomVector(next, DIM), store: (v) => normalize(v).map(f16round) },
  dt_f16_l2: { datatype: 'float16', distance: 'Euclid', raw: () => randomVector(next, DIM).map((x) => Math.fround(x * 50)), store: (v) => v.map(f16round) },
  dt_u8_cos: { datatype: 'uint8', distance: 'Cosine', raw: () => randomVector(next, DIM).map((x) => Math.fround(x * 160 + 140)), store: (v) => v.map(u8) },
  dt_u8_l2: { datatype: 'uint8', distance: 'Euclid', raw: () => randomVector(next, DIM).map((x) => Math.fround(x * 160 + 140)), store: (v) => v.map(u8) },
};
const data = {};

function sim(c, q, s) {
  let dot = 0, nq = 0, ns = 0, l2 = 0;
  for (let i = 0; i < q.length; i++) { dot += q[i] * s[i]; nq += q[i] * q[i]; ns += s[i] * s[i]; l2 += (q[i] - s[i]) ** 2; }
  if (c.distance === 'Euclid') return Math.sqrt(l2);
  if (c.datatype === 'uint8') return nq === 0 || ns === 0 ? 0 : dot / Math.sqrt(nq * ns);
  return dot; // float16 cosine: unit vectors rounded to halves, then the dot product
}

before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  for (const [name, c] of Object.entries(CASES)) {
    await client.createCollection(name, { vectors: { size: DIM, distance: c.distance, datatype: c.datatype } });
    data[name] = Array.from({ length: N }, (_, i) => ({ id: i + 1, vector: c.raw() }));
    await client.upsert(name, { wait: true, points: data[name] });
  }
});
after(async () => { await server?.stop(); });

test('collection info reports the datatype', async () => {
  for (const [name, c] of Object.entries(CASES)) {
    const info = await client.getCollection(name);
    assert.equal(info.config.params.vectors.datatype, c.datatype, name);
  }
});

test('retrieve returns the stored (rounded) values as floats', async () => {
  for (const [name, c] of Object.entries(CASES)) {
    const got = await client.retrieve(name, { ids: [1, 17, 200], with_vector: true });
    for (const r of got) {
      const want = c.store(data[name][r.id - 1].vector);
      // float16 cosine: Grape normalizes in float32, this reference in float64, so a value may land one half-ulp apart.
      const eps = c.datatype === 'float16' && c.distance === 'Cosine' ? 1e-3 : 0;
      // JSON carries the shortest float32 text: compare as float32.
      for (let i = 0; i < DIM; i++) assert.ok(Math.abs(Math.fround(r.vector[i]) - want[i]) <= eps, `${name} ${r.id}[${i}]: ${r.vector[i]} vs ${want[i]}`);
    }
  }
});

test('queries score on the stored type and equal a brute force over the rounded values', async () => {
  for (const [name, c] of Object.entries(CASES)) {
    const stored = data[name].map((p) => ({ id: p.id, vector: c.store(p.vector) }));
    for (let k = 0; k < 5; k++) {
      const raw = c.raw();
      const q = c.store(raw);
      const hib = c.distance === 'Cosine';
      const truth = stored.map((p) => ({ id: p.id, score: sim(c, q, p.vector) })).sort((a, b) => (hib ? b.score - a.score : a.score - b.score));
      const byId = new Map(truth.map((t) => [t.id, t.score]));
      const hits = (await client.query(name, { query: raw, limit: 10, params: { exact: true } })).points;
      const viaIndexParams = (await client.query(name, { query: raw, limit: 10 })).points; // below indexing_threshold: the same scan
      const eps = (s) => 2e-3 * Math.max(1, Math.abs(s));
      for (let i = 0; i < 10; i++) {
        // uint8 values tie often: ranks are compared by score, and each hit's score against its own point.
        assert.ok(Math.abs(hits[i].score - truth[i].score) <= eps(truth[i].score), `${name} rank ${i}: ${hits[i].score} vs ${truth[i].score}`);
        assert.ok(Math.abs(hits[i].score - byId.get(hits[i].id)) <= eps(hits[i].score), `${name} id ${hits[i].id}`);
        assert.equal(viaIndexParams[i].id, hits[i].id, `${name}: default params agree`);
      }
    }
  }
});

test('bad datatypes are refused with 400 and no collection', async () => {
  await expectApiError(client.createCollection('dt_bad', { vectors: { size: 4, distance: 'Dot', datatype: 'int4' } }), 400, /datatype/);
  await expectApiError(client.createCollection('dt_bad', { vectors: { size: 4, distance: 'Dot', datatype: 'turbo4' } }), 400, /not supported/);
  assert.equal((await client.collectionExists('dt_bad')).exists, false);
  await expectApiError(client.upsert('dt_f16_l2', { wait: true, points: [{ id: 999, vector: Array(DIM).fill(1e6) }] }), 400, /float16/);
});
