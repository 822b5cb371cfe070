// Bad input through Qdrant's official gRPC client: each request must fail with Qdrant's gRPC status code
// (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, RESOURCE_EXHAUSTED) and a message, and leave every collection,
// alias, point, payload and vector exactly as it was (read back through REST). The server runs with
// service.max_request_size_mb = 1 so the size limit can be crossed with small messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { QdrantClient as QdrantGrpcClient } from '@qdrant/js-client-grpc';
import { GrapeServer } from '../lib/server.mjs';
import * as G from '../lib/grpc.mjs';

const { Code } = G;
let server, grpc, rest, points, collections;

const UUID = '3f9c2a1e-7b6d-4e5f-8a9b-0c1d2e3f4a5b';
before(async () => {
  server = await GrapeServer.start({ env: { GRAPE__SERVICE__MAX_REQUEST_SIZE_MB: '1' } });
  grpc = server.grpcClient();
  rest = server.client();
  points = grpc.api('points');
  collections = grpc.api('collections');
  await collections.create({ collectionName: 'data', vectorsConfig: { config: { case: 'params', value: { size: 3n, distance: G.Distance.Euclid } } } });
  await collections.create({ collectionName: 'multi', vectorsConfig: { config: { case: 'paramsMap', value: { map: { a: { size: 2n, distance: G.Distance.Dot } } } } } });
  await points.upsert({ collectionName: 'data', wait: true, points: [
    G.point({ id: 1, vector: [1, 2, 3], payload: { a: 1 } }),
    G.point({ id: 2, vector: [4, 5, 6], payload: { a: 2, b: 'x' } }),
    G.point({ id: UUID, vector: [7, 8, 9], payload: {} }),
  ] });
  await points.upsert({ collectionName: 'multi', wait: true, points: [G.point({ id: 1, vector: { a: [1, 1] }, payload: { k: 'v' } })] });
  await collections.updateAliases({ actions: [{ action: { case: 'createAlias', value: { collectionName: 'data', aliasName: 'd' } } }] });
});
after(async () => { await server?.stop(); });

/** Everything observable, through REST. */
async function state() {
  const out = {
    collections: (await rest.getCollections()).collections.map((c) => c.name).sort(),
    aliases: (await rest.getAliases()).aliases,
  };
  for (const c of out.collections) {
    const info = await rest.getCollection(c);
    const pts = await rest.scroll(c, { limit: 100, with_payload: true, with_vector: true });
    out[c] = { points_count: info.points_count, vectors: info.config.params.vectors, points: pts.points };
  }
  return out;
}

const vec = (data) => ({ variant: { case: 'dense', value: { data } } });
const cases = [
  // Wrong dimension, on every path that takes a vector.
  ['upsert with a wrong dimension', Code.InvalidArgument, /dim/, () => points.upsert({ collectionName: 'data', wait: true, points: [
    G.point({ id: 10, vector: [1, 2, 3], payload: {} }), G.point({ id: 11, vector: [1, 2], payload: {} }),
  ] })],
  ['search with a wrong dimension', Code.InvalidArgument, /dim/, () => points.search({ collectionName: 'data', vector: [1, 2], limit: 3n })],
  ['query with a wrong dimension', Code.InvalidArgument, /dim/, () => points.query({ collectionName: 'data', query: { variant: { case: 'nearest', value: vec([1, 2, 3, 4]) } } })],
  ['update_vectors with a wrong dimension', Code.InvalidArgument, /dim/, () => points.updateVectors({ collectionName: 'data', wait: true, points: [{ id: G.pid(1), vectors: G.vectors([9]) }] })],
  ['batch whose second operation has a wrong dimension (nothing applied)', Code.InvalidArgument, /dim/, () => points.updateBatch({ collectionName: 'data', wait: true, operations: [
    { operation: { case: 'setPayload', value: { payload: G.payload({ z: 1 }), pointsSelector: G.selector([1]) } } },
    { operation: { case: 'upsert', value: { points: [G.point({ id: 3, vector: [1], payload: {} })] } } },
  ] })],
  ['unknown vector name', Code.InvalidArgument, /zzz/, () => points.upsert({ collectionName: 'multi', wait: true, points: [G.point({ id: 2, vector: { zzz: [1, 2] }, payload: {} })] })],
  // Unknown collection, reads and writes.
  ['get info of an unknown collection', Code.NotFound, /ghost/, () => collections.get({ collectionName: 'ghost' })],
  ['upsert into an unknown collection', Code.NotFound, /ghost/, () => points.upsert({ collectionName: 'ghost', wait: true, points: [G.point({ id: 1, vector: [1, 2, 3], payload: {} })] })],
  ['search an unknown collection', Code.NotFound, /ghost/, () => points.search({ collectionName: 'ghost', vector: [1, 2, 3], limit: 3n })],
  ['scroll an unknown collection', Code.NotFound, /ghost/, () => points.scroll({ collectionName: 'ghost' })],
  ['count an unknown collection', Code.NotFound, /ghost/, () => points.count({ collectionName: 'ghost' })],
  ['delete points of an unknown collection', Code.NotFound, /ghost/, () => points.delete({ collectionName: 'ghost', wait: true, points: G.selector([1]) })],
  ['query by a point id that does not exist', Code.NotFound, /12345/, () => points.query({ collectionName: 'data', query: G.nearest(12345) })],
  // Names taken.
  ['create a collection that exists', Code.AlreadyExists, /data/, () => collections.create({ collectionName: 'data', vectorsConfig: { config: { case: 'params', value: { size: 8n, distance: G.Distance.Dot } } } })],
  ['an alias named like an existing collection', Code.AlreadyExists, /already exists/, () => collections.updateAliases({ actions: [{ action: { case: 'createAlias', value: { collectionName: 'data', aliasName: 'multi' } } }] })],
  ['create a collection with the name of an alias', Code.InvalidArgument, /Alias with the same name already exists/, () => collections.create({ collectionName: 'd', vectorsConfig: { config: { case: 'params', value: { size: 3n, distance: G.Distance.Dot } } } })],
  ['rename an alias that does not exist', Code.NotFound, null, () => collections.updateAliases({ actions: [{ action: { case: 'renameAlias', value: { oldAliasName: 'nope', newAliasName: 'n2' } } }] })],
  // Messages that decode but are not valid requests.
  ['point without an id', Code.InvalidArgument, null, () => points.upsert({ collectionName: 'data', wait: true, points: [{ vectors: G.vectors([1, 2, 3]), payload: {} }] })],
  ['point without vectors', Code.InvalidArgument, null, () => points.upsert({ collectionName: 'data', wait: true, points: [{ id: G.pid(20), payload: {} }] })],
  ['uuid id that is not a uuid', Code.InvalidArgument, null, () => points.upsert({ collectionName: 'data', wait: true, points: [G.point({ id: 'not-a-uuid', vector: [1, 2, 3], payload: {} })] })],
  ['filter condition with nothing set', Code.InvalidArgument, null, () => points.count({ collectionName: 'data', filter: { must: [{}], should: [], mustNot: [] } })],
  ['delete without a selector', Code.InvalidArgument, null, () => points.delete({ collectionName: 'data', wait: true })],
  ['create with vector size 0', Code.InvalidArgument, null, () => collections.create({ collectionName: 'zero', vectorsConfig: { config: { case: 'params', value: { size: 0n, distance: G.Distance.Dot } } } })],
  ['create without a distance', Code.InvalidArgument, null, () => collections.create({ collectionName: 'nodist', vectorsConfig: { config: { case: 'params', value: { size: 4n } } } })],
  ['create with an invalid name', Code.InvalidArgument, null, () => collections.create({ collectionName: 'bad/name', vectorsConfig: { config: { case: 'params', value: { size: 4n, distance: G.Distance.Dot } } } })],
  ['timeout 0', Code.InvalidArgument, /timeout/, () => points.count({ collectionName: 'data', timeout: 0n })],
  ['write with timeout 0', Code.InvalidArgument, /timeout/, () => points.upsert({ collectionName: 'data', wait: true, timeout: 0n, points: [G.point({ id: 30, vector: [1, 2, 3], payload: {} })] })],
  ['set_payload with an empty key path', Code.InvalidArgument, null, () => points.setPayload({ collectionName: 'data', wait: true, key: '', payload: G.payload({ q: 1 }), pointsSelector: G.selector([1]) })],
];

for (const [name, code, pattern, call] of cases) {
  test(`${name} → ${G.Code[code]}, nothing changed`, async () => {
    const before = await state();
    await G.expectGrpcError(call(), code, pattern ?? undefined);
    assert.deepEqual(await state(), before);
  });
}

test('a message over service.max_request_size_mb → RESOURCE_EXHAUSTED (compressed or not), nothing written', async () => {
  const before = await state();
  // Highly compressible: gzip brings it far under the limit, but the decompressed message is what counts.
  const big = 'a'.repeat(2 * 1024 * 1024);
  await G.expectGrpcError(points.upsert({ collectionName: 'data', wait: true, points: [G.point({ id: 40, vector: [1, 2, 3], payload: { big } })] }), Code.ResourceExhausted);
  const plain = new QdrantGrpcClient({ url: server.grpcUrl, compression: false, checkCompatibility: false });
  await G.expectGrpcError(plain.api('points').upsert({ collectionName: 'data', wait: true, points: [G.point({ id: 41, vector: [1, 2, 3], payload: { big } })] }), Code.ResourceExhausted);
  assert.deepEqual(await state(), before);
  // Just under the limit is accepted.
  const fits = 'b'.repeat(900 * 1024);
  const ok = await plain.api('points').upsert({ collectionName: 'data', wait: true, points: [G.point({ id: 42, vector: [1, 2, 3], payload: { fits } })] });
  assert.equal(ok.result.status, G.UpdateStatus.Completed);
  assert.equal((await rest.retrieve('data', { ids: [42] }))[0].payload.fits.length, fits.length);
  await rest.delete('data', { wait: true, points: [42] });
});

test('bytes that are not a protobuf message are refused, nothing changes, the server keeps serving', async () => {
  const before = await state();
  const session = http2.connect(server.grpcUrl);
  try {
    // A gRPC frame (uncompressed, 5 bytes) holding an invalid varint: not decodable as UpsertPoints.
    const frame = Buffer.from([0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const req = session.request({ ':method': 'POST', ':path': '/qdrant.Points/Upsert', 'content-type': 'application/grpc', te: 'trailers' });
    const status = new Promise((res) => {
      let seen = null;
      req.on('response', (h) => { if (h['grpc-status'] !== undefined) seen = h['grpc-status']; });
      req.on('trailers', (t) => { if (t['grpc-status'] !== undefined) seen = t['grpc-status']; });
      req.on('close', () => res(seen));
      req.resume();
    });
    req.end(frame);
    const code = Number(await status);
    assert.ok(Number.isInteger(code) && code !== 0, `expected an error status, got ${code}`);
  } finally {
    session.close();
  }
  assert.deepEqual(await state(), before);
  assert.equal((await points.count({ collectionName: 'data', exact: true })).result.count, 3n);
});

test('an alias works as a collection name; after an error the alias still reads the same data', async () => {
  const viaAlias = await points.get({ collectionName: 'd', ids: [G.pid(2)], withPayload: G.withPayload(true), withVectors: G.withVectors(true) });
  assert.deepEqual(viaAlias.result.map((p) => G.fromRecord(p)), [{ id: 2, payload: { a: 2, b: 'x' }, vector: [4, 5, 6] }]);
});
