#!/usr/bin/env bash
# Runs the whole test suite on the real servers (PostgreSQL, RabbitMQ, poppler, llama.cpp), after setting up
# whatever is missing. Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=${CONFIGURATION:-Release}

scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

mkdir -p TestResults
log=TestResults/test-output.log
# One assembly at a time: the end-to-end tests start processes of their own, and CI has 2 cores.
dotnet test DocExtract.sln -c "$CONFIGURATION" --no-build -m:1 --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each assembly ends with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" (or "Failed!  - ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
assemblies=$(grep -cE '^(Passed|Failed)! +- Failed: ' "$log" || true)
expected=$(ls tests/*/*.Tests.csproj | wc -l)
if [ "$assemblies" -lt "$expected" ]; then
  echo "only $assemblies of $expected test assemblies reported results (a test host crashed?)"
  failed=$((failed + expected - assemblies))
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
