// Vector datatypes through @qdrant/js-client-grpc: VectorParams.datatype (Qdrant's enum: Float32 1, Uint8 2,
// Float16 3) on create and in collection info, points written over gRPC and read back rounded, and Query answers equal
// to the same request through REST.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector } from '../lib/reference.mjs';
import * as G from '../lib/grpc.mjs';

const N = 150, DIM = 8;
let server, grpc, rest, points;
const next = rng(515);
const data = Array.from({ length: N }, (_, i) => ({
  id: i + 1,
  vector: { h: randomVector(next, DIM), b: randomVector(next, DIM).map((x) => Math.fround(x * 150 + 120)) },
  payload: {},
}));

before(async () => {
  server = await GrapeServer.start();
  grpc = server.grpcClient();
  rest = server.client();
  points = grpc.api('points');
  await grpc.api('collections').create({
    collectionName: 'dt',
    vectorsConfig: { config: { case: 'paramsMap', value: { map: {
      h: { size: BigInt(DIM), distance: G.Distance.Cosine, datatype: 3 },
      b: { size: BigInt(DIM), distance: G.Distance.Manhattan, datatype: 2 },
    } } } },
  });
  await points.upsert({ collectionName: 'dt', wait: true, points: data.map(G.point) });
});
after(async () => { await server?.stop(); });

test('collection info over gRPC and REST carries the datatype', async () => {
  const map = (await grpc.api('collections').get({ collectionName: 'dt' })).result.config.params.vectorsConfig.config.value.map;
  assert.equal(map.h.datatype, 3);
  assert.equal(map.b.datatype, 2);
  const r = await rest.getCollection('dt');
  assert.equal(r.config.params.vectors.h.datatype, 'float16');
  assert.equal(r.config.params.vectors.b.datatype, 'uint8');
});

test('Get returns the rounded values, equal to REST retrieve', async () => {
  const ids = [1, 9, 150];
  const g = await points.get({ collectionName: 'dt', ids: ids.map(G.pid), withPayload: G.withPayload(false), withVectors: G.withVectors(true) });
  const r = await rest.retrieve('dt', { ids, with_payload: false, with_vector: true });
  G.assertSameRecords(g.result.map((x) => G.fromRecord(x, { withPayload: false })), r.map((x) => G.restRecord(x, { withPayload: false })), 'get');
  const one = r.find((x) => x.id === 1).vector.b;
  assert.deepEqual(one, data[0].vector.b.map((x) => (x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x))));
});

test('Query over each datatype equals REST', async () => {
  for (const using of ['h', 'b']) {
    const q = data[5].vector[using].map((x) => x + 0.5);
    const g = await points.query({ collectionName: 'dt', query: G.nearest(q), using, limit: 10n, params: { exact: true } });
    const r = await rest.query('dt', { query: q, using, limit: 10, params: { exact: true } });
    G.assertSameScored(g.result.map((x) => G.fromScored(x)), r.points, `query ${using}`);
  }
});
