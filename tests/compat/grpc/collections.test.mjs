// Qdrant's official gRPC client (@qdrant/js-client-grpc) against Grape: both health checks, the collection
// lifecycle (create, list, get, exists, update, delete) and aliases. Every read is repeated through REST
// (@qdrant/js-client-rest) on the same server and the two answers compared field by field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { Code, Distance, expectGrpcError, show } from '../lib/grpc.mjs';

let server, grpc, rest, collections;
before(async () => {
  server = await GrapeServer.start();
  grpc = server.grpcClient();
  rest = server.client();
  collections = grpc.api('collections');
});
after(async () => { await server?.stop(); });

const DISTANCE_NAMES = { [Distance.Cosine]: 'Cosine', [Distance.Euclid]: 'Euclid', [Distance.Dot]: 'Dot', [Distance.Manhattan]: 'Manhattan' };
const STATUS_NAMES = { 1: 'green', 2: 'yellow', 3: 'red', 4: 'grey' };
const num = (x) => (x === undefined ? undefined : Number(x));
const dropUndefined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** gRPC CollectionInfo in REST's JSON shape, covering every field Grape fills. */
function infoAsRest(info) {
  const p = info.config.params;
  const vc = p.vectorsConfig.config;
  const vparams = (v) => ({ size: num(v.size), distance: DISTANCE_NAMES[v.distance] });
  const vectors = vc.case === 'params' ? vparams(vc.value)
    : Object.fromEntries(Object.entries(vc.value.map).map(([k, v]) => [k, vparams(v)]));
  const h = info.config.hnswConfig, o = info.config.optimizerConfig, w = info.config.walConfig;
  const threads = o.maxOptimizationThreads?.variant;
  return {
    status: STATUS_NAMES[info.status],
    optimizer_status: info.optimizerStatus.ok ? 'ok' : { error: info.optimizerStatus.error },
    indexed_vectors_count: num(info.indexedVectorsCount),
    points_count: num(info.pointsCount),
    segments_count: num(info.segmentsCount),
    config: {
      params: dropUndefined({
        vectors, shard_number: p.shardNumber, replication_factor: p.replicationFactor,
        write_consistency_factor: p.writeConsistencyFactor, on_disk_payload: p.onDiskPayload,
      }),
      hnsw_config: dropUndefined({
        m: num(h.m), ef_construct: num(h.efConstruct), full_scan_threshold: num(h.fullScanThreshold),
        max_indexing_threads: num(h.maxIndexingThreads), on_disk: h.onDisk, payload_m: num(h.payloadM),
      }),
      optimizer_config: dropUndefined({
        deleted_threshold: o.deletedThreshold, vacuum_min_vector_number: num(o.vacuumMinVectorNumber),
        default_segment_number: num(o.defaultSegmentNumber), max_segment_size: num(o.maxSegmentSize),
        memmap_threshold: num(o.memmapThreshold), indexing_threshold: num(o.indexingThreshold),
        flush_interval_sec: num(o.flushIntervalSec),
        // gRPC's `setting: Auto` is REST's absent/null (automatic); a number is a number on both.
        max_optimization_threads: threads?.case === 'value' ? num(threads.value) : undefined,
      }),
      wal_config: dropUndefined({
        wal_capacity_mb: num(w.walCapacityMb), wal_segments_ahead: num(w.walSegmentsAhead), wal_retain_closed: num(w.walRetainClosed),
      }),
    },
    payload_schema: {},
  };
}

/** REST's answer with nulls and fields gRPC cannot carry in the same shape removed. */
function restInfo(r) {
  const clean = (v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, clean(x)]))
    : v);
  return clean(r);
}

async function assertSameInfo(name) {
  const g = await collections.get({ collectionName: name });
  assert.equal(typeof g.time, 'number');
  const r = await rest.getCollection(name);
  assert.deepEqual(infoAsRest(g.result), restInfo(r), `collection ${name}: gRPC ${show(g.result)} vs REST ${JSON.stringify(r)}`);
  return g.result;
}

async function names() {
  const g = (await collections.list({})).collections.map((c) => c.name).sort();
  const r = (await rest.getCollections()).collections.map((c) => c.name).sort();
  assert.deepEqual(g, r, 'gRPC and REST list different collections');
  return g;
}

test('Qdrant health check answers with the same version as REST', async () => {
  const h = await grpc.api('service').healthCheck({});
  assert.match(h.title, /grape/i);
  const restRoot = await server.http('GET', '/');
  assert.equal(h.version, restRoot.body.version, 'gRPC and REST report different versions');
  assert.match(h.version, /^\d+\.\d+\.\d+/);
});

test('create (single and named vectors, custom hnsw/optimizers/wal) → get/list/exists agree with REST', async () => {
  const created = await collections.create({
    collectionName: 'single',
    vectorsConfig: { config: { case: 'params', value: { size: 8n, distance: Distance.Euclid } } },
  });
  assert.equal(created.result, true);
  await collections.create({
    collectionName: 'named',
    vectorsConfig: { config: { case: 'paramsMap', value: { map: {
      text: { size: 4n, distance: Distance.Cosine }, image: { size: 3n, distance: Distance.Manhattan },
    } } } },
    hnswConfig: { m: 32n, efConstruct: 64n },
    optimizersConfig: { deletedThreshold: 0.5, flushIntervalSec: 9n },
    walConfig: { walCapacityMb: 16n },
  });
  // Created through REST, read through gRPC.
  await rest.createCollection('from_rest', { vectors: { size: 5, distance: 'Dot' }, hnsw_config: { m: 12 } });

  assert.deepEqual(await names(), ['from_rest', 'named', 'single']);
  const single = await assertSameInfo('single');
  assert.equal(single.config.params.vectorsConfig.config.value.distance, Distance.Euclid);
  const named = await assertSameInfo('named');
  assert.equal(named.config.hnswConfig.m, 32n);
  assert.equal(named.config.optimizerConfig.deletedThreshold, 0.5);
  assert.equal(named.config.walConfig.walCapacityMb, 16n);
  const fromRest = await assertSameInfo('from_rest');
  assert.equal(fromRest.config.params.vectorsConfig.config.value.size, 5n);

  for (const [name, expected] of [['single', true], ['named', true], ['nope', false]]) {
    const g = await collections.collectionExists({ collectionName: name });
    assert.equal(g.result.exists, expected, `exists(${name}) over gRPC`);
    assert.equal((await rest.collectionExists(name)).exists, expected, `exists(${name}) over REST`);
  }
});

test('create an existing name → ALREADY_EXISTS, the first config kept', async () => {
  await collections.create({ collectionName: 'dup', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: Distance.Dot } } } });
  await expectGrpcError(collections.create({
    collectionName: 'dup', vectorsConfig: { config: { case: 'params', value: { size: 9n, distance: Distance.Cosine } } },
  }), Code.AlreadyExists, /already exists/);
  const info = await assertSameInfo('dup');
  assert.equal(info.config.params.vectorsConfig.config.value.size, 2n);
});

test('update optimizers and hnsw → visible through both protocols', async () => {
  await collections.create({ collectionName: 'upd', vectorsConfig: { config: { case: 'params', value: { size: 3n, distance: Distance.Cosine } } } });
  const r = await collections.update({
    collectionName: 'upd',
    optimizersConfig: { deletedThreshold: 0.35, vacuumMinVectorNumber: 500n },
    hnswConfig: { efConstruct: 200n },
  });
  assert.equal(r.result, true);
  const info = await assertSameInfo('upd');
  assert.equal(info.config.optimizerConfig.deletedThreshold, 0.35);
  assert.equal(info.config.optimizerConfig.vacuumMinVectorNumber, 500n);
  assert.equal(info.config.hnswConfig.efConstruct, 200n);
  await expectGrpcError(collections.update({ collectionName: 'ghost', optimizersConfig: { deletedThreshold: 0.3 } }), Code.NotFound);
});

test('aliases: create, rename, delete, listed the same through both protocols, usable as collection names', async () => {
  await collections.create({ collectionName: 'target', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: Distance.Dot } } } });
  await collections.create({ collectionName: 'other', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: Distance.Dot } } } });
  const r = await collections.updateAliases({ actions: [
    { action: { case: 'createAlias', value: { collectionName: 'target', aliasName: 'a1' } } },
    { action: { case: 'createAlias', value: { collectionName: 'target', aliasName: 'a2' } } },
    { action: { case: 'createAlias', value: { collectionName: 'other', aliasName: 'b1' } } },
  ] });
  assert.equal(r.result, true);

  async function aliases() {
    const sort = (l) => l.sort((x, y) => x.alias_name.localeCompare(y.alias_name));
    const g = sort((await collections.listAliases({})).aliases.map((a) => ({ alias_name: a.aliasName, collection_name: a.collectionName })));
    const rr = sort((await rest.getAliases()).aliases.map((a) => ({ alias_name: a.alias_name, collection_name: a.collection_name })));
    assert.deepEqual(g, rr, 'alias lists differ');
    const gt = sort((await collections.listCollectionAliases({ collectionName: 'target' })).aliases.map((a) => ({ alias_name: a.aliasName, collection_name: a.collectionName })));
    const rt = sort((await rest.getCollectionAliases('target')).aliases.map((a) => ({ alias_name: a.alias_name, collection_name: a.collection_name })));
    assert.deepEqual(gt, rt, 'aliases of `target` differ');
    return g;
  }
  assert.deepEqual(await aliases(), [
    { alias_name: 'a1', collection_name: 'target' }, { alias_name: 'a2', collection_name: 'target' }, { alias_name: 'b1', collection_name: 'other' },
  ]);
  // An alias reads as its collection.
  const viaAlias = await collections.get({ collectionName: 'a1' });
  assert.equal(viaAlias.result.config.params.vectorsConfig.config.value.size, 2n);

  await collections.updateAliases({ actions: [
    { action: { case: 'renameAlias', value: { oldAliasName: 'a2', newAliasName: 'a3' } } },
    { action: { case: 'deleteAlias', value: { aliasName: 'b1' } } },
  ] });
  assert.deepEqual(await aliases(), [{ alias_name: 'a1', collection_name: 'target' }, { alias_name: 'a3', collection_name: 'target' }]);

  // An alias onto a missing collection fails and changes nothing.
  await expectGrpcError(collections.updateAliases({ actions: [
    { action: { case: 'createAlias', value: { collectionName: 'ghost', aliasName: 'g1' } } },
  ] }), Code.NotFound);
  assert.equal((await aliases()).length, 2);
});

test('delete: true once, then the collection is gone from both protocols', async () => {
  await collections.create({ collectionName: 'doomed', vectorsConfig: { config: { case: 'params', value: { size: 2n, distance: Distance.Dot } } } });
  assert.ok((await names()).includes('doomed'));
  const r = await collections.delete({ collectionName: 'doomed' });
  assert.equal(r.result, true);
  assert.ok(!(await names()).includes('doomed'));
  assert.equal((await collections.collectionExists({ collectionName: 'doomed' })).result.exists, false);
  await expectGrpcError(collections.get({ collectionName: 'doomed' }), Code.NotFound, /doomed/);
  // Qdrant answers a delete of a missing collection with result=false, not an error.
  const again = await collections.delete({ collectionName: 'doomed' });
  assert.equal(again.result, false);
  assert.equal(await rest.deleteCollection('doomed'), false);
});
