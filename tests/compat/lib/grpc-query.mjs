// REST's Query API JSON (the bodies of /points/query, /query/groups and the legacy recommend/discover/search-groups
// routes) as the messages of @qdrant/js-client-grpc, so a test can send the same request through both protocols.
import { Direction, Fusion, RecommendStrategy, Sample } from '@qdrant/js-client-grpc';
import { pid, value, filter, withPayload, withVectors } from './grpc.mjs';

const dense = (data) => ({ data });

/** A REST VectorInput (list, point id) as gRPC VectorInput. */
export function vectorInput(v) {
  if (Array.isArray(v)) return { variant: { case: 'dense', value: dense(v) } };
  return { variant: { case: 'id', value: pid(v) } };
}

const STRATEGIES = { average_vector: RecommendStrategy.AverageVector, best_score: RecommendStrategy.BestScore, sum_scores: RecommendStrategy.SumScores };

function pairs(list) {
  const all = Array.isArray(list) ? list : [list];
  return { pairs: all.map((p) => ({ positive: vectorInput(p.positive), negative: vectorInput(p.negative) })) };
}

/** A REST formula expression as gRPC Expression. */
export function expression(e) {
  if (typeof e === 'number') return { variant: { case: 'constant', value: e } };
  if (typeof e === 'string') return { variant: { case: 'variable', value: e } };
  const unary = ['neg', 'abs', 'sqrt', 'exp', 'log10', 'ln'];
  for (const op of unary) if (op in e) return { variant: { case: op, value: expression(e[op]) } };
  if ('mult' in e) return { variant: { case: 'mult', value: { mult: e.mult.map(expression) } } };
  if ('sum' in e) return { variant: { case: 'sum', value: { sum: e.sum.map(expression) } } };
  if ('div' in e) {
    const d = { left: expression(e.div.left), right: expression(e.div.right) };
    if (e.div.by_zero_default !== undefined) d.byZeroDefault = e.div.by_zero_default;
    return { variant: { case: 'div', value: d } };
  }
  if ('pow' in e) return { variant: { case: 'pow', value: { base: expression(e.pow.base), exponent: expression(e.pow.exponent) } } };
  if ('geo_distance' in e) return { variant: { case: 'geoDistance', value: { origin: e.geo_distance.origin, to: e.geo_distance.to } } };
  if ('datetime' in e) return { variant: { case: 'datetime', value: e.datetime } };
  if ('datetime_key' in e) return { variant: { case: 'datetimeKey', value: e.datetime_key } };
  for (const [rest, grpc] of [['exp_decay', 'expDecay'], ['gauss_decay', 'gaussDecay'], ['lin_decay', 'linDecay']]) {
    if (rest in e) {
      const p = e[rest], d = { x: expression(p.x) };
      if (p.target !== undefined) d.target = expression(p.target);
      if (p.scale !== undefined) d.scale = p.scale;
      if (p.midpoint !== undefined) d.midpoint = p.midpoint;
      return { variant: { case: grpc, value: d } };
    }
  }
  // Anything else is a filter condition, worth 1 when it holds.
  return { variant: { case: 'condition', value: filter({ must: [e] }).must[0] } };
}

/** A REST query (the `query` field) as gRPC Query. */
export function query(q) {
  if (Array.isArray(q) || typeof q === 'number' || typeof q === 'string') return { variant: { case: 'nearest', value: vectorInput(q) } };
  if ('nearest' in q) {
    if (!q.mmr) return { variant: { case: 'nearest', value: vectorInput(q.nearest) } };
    const mmr = {};
    if (q.mmr.diversity !== undefined) mmr.diversity = q.mmr.diversity;
    if (q.mmr.candidates_limit !== undefined) mmr.candidatesLimit = q.mmr.candidates_limit;
    return { variant: { case: 'nearestWithMmr', value: { nearest: vectorInput(q.nearest), mmr } } };
  }
  if ('recommend' in q) {
    const r = q.recommend, out = { positive: (r.positive ?? []).map(vectorInput), negative: (r.negative ?? []).map(vectorInput) };
    if (r.strategy) out.strategy = STRATEGIES[r.strategy];
    return { variant: { case: 'recommend', value: out } };
  }
  if ('discover' in q) return { variant: { case: 'discover', value: { target: vectorInput(q.discover.target), context: pairs(q.discover.context) } } };
  if ('context' in q) return { variant: { case: 'context', value: pairs(q.context) } };
  if ('order_by' in q) {
    const o = typeof q.order_by === 'string' ? { key: q.order_by } : q.order_by, out = { key: o.key };
    if (o.direction) out.direction = o.direction === 'desc' ? Direction.Desc : Direction.Asc;
    if (o.start_from !== undefined) out.startFrom = { value: Number.isInteger(o.start_from) ? { case: 'integer', value: BigInt(o.start_from) } : { case: 'float', value: o.start_from } };
    return { variant: { case: 'orderBy', value: out } };
  }
  if ('fusion' in q) return { variant: { case: 'fusion', value: q.fusion === 'dbsf' ? Fusion.DBSF : Fusion.RRF } };
  if ('rrf' in q) {
    const out = { weights: q.rrf.weights ?? [] };
    if (q.rrf.k !== undefined) out.k = q.rrf.k;
    return { variant: { case: 'rrf', value: out } };
  }
  if ('sample' in q) return { variant: { case: 'sample', value: Sample.Random } };
  if ('formula' in q) {
    const defaults = {};
    for (const [k, v] of Object.entries(q.defaults ?? {})) defaults[k] = value(v);
    return { variant: { case: 'formula', value: { expression: expression(q.formula), defaults } } };
  }
  throw new Error(`query form not translated: ${JSON.stringify(q)}`);
}

export function params(p) {
  if (!p) return undefined;
  const out = {};
  if (p.hnsw_ef !== undefined) out.hnswEf = BigInt(p.hnsw_ef);
  if (p.exact !== undefined) out.exact = p.exact;
  if (p.indexed_only !== undefined) out.indexedOnly = p.indexed_only;
  return out;
}

export function lookupFrom(l) {
  if (!l) return undefined;
  const out = { collectionName: l.collection };
  if (l.vector !== undefined) out.vectorName = l.vector;
  return out;
}

/** The fields a query and a prefetch share. */
function common(b) {
  const out = { prefetch: [b.prefetch ?? []].flat().map(prefetch) };
  if (b.query !== undefined) out.query = query(b.query);
  if (b.using !== undefined) out.using = b.using;
  if (b.filter) out.filter = filter(b.filter);
  if (b.params) out.params = params(b.params);
  if (b.score_threshold !== undefined) out.scoreThreshold = b.score_threshold;
  if (b.lookup_from) out.lookupFrom = lookupFrom(b.lookup_from);
  return out;
}

/** A REST Prefetch as gRPC PrefetchQuery. */
export function prefetch(p) {
  const out = common(p);
  if (p.limit !== undefined) out.limit = BigInt(p.limit);
  return out;
}

/** A REST QueryRequest body as gRPC QueryPoints. */
export function queryPoints(collectionName, b) {
  const out = { collectionName, ...common(b) };
  if (b.limit !== undefined) out.limit = BigInt(b.limit);
  if (b.offset !== undefined) out.offset = BigInt(b.offset);
  if (b.with_payload !== undefined) out.withPayload = withPayload(b.with_payload);
  if (b.with_vector !== undefined) out.withVectors = withVectors(b.with_vector);
  return out;
}

function withLookup(w) {
  if (!w) return undefined;
  if (typeof w === 'string') return { collection: w };
  const out = { collection: w.collection };
  if (w.with_payload !== undefined) out.withPayload = withPayload(w.with_payload);
  if (w.with_vectors !== undefined) out.withVectors = withVectors(w.with_vectors);
  return out;
}

/** A REST QueryGroupsRequest body as gRPC QueryPointGroups. */
export function queryPointGroups(collectionName, b) {
  const out = { collectionName, ...common(b), groupBy: b.group_by };
  if (b.limit !== undefined) out.limit = BigInt(b.limit);
  if (b.group_size !== undefined) out.groupSize = BigInt(b.group_size);
  if (b.with_payload !== undefined) out.withPayload = withPayload(b.with_payload);
  if (b.with_vector !== undefined) out.withVectors = withVectors(b.with_vector);
  if (b.with_lookup) out.withLookup = withLookup(b.with_lookup);
  return out;
}

const legacyVector = (v) => ({ vector: { case: 'dense', value: dense(v) } });
const example = (e) => (Array.isArray(e) ? { example: { case: 'vector', value: legacyVector(e) } } : { example: { case: 'id', value: pid(e) } });

function legacyCommon(b) {
  const out = {};
  if (b.filter) out.filter = filter(b.filter);
  if (b.params) out.params = params(b.params);
  if (b.using !== undefined) out.using = b.using;
  if (b.lookup_from) out.lookupFrom = lookupFrom(b.lookup_from);
  if (b.with_payload !== undefined) out.withPayload = withPayload(b.with_payload);
  if (b.with_vector !== undefined) out.withVectors = withVectors(b.with_vector);
  return out;
}

function recommendFields(b) {
  const out = legacyCommon(b);
  const ids = (list) => (list ?? []).filter((x) => !Array.isArray(x)).map(pid);
  const vecs = (list) => (list ?? []).filter((x) => Array.isArray(x)).map(legacyVector);
  Object.assign(out, { positive: ids(b.positive), negative: ids(b.negative), positiveVectors: vecs(b.positive), negativeVectors: vecs(b.negative) });
  if (b.strategy) out.strategy = STRATEGIES[b.strategy];
  if (b.score_threshold !== undefined) out.scoreThreshold = b.score_threshold;
  return out;
}

/** REST's legacy RecommendRequest as gRPC RecommendPoints (ids and vectors split into their own fields). */
export function recommendPoints(collectionName, b) {
  const out = { collectionName, ...recommendFields(b), limit: BigInt(b.limit ?? 0) };
  if (b.offset !== undefined) out.offset = BigInt(b.offset);
  return out;
}

/** REST's legacy RecommendGroupsRequest as gRPC RecommendPointGroups. */
export function recommendPointGroups(collectionName, b) {
  return { collectionName, ...recommendFields(b), groupBy: b.group_by ?? '', groupSize: b.group_size ?? 0, limit: b.limit ?? 0, withLookup: withLookup(b.with_lookup) };
}

/** REST's legacy DiscoverRequest as gRPC DiscoverPoints. */
export function discoverPoints(collectionName, b) {
  const out = { collectionName, ...legacyCommon(b), limit: BigInt(b.limit ?? 0) };
  if (b.target !== undefined) out.target = { target: { case: 'single', value: example(b.target) } };
  out.context = (b.context ?? []).map((p) => ({ positive: example(p.positive), negative: example(p.negative) }));
  if (b.offset !== undefined) out.offset = BigInt(b.offset);
  return out;
}

/** REST's legacy SearchGroupsRequest ({vector: list or {name, vector}}) as gRPC SearchPointGroups. */
export function searchPointGroups(collectionName, b) {
  const named = !Array.isArray(b.vector);
  const out = { collectionName, ...legacyCommon(b), vector: named ? b.vector.vector : b.vector, groupBy: b.group_by ?? '', groupSize: b.group_size ?? 0, limit: b.limit ?? 0 };
  delete out.using;
  delete out.lookupFrom;
  if (named) out.vectorName = b.vector.name;
  if (b.score_threshold !== undefined) out.scoreThreshold = b.score_threshold;
  if (b.with_lookup) out.withLookup = withLookup(b.with_lookup);
  return out;
}
