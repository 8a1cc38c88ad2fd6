#!/usr/bin/env bash
# The test suite N times in a row (default 5) with the CPU loaded by stress-ng (Debian's `stress-ng`; default 4
# CPU hogs): prints each run's exit code, wall time and load average. The suite must pass every time.
#   bash bench/suite-under-load.sh [runs] [hogs]
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
hogs="${2:-4}"
command -v stress-ng >/dev/null || { echo "needs stress-ng (apt-get install stress-ng)"; exit 2; }
stress-ng --cpu "$hogs" --timeout 3600s >/dev/null 2>&1 &
hog=$!
trap 'kill $hog 2>/dev/null' EXIT
sleep 5 # let the load average rise
failed=0
for i in $(seq 1 "$runs"); do
  start_load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s)
  out=$(npx vitest run 2>&1)
  rc=$?
  tests=$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^ +Tests ' | tr -s ' ')
  echo "run $i: exit $rc, $(($(date +%s) - t0)) s, load $start_load → $(cut -d' ' -f1 /proc/loadavg),$tests"
  [ "$rc" -eq 0 ] || failed=$((failed + 1))
done
echo "$failed of $runs runs failed"
[ "$failed" -eq 0 ]
