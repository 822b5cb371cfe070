// Service endpoints: version info through the client, health probes through plain HTTP (the client has no method).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { QdrantClient } from '@qdrant/js-client-rest';
import { GrapeServer } from '../lib/server.mjs';
import { expectApiError } from '../lib/reference.mjs';

let server, client;
before(async () => { server = await GrapeServer.start(); client = server.client(); });
after(async () => { await server?.stop(); });

test('versionInfo returns the bare VersionInfo object with a Qdrant version this client accepts', async () => {
  const info = await client.versionInfo();
  assert.equal(typeof info.title, 'string');
  assert.ok(info.title.length > 0);
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  // `GET /` is the one endpoint without the {result, status, time} envelope.
  assert.equal(info.result, undefined);
  assert.equal(info.status, undefined);
  // The client's own compatibility rule (client-version.js): same major, minor at most 1 apart from 1.19.
  const [major, minor] = info.version.split('.').map(Number);
  assert.equal(major, 1);
  assert.ok(Math.abs(minor - 19) <= 1, `version ${info.version} is outside the range client 1.19 accepts`);
});

test('a client with the compatibility check on does not warn', async () => {
  const warnings = [];
  const original = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    const checking = new QdrantClient({ url: server.url });
    await checking.getCollections();
    // The check is fire-and-forget inside the constructor; give its request time to finish.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    console.warn = original;
  }
  assert.deepEqual(warnings, []);
});

test('healthz and livez answer 200 "healthz check passed" as text', async () => {
  for (const path of ['/healthz', '/livez']) {
    const r = await server.http('GET', path);
    assert.equal(r.status, 200, path);
    assert.equal(r.body, 'healthz check passed', path);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/, path);
  }
});

test('readyz answers 200 "all shards are ready"', async () => {
  const r = await server.http('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.body, 'all shards are ready');
});

test('an unknown route answers 404', async () => {
  const r = await server.http('GET', '/no/such/route');
  assert.equal(r.status, 404);
});

test('getCollections on a fresh server is empty and carries the envelope', async () => {
  const r = await server.http('GET', '/collections');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.result, { collections: [] });
  assert.equal(r.body.status, 'ok');
  assert.equal(typeof r.body.time, 'number');
  assert.deepEqual(await client.getCollections(), { collections: [] });
});

test('a missing collection answers 404 with status.error through the client', async () => {
  await expectApiError(client.getCollection('nope'), 404, /Collection `nope` doesn't exist/);
});
