// Payload indexes through the official client: createPayloadIndex with bare types and params, payload_schema in
// getCollection (data_type, params, points), filtered count/scroll/search that use the indexes compared with a
// reference computed over the generated data, facet (counts, limit, filter, Qdrant's error without an index),
// deletePayloadIndex, and the 400s for bad schemas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, expectApiError } from '../lib/reference.mjs';

const N = 400;
const CITIES = ['Berlin', 'Paris', 'Rome', 'Oslo', 'Lima'];
let server, client;
const points = [];
{
  const next = rng(7);
  for (let i = 0; i < N; i++) {
    const payload = { city: CITIES[i % 5], n: i % 37, price: (i % 50) / 2, vip: i % 7 === 0 };
    if (i % 3 === 0) payload.tags = [`t${i % 4}`, `t${(i + 1) % 4}`];
    if (i % 11 === 0) delete payload.city;
    payload.when = `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`;
    points.push({ id: i + 1, vector: randomVector(next, 4), payload });
  }
}

before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  await client.createCollection('ix', { vectors: { size: 4, distance: 'Dot' } });
  // Half the points before the indexes (built over existing data), half after (kept current on write).
  await client.upsert('ix', { wait: true, points: points.slice(0, N / 2) });
  await client.createPayloadIndex('ix', { field_name: 'city', field_schema: 'keyword', wait: true });
  await client.createPayloadIndex('ix', { field_name: 'n', field_schema: { type: 'integer', lookup: true, range: true }, wait: true });
  await client.createPayloadIndex('ix', { field_name: 'price', field_schema: 'float', wait: true });
  await client.createPayloadIndex('ix', { field_name: 'vip', field_schema: 'bool', wait: true });
  await client.createPayloadIndex('ix', { field_name: 'tags', field_schema: { type: 'keyword', is_tenant: true }, wait: true });
  await client.createPayloadIndex('ix', { field_name: 'when', field_schema: 'datetime', wait: true });
  await client.upsert('ix', { wait: true, points: points.slice(N / 2) });
});
after(async () => { await server?.stop(); });

const has = (p, key) => Object.prototype.hasOwnProperty.call(p.payload, key);

test('payload_schema lists each index with its type, params and indexed point count', async () => {
  const info = await client.getCollection('ix');
  const schema = info.payload_schema;
  assert.deepEqual(Object.keys(schema).sort(), ['city', 'n', 'price', 'tags', 'vip', 'when']);
  assert.deepEqual(schema.city, { data_type: 'keyword', points: points.filter((p) => has(p, 'city')).length });
  assert.equal(schema.n.data_type, 'integer');
  assert.deepEqual(schema.n.params, { type: 'integer', lookup: true, range: true, is_principal: null });
  assert.equal(schema.n.points, N);
  assert.deepEqual(schema.tags.params, { type: 'keyword', is_tenant: true });
  assert.equal(schema.tags.points, points.filter((p) => has(p, 'tags')).length);
  assert.equal(schema.vip.points, N);
});

const filters = [
  ['keyword match', { must: [{ key: 'city', match: { value: 'Paris' } }] }, (p) => p.payload.city === 'Paris'],
  ['keyword any', { must: [{ key: 'city', match: { any: ['Rome', 'Oslo'] } }] }, (p) => ['Rome', 'Oslo'].includes(p.payload.city)],
  ['integer range', { must: [{ key: 'n', range: { gte: 3, lt: 6 } }] }, (p) => p.payload.n >= 3 && p.payload.n < 6],
  ['float range and bool', { must: [{ key: 'price', range: { gt: 20 } }, { key: 'vip', match: { value: true } }] },
    (p) => p.payload.price > 20 && p.payload.vip],
  ['array keyword with must_not', { must: [{ key: 'tags', match: { value: 't1' } }], must_not: [{ key: 'city', match: { value: 'Berlin' } }] },
    (p) => (p.payload.tags ?? []).includes('t1') && p.payload.city !== 'Berlin'],
  ['should over two indexes', { should: [{ key: 'n', match: { value: 5 } }, { key: 'city', match: { value: 'Lima' } }] },
    (p) => p.payload.n === 5 || p.payload.city === 'Lima'],
  ['datetime range', { must: [{ key: 'when', range: { gte: '2024-03-05T00:00:00Z', lt: '2024-03-07T00:00:00+00:00' } }] },
    (p) => p.payload.when >= '2024-03-05' && p.payload.when < '2024-03-07'],
  ['is_empty (unindexed rule)', { must: [{ is_empty: { key: 'city' } }] }, (p) => !has(p, 'city')],
];

for (const [name, filter, accept] of filters) {
  test(`filtered count, scroll and search use the indexes and match the reference: ${name}`, async () => {
    const expected = points.filter(accept).map((p) => p.id).sort((a, b) => a - b);
    const { count } = await client.count('ix', { filter, exact: true });
    assert.equal(count, expected.length);
    const page = await client.scroll('ix', { filter, limit: N, with_payload: false });
    assert.deepEqual(page.points.map((p) => p.id), expected);
    const { points: hits } = await client.query('ix', { query: [1, 0.5, -0.5, 0.25], filter, limit: 7 });
    assert.equal(hits.length, Math.min(7, expected.length));
    for (const h of hits) assert.ok(expected.includes(h.id), `search returned ${h.id} outside the filter`);
  });
}

test('facet counts values of an indexed keyword field, most frequent first, under a filter', async () => {
  const { hits } = await client.facet('ix', { key: 'city', limit: 3 });
  const counts = new Map();
  for (const p of points) if (has(p, 'city')) counts.set(p.payload.city, (counts.get(p.payload.city) ?? 0) + 1);
  const expected = [...counts].map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, 3);
  assert.deepEqual(hits, expected);

  const filtered = await client.facet('ix', { key: 'tags', filter: { must: [{ key: 'vip', match: { value: true } }] } });
  const tagCounts = new Map();
  for (const p of points.filter((q) => q.payload.vip)) for (const t of new Set(p.payload.tags ?? [])) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
  assert.deepEqual(new Map(filtered.hits.map((h) => [h.value, h.count])), tagCounts);

  const ints = await client.facet('ix', { key: 'n', limit: 2, exact: true });
  assert.equal(ints.hits.length, 2);
  assert.equal(typeof ints.hits[0].value, 'number');
});

test('facet without an index on the key is a 400 naming the key', async () => {
  await expectApiError(client.facet('ix', { key: 'missing_field' }), 400, /No appropriate index for faceting: `missing_field`/);
});

test('bad schemas are refused with 400', async () => {
  await expectApiError(client.createPayloadIndex('ix', { field_name: 'x', field_schema: 'keywordz' }), 400, /PayloadFieldSchema/);
  await expectApiError(client.createPayloadIndex('ix', { field_name: 'x' }), 400, /Can't auto-detect field type/);
  await expectApiError(client.createPayloadIndex('ix', { field_name: 'x', field_schema: { type: 'text', tokenizer: 'nope' } }), 400, /unknown variant `nope`/);
});

test('deletePayloadIndex removes the index: payload_schema drops it, filters still work, facet fails', async () => {
  const r = await client.deletePayloadIndex('ix', 'city', { wait: true });
  assert.equal(r.status, 'completed');
  const info = await client.getCollection('ix');
  assert.ok(!('city' in info.payload_schema));
  const { count } = await client.count('ix', { filter: { must: [{ key: 'city', match: { value: 'Paris' } }] } });
  assert.equal(count, points.filter((p) => p.payload.city === 'Paris').length);
  await expectApiError(client.facet('ix', { key: 'city' }), 400, /No appropriate index for faceting/);
  // Deleting an index that does not exist is not an error (Qdrant).
  assert.equal((await client.deletePayloadIndex('ix', 'city', { wait: true })).status, 'completed');
});
