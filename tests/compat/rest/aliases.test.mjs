// Aliases group: create, rename, delete through updateCollectionAliases; getAliases and getCollectionAliases;
// an alias works wherever a collection name does. Error answers follow Qdrant's source (toc/collection_meta_ops.rs,
// alias_mapping.rs): missing collection 404, alias named like a collection 409, renaming a missing alias 404,
// deleting a missing alias is a success.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GrapeServer } from '../lib/server.mjs';
import { expectApiError } from '../lib/reference.mjs';

let server, client;
before(async () => {
  server = await GrapeServer.start();
  client = server.client();
  await client.createCollection('books', { vectors: { size: 2, distance: 'Dot' } });
  await client.createCollection('films', { vectors: { size: 2, distance: 'Dot' } });
  await client.upsert('books', { points: [{ id: 1, vector: [1, 0], payload: { t: 'b' } }] });
});
after(async () => { await server?.stop(); });

const sortAliases = (list) => [...list].sort((a, b) => a.alias_name.localeCompare(b.alias_name));
const all = async () => sortAliases((await client.getAliases()).aliases);

test('no aliases at first', async () => {
  assert.deepEqual(await client.getAliases(), { aliases: [] });
  assert.deepEqual(await client.getCollectionAliases('books'), { aliases: [] });
});

test('create_alias, then both listings show it', async () => {
  const ok = await client.updateCollectionAliases({ actions: [
    { create_alias: { collection_name: 'books', alias_name: 'library' } },
    { create_alias: { collection_name: 'films', alias_name: 'cinema' } },
  ] });
  assert.equal(ok, true);
  assert.deepEqual(await all(), [
    { alias_name: 'cinema', collection_name: 'films' },
    { alias_name: 'library', collection_name: 'books' },
  ]);
  assert.deepEqual((await client.getCollectionAliases('books')).aliases, [{ alias_name: 'library', collection_name: 'books' }]);
  assert.deepEqual((await client.getCollectionAliases('films')).aliases, [{ alias_name: 'cinema', collection_name: 'films' }]);
});

test('an alias resolves for reads and writes', async () => {
  assert.equal((await client.getCollection('library')).points_count, 1);
  await client.upsert('library', { points: [{ id: 2, vector: [0, 1], payload: { t: 'via alias' } }] });
  const got = await client.retrieve('books', { ids: [2] });
  assert.deepEqual(got, [{ id: 2, payload: { t: 'via alias' } }]);
  assert.deepEqual(await client.count('library'), { count: 2 });
  // The alias is not a collection of its own.
  assert.deepEqual((await client.getCollections()).collections.map((c) => c.name).sort(), ['books', 'films']);
});

test('rename_alias moves the alias to its new name', async () => {
  assert.equal(await client.updateCollectionAliases({ actions: [
    { rename_alias: { old_alias_name: 'library', new_alias_name: 'shelf' } },
  ] }), true);
  assert.deepEqual(await all(), [
    { alias_name: 'cinema', collection_name: 'films' },
    { alias_name: 'shelf', collection_name: 'books' },
  ]);
  await expectApiError(client.getCollection('library'), 404);
  assert.equal((await client.getCollection('shelf')).points_count, 2);
});

test('delete_alias removes it; the collection stays', async () => {
  assert.equal(await client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: 'cinema' } }] }), true);
  assert.deepEqual(await all(), [{ alias_name: 'shelf', collection_name: 'books' }]);
  assert.deepEqual(await client.getCollectionAliases('films'), { aliases: [] });
  assert.deepEqual(await client.collectionExists('films'), { exists: true });
});

test('deleting an alias that does not exist is a success (Qdrant ignores it)', async () => {
  assert.equal(await client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: 'never' } }] }), true);
  assert.deepEqual(await all(), [{ alias_name: 'shelf', collection_name: 'books' }]);
});

test('an alias to a missing collection answers 404, aliases unchanged', async () => {
  await expectApiError(client.updateCollectionAliases({ actions: [
    { create_alias: { collection_name: 'nothing', alias_name: 'ghost' } },
  ] }), 404, /Collection `nothing` doesn't exist/);
  assert.deepEqual(await all(), [{ alias_name: 'shelf', collection_name: 'books' }]);
});

test('an alias named like an existing collection answers 409, aliases unchanged', async () => {
  await expectApiError(client.updateCollectionAliases({ actions: [
    { create_alias: { collection_name: 'books', alias_name: 'films' } },
  ] }), 409, /already exists/);
  assert.deepEqual(await all(), [{ alias_name: 'shelf', collection_name: 'books' }]);
});

test('renaming a missing alias answers 404, aliases unchanged', async () => {
  await expectApiError(client.updateCollectionAliases({ actions: [
    { rename_alias: { old_alias_name: 'nope', new_alias_name: 'nope2' } },
  ] }), 404);
  assert.deepEqual(await all(), [{ alias_name: 'shelf', collection_name: 'books' }]);
});

test('getCollectionAliases of a missing collection is an empty list (Qdrant does not check existence)', async () => {
  assert.deepEqual(await client.getCollectionAliases('nothing'), { aliases: [] });
});

test('deleting a collection removes its aliases', async () => {
  assert.equal(await client.deleteCollection('books'), true);
  assert.deepEqual(await client.getAliases(), { aliases: [] });
  await expectApiError(client.getCollection('shelf'), 404);
});
