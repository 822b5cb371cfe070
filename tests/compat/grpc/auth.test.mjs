// API keys over gRPC metadata, sent by Qdrant's official gRPC client (`apiKey` → `api-key` metadata, or an
// `authorization: Bearer` header): the server runs with service.api_key and service.read_only_api_key set through
// GRAPE__ environment variables. Qdrant's rules: health check open; no or a wrong key → UNAUTHENTICATED; the
// read-only key reads but a write → PERMISSION_DENIED, with nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { QdrantClient as QdrantGrpcClient } from '@qdrant/js-client-grpc';
import { GrapeServer } from '../lib/server.mjs';
import * as G from '../lib/grpc.mjs';

const { Code } = G;
const KEY = 'full-access-key-0123', READ_KEY = 'read-only-key-4567';
let server, admin, rest;

before(async () => {
  server = await GrapeServer.start({ env: { GRAPE__SERVICE__API_KEY: KEY, GRAPE__SERVICE__READ_ONLY_API_KEY: READ_KEY } });
  admin = server.grpcClient();
  rest = server.client();
  await admin.api('collections').create({ collectionName: 'c', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: G.Distance.Dot } } } });
  await admin.api('points').upsert({ collectionName: 'c', wait: true, points: [G.point({ id: 1, vector: [1, 0], payload: { a: 1 } })] });
});
after(async () => { await server?.stop(); });

const upsert = (client, id) => client.api('points').upsert({ collectionName: 'c', wait: true, points: [G.point({ id, vector: [0, 1], payload: {} })] });

test('the health check needs no key', async () => {
  const h = await server.grpcClient({ apiKey: null }).api('service').healthCheck({});
  assert.ok(h.version.length > 0);
});

test('no key or a wrong key → UNAUTHENTICATED for reads and writes', async () => {
  for (const client of [server.grpcClient({ apiKey: null }), server.grpcClient({ apiKey: 'wrong' })]) {
    await G.expectGrpcError(client.api('collections').list({}), Code.Unauthenticated);
    await G.expectGrpcError(client.api('points').count({ collectionName: 'c' }), Code.Unauthenticated);
    await G.expectGrpcError(upsert(client, 5), Code.Unauthenticated);
  }
  assert.equal((await rest.count('c')).count, 1, 'nothing written');
});

test('the full key reads and writes; REST with the same key sees the write', async () => {
  const r = await upsert(admin, 2);
  assert.equal(r.result.status, G.UpdateStatus.Completed);
  assert.deepEqual((await admin.api('collections').list({})).collections.map((c) => c.name), ['c']);
  assert.equal((await rest.count('c')).count, 2);
  await admin.api('points').delete({ collectionName: 'c', wait: true, points: G.selector([2]) });
});

test('the read-only key reads (list, get, search, scroll, count) but writes → PERMISSION_DENIED', async () => {
  const reader = server.grpcClient({ apiKey: READ_KEY });
  assert.deepEqual((await reader.api('collections').list({})).collections.map((c) => c.name), ['c']);
  assert.equal((await reader.api('collections').get({ collectionName: 'c' })).result.pointsCount, 1n);
  const found = await reader.api('points').search({ collectionName: 'c', vector: [1, 0], limit: 1n });
  assert.deepEqual(found.result.map((p) => G.fromPid(p.id)), [1]);
  assert.equal((await reader.api('points').scroll({ collectionName: 'c' })).result.length, 1);
  assert.equal((await reader.api('points').count({ collectionName: 'c' })).result.count, 1n);

  await G.expectGrpcError(upsert(reader, 3), Code.PermissionDenied);
  await G.expectGrpcError(reader.api('collections').create({ collectionName: 'x', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: G.Distance.Dot } } } }), Code.PermissionDenied);
  await G.expectGrpcError(reader.api('collections').delete({ collectionName: 'c' }), Code.PermissionDenied);
  await G.expectGrpcError(reader.api('points').setPayload({ collectionName: 'c', wait: true, payload: G.payload({ z: 1 }), pointsSelector: G.selector([1]) }), Code.PermissionDenied);
  assert.deepEqual((await rest.retrieve('c', { ids: [1, 3] })).map((p) => [p.id, p.payload]), [[1, { a: 1 }]]);
  assert.deepEqual((await rest.getCollections()).collections.map((c) => c.name), ['c']);
});

test('authorization: Bearer <key> works as api-key does', async () => {
  const bearer = new QdrantGrpcClient({ url: server.grpcUrl, headers: { authorization: `Bearer ${KEY}` }, checkCompatibility: false });
  assert.equal((await bearer.api('points').count({ collectionName: 'c' })).result.count, 1n);
  const readBearer = new QdrantGrpcClient({ url: server.grpcUrl, headers: { authorization: `Bearer ${READ_KEY}` }, checkCompatibility: false });
  await G.expectGrpcError(upsert(readBearer, 4), Code.PermissionDenied);
  const badBearer = new QdrantGrpcClient({ url: server.grpcUrl, headers: { authorization: 'Bearer nope' }, checkCompatibility: false });
  await G.expectGrpcError(badBearer.api('points').count({ collectionName: 'c' }), Code.Unauthenticated);
});
