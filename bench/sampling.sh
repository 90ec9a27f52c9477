#!/usr/bin/env bash
# Issue #11's benchmark: per-token sampling overhead (grammar, softmax, 16 alternatives) at 32k, 152k and 262k
# vocabularies, the whole-vocabulary path against the shortlist in the same process, on generated random-weight
# models (their own nearly flat logits) and on made-up logits shaped like a trained model's; then the scheduler's
# aggregate tokens/s at N = 1, 4, 16 with a 152k-vocabulary model. Prints figures; never passes or fails on time.
# Usage: bench/sampling.sh [--tokens N] [--documents N]
#   --tokens     steps per measurement (default 200)
#   --documents  documents through the scheduler per N (default 16)
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tokens|--documents) args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "sampling.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[[ -f native/cpu/libllama.v0.5.0.so ]] || { echo "sampling.sh: native/cpu is missing: run scripts/fetch-llama.sh" >&2; exit 1; }
dotnet build bench/Llama.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
echo "the first run generates three models (32k, 152k, 262k vocabularies; about a minute)"
dotnet bench/Llama.Bench/bin/Release/net10.0/DocExtract.Llama.Bench.dll sampling "${args[@]}"
