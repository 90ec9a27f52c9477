#!/usr/bin/env bash
# Issue #5's benchmark: documents per minute through our continuous-batching scheduler at N = 1, 2, 4, 8, 16 slots,
# with and without the shared-prefix cache, against node-llama-cpp 3.22.1 with one context of N sequences, on the
# generated 60M-parameter model (CPU) or any GGUF model (--model). Prints per run documents/hour, tokens/s and the
# split of a step between decode and sampling (issue #11: is the GPU waiting for the sampler?). Never passes or
# fails on time. Results land in bench/results/batching/<time>/.
# Usage: bench/batching.sh [--documents N] [--max-tokens N] [--sequences 1,2,4,8,16] [--backend cpu|cuda|auto] [--model FILE]
#   --backend  cpu (default), or cuda for the CUDA build (scripts/fetch-llama.sh --cuda); the peer runs on cpu only
#   --model    a GGUF model, framed with its own chat template (default: the generated 60M-parameter model)
set -euo pipefail
cd "$(dirname "$0")/.."

documents=64 max_tokens=96 sequences=1,2,4,8,16 backend=cpu model=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --documents) documents="$2"; shift 2 ;;
    --max-tokens) max_tokens="$2"; shift 2 ;;
    --sequences) sequences="$2"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "batching.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

case "$backend" in
  cpu|auto) ;;
  cuda) [[ -d native/cuda ]] || { echo "batching.sh: native/cuda is missing: run scripts/fetch-llama.sh --cuda" >&2; exit 1; } ;;
  *) echo "batching.sh: --backend is cpu, cuda or auto, not '$backend'" >&2; exit 2 ;;
esac
[[ -z "$model" || -f "$model" ]] || { echo "batching.sh: model file '$model' does not exist" >&2; exit 1; }
[[ -f native/cpu/libllama.v0.5.0.so ]] || { echo "batching.sh: native/cpu is missing: run scripts/fetch-llama.sh" >&2; exit 1; }
dotnet build bench/Llama.Bench -c Release -nologo -v quiet -clp:ErrorsOnly

bench=(dotnet bench/Llama.Bench/bin/Release/net10.0/DocExtract.Llama.Bench.dll batching)
out="bench/results/batching/$(date -u +%Y%m%dT%H%M%SZ)"
workload_args=(--documents "$documents" --max-tokens "$max_tokens" --sequences "$sequences")
[[ -n "$model" ]] && workload_args+=(--model "$model")
"${bench[@]}" workload "$out" "${workload_args[@]}"
"${bench[@]}" ours "$out" --backend "$backend"
if [[ "$backend" == cpu ]]; then
  peer=bench/peer
  $peer/install.sh
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true node $peer/batching.mjs "$out"
else
  echo "peer: skipped (it runs on the CPU build only: --backend cpu)"
fi
echo
"${bench[@]}" report "$out"
