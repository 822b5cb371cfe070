// Scroll (pagination through next_page_offset until null, with and without filter, Qdrant's id order: integers
// before UUIDs) and exact count, compared with a reference computed over the same generated data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, seededUuid, compareIds, expectApiError } from '../lib/reference.mjs';

const N = 260;
const GROUPS = ['red', 'green', 'blue'];
let server, client;
/** @type {{id: number|string, vector: number[], payload: object}[]} */
const points = [];

// Generated once, deterministically, before the server starts (the filter table below refers to these ids).
{
  const next = rng(42);
  for (let i = 0; i < N; i++) {
    // Every fifth point has a UUID id; integer ids are scattered so insertion order differs from id order.
    const id = i % 5 === 4 ? seededUuid(next) : (i * 7919) % 100003;
    const payload = { group: GROUPS[i % 3], n: i };
    if (i % 4 === 0) payload.tag = `t${i % 8}`;
    points.push({ id, vector: randomVector(next, 4), payload });
  }
}

before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  await client.createCollection('s', { vectors: { size: 4, distance: 'Dot' } });
  for (let i = 0; i < N; i += 100) {
    await client.upsert('s', { points: points.slice(i, i + 100) });
  }
});
after(async () => { await server?.stop(); });

const sortedIds = (list) => list.map((p) => p.id).sort(compareIds);

async function scrollAll(args, limit) {
  const pages = [];
  let offset;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await client.scroll('s', { ...args, limit, offset });
    pages.push(r.points);
    if (r.next_page_offset === null || r.next_page_offset === undefined) {
      assert.ok('next_page_offset' in r, 'next_page_offset must be present (null) on the last page');
      return pages;
    }
    offset = r.next_page_offset;
  }
  assert.fail('scroll did not end');
}

test('scroll pages through every point in Qdrant id order', async () => {
  const pages = await scrollAll({ with_payload: true }, 37);
  const expected = sortedIds(points);
  assert.equal(pages.length, Math.ceil(N / 37));
  for (let i = 0; i < pages.length - 1; i++) assert.equal(pages[i].length, 37);
  const got = pages.flat();
  assert.deepEqual(got.map((p) => p.id), expected);
  const byId = new Map(points.map((p) => [p.id, p]));
  for (const p of got) {
    assert.deepEqual(p.payload, byId.get(p.id).payload);
    assert.equal(p.vector, undefined, 'with_vector defaults to false');
  }
});

test('next_page_offset is the first id of the next page', async () => {
  const expected = sortedIds(points);
  const r = await client.scroll('s', { limit: 10, with_payload: false });
  assert.deepEqual(r.points.map((p) => p.id), expected.slice(0, 10));
  assert.equal(r.next_page_offset, expected[10]);
  const r2 = await client.scroll('s', { limit: 10, offset: expected[10], with_payload: false });
  assert.deepEqual(r2.points.map((p) => p.id), expected.slice(10, 20));
  assert.equal(r2.next_page_offset, expected[20]);
});

test('scroll from an offset that is not a stored id starts at the next id', async () => {
  const expected = sortedIds(points);
  const ints = expected.filter((x) => typeof x === 'number');
  // A value strictly between two stored integer ids.
  let probe = ints[5] + 1;
  while (ints.includes(probe)) probe++;
  const firstAfter = expected.find((x) => compareIds(x, probe) > 0);
  const r = await client.scroll('s', { limit: 3, offset: probe, with_payload: false });
  assert.equal(r.points[0].id, firstAfter);
});

test('the last page returns next_page_offset null exactly when it is full to the end', async () => {
  const r = await client.scroll('s', { limit: N, with_payload: false });
  assert.equal(r.points.length, N);
  assert.equal(r.next_page_offset, null);
  const r2 = await client.scroll('s', { limit: N + 5, with_payload: false });
  assert.equal(r2.points.length, N);
  assert.equal(r2.next_page_offset, null);
});

test('scroll with vectors returns what was stored', async () => {
  const expected = [...points].sort((a, b) => compareIds(a.id, b.id)).slice(0, 5);
  const r = await client.scroll('s', { limit: 5, with_payload: false, with_vector: true });
  // Qdrant prints float32 in its shortest form (0.2022075), so compare after rounding back to float32.
  const asF32 = r.points.map((p) => ({ id: p.id, vector: p.vector.map(Math.fround) }));
  assert.deepEqual(asF32, expected.map((p) => ({ id: p.id, vector: p.vector })));
});

const filters = [
  { name: 'match keyword', filter: { must: [{ key: 'group', match: { value: 'green' } }] }, accept: (p) => p.payload.group === 'green' },
  { name: 'range', filter: { must: [{ key: 'n', range: { gte: 50, lt: 120 } }] }, accept: (p) => p.payload.n >= 50 && p.payload.n < 120 },
  {
    name: 'must + must_not',
    filter: { must: [{ key: 'group', match: { any: ['red', 'blue'] } }], must_not: [{ key: 'n', range: { lt: 100 } }] },
    accept: (p) => (p.payload.group === 'red' || p.payload.group === 'blue') && !(p.payload.n < 100),
  },
  {
    name: 'should',
    filter: { should: [{ key: 'tag', match: { value: 't0' } }, { key: 'n', range: { gt: 250 } }] },
    accept: (p) => p.payload.tag === 't0' || p.payload.n > 250,
  },
  { name: 'is_empty', filter: { must: [{ is_empty: { key: 'tag' } }] }, accept: (p) => p.payload.tag === undefined },
  {
    name: 'has_id',
    filter: { must: [{ has_id: [points[0].id, points[4].id, points[9].id, 123456789] }] },
    accept: (p) => [points[0].id, points[4].id, points[9].id].includes(p.id),
  },
];

for (const f of filters) {
  test(`scroll and count with a filter: ${f.name}`, async () => {
    const expected = sortedIds(points.filter(f.accept));
    assert.ok(expected.length > 0 && expected.length < N, 'the filter must select some but not all points');
    const got = (await scrollAll({ filter: f.filter, with_payload: false }, 16)).flat().map((p) => p.id);
    assert.deepEqual(got, expected);
    assert.deepEqual(await client.count('s', { filter: f.filter, exact: true }), { count: expected.length });
  });
}

test('count without a filter is the number of points', async () => {
  assert.deepEqual(await client.count('s'), { count: N });
  assert.deepEqual(await client.count('s', { exact: true }), { count: N });
});

test('a filter that matches nothing gives an empty page and count 0', async () => {
  const filter = { must: [{ key: 'group', match: { value: 'purple' } }] };
  const r = await client.scroll('s', { filter });
  assert.deepEqual(r, { points: [], next_page_offset: null });
  assert.deepEqual(await client.count('s', { filter }), { count: 0 });
});

test('a malformed filter answers 400; limit 0 answers 422', async () => {
  await expectApiError(client.scroll('s', { filter: { muts: [] } }), 400);
  await expectApiError(client.count('s', { filter: { must: [{ key: 'n', range: { gte: 'ten' } }] } }), 400);
  await expectApiError(client.scroll('s', { limit: 0 }), 422);
  assert.deepEqual(await client.count('s'), { count: N });
});
