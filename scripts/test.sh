#!/usr/bin/env bash
# Runs the whole test suite: every .NET test project, then the Node.js compatibility suite (real Qdrant clients).
# Prints the total as its last line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0; failed=0; skipped=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

echo "== build (Release)"
if ! dotnet build Grape.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  dll="$(dirname "$proj")/bin/Release/net10.0/$name.dll"
  echo "== $name"
  # xunit v3 in-process runner; the XML report gives exact counts even if the process dies late.
  dotnet "$dll" -result-xml "$results/$name.xml" -parallelMode collections -noColor -noLogo
  rc=$?
  if [ -f "$results/$name.xml" ]; then
    read -r t f s e < <(python3 - "$results/$name.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
t = f = s = e = 0
for a in r.iter('assembly'):
    t += int(a.get('total', 0)); f += int(a.get('failed', 0)); s += int(a.get('skipped', 0)); e += int(a.get('errors', 0))
print(t, f, s, e)
PY
)
    add $((t - f - s)) $((f + e)) "$s"
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$e" -eq 0 ] && add 0 1 0   # crashed after reporting
  else
    echo "$name produced no report (exit $rc)"; add 0 1 0
  fi
done

if [ -f tests/compat/package.json ]; then
  echo "== compat (Node.js, real Qdrant clients)"
  if bash tests/compat/run.sh > "$results/compat.log" 2>&1; then :; fi
  cat "$results/compat.log"
  # node --test prints "# pass N" / "# fail N" / "# skipped N".
  p=$(grep -E '^# pass ' "$results/compat.log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail ' "$results/compat.log" | tail -1 | awk '{print $3}')
  s=$(grep -E '^# skipped ' "$results/compat.log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ]; then echo "compat suite did not report"; add 0 1 0; else add "$p" "${f:-0}" "${s:-0}"; fi
fi

# Name every failure again just above the total, so a log cut to its tail still says what failed.
python3 - "$results" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.xml'))):
    for t in ET.parse(path).getroot().iter('test'):
        if t.get('result') == 'Fail':
            msg = (t.findtext('failure/message') or '').strip().splitlines()
            print('FAILED', t.get('name'), '::', msg[0][:300] if msg else '')
PY
grep -E '^not ok ' "$results/compat.log" 2>/dev/null | sed 's/^/FAILED compat: /'

if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
