#!/usr/bin/env bash
# Issue #3's benchmark: DocExtract.Llama against node-llama-cpp 3.22.1 (a peer binding on the same llama.cpp build)
# on the generated 60M-parameter model: prompt and generation tokens/s, with and without the invoice grammar, and
# the ratio ours/peer. Prints figures; never passes or fails on time. Results land in bench/results/llama/<time>/.
# Usage: bench/llama.sh [--threads 1,2] [--rounds N] [--passes N] [--max-tokens N]
#   --threads     thread counts to measure, each used for prompt and generation alike (default 1,<cores>)
#   --rounds      measured rounds per engine process and setting (default 4)
#   --passes      times each engine's process runs, alternating ours/peer (default 2)
#   --max-tokens  most tokens generated per round (default 128)
set -euo pipefail
cd "$(dirname "$0")/.."

threads="1,$(nproc)" rounds=4 passes=2 max_tokens=128
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --passes) passes="$2"; shift 2 ;;
    --max-tokens) max_tokens="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "llama.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "llama.sh: '$tool' is required but not on PATH" >&2; exit 1; }
done
[[ -f native/cpu/libllama.v0.5.0.so ]] || { echo "llama.sh: native/cpu is missing: run scripts/fetch-llama.sh" >&2; exit 1; }

dotnet build bench/Llama.Bench -c Release -nologo -v quiet -clp:ErrorsOnly

peer=bench/peer
$peer/install.sh

bench=(dotnet bench/Llama.Bench/bin/Release/net10.0/DocExtract.Llama.Bench.dll peer)
out="bench/results/llama/$(date -u +%Y%m%dT%H%M%SZ)"
echo "workload (the first run generates the 60M-parameter model, about a minute)"
"${bench[@]}" workload "$out" --threads "$threads" --rounds "$rounds" --max-tokens "$max_tokens"
for pass in $(seq 1 "$passes"); do
  "${bench[@]}" ours "$out" "$pass"
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true node $peer/bench.mjs "$out" "$pass"
done
echo
"${bench[@]}" report "$out" | tee "$out/report.txt"
