// Collections group through Qdrant's JavaScript client: create (unnamed and named vectors), list, info, exists,
// update, delete, and the error answers Qdrant gives (404 missing, 409 duplicate), with data unchanged after each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { expectApiError } from '../lib/reference.mjs';

let server, client;
before(async () => { server = await GrapeServer.start(); client = server.client(); });
after(async () => { await server?.stop(); });

const names = async () => (await client.getCollections()).collections.map((c) => c.name).sort();

test('create a collection with an unnamed vector and read its info', async () => {
  assert.equal(await client.createCollection('plain', { vectors: { size: 4, distance: 'Cosine' } }), true);
  const info = await client.getCollection('plain');
  assert.equal(info.status, 'green');
  assert.equal(info.optimizer_status, 'ok');
  assert.equal(info.points_count, 0);
  assert.equal(typeof info.segments_count, 'number');
  assert.equal(info.config.params.vectors.size, 4);
  assert.equal(info.config.params.vectors.distance, 'Cosine');
  assert.equal(info.config.params.shard_number, 1);
  assert.equal(info.config.params.replication_factor, 1);
  assert.equal(typeof info.config.hnsw_config.m, 'number');
  assert.equal(typeof info.config.hnsw_config.ef_construct, 'number');
  assert.equal(typeof info.config.optimizer_config, 'object');
  assert.deepEqual(info.payload_schema, {});
});

test('create a collection with named vectors of different sizes and distances', async () => {
  const ok = await client.createCollection('named', {
    vectors: {
      image: { size: 3, distance: 'Dot' },
      text: { size: 5, distance: 'Euclid' },
      geo: { size: 2, distance: 'Manhattan' },
    },
  });
  assert.equal(ok, true);
  const v = (await client.getCollection('named')).config.params.vectors;
  assert.deepEqual(Object.keys(v).sort(), ['geo', 'image', 'text']);
  assert.deepEqual([v.image.size, v.image.distance], [3, 'Dot']);
  assert.deepEqual([v.text.size, v.text.distance], [5, 'Euclid']);
  assert.deepEqual([v.geo.size, v.geo.distance], [2, 'Manhattan']);
});

test('getCollections lists every collection; collectionExists tells them apart', async () => {
  assert.deepEqual(await names(), ['named', 'plain']);
  assert.deepEqual(await client.collectionExists('plain'), { exists: true });
  assert.deepEqual(await client.collectionExists('named'), { exists: true });
  assert.deepEqual(await client.collectionExists('absent'), { exists: false });
});

test('points_count follows upserts', async () => {
  await client.upsert('plain', { points: [
    { id: 1, vector: [1, 0, 0, 0] },
    { id: 2, vector: [0, 1, 0, 0] },
    { id: 3, vector: [0, 0, 1, 0] },
  ] });
  assert.equal((await client.getCollection('plain')).points_count, 3);
});

test('updateCollection changes optimizer parameters and they show in the info', async () => {
  assert.equal(await client.updateCollection('plain', { optimizers_config: { indexing_threshold: 12345 } }), true);
  const info = await client.getCollection('plain');
  assert.equal(info.config.optimizer_config.indexing_threshold, 12345);
  // Unchanged by the update.
  assert.equal(info.points_count, 3);
  assert.equal(info.config.params.vectors.size, 4);
});

test('creating an existing collection answers 409 and leaves it unchanged', async () => {
  await expectApiError(client.createCollection('plain', { vectors: { size: 8, distance: 'Dot' } }), 409,
    /Collection `plain` already exists/);
  const info = await client.getCollection('plain');
  assert.equal(info.config.params.vectors.size, 4);
  assert.equal(info.config.params.vectors.distance, 'Cosine');
  assert.equal(info.points_count, 3);
});

test('operations on a missing collection answer 404 with status.error', async () => {
  await expectApiError(client.getCollection('absent'), 404, /Not found: Collection `absent` doesn't exist!/);
  await expectApiError(client.updateCollection('absent', { optimizers_config: { indexing_threshold: 1 } }), 404);
  await expectApiError(client.upsert('absent', { points: [{ id: 1, vector: [1, 2, 3, 4] }] }), 404);
  await expectApiError(client.count('absent'), 404);
  assert.deepEqual(await names(), ['named', 'plain']);
});

test('a vector size of 0 is refused (422) and nothing is created', async () => {
  await expectApiError(client.createCollection('zero', { vectors: { size: 0, distance: 'Cosine' } }), 422);
  assert.deepEqual(await client.collectionExists('zero'), { exists: false });
});

test('an unknown distance is refused (400) and nothing is created', async () => {
  await expectApiError(client.createCollection('baddist', { vectors: { size: 4, distance: 'Hamming' } }), 400);
  assert.deepEqual(await client.collectionExists('baddist'), { exists: false });
});

test('deleteCollection answers true, then false once it is gone', async () => {
  assert.equal(await client.deleteCollection('named'), true);
  assert.deepEqual(await client.collectionExists('named'), { exists: false });
  assert.deepEqual(await names(), ['plain']);
  assert.equal(await client.deleteCollection('named'), false);
  await expectApiError(client.getCollection('named'), 404);
});

test('a deleted name can be created again, empty', async () => {
  assert.equal(await client.createCollection('named', { vectors: { size: 2, distance: 'Dot' } }), true);
  const info = await client.getCollection('named');
  assert.equal(info.points_count, 0);
  assert.deepEqual([info.config.params.vectors.size, info.config.params.vectors.distance], [2, 'Dot']);
});
