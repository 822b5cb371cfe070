// Glue between the tests' plain JSON (the REST shapes) and the gRPC messages of @qdrant/js-client-grpc: builds
// gRPC requests from the same ids, vectors, payloads and filters the REST calls use, turns gRPC answers back into
// REST's JSON shapes so the two protocols' answers can be compared with deepEqual, and asserts gRPC status codes.
import assert from 'node:assert/strict';
import { ConnectError, ConnectErrorCode, Distance, UpdateStatus } from '@qdrant/js-client-grpc';

export { ConnectErrorCode as Code, Distance, UpdateStatus };

// ---- JSON → gRPC -------------------------------------------------------------------------------------------------

/** A point id: a JS number becomes `num` (uint64), a string `uuid`. */
export function pid(id) {
  return typeof id === 'number'
    ? { pointIdOptions: { case: 'num', value: BigInt(id) } }
    : { pointIdOptions: { case: 'uuid', value: id } };
}

/** A JSON value as qdrant.Value: whole numbers as integer_value (REST's JSON integers), others as double_value. */
export function value(v) {
  if (v === null) return { kind: { case: 'nullValue', value: 0 } };
  if (typeof v === 'boolean') return { kind: { case: 'boolValue', value: v } };
  if (typeof v === 'string') return { kind: { case: 'stringValue', value: v } };
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { kind: { case: 'integerValue', value: BigInt(v) } } : { kind: { case: 'doubleValue', value: v } };
  }
  if (Array.isArray(v)) return { kind: { case: 'listValue', value: { values: v.map(value) } } };
  return { kind: { case: 'structValue', value: { fields: payload(v) } } };
}

/** A JSON object as a payload map (map<string, Value>). */
export function payload(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj ?? {})) out[k] = value(v);
  return out;
}

/** A vector value: a list of numbers is dense, a list of lists a multivector (multi_dense). */
const dense = (data) => (Array.isArray(data[0])
  ? { vector: { case: 'multiDense', value: { vectors: data.map((row) => ({ data: row })) } } }
  : { vector: { case: 'dense', value: { data } } });

/** REST's vector forms: a list (the unnamed vector) or {name: list}. */
export function vectors(v) {
  if (Array.isArray(v)) return { vectorsOptions: { case: 'vector', value: dense(v) } };
  const named = {};
  for (const [k, list] of Object.entries(v)) named[k] = dense(list);
  return { vectorsOptions: { case: 'vectors', value: { vectors: named } } };
}

/** A REST point {id, vector, payload} as a gRPC PointStruct. */
export function point(p) {
  return { id: pid(p.id), vectors: vectors(p.vector), payload: payload(p.payload) };
}

function match(m) {
  if ('value' in m) {
    const v = m.value;
    if (typeof v === 'string') return { matchValue: { case: 'keyword', value: v } };
    if (typeof v === 'boolean') return { matchValue: { case: 'boolean', value: v } };
    return { matchValue: { case: 'integer', value: BigInt(v) } };
  }
  if ('any' in m) {
    return typeof m.any[0] === 'string'
      ? { matchValue: { case: 'keywords', value: { strings: m.any } } }
      : { matchValue: { case: 'integers', value: { integers: m.any.map(BigInt) } } };
  }
  if ('except' in m) {
    return typeof m.except[0] === 'string'
      ? { matchValue: { case: 'exceptKeywords', value: { strings: m.except } } }
      : { matchValue: { case: 'exceptIntegers', value: { integers: m.except.map(BigInt) } } };
  }
  throw new Error(`match form not translated: ${JSON.stringify(m)}`);
}

function condition(c) {
  if ('has_id' in c) return { conditionOneOf: { case: 'hasId', value: { hasId: c.has_id.map(pid) } } };
  if ('is_empty' in c) return { conditionOneOf: { case: 'isEmpty', value: { key: c.is_empty.key } } };
  if ('is_null' in c) return { conditionOneOf: { case: 'isNull', value: { key: c.is_null.key } } };
  if ('must' in c || 'should' in c || 'must_not' in c) return { conditionOneOf: { case: 'filter', value: filter(c) } };
  const field = { key: c.key };
  if (c.match) field.match = match(c.match);
  if (c.range) field.range = { ...c.range };
  if (c.values_count) field.valuesCount = Object.fromEntries(Object.entries(c.values_count).map(([k, v]) => [k, BigInt(v)]));
  return { conditionOneOf: { case: 'field', value: field } };
}

/** REST's filter JSON (the forms the tests use: match value/any/except, range, values_count, has_id, is_empty, is_null, nested clauses) as a gRPC Filter. */
export function filter(f) {
  if (!f) return undefined;
  return {
    must: (f.must ?? []).map(condition),
    should: (f.should ?? []).map(condition),
    mustNot: (f.must_not ?? []).map(condition),
  };
}

/** A points selector from REST's forms: a list of ids or {filter}. */
export function selector(s) {
  return Array.isArray(s)
    ? { pointsSelectorOneOf: { case: 'points', value: { ids: s.map(pid) } } }
    : { pointsSelectorOneOf: { case: 'filter', value: filter(s.filter) } };
}

/** with_payload / with_vector as REST takes them: true/false, or a list of names (include). */
export function withPayload(w) {
  if (Array.isArray(w)) return { selectorOptions: { case: 'include', value: { fields: w } } };
  if (w && typeof w === 'object' && w.exclude) return { selectorOptions: { case: 'exclude', value: { fields: w.exclude } } };
  return { selectorOptions: { case: 'enable', value: Boolean(w) } };
}

export function withVectors(w) {
  if (Array.isArray(w)) return { selectorOptions: { case: 'include', value: { names: w } } };
  return { selectorOptions: { case: 'enable', value: Boolean(w) } };
}

/** A nearest-vector query (QueryPoints.query): a list is a dense vector, a JS number/uuid string a point id. */
export function nearest(q) {
  return Array.isArray(q)
    ? { variant: { case: 'nearest', value: { variant: { case: 'dense', value: { data: q } } } } }
    : { variant: { case: 'nearest', value: { variant: { case: 'id', value: pid(q) } } } };
}

// ---- gRPC → JSON -------------------------------------------------------------------------------------------------

export function fromPid(id) {
  assert.ok(id?.pointIdOptions?.case, `point id missing: ${show(id)}`);
  return id.pointIdOptions.case === 'num' ? Number(id.pointIdOptions.value) : id.pointIdOptions.value;
}

export function fromValue(v) {
  switch (v.kind.case) {
    case 'nullValue': return null;
    case 'boolValue':
    case 'stringValue':
    case 'doubleValue': return v.kind.value;
    case 'integerValue': return Number(v.kind.value);
    case 'listValue': return v.kind.value.values.map(fromValue);
    case 'structValue': return fromPayload(v.kind.value.fields);
    default: throw new Error(`Value without kind: ${show(v)}`);
  }
}

export function fromPayload(map) {
  const out = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = fromValue(v);
  return out;
}

function fromVectorOutput(v) {
  // Qdrant 1.19 fills only the `vector` oneof; the deprecated flat `data` stays empty.
  assert.equal(v.data.length, 0, 'deprecated VectorOutput.data must stay empty');
  if (v.vector.case === 'multiDense') return v.vector.value.vectors.map((d) => d.data);
  assert.equal(v.vector.case, 'dense', `not a dense vector: ${show(v)}`);
  return v.vector.value.data;
}

/** VectorsOutput → REST's `vector` field (list or {name: list}). */
export function fromVectors(vo) {
  if (!vo) return undefined;
  if (vo.vectorsOptions.case === 'vector') return fromVectorOutput(vo.vectorsOptions.value);
  if (vo.vectorsOptions.case === 'vectors') {
    const out = {};
    for (const [k, v] of Object.entries(vo.vectorsOptions.value.vectors)) out[k] = fromVectorOutput(v);
    return out;
  }
  throw new Error(`VectorsOutput without a case: ${show(vo)}`);
}

/** RetrievedPoint → REST's Record JSON {id, payload?, vector?} (payload only when asked for, as REST omits it). */
export function fromRecord(r, { withPayload = true } = {}) {
  const out = { id: fromPid(r.id) };
  if (withPayload) out.payload = fromPayload(r.payload);
  if (r.vectors) out.vector = fromVectors(r.vectors);
  return out;
}

export function fromScored(p, { withPayload = false } = {}) {
  const out = { id: fromPid(p.id), score: p.score, version: Number(p.version) };
  if (withPayload) out.payload = fromPayload(p.payload);
  if (p.vectors) out.vector = fromVectors(p.vectors);
  return out;
}

// ---- comparisons -------------------------------------------------------------------------------------------------

/** Vectors are float32 on both wires; after rounding both sides to float32 they must be bit-identical. */
export function f32(v) {
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? f32(x) : Math.fround(x)));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f32(x)]));
  return v;
}

/** REST's Record JSON, normalized to what fromRecord produces (payload {} when asked for and absent). */
export function restRecord(r, { withPayload = true } = {}) {
  const out = { id: r.id };
  if (withPayload) out.payload = r.payload ?? {};
  if (r.vector !== undefined && r.vector !== null) out.vector = r.vector;
  return out;
}

/** Records from both protocols: same ids in the same order, equal payloads, float32-equal vectors. */
export function assertSameRecords(grpc, rest, what) {
  assert.deepEqual(grpc.map((r) => r.id), rest.map((r) => r.id), `${what}: ids differ`);
  for (let i = 0; i < rest.length; i++) {
    assert.deepEqual(grpc[i].payload, rest[i].payload, `${what}: payload of ${rest[i].id}`);
    assert.deepEqual(f32(grpc[i].vector), f32(rest[i].vector), `${what}: vector of ${rest[i].id}`);
  }
}

/** Scored points from both protocols: same ids in order, scores within eps, and same payload/vector/version. */
export function assertSameScored(grpc, rest, what, eps = 1e-4) {
  assert.deepEqual(grpc.map((p) => p.id), rest.map((p) => p.id), `${what}: ids differ`);
  for (let i = 0; i < rest.length; i++) {
    assert.ok(Math.abs(grpc[i].score - rest[i].score) <= eps, `${what}: score of ${rest[i].id}: gRPC ${grpc[i].score}, REST ${rest[i].score}`);
    assert.equal(grpc[i].version, rest[i].version, `${what}: version of ${rest[i].id}`);
    if (rest[i].payload !== undefined || grpc[i].payload !== undefined) {
      assert.deepEqual(grpc[i].payload, rest[i].payload ?? {}, `${what}: payload of ${rest[i].id}`);
    }
    assert.deepEqual(f32(grpc[i].vector), f32(rest[i].vector ?? undefined), `${what}: vector of ${rest[i].id}`);
  }
}

/** Awaits a gRPC call that must fail with `code` (a ConnectErrorCode); returns the error's raw message. */
export async function expectGrpcError(promise, code, messagePattern) {
  let err;
  try {
    const v = await promise;
    assert.fail(`expected gRPC ${ConnectErrorCode[code]}, got success: ${show(v)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assert.ok(err instanceof ConnectError, `not a ConnectError: ${err}`);
  assert.equal(err.code, code, `expected ${ConnectErrorCode[code]}, got ${ConnectErrorCode[err.code]}: ${err.rawMessage}`);
  assert.ok(err.rawMessage.length > 0, 'status message is empty');
  if (messagePattern) assert.match(err.rawMessage, messagePattern);
  return err.rawMessage;
}

/** JSON.stringify that survives bigints (for failure messages). */
export function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
}
