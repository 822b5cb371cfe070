#!/usr/bin/env bash
# The scale check: a seeded synthetic clustered cosine set of 1,000,000 × 128 (shared/bench/ann/datasets.py, seed 42,
# 1,000 queries with exact ground truth: brute force for 1M × 1,000 takes ~2 minutes, so not the usual 10,000) built
# through the embedded API (Grape.Bench ann: upserts with wait=true, then indexing on, M=16, ef_construct=100, 2 build
# threads), closed, reopened (reopen_s = open until the first search answers) and queried over an ef sweep; one JSON
# line per measurement in FILE (default scale-1m.jsonl) plus the headline table. Peak RSS of the whole process comes from
# /usr/bin/time -v when it is installed. Needs ~3 GB of disk under the storage folder and ~20 minutes on 2 cores.
#
#   bash bench/scale-1m.sh [--out FILE.jsonl] [--storage DIR] [--efc N]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=scale-1m.jsonl; STORAGE="${TMPDIR:-/tmp}/grape-scale-1m"; EFC=100
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift ;;
    --storage) STORAGE="$2"; shift ;;
    --efc) EFC="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
DATA="${GRAPE_BENCH_DATA:-$HOME/.cache/grape-bench}"
PEERS="${GRAPE_ANN_PEERS:-../shared/bench/ann}"; [ -d "$PEERS" ] || PEERS=/work/shared/bench/ann
NAME=random-clustered-1000k-128-cosine

# Ground truth in chunks of 100 queries (0.8 GB of float64 scores each) rather than datasets.py's 500 (4 GB).
/usr/bin/python3 - "$PEERS" "$DATA" "$NAME" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import datasets
exact = datasets.exact_knn
datasets.exact_knn = lambda base, queries, k, metric: exact(base, queries, k, metric, chunk=100)
datasets.generate(sys.argv[3], sys.argv[2], 42, nq_synth=1000)
PY

rm -rf "$STORAGE"
TIME=(); [ -x /usr/bin/time ] && TIME=(/usr/bin/time -v)
"${TIME[@]}" dotnet run -c Release --project bench/Grape.Bench -- ann --data "$DATA/$NAME" --m 16 --ef-construct "$EFC" \
  --ef 16,24,32,48,64,96,128 --build-threads 2 --reopen --serial-queries 1000 --storage "$STORAGE" --out "$OUT"
/usr/bin/python3 bench/ann-report.py "$OUT"
du -sh "$STORAGE"
