// Bad requests, each answered with Qdrant's status code and a `status.error` message, and the stored data (every
// collection, point, payload and vector, and the alias table) checked unchanged after each one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { expectApiError } from '../lib/reference.mjs';

let server, client;
before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  await client.createCollection('data', { vectors: { size: 3, distance: 'Euclid' } });
  await client.upsert('data', { points: [
    { id: 1, vector: [1, 2, 3], payload: { a: 1 } },
    { id: 2, vector: [4, 5, 6], payload: { a: 2, b: 'x' } },
    { id: '3f9c2a1e-7b6d-4e5f-8a9b-0c1d2e3f4a5b', vector: [7, 8, 9], payload: {} },
  ] });
  await client.updateCollectionAliases({ actions: [{ create_alias: { collection_name: 'data', alias_name: 'd' } }] });
});
after(async () => { await server?.stop(); });

async function state() {
  const collections = (await client.getCollections()).collections.map((c) => c.name).sort();
  const aliases = (await client.getAliases()).aliases;
  const info = await client.getCollection('data');
  const pts = await client.scroll('data', { limit: 100, with_payload: true, with_vector: true });
  return { collections, aliases, points_count: info.points_count, vectors: info.config.params.vectors, points: pts.points };
}

/** Plain HTTP for bodies the client cannot produce (broken JSON, wrong types). */
async function expectHttpError(method, path, body, status, pattern) {
  const r = await server.http(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body?.status?.error, 'string', `no status.error in ${JSON.stringify(r.body)}`);
  if (pattern) assert.match(r.body.status.error, pattern);
}

const cases = [
  ['unknown collection (retrieve) → 404', () => expectApiError(client.retrieve('ghost', { ids: [1] }), 404, /Collection `ghost` doesn't exist/)],
  ['unknown collection (search) → 404', () => expectApiError(client.query('ghost', { query: [1, 2, 3] }), 404)],
  ['unknown collection (delete points) → 404', () => expectApiError(client.delete('ghost', { wait: true, points: [1] }), 404)],
  ['duplicate create → 409', () => expectApiError(client.createCollection('data', { vectors: { size: 3, distance: 'Euclid' } }), 409, /already exists/)],
  ['create with the name of an alias → 400', () => expectApiError(client.createCollection('d', { vectors: { size: 3, distance: 'Dot' } }), 400, /Alias with the same name already exists/)],
  ['wrong dimension on upsert → 400', () => expectApiError(client.upsert('data', { points: [{ id: 1, vector: [9, 9] }] }), 400, /expected dim: 3, got 2/)],
  ['wrong dimension on a batch upsert, second point → 400', () => expectApiError(client.upsert('data', {
    batch: { ids: [1, 5], vectors: [[0, 0, 0], [1, 1, 1, 1]] } }), 400, /expected dim: 3, got 4/)],
  ['wrong dimension inside batchUpdate → 400', () => expectApiError(client.batchUpdate('data', { operations: [
    { upsert: { points: [{ id: 9, vector: [1] }] } }] }), 400)],
  ['wrong dimension through an alias → 400', () => expectApiError(client.upsert('d', { points: [{ id: 2, vector: [] }] }), 400)],
  ['NaN coordinate (sent as null by JSON) → 400', () => expectApiError(client.upsert('data', { points: [{ id: 1, vector: [NaN, 1, 2] }] }), 400)],
  ['payload that is not an object → 400', () => expectApiError(client.setPayload('data', { payload: [1, 2], points: [1] }), 400)],
  ['unknown key inside a filter → 400', () => expectApiError(client.delete('data', { wait: true, filter: { must_nt: [] } }), 400)],
  ['missing point on GET → 404', () => expectApiError(client.api().getPoint({ collection_name: 'data', id: 77 }), 404, /No point with id 77 found/)],
  ['limit 0 on query → 422', () => expectApiError(client.query('data', { query: [1, 2, 3], limit: 0 }), 422)],
  ['malformed JSON → 400', () => expectHttpError('PUT', '/collections/data/points?wait=true', '{"points": [', 400, /Format error in JSON body/)],
  ['points of the wrong type → 400', () => expectHttpError('PUT', '/collections/data/points?wait=true', { points: 'many' }, 400, /Format error in JSON body/)],
  ['bad wait parameter → 400', () => expectHttpError('PUT', '/collections/data/points?wait=maybe', { points: [{ id: 1, vector: [0, 0, 0] }] }, 400, /query parameters/)],
];

for (const [name, run] of cases) {
  test(`${name}, data unchanged`, async () => {
    const before = await state();
    await run();
    assert.deepEqual(await state(), before);
  });
}

test('the server is still up and serving after all bad requests', async () => {
  assert.equal((await server.http('GET', '/healthz')).status, 200);
  assert.deepEqual(await client.count('data'), { count: 3 });
});
