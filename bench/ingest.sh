#!/usr/bin/env bash
# Issue #4's benchmarks. Usage: bench/ingest.sh text [--rounds N] [--dpi N] | bench/ingest.sh watched [--files N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh start >/dev/null
dotnet build DocExtract.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/Ingest/bin/Release/net10.0/DocExtract.Bench.Ingest.dll "$@"
