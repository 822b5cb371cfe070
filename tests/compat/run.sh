#!/usr/bin/env bash
# Runs the compatibility suite: Qdrant's official JavaScript clients (REST and gRPC) against a built Grape server.
# Installs the pinned clients (npm ci: js-client-rest and js-client-grpc), builds the server if it is not built yet,
# then runs every rest/*.test.mjs and grpc/*.test.mjs one file at a time in one node --test run, so its single TAP
# summary ("# pass N" / "# fail N" / "# skipped N", read by scripts/test.sh) counts both protocols.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cd "$here"
npm ci --no-audit --no-fund --loglevel=error >/dev/null

dll="$root/src/Grape.Server/bin/Release/net10.0/Grape.Server.dll"
if [ ! -f "$dll" ]; then
  echo "# building Grape.Server (Release)"
  dotnet build "$root/src/Grape.Server" -c Release -nologo -clp:ErrorsOnly >&2
fi
export GRAPE_SERVER_DLL="$dll"

exec node --test --test-reporter=tap --test-concurrency=1 --test-force-exit rest/*.test.mjs grpc/*.test.mjs
