// Multivectors through Qdrant's official gRPC client: a collection created with VectorParams.multivector_config,
// points written as Vector.multi_dense (and one in the deprecated data + vectors_count form), read back as
// VectorOutput.multi_dense, and queried with VectorInput.multi_dense (top level and as the re-rank of a dense
// prefetch); every answer equals the same request through REST.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { rng, randomVector } from '../lib/reference.mjs';
import * as G from '../lib/grpc.mjs';

const N = 120, DIM = 8, SUB = 4;
let server, grpc, rest, points;
const next = rng(99);
const data = Array.from({ length: N }, (_, i) => ({
  id: i + 1,
  vector: { dense: randomVector(next, DIM), colbert: Array.from({ length: 1 + Math.floor(next() * 4) }, () => randomVector(next, SUB)) },
  payload: { n: i },
}));
const query = Array.from({ length: 2 }, () => randomVector(next, SUB));
const multiInput = (rows) => ({ variant: { case: 'multiDense', value: { vectors: rows.map((r) => ({ data: r })) } } });

before(async () => {
  server = await GrapeServer.start();
  grpc = server.grpcClient();
  rest = server.client();
  points = grpc.api('points');
  await grpc.api('collections').create({
    collectionName: 'mv',
    vectorsConfig: { config: { case: 'paramsMap', value: { map: {
      dense: { size: BigInt(DIM), distance: G.Distance.Cosine },
      colbert: { size: BigInt(SUB), distance: G.Distance.Dot, multivectorConfig: { comparator: 0 }, hnswConfig: { m: 0n } },
    } } } },
  });
  await points.upsert({ collectionName: 'mv', wait: true, points: data.map(G.point) });
});
after(async () => { await server?.stop(); });

test('collection info over gRPC and REST carries multivector_config', async () => {
  const g = await grpc.api('collections').get({ collectionName: 'mv' });
  const colbert = g.result.config.params.vectorsConfig.config.value.map.colbert;
  assert.equal(colbert.multivectorConfig?.comparator, 0);
  assert.equal(g.result.config.params.vectorsConfig.config.value.map.dense.multivectorConfig, undefined);
  const r = await rest.getCollection('mv');
  assert.deepEqual(r.config.params.vectors.colbert.multivector_config, { comparator: 'max_sim' });
});

test('Get returns multi_dense vectors equal to REST retrieve', async () => {
  const ids = [1, 7, 33];
  const g = await points.get({ collectionName: 'mv', ids: ids.map(G.pid), withPayload: G.withPayload(true), withVectors: G.withVectors(true) });
  const r = await rest.retrieve('mv', { ids, with_payload: true, with_vector: true });
  G.assertSameRecords(g.result.map((x) => G.fromRecord(x)), r.map((x) => G.restRecord(x)), 'get');
  const seven = g.result.find((x) => G.fromPid(x.id) === 7);
  const cv = seven.vectors.vectorsOptions.value.vectors.colbert;
  assert.equal(cv.vector.case, 'multiDense');
  assert.deepEqual(G.f32(cv.vector.value.vectors.map((d) => d.data)), data[6].vector.colbert);
});

test('the deprecated data + vectors_count form is a multivector', async () => {
  const rows = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
  await points.upsert({ collectionName: 'mv', wait: true, points: [{ id: G.pid(500), vectors: { vectorsOptions: { case: 'vectors', value: { vectors: {
    colbert: { data: rows.flat(), vectorsCount: 3 },
  } } } } }] });
  const [p] = await rest.retrieve('mv', { ids: [500], with_vector: true });
  assert.deepEqual(p.vector.colbert, rows);
  await points.delete({ collectionName: 'mv', wait: true, points: G.selector([500]) });
  await G.expectGrpcError(points.upsert({ collectionName: 'mv', wait: true, points: [{ id: G.pid(501), vectors: { vectorsOptions: { case: 'vectors', value: { vectors: {
    colbert: { data: [1, 2, 3, 4, 5], vectorsCount: 2 },
  } } } } }] }), G.Code.InvalidArgument, /divisible/);
});

test('Query with VectorInput.multi_dense = REST query (top level and dense prefetch + multivector re-rank)', async () => {
  const g = await points.query({ collectionName: 'mv', query: { variant: { case: 'nearest', value: multiInput(query) } }, using: 'colbert', limit: 10n });
  const r = await rest.query('mv', { query, using: 'colbert', limit: 10 });
  G.assertSameScored(g.result.map((p) => G.fromScored(p)), r.points, 'nearest');

  const dq = randomVector(rng(3), DIM);
  const gp = await points.query({
    collectionName: 'mv',
    prefetch: [{ query: G.nearest(dq), using: 'dense', limit: 30n }],
    query: { variant: { case: 'nearest', value: multiInput(query) } },
    using: 'colbert',
    limit: 5n,
    withVectors: G.withVectors(['colbert']),
  });
  const rp = await rest.query('mv', { prefetch: { query: dq, using: 'dense', limit: 30 }, query, using: 'colbert', limit: 5, with_vector: ['colbert'] });
  G.assertSameScored(gp.result.map((p) => G.fromScored(p)), rp.points, 'prefetch re-rank');
  assert.equal(rp.points.length, 5);
});

test('bad multivectors over gRPC are INVALID_ARGUMENT', async () => {
  await G.expectGrpcError(points.query({ collectionName: 'mv', query: { variant: { case: 'nearest', value: multiInput([[1, 2]]) } }, using: 'colbert' }),
    G.Code.InvalidArgument, /expected dim: 4, got 2/);
  await G.expectGrpcError(points.query({ collectionName: 'mv', query: { variant: { case: 'nearest', value: multiInput([]) } }, using: 'colbert' }),
    G.Code.InvalidArgument, /empty/);
  await G.expectGrpcError(points.upsert({ collectionName: 'mv', wait: true, points: [G.point({ id: 900, vector: { dense: [[1, 2, 3, 4, 5, 6, 7, 8]] } })] }),
    G.Code.InvalidArgument, /multi and regular/);
});
