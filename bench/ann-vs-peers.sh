#!/usr/bin/env bash
# Grape against hnswlib (native -O3 -march=native, and Debian's Python build), faiss HNSW and usearch on the same ANN
# datasets, same M / ef_construct / ef sweep, in one results file; then one headline table (bench/ann-report.py) and
# the peers' full tables (peers.py --report-only).
#
#   bash bench/ann-vs-peers.sh [--quick] [--dataset NAME]... [--rounds N] [--native-only] [--out FILE.jsonl] [--no-peers] [--no-grape]
#
# Full (default): fashion-mnist-784-euclidean and random-clustered-100k-128-cosine, all 10,000 queries, 2,000 serial,
#   ef 10,16,24,32,48,64,96,128,192,256 (about 20 minutes for the peers alone on 2 cores).
# --quick: random-clustered-20k-128-cosine, 2,000 queries, 500 serial, ef 16,32,64,128 (a few minutes).
# --rounds N (default 1): hnswlib-native and Grape are built and measured N times, in turn, per dataset (the other peers
#   once, in the first round); the report takes the median of each figure over the rounds and lists each round's ratios.
#   A serial run at one ef lasts well under a second, so on a shared 2-core machine a single round's ratio can turn on
#   one burst of someone else's load; both sides get the same number of rounds.
# --native-only: hnswlib-native is the only peer (the one the targets name), for quicker repeated checks.
# M=16, ef_construct=200, build on 1 and 2 threads everywhere (override with ANN_M, ANN_EFC, ANN_EFS, ANN_QUERIES,
# ANN_SERIAL). Datasets go to ${GRAPE_BENCH_DATA:-$HOME/.cache/grape-bench} (prepare.sh, idempotent); the peers'
# scripts are found in ${GRAPE_ANN_PEERS:-../shared/bench/ann} (falling back to /work/shared/bench/ann).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

QUICK=0; PEERS_ON=1; GRAPE_ON=1; OUT=""; DATASETS=(); ROUNDS=1; NATIVE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --dataset) DATASETS+=("$2"); shift ;;
    --out) OUT="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --native-only) NATIVE_ONLY=1 ;;
    --no-peers) PEERS_ON=0 ;;
    --no-grape) GRAPE_ON=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds takes a positive integer" >&2; exit 2; }

PEERS="${GRAPE_ANN_PEERS:-}"
if [ -z "$PEERS" ]; then
  for p in "$ROOT/../shared/bench/ann" /work/shared/bench/ann; do [ -f "$p/peers.py" ] && { PEERS="$(cd "$p" && pwd)"; break; }; done
fi
[ -n "$PEERS" ] && [ -f "$PEERS/peers.py" ] || { echo "peers' scripts not found; set GRAPE_ANN_PEERS to shared/bench/ann" >&2; exit 1; }
DATA="${GRAPE_BENCH_DATA:-$HOME/.cache/grape-bench}"
PY=/usr/bin/python3   # Debian's interpreter: apt's numpy / hnswlib / faiss

M="${ANN_M:-16}"; EFC="${ANN_EFC:-200}"
if [ "$QUICK" = 1 ]; then
  [ ${#DATASETS[@]} -gt 0 ] || DATASETS=(random-clustered-20k-128-cosine)
  EFS="${ANN_EFS:-16,32,64,128}"; QUERIES="${ANN_QUERIES:-2000}"; SERIAL="${ANN_SERIAL:-500}"
else
  [ ${#DATASETS[@]} -gt 0 ] || DATASETS=(fashion-mnist-784-euclidean random-clustered-100k-128-cosine)
  EFS="${ANN_EFS:-10,16,24,32,48,64,96,128,192,256}"; QUERIES="${ANN_QUERIES:-0}"; SERIAL="${ANN_SERIAL:-2000}"
fi
BUILD_THREADS="1,$(nproc)"
[ -n "$OUT" ] || OUT="${TMPDIR:-/tmp}/grape-ann-$(date +%Y%m%dT%H%M%S).jsonl"
mkdir -p "$(dirname "$OUT")"
echo "[ann-vs-peers] datasets: ${DATASETS[*]}; M=$M ef_construct=$EFC ef=$EFS queries=${QUERIES/#0/all} serial=$SERIAL; results -> $OUT" >&2

bash "$PEERS/prepare.sh" "${DATASETS[@]}" >&2

if [ "$GRAPE_ON" = 1 ]; then
  dotnet build bench/Grape.Bench -c Release -clp:ErrorsOnly -nologo -v:q >&2
  GRAPE_DLL="$ROOT/bench/Grape.Bench/bin/Release/net10.0/Grape.Bench.dll"
fi

for ds in "${DATASETS[@]}"; do
  dir="$DATA/$ds"
  for round in $(seq 1 "$ROUNDS"); do
    all_peers=0; [ "$round" = 1 ] && [ "$NATIVE_ONLY" = 0 ] && all_peers=1
    if [ "$PEERS_ON" = 1 ]; then
      configs="hnswlib-native-M$M-efc$EFC"
      [ "$all_peers" = 1 ] && configs="$configs,hnswlib-M$M-efc$EFC,faiss-hnsw-M$M-efc$EFC"
      echo "[ann-vs-peers] $ds round $round/$ROUNDS: peers ($configs)" >&2
      "$PY" "$PEERS/peers.py" "$dir" "$OUT" --configs "$configs" \
        --efs "$EFS" --queries "$QUERIES" --serial-queries "$SERIAL" --build-threads "$BUILD_THREADS" >/dev/null
      if [ "$all_peers" = 1 ] && command -v node >/dev/null; then
        echo "[ann-vs-peers] $ds: usearch" >&2
        node "$PEERS/peers-usearch.mjs" "$dir" "$OUT" --connectivity "$M" --expansion-add "$EFC" --efs "$EFS" \
          --queries "$QUERIES" --serial-queries "$SERIAL" >&2
      fi
    fi
    if [ "$GRAPE_ON" = 1 ]; then
      echo "[ann-vs-peers] $ds round $round/$ROUNDS: grape" >&2
      dotnet "$GRAPE_DLL" ann --data "$dir" --m "$M" --ef-construct "$EFC" --ef "$EFS" --queries "$QUERIES" \
        --serial-queries "$SERIAL" --build-threads "$BUILD_THREADS" --out "$OUT" >/dev/null
    fi
  done
done

echo "[ann-vs-peers] full tables: $PY $PEERS/peers.py --report-only $OUT" >&2
"$PY" "$PEERS/peers.py" --report-only "$OUT" >&2
"$PY" bench/ann-report.py "$OUT"
