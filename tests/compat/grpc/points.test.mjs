// Writes through Qdrant's official gRPC client, checked against REST. Two twin collections with the same config:
// `g` is written only through gRPC, `r` only through REST, with the same operations in the same order. After
// every step both collections are read through both protocols (scroll of everything, get by id) and all four
// readings must agree exactly: ids, payloads (value kinds included), float32 vectors, and the operation ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector, seededUuid } from '../lib/reference.mjs';
import * as G from '../lib/grpc.mjs';

const DIM_A = 8, DIM_B = 4;
const GROUPS = ['a', 'b', 'c'];
let server, grpc, rest, points;

const next = rng(42);
const uuids = Array.from({ length: 10 }, () => seededUuid(next));
const initial = [];
for (let i = 1; i <= 50; i++) {
  initial.push({
    id: i,
    vector: { a: randomVector(next, DIM_A), b: randomVector(next, DIM_B) },
    payload: {
      group: GROUPS[i % 3], n: i, ratio: i + 0.25, even: i % 2 === 0, tags: [`t${i % 4}`, `t${i % 5}`],
      nested: { depth: { level: i % 7 }, name: `p${i}` }, nothing: null,
    },
  });
}
for (const [k, u] of uuids.entries()) {
  initial.push({ id: u, vector: { a: randomVector(next, DIM_A), b: randomVector(next, DIM_B) }, payload: { group: GROUPS[k % 3], uuid: true, n: 100 + k } });
}

before(async () => {
  server = await GrapeServer.start();
  grpc = server.grpcClient();
  rest = server.client();
  points = grpc.api('points');
  const vectorsConfig = { config: { case: 'paramsMap', value: { map: {
    a: { size: BigInt(DIM_A), distance: G.Distance.Dot }, b: { size: BigInt(DIM_B), distance: G.Distance.Euclid },
  } } } };
  await grpc.api('collections').create({ collectionName: 'g', vectorsConfig });
  await rest.createCollection('r', { vectors: { a: { size: DIM_A, distance: 'Dot' }, b: { size: DIM_B, distance: 'Euclid' } } });
});
after(async () => { await server?.stop(); });

/** Everything in a collection, read through gRPC and through REST (which must agree); returns the REST reading. */
async function read(collection) {
  const g = await points.scroll({ collectionName: collection, limit: 1000, withPayload: G.withPayload(true), withVectors: G.withVectors(true) });
  assert.equal(g.nextPageOffset, undefined, 'one page holds everything');
  const r = await rest.scroll(collection, { limit: 1000, with_payload: true, with_vector: true });
  assert.equal(r.next_page_offset ?? null, null);
  const restRecords = r.points.map((p) => G.restRecord(p));
  G.assertSameRecords(g.result.map((p) => G.fromRecord(p)), restRecords, `scroll ${collection}`);
  return restRecords;
}

/** Both twins through both protocols: identical. Also get-by-id of a sample (ids that exist and one that does not). */
async function assertTwinsAgree(step) {
  const g = await read('g');
  const r = await read('r');
  G.assertSameRecords(g, r, `${step}: gRPC-written vs REST-written`);
  const ids = [...g.slice(0, 3).map((p) => p.id), uuids[4], 999_999];
  const viaGrpc = await points.get({ collectionName: 'g', ids: ids.map(G.pid), withPayload: G.withPayload(true), withVectors: G.withVectors(['b']) });
  const viaRest = await rest.retrieve('r', { ids, with_payload: true, with_vector: ['b'] });
  G.assertSameRecords(viaGrpc.result.map((p) => G.fromRecord(p)), viaRest.map((p) => G.restRecord(p)), `${step}: get`);
  return r;
}

/** One write through each protocol; their results must both be `completed` with the same operation id. */
async function write(step, viaGrpc, viaRest) {
  const g = await viaGrpc();
  const r = await viaRest();
  assert.equal(typeof g.time, 'number');
  assert.equal(g.result.status, G.UpdateStatus.Completed, `${step}: gRPC status ${G.show(g.result)}`);
  assert.equal(r.status, 'completed', `${step}: REST status`);
  assert.equal(Number(g.result.operationId), r.operation_id, `${step}: operation ids differ`);
  return assertTwinsAgree(step);
}

const byFilter = (f) => ({ filter: f });

test('upsert: int and uuid ids, named vectors, every payload value kind', async () => {
  const state = await write('upsert',
    () => points.upsert({ collectionName: 'g', wait: true, points: initial.map(G.point) }),
    () => rest.upsert('r', { wait: true, points: initial }));
  assert.equal(state.length, initial.length);
  // What was written is what is read (vectors to float32, payloads exactly).
  const want = new Map(initial.map((p) => [p.id, p]));
  for (const p of state) {
    assert.deepEqual(p.payload, want.get(p.id).payload);
    assert.deepEqual(G.f32(p.vector), G.f32(want.get(p.id).vector));
  }
  // Value kinds survive: JSON integers come back as integer_value, fractions as double_value.
  const got = await points.get({ collectionName: 'r', ids: [G.pid(3)], withPayload: G.withPayload(true) });
  assert.equal(got.result[0].payload.n.kind.case, 'integerValue');
  assert.equal(got.result[0].payload.ratio.kind.case, 'doubleValue');
  assert.equal(got.result[0].payload.nothing.kind.case, 'nullValue');
  assert.equal(got.result[0].vectors, undefined, 'no vectors unless asked for');
});

test('upsert again replaces the whole point', async () => {
  const replaced = [{ id: 2, vector: { a: randomVector(next, DIM_A), b: randomVector(next, DIM_B) }, payload: { fresh: 'yes' } }];
  const state = await write('re-upsert',
    () => points.upsert({ collectionName: 'g', wait: true, points: replaced.map(G.point) }),
    () => rest.upsert('r', { wait: true, points: replaced }));
  assert.deepEqual(state.find((p) => p.id === 2).payload, { fresh: 'yes' });
});

test('set_payload by ids, by filter, and under a key path', async () => {
  await write('set by ids',
    () => points.setPayload({ collectionName: 'g', wait: true, payload: G.payload({ color: 'red', n: 7 }), pointsSelector: G.selector([1, 3, uuids[0]]) }),
    () => rest.setPayload('r', { payload: { color: 'red', n: 7 }, points: [1, 3, uuids[0]] }));
  const f = { must: [{ key: 'group', match: { value: 'b' } }] };
  const state = await write('set by filter',
    () => points.setPayload({ collectionName: 'g', wait: true, payload: G.payload({ flag: true, list: [1, 'two', 3.5] }), pointsSelector: G.selector(byFilter(f)) }),
    () => rest.setPayload('r', { payload: { flag: true, list: [1, 'two', 3.5] }, filter: f }));
  assert.ok(state.filter((p) => p.payload.group === 'b').every((p) => p.payload.flag === true));
  const keyed = await write('set under key',
    () => points.setPayload({ collectionName: 'g', wait: true, key: 'nested.depth', payload: G.payload({ extra: 'x' }), pointsSelector: G.selector([4, 5]) }),
    () => rest.setPayload('r', { key: 'nested.depth', payload: { extra: 'x' }, points: [4, 5] }));
  assert.deepEqual(keyed.find((p) => p.id === 4).payload.nested.depth, { level: 4, extra: 'x' });
});

test('overwrite_payload replaces the whole payload', async () => {
  const state = await write('overwrite',
    () => points.overwritePayload({ collectionName: 'g', wait: true, payload: G.payload({ only: 'this' }), pointsSelector: G.selector([6, uuids[1]]) }),
    () => rest.overwritePayload('r', { payload: { only: 'this' }, points: [6, uuids[1]] }));
  assert.deepEqual(state.find((p) => p.id === 6).payload, { only: 'this' });
});

test('delete_payload keys by ids and by filter', async () => {
  await write('delete keys by ids',
    () => points.deletePayload({ collectionName: 'g', wait: true, keys: ['tags', 'nested.name'], pointsSelector: G.selector([7, 8]) }),
    () => rest.deletePayload('r', { keys: ['tags', 'nested.name'], points: [7, 8] }));
  const f = { must: [{ key: 'n', range: { gte: 30, lt: 40 } }] };
  const state = await write('delete keys by filter',
    () => points.deletePayload({ collectionName: 'g', wait: true, keys: ['ratio'], pointsSelector: G.selector(byFilter(f)) }),
    () => rest.deletePayload('r', { keys: ['ratio'], filter: f }));
  assert.ok(state.filter((p) => p.payload.n >= 30 && p.payload.n < 40).every((p) => !('ratio' in p.payload)));
  assert.equal(state.find((p) => p.id === 7).payload.nested.name, undefined);
});

test('clear_payload by ids and by filter', async () => {
  await write('clear by ids',
    () => points.clearPayload({ collectionName: 'g', wait: true, points: G.selector([9]) }),
    () => rest.clearPayload('r', { points: [9] }));
  const f = { must: [{ key: 'uuid', match: { value: true } }, { key: 'group', match: { value: 'c' } }] };
  const state = await write('clear by filter',
    () => points.clearPayload({ collectionName: 'g', wait: true, points: G.selector(byFilter(f)) }),
    () => rest.clearPayload('r', { filter: f }));
  assert.deepEqual(state.find((p) => p.id === 9).payload, {});
});

test('delete points by ids and by filter', async () => {
  await write('delete by ids',
    () => points.delete({ collectionName: 'g', wait: true, points: G.selector([10, 11, uuids[2]]) }),
    () => rest.delete('r', { wait: true, points: [10, 11, uuids[2]] }));
  const f = { must: [{ key: 'group', match: { value: 'a' } }], must_not: [{ has_id: [12, 15] }] };
  const state = await write('delete by filter',
    () => points.delete({ collectionName: 'g', wait: true, points: G.selector(byFilter(f)) }),
    () => rest.delete('r', { wait: true, filter: f }));
  const ids = state.map((p) => p.id);
  for (const gone of [10, 11, uuids[2], 18, 21]) assert.ok(!ids.includes(gone), `${gone} still there`);
  for (const kept of [12, 15, 13]) assert.ok(ids.includes(kept), `${kept} deleted`);
});

test('update_vectors replaces one named vector; delete_vectors removes one name', async () => {
  const a13 = randomVector(next, DIM_A), b14 = randomVector(next, DIM_B);
  const state = await write('update vectors',
    () => points.updateVectors({ collectionName: 'g', wait: true, points: [
      { id: G.pid(13), vectors: G.vectors({ a: a13 }) }, { id: G.pid(14), vectors: G.vectors({ b: b14 }) },
    ] }),
    () => rest.updateVectors('r', { points: [{ id: 13, vector: { a: a13 } }, { id: 14, vector: { b: b14 } }] }));
  assert.deepEqual(G.f32(state.find((p) => p.id === 13).vector.a), G.f32(a13));
  const b13 = initial.find((p) => p.id === 13).vector.b;
  assert.deepEqual(G.f32(state.find((p) => p.id === 13).vector.b), G.f32(b13), 'the other name is kept');

  const f = { must: [{ key: 'n', range: { gte: 40, lte: 45 } }] };
  await write('delete vectors by ids',
    () => points.deleteVectors({ collectionName: 'g', wait: true, pointsSelector: G.selector([16, 17]), vectors: { names: ['b'] } }),
    () => rest.deleteVectors('r', { points: [16, 17], vector: ['b'] }));
  const after = await write('delete vectors by filter',
    () => points.deleteVectors({ collectionName: 'g', wait: true, pointsSelector: G.selector(byFilter(f)), vectors: { names: ['a'] } }),
    () => rest.deleteVectors('r', { filter: f, vector: ['a'] }));
  assert.deepEqual(Object.keys(after.find((p) => p.id === 16).vector), ['a']);
  assert.deepEqual(Object.keys(after.find((p) => p.id === 41).vector), ['b']);
});

test('batch update: every operation kind in order, one result each', async () => {
  const fresh = [
    { id: 200, vector: { a: randomVector(next, DIM_A), b: randomVector(next, DIM_B) }, payload: { batch: 1 } },
    { id: uuids[9], vector: { a: randomVector(next, DIM_A), b: randomVector(next, DIM_B) }, payload: { batch: 2, group: 'b' } },
  ];
  const a200 = randomVector(next, DIM_A);
  const f = { must: [{ key: 'batch', match: { value: 2 } }] };
  const grpcOps = [
    { operation: { case: 'upsert', value: { points: fresh.map(G.point) } } },
    { operation: { case: 'setPayload', value: { payload: G.payload({ s: 's' }), pointsSelector: G.selector([200, 19]) } } },
    { operation: { case: 'overwritePayload', value: { payload: G.payload({ o: 1 }), pointsSelector: G.selector([20]) } } },
    { operation: { case: 'deletePayload', value: { keys: ['group'], pointsSelector: G.selector(byFilter(f)) } } },
    { operation: { case: 'updateVectors', value: { points: [{ id: G.pid(200), vectors: G.vectors({ a: a200 }) }] } } },
    { operation: { case: 'deleteVectors', value: { pointsSelector: G.selector([22]), vectors: { names: ['a'] } } } },
    { operation: { case: 'clearPayload', value: { points: G.selector([23]) } } },
    { operation: { case: 'deletePoints', value: { points: G.selector([24, 25]) } } },
  ];
  const restOps = [
    { upsert: { points: fresh } },
    { set_payload: { payload: { s: 's' }, points: [200, 19] } },
    { overwrite_payload: { payload: { o: 1 }, points: [20] } },
    { delete_payload: { keys: ['group'], filter: f } },
    { update_vectors: { points: [{ id: 200, vector: { a: a200 } }] } },
    { delete_vectors: { points: [22], vector: ['a'] } },
    { clear_payload: { points: [23] } },
    { delete: { points: [24, 25] } },
  ];
  const g = await points.updateBatch({ collectionName: 'g', wait: true, operations: grpcOps });
  const r = await rest.batchUpdate('r', { operations: restOps });
  assert.equal(g.result.length, grpcOps.length);
  assert.deepEqual(g.result.map((x) => [x.status, Number(x.operationId)]), r.map((x) => [G.UpdateStatus.Completed, x.operation_id]));
  const state = await assertTwinsAgree('batch');
  const p200 = state.find((p) => p.id === 200);
  assert.deepEqual(p200.payload, { batch: 1, s: 's' });
  assert.deepEqual(G.f32(p200.vector.a), G.f32(a200));
  assert.deepEqual(state.find((p) => p.id === uuids[9]).payload, { batch: 2 });
  assert.ok(!state.some((p) => p.id === 24 || p.id === 25));
});

test('wait=false is acknowledged and the write is visible right after', async () => {
  const p = { id: 300, vector: { a: randomVector(next, DIM_A), b: randomVector(next, DIM_B) }, payload: { late: true } };
  const g = await points.upsert({ collectionName: 'g', wait: false, points: [G.point(p)] });
  assert.ok([G.UpdateStatus.Acknowledged, G.UpdateStatus.Completed].includes(g.result.status));
  await rest.upsert('r', { wait: false, points: [p] });
  await assertTwinsAgree('wait=false');
});
