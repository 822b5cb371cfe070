// Reference computations the tests compare the server against: a seeded generator, Qdrant's four distances in
// float64 over float32-rounded inputs, a brute-force top-k with Qdrant's threshold/offset rules, Qdrant's point-id
// order, and helpers for asserting errors returned through the client.
import assert from 'node:assert/strict';

/** mulberry32: small, seeded, reproducible across runs, so failures can be replayed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A vector of float32-representable values in [-1, 1), so the server stores exactly what we compute with. */
export function randomVector(next, dim) {
  const v = new Array(dim);
  for (let i = 0; i < dim; i++) v[i] = Math.fround(next() * 2 - 1);
  return v;
}

/** A version-4 UUID string (lowercase, hyphenated) drawn from the seeded generator. */
export function seededUuid(next) {
  const hex = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(next() * 4)];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function normalize(v) {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return n === 0 ? v.slice() : v.map((x) => x / n);
}

/** Qdrant's score for each distance: similarity for Cosine/Dot (higher is better), distance for Euclid/Manhattan. */
export function score(distance, query, stored) {
  let s = 0;
  switch (distance) {
    case 'Cosine': {
      const a = normalize(query), b = normalize(stored);
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      return s;
    }
    case 'Dot':
      for (let i = 0; i < query.length; i++) s += query[i] * stored[i];
      return s;
    case 'Euclid':
      for (let i = 0; i < query.length; i++) s += (query[i] - stored[i]) ** 2;
      return Math.sqrt(s);
    case 'Manhattan':
      for (let i = 0; i < query.length; i++) s += Math.abs(query[i] - stored[i]);
      return s;
    default:
      throw new Error(`unknown distance ${distance}`);
  }
}

export const higherIsBetter = (distance) => distance === 'Cosine' || distance === 'Dot';

/**
 * Brute-force nearest points. `points` = [{id, vector, payload}]; `accept(point)` is the filter.
 * `threshold` follows Qdrant: a minimum score for similarities, a maximum distance for Euclid/Manhattan.
 */
export function bruteForce(distance, points, query, { limit = 10, offset = 0, accept = () => true, threshold } = {}) {
  const hib = higherIsBetter(distance);
  const scored = [];
  for (const p of points) {
    if (!accept(p)) continue;
    const s = score(distance, query, p.vector);
    if (threshold !== undefined && (hib ? s < threshold : s > threshold)) continue;
    scored.push({ id: p.id, score: s, payload: p.payload });
  }
  scored.sort((a, b) => (hib ? b.score - a.score : a.score - b.score));
  return scored.slice(offset, offset + limit);
}

/** Asserts a server answer (ScoredPoint list) has the reference's ids in order and scores within `eps`. */
export function assertScored(actual, expected, eps = 1e-4, what = '') {
  assert.ok(Array.isArray(actual), `${what}: result is not a list: ${JSON.stringify(actual)}`);
  assert.deepEqual(actual.map((p) => p.id), expected.map((p) => p.id), `${what}: ids differ`);
  for (let i = 0; i < expected.length; i++) {
    assert.equal(typeof actual[i].score, 'number', `${what}: score of ${actual[i].id} is not a number`);
    assert.ok(Math.abs(actual[i].score - expected[i].score) <= eps,
      `${what}: score of ${expected[i].id}: got ${actual[i].score}, expected ${expected[i].score}`);
  }
}

export function assertVectorClose(actual, expected, eps = 1e-5, what = 'vector') {
  assert.ok(Array.isArray(actual), `${what}: not a list: ${JSON.stringify(actual)}`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= eps, `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Qdrant's id order: every integer id before every UUID; integers numerically, UUIDs by their 128-bit value. */
export function compareIds(a, b) {
  const na = typeof a === 'number', nb = typeof b === 'number';
  if (na && nb) return a - b;
  if (na) return -1;
  if (nb) return 1;
  const ha = a.replaceAll('-', '').toLowerCase(), hb = b.replaceAll('-', '').toLowerCase();
  return ha < hb ? -1 : ha > hb ? 1 : 0;
}

/**
 * Awaits a client call that must fail with `status`, and checks the body carries Qdrant's `status.error` message.
 * Returns the message so a test can check its content.
 */
export async function expectApiError(promise, status, messagePattern) {
  let err;
  try {
    const value = await promise;
    assert.fail(`expected HTTP ${status}, got success: ${JSON.stringify(value)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assert.equal(err.status, status, `expected HTTP ${status}, got ${err.status}: ${err.message} ${JSON.stringify(err.data)}`);
  const message = err.data?.status?.error;
  assert.equal(typeof message, 'string', `error body lacks status.error: ${JSON.stringify(err.data)}`);
  assert.ok(message.length > 0, 'status.error is empty');
  if (messagePattern) assert.match(message, messagePattern);
  return message;
}
