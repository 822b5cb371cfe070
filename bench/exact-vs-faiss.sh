#!/usr/bin/env bash
# Exact (flat) search, single-threaded, one query per call: Grape against faiss IndexFlatL2 on the same TEXMEX files and
# the same first N queries, in one go. Prints JSON lines:
#   {"bench":"storage","metric":"exact_search_qps"|"exact_recall_at_10",...}            (Grape, via Grape.Bench)
#   {"bench":"storage","metric":"faiss_flat_serial_qps"|"faiss_flat_recall_at_10",...}  (faiss, Debian's python3-faiss)
#
#   bash bench/exact-vs-faiss.sh [DATA_DIR] [QUERIES]
#
# DATA_DIR defaults to fashion-mnist prepared by ../shared/bench/ann/prepare.sh
# (${GRAPE_BENCH_DATA:-$HOME/.cache/grape-bench}/fashion-mnist-784-euclidean); QUERIES defaults to 200 (faiss flat serial runs at ~20 queries/s here).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-${GRAPE_BENCH_DATA:-$HOME/.cache/grape-bench}/fashion-mnist-784-euclidean}"
QUERIES="${2:-200}"
for f in base.fvecs query.fvecs groundtruth.ivecs; do
  [ -f "$DATA/$f" ] || { echo "missing $DATA/$f: run bash /work/shared/bench/ann/prepare.sh first" >&2; exit 1; }
done

dotnet run -c Release --project bench/Grape.Bench -- storage --data "$DATA" --queries "$QUERIES" --search-seconds 600

# faiss: Debian's interpreter (apt's numpy and faiss are not visible to pyenv's python3). One OpenMP thread, and one
# query per search() call, the way a server answers a single request.
OMP_NUM_THREADS=1 /usr/bin/python3 - "$DATA" "$QUERIES" <<'PY'
import json, os, sys, time
import numpy as np
import faiss

def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    d = int(raw[0])
    return raw.reshape(-1, d + 1)[:, 1:].copy().view(dtype)

data, n_queries = sys.argv[1], int(sys.argv[2])
base = np.ascontiguousarray(read_vecs(os.path.join(data, "base.fvecs"), np.float32))
queries = np.ascontiguousarray(read_vecs(os.path.join(data, "query.fvecs"), np.float32)[:n_queries])
truth = read_vecs(os.path.join(data, "groundtruth.ivecs"), np.int32)[:n_queries, :10]
faiss.omp_set_num_threads(1)
index = faiss.IndexFlatL2(base.shape[1])
index.add(base)
for i in range(min(5, len(queries))):  # warm-up, untimed
    index.search(queries[i:i + 1], 10)
hits = 0
start = time.perf_counter()
for i in range(len(queries)):
    _, ids = index.search(queries[i:i + 1], 10)
    hits += len(set(ids[0].tolist()) & set(truth[i].tolist()))
elapsed = time.perf_counter() - start
common = {"dataset": os.path.basename(os.path.normpath(data)), "dim": int(base.shape[1]), "points": int(base.shape[0]),
          "limit": 10, "threads": 1, "queries": len(queries), "engine": "faiss " + faiss.__version__}
print(json.dumps({"bench": "storage", "metric": "faiss_flat_serial_qps", "value": round(len(queries) / elapsed, 1), "unit": "queries/s", **common}))
print(json.dumps({"bench": "storage", "metric": "faiss_flat_recall_at_10", "value": hits / (10 * len(queries)), "unit": "ratio", **common}))
PY
