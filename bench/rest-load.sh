#!/usr/bin/env bash
# The server under load beside the embedded engine, on the same data in the same run:
#   REST: 100,000 × 128 points upserted over HTTP, then searches from wrk (a second process) with 16 connections;
#   gRPC: searches with 16 concurrent streams on one HTTP/2 connection (h2load, and the .NET client for
#         latency percentiles), compared with wrk on the same query; and the streaming ingest of
#         1,000,000 × 128 points through grape.Ingest;
#   embedded: the same upserts and searches in-process.
# Usage: bash bench/rest-load.sh [--quick] [--points N] [--duration S] [--warmup S] [--concurrency C] [--ingest-points N] [--skip-grpc] [--upsert-only]
# The last lines are JSON: {"bench":"rest-load","metric":NAME,"value":NUMBER,...}; the human table goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Native load generators: wrk (REST) and h2load from nghttp2-client (gRPC), both from Debian.
if ! command -v wrk >/dev/null || ! command -v h2load >/dev/null; then
  echo "[rest-load] installing Debian's wrk and nghttp2-client" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk nghttp2-client >/dev/null
fi

dotnet build "$root/src/Grape.Server" -c Release -nologo -clp:ErrorsOnly >&2
dotnet build "$root/bench/Grape.Bench" -c Release -nologo -clp:ErrorsOnly >&2
exec dotnet "$root/bench/Grape.Bench/bin/Release/net10.0/Grape.Bench.dll" load \
  --server-dll "$root/src/Grape.Server/bin/Release/net10.0/Grape.Server.dll" "$@"
