#!/usr/bin/env bash
# Issue #5's benchmark: documents per minute through our continuous-batching scheduler at N = 1, 2, 4, 8, 16 slots,
# with and without the shared-prefix cache, against node-llama-cpp 3.22.1 with one context of N sequences, on the
# generated 60M-parameter model (CPU). Prints figures; never passes or fails on time.
# Results land in bench/results/batching/<time>/.
# Usage: bench/batching.sh [--documents N] [--max-tokens N] [--sequences 1,2,4,8,16]
set -euo pipefail
cd "$(dirname "$0")/.."

documents=64 max_tokens=96 sequences=1,2,4,8,16
while [[ $# -gt 0 ]]; do
  case "$1" in
    --documents) documents="$2"; shift 2 ;;
    --max-tokens) max_tokens="$2"; shift 2 ;;
    --sequences) sequences="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "batching.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[[ -f native/cpu/libllama.v0.5.0.so ]] || { echo "batching.sh: native/cpu is missing: run scripts/fetch-llama.sh" >&2; exit 1; }
dotnet build bench/Llama.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
peer=bench/peer
$peer/install.sh

bench=(dotnet bench/Llama.Bench/bin/Release/net10.0/DocExtract.Llama.Bench.dll batching)
out="bench/results/batching/$(date -u +%Y%m%dT%H%M%SZ)"
"${bench[@]}" workload "$out" --documents "$documents" --max-tokens "$max_tokens" --sequences "$sequences"
"${bench[@]}" ours "$out"
NODE_LLAMA_CPP_SKIP_DOWNLOAD=true node $peer/batching.mjs "$out"
echo
"${bench[@]}" report "$out"
