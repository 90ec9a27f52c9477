#!/usr/bin/env bash
# Issue #2's benchmark. Usage: bench/pipeline.sh [--documents N] [--concurrency N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh start >/dev/null
dotnet build DocExtract.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/Pipeline/bin/Release/net10.0/DocExtract.Bench.Pipeline.dll "$@"
