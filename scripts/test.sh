#!/usr/bin/env bash
# Runs the whole test suite on the real servers (PostgreSQL, RabbitMQ, poppler, llama.cpp), after setting up
# whatever is missing. Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=${CONFIGURATION:-Release}

scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

rm -rf TestResults && mkdir -p TestResults
# One assembly at a time: the end-to-end tests start processes of their own, and CI has 2 cores.
dotnet test DocExtract.sln -c "$CONFIGURATION" --no-build -m:1 --results-directory TestResults \
  --logger "trx" --logger "console;verbosity=minimal"
status=$?

# Count from the TRX files, one per test assembly: <Counters total=… executed=… passed=… failed=… notExecuted=…>.
count() { grep -ho "<Counters [^>]*" TestResults/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed); failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) )); skipped=$(count notExecuted)
assemblies=$(ls TestResults/*.trx 2>/dev/null | wc -l)
expected=$(ls tests/*/*.Tests.csproj | wc -l)
if [ "$assemblies" -lt "$expected" ]; then
  echo "only $assemblies of $expected test assemblies reported results (a test host crashed?)"
  failed=$((failed + expected - assemblies))
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
