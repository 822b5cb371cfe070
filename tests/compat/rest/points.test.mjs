// Points group through Qdrant's JavaScript client: upsert (list and batch forms, integer and UUID ids), retrieve with
// payload/vector selectors, delete by ids and by filter, the four payload operations, vector updates and deletes,
// batch updates; bad requests answered with Qdrant's status codes and the stored data left unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { compareIds, expectApiError } from '../lib/reference.mjs';

let server, client;
before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  // Dot keeps stored vectors exactly as sent (Cosine would normalise them), so vectors can be compared exactly.
  await client.createCollection('pts', { vectors: { size: 3, distance: 'Dot' } });
  await client.createCollection('multi', { vectors: { a: { size: 2, distance: 'Dot' }, b: { size: 3, distance: 'Dot' } } });
});
after(async () => { await server?.stop(); });

const U1 = '6e8a1c52-3f4b-4d7a-9b2c-0a1b2c3d4e5f';
const U2 = '0f0e0d0c-0b0a-4908-8706-050403020100';
const byId = (list) => [...list].sort((a, b) => compareIds(a.id, b.id));

/** Every stored point with payload and vectors, in id order: what "data unchanged" compares. */
async function snapshot(collection) {
  const r = await client.scroll(collection, { limit: 1000, with_payload: true, with_vector: true });
  assert.equal(r.next_page_offset ?? null, null);
  return r.points;
}

test('upsert in list form with integer and UUID ids', async () => {
  const r = await client.upsert('pts', { wait: true, points: [
    { id: 1, vector: [1, 2, 3], payload: { city: 'Berlin', n: 1, meta: { x: 1, y: 2 } } },
    { id: 2, vector: [0.5, -1, 0.25], payload: { city: 'Paris', n: 2, tags: ['a', 'b'] } },
    { id: U1, vector: [-1, 0, 1], payload: { city: 'Rome', n: 3 } },
  ] });
  assert.equal(r.status, 'completed');
  assert.equal(typeof r.operation_id, 'number');
  assert.deepEqual(await client.count('pts'), { count: 3 });
});

test('upsert in batch form', async () => {
  const r = await client.upsert('pts', { batch: {
    ids: [10, 11, U2],
    vectors: [[0, 0, 1], [0, 1, 0], [1, 0, 0]],
    payloads: [{ city: 'Oslo', n: 10 }, { city: 'Lima', n: 11 }, { city: 'Kyiv', n: 12 }],
  } });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.count('pts'), { count: 6 });
  assert.deepEqual(byId(await client.retrieve('pts', { ids: [10, U2], with_vector: true })), [
    { id: 10, payload: { city: 'Oslo', n: 10 }, vector: [0, 0, 1] },
    { id: U2, payload: { city: 'Kyiv', n: 12 }, vector: [1, 0, 0] },
  ]);
});

test('retrieve: payload by default, vectors on request, absent fields omitted, missing ids skipped', async () => {
  assert.deepEqual(await client.retrieve('pts', { ids: [1] }), [
    { id: 1, payload: { city: 'Berlin', n: 1, meta: { x: 1, y: 2 } } },
  ]);
  assert.deepEqual(await client.retrieve('pts', { ids: [2], with_payload: false, with_vector: true }), [
    { id: 2, vector: [0.5, -1, 0.25] },
  ]);
  assert.deepEqual(await client.retrieve('pts', { ids: [2], with_payload: false, with_vector: false }), [{ id: 2 }]);
  assert.deepEqual(byId(await client.retrieve('pts', { ids: [999, 1, U1, '11111111-2222-4333-8444-555555555555'], with_payload: false })),
    [{ id: 1 }, { id: U1 }]);
});

test('retrieve: payload include list, include and exclude selectors', async () => {
  assert.deepEqual(await client.retrieve('pts', { ids: [1], with_payload: ['city', 'meta'] }), [
    { id: 1, payload: { city: 'Berlin', meta: { x: 1, y: 2 } } },
  ]);
  assert.deepEqual(await client.retrieve('pts', { ids: [1], with_payload: { include: ['n'] } }), [
    { id: 1, payload: { n: 1 } },
  ]);
  assert.deepEqual(await client.retrieve('pts', { ids: [1], with_payload: { exclude: ['meta', 'n'] } }), [
    { id: 1, payload: { city: 'Berlin' } },
  ]);
});

test('UUID ids come back lowercase and hyphenated', async () => {
  const upper = 'ABCDEF01-2345-4789-ABCD-EF0123456789';
  await client.upsert('pts', { points: [{ id: upper, vector: [2, 2, 2], payload: { city: 'Tmp' } }] });
  assert.deepEqual(await client.retrieve('pts', { ids: [upper.toLowerCase()] }), [
    { id: upper.toLowerCase(), payload: { city: 'Tmp' } },
  ]);
  assert.equal((await client.delete('pts', { wait: true, points: [upper] })).status, 'completed');
  assert.deepEqual(await client.count('pts'), { count: 6 });
});

test('GET one point by id; a missing point answers 404', async () => {
  const r = await client.api().getPoint({ collection_name: 'pts', id: 2 });
  assert.deepEqual(r.data.result, { id: 2, payload: { city: 'Paris', n: 2, tags: ['a', 'b'] }, vector: [0.5, -1, 0.25] });
  await expectApiError(client.api().getPoint({ collection_name: 'pts', id: 12345 }), 404, /No point with id 12345 found/);
});

test('upserting an existing id replaces its vector and whole payload', async () => {
  await client.upsert('pts', { points: [{ id: 11, vector: [3, 3, 3], payload: { fresh: true } }] });
  assert.deepEqual(await client.retrieve('pts', { ids: [11], with_vector: true }), [
    { id: 11, payload: { fresh: true }, vector: [3, 3, 3] },
  ]);
  assert.deepEqual(await client.count('pts'), { count: 6 });
});

test('setPayload merges keys into the payload of the selected points', async () => {
  const r = await client.setPayload('pts', { payload: { country: 'DE', n: 100 }, points: [1] });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.retrieve('pts', { ids: [1] }), [
    { id: 1, payload: { city: 'Berlin', n: 100, meta: { x: 1, y: 2 }, country: 'DE' } },
  ]);
});

test('setPayload with a key merges under that path', async () => {
  await client.setPayload('pts', { payload: { y: 20, z: 30 }, points: [1], key: 'meta' });
  assert.deepEqual((await client.retrieve('pts', { ids: [1] }))[0].payload.meta, { x: 1, y: 20, z: 30 });
});

test('setPayload by filter touches only the matching points', async () => {
  await client.setPayload('pts', { payload: { flagged: true }, filter: { must: [{ key: 'city', match: { any: ['Paris', 'Rome'] } }] } });
  const flagged = (await client.scroll('pts', { filter: { must: [{ key: 'flagged', match: { value: true } }] }, with_payload: false, limit: 100 })).points;
  assert.deepEqual(flagged.map((p) => p.id), [2, U1]);
});

test('overwritePayload replaces the whole payload', async () => {
  const r = await client.overwritePayload('pts', { payload: { only: 'this' }, points: [2] });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.retrieve('pts', { ids: [2] }), [{ id: 2, payload: { only: 'this' } }]);
});

test('deletePayload removes top-level and nested keys', async () => {
  const r = await client.deletePayload('pts', { keys: ['country', 'meta.x'], points: [1] });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.retrieve('pts', { ids: [1] }), [
    { id: 1, payload: { city: 'Berlin', n: 100, meta: { y: 20, z: 30 } } },
  ]);
});

test('clearPayload leaves an empty payload and keeps the vector', async () => {
  const r = await client.clearPayload('pts', { points: [U1] });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.retrieve('pts', { ids: [U1], with_vector: true }), [{ id: U1, payload: {}, vector: [-1, 0, 1] }]);
});

test('delete by ids', async () => {
  const r = await client.delete('pts', { wait: true, points: [10, 999] });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.retrieve('pts', { ids: [10] }), []);
  assert.deepEqual(await client.count('pts'), { count: 5 });
});

test('delete by filter', async () => {
  const r = await client.delete('pts', { wait: true, filter: { must: [{ key: 'city', match: { value: 'Kyiv' } }] } });
  assert.equal(r.status, 'completed');
  assert.deepEqual(await client.retrieve('pts', { ids: [U2] }), []);
  assert.deepEqual((await client.scroll('pts', { with_payload: false, limit: 100 })).points.map((p) => p.id), [1, 2, 11, U1]);
});

test('a write without wait is acknowledged, and a later waited write sees it applied', async () => {
  const r = await client.delete('pts', { points: [11] });
  assert.equal(r.status, 'acknowledged');
  await client.setPayload('pts', { payload: { after: 1 }, points: [1] });
  assert.deepEqual(await client.retrieve('pts', { ids: [11] }), []);
  assert.deepEqual(await client.count('pts'), { count: 3 });
});

test('named vectors: upsert, updateVectors replaces one name, deleteVectors removes one name', async () => {
  await client.upsert('multi', { points: [
    { id: 1, vector: { a: [1, 2], b: [1, 2, 3] }, payload: { k: 1 } },
    { id: 2, vector: { a: [3, 4], b: [4, 5, 6] }, payload: { k: 2 } },
  ] });
  const u = await client.updateVectors('multi', { points: [{ id: 1, vector: { a: [9, 8] } }] });
  assert.equal(u.status, 'completed');
  assert.deepEqual(await client.retrieve('multi', { ids: [1], with_vector: true }), [
    { id: 1, payload: { k: 1 }, vector: { a: [9, 8], b: [1, 2, 3] } },
  ]);
  const d = await client.deleteVectors('multi', { points: [2], vector: ['b'] });
  assert.equal(d.status, 'completed');
  assert.deepEqual(await client.retrieve('multi', { ids: [2], with_vector: true }), [
    { id: 2, payload: { k: 2 }, vector: { a: [3, 4] } },
  ]);
  assert.deepEqual(await client.retrieve('multi', { ids: [1, 2], with_vector: ['b'], with_payload: false }).then(byId), [
    { id: 1, vector: { b: [1, 2, 3] } },
    { id: 2, vector: {} },
  ]);
});

test('updateVectors of the unnamed vector', async () => {
  await client.updateVectors('pts', { points: [{ id: 2, vector: [7, 7, 7] }] });
  assert.deepEqual(await client.retrieve('pts', { ids: [2], with_vector: true }), [{ id: 2, payload: { only: 'this' }, vector: [7, 7, 7] }]);
});

test('batchUpdate applies its operations in order, one result each', async () => {
  const r = await client.batchUpdate('pts', { operations: [
    { upsert: { points: [{ id: 50, vector: [5, 0, 0], payload: { b: 1 } }, { id: 51, vector: [0, 5, 0], payload: { b: 2 } }] } },
    { set_payload: { payload: { c: 'x' }, points: [50] } },
    { overwrite_payload: { payload: { d: true }, points: [51] } },
    { delete_payload: { keys: ['b'], points: [50] } },
    { update_vectors: { points: [{ id: 51, vector: [0, 6, 0] }] } },
    { upsert: { points: [{ id: 52, vector: [1, 1, 1] }] } },
    { delete: { points: [52] } },
    { clear_payload: { points: [1] } },
  ] });
  assert.equal(r.length, 8);
  for (const x of r) assert.equal(x.status, 'completed');
  assert.deepEqual(byId(await client.retrieve('pts', { ids: [1, 50, 51, 52], with_vector: true })), [
    { id: 1, payload: {}, vector: [1, 2, 3] },
    { id: 50, payload: { c: 'x' }, vector: [5, 0, 0] },
    { id: 51, payload: { d: true }, vector: [0, 6, 0] },
  ]);
});

test('wrong vector dimension answers 400 and changes nothing', async () => {
  const before = await snapshot('pts');
  await expectApiError(client.upsert('pts', { points: [{ id: 1, vector: [1, 2] }, { id: 77, vector: [1, 2, 3] }] }), 400,
    /Vector dimension error: expected dim: 3, got 2/);
  await expectApiError(client.upsert('pts', { batch: { ids: [78], vectors: [[1, 2, 3, 4]] } }), 400, /expected dim: 3, got 4/);
  await expectApiError(client.updateVectors('pts', { points: [{ id: 2, vector: [1] }] }), 400, /expected dim: 3, got 1/);
  assert.deepEqual(await snapshot('pts'), before);
});

test('an unknown vector name answers 400 and changes nothing', async () => {
  const before = await snapshot('multi');
  await expectApiError(client.upsert('multi', { points: [{ id: 3, vector: { nope: [1, 2] } }] }), 400, /Not existing vector name/);
  await expectApiError(client.updateVectors('multi', { points: [{ id: 1, vector: { zzz: [1, 2] } }] }), 400, /Not existing vector name/);
  assert.deepEqual(await snapshot('multi'), before);
});

test('writes to a missing collection answer 404', async () => {
  await expectApiError(client.setPayload('nope', { payload: { a: 1 }, points: [1] }), 404, /Collection `nope` doesn't exist/);
  await expectApiError(client.delete('nope', { points: [1] }), 404);
  await expectApiError(client.retrieve('nope', { ids: [1] }), 404);
  await expectApiError(client.batchUpdate('nope', { operations: [{ delete: { points: [1] } }] }), 404);
});

test('a malformed id answers 400 and changes nothing', async () => {
  const before = await snapshot('pts');
  await expectApiError(client.upsert('pts', { points: [{ id: 'not-a-uuid', vector: [1, 2, 3] }] }), 400);
  await expectApiError(client.upsert('pts', { points: [{ id: -5, vector: [1, 2, 3] }] }), 400);
  assert.deepEqual(await snapshot('pts'), before);
});
