#!/usr/bin/env bash
# The measurement behind the payload storage choice: Grape's segment vs LightningDB vs RocksDB, one run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v apt-get >/dev/null && ! ldconfig -p | grep -q liblmdb.so.0 && { apt-get update -qq && apt-get install -y -qq liblmdb0; }
dotnet run -c Release --project bench/Grape.Bench -- payload-store --points "${1:-1000000}" --reads "${2:-1000000}"
