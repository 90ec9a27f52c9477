#!/usr/bin/env bash
# Issue #12's cascade benchmark: the share of documents a small tier escalates, and the tokens and LLM time the cascade
# saves against sending every document to the large tier. Both ways are run here on the same PDFs: each document is
# extracted by the small model and by the large one (`extract`, the worker's own text and LLM stages); a document
# escalates when the small model's result needs review for a reason the policy lists (all kinds by default), and the
# cascade's cost is the small model's on every document plus the large model's on those that escalated.
# LLM time is the model's prompt + generation time from the result's details (no process start, no model load).
# Never passes or fails. Defaults: the generated tiny model (small) and the generated 60M model (large): random weights,
# so read bench/README.md ("Cascade of local models") for what the figures mean.
# Usage: bench/cascade.sh [--small FILE] [--large FILE] [--documents N] [--schema NAME] [--escalate-on KINDS]
#   --escalate-on  comma-separated review reason kinds that escalate (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

small="" large="" documents=8 schema=invoice escalate_on=all
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small="$2"; shift 2 ;;
    --large) large="$2"; shift 2 ;;
    --documents) documents="$2"; shift 2 ;;
    --schema) schema="$2"; shift 2 ;;
    --escalate-on) escalate_on="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "cascade.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "cascade.sh: jq is missing (scripts/setup.sh installs it)" >&2; exit 1; }

dotnet build bench/Llama.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/Cli -c Release -nologo -v quiet -clp:ErrorsOnly
bench=(dotnet bench/Llama.Bench/bin/Release/net10.0/DocExtract.Llama.Bench.dll)
[[ -n "$small" ]] || small=$("${bench[@]}" model tiny)
[[ -n "$large" ]] || large=$("${bench[@]}" model benchmark)

corpus=../shared/corpus/pdfs
mapfile -t files < <( (ls samples/*.pdf; ls "$corpus"/inv2data_*.pdf 2>/dev/null) | head -n "$documents")
out="bench/results/cascade/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

# One line per document and model: tokens (prompt evaluated + generated), LLM ms, and the review reason kinds.
measure() { # model file -> "tokens ms kinds"
  local json
  json=$(scripts/extract.sh "$2" --schema "$schema" --model "$1" --Llm:ClassificationConfidence 0 2>/dev/null) || { echo "failed"; return; }
  jq -r '[(((.dataStatus.details.tokens.promptEvaluated // 0) + (.dataStatus.details.tokens.generated // 0)) | tostring),
          (((.dataStatus.details.timings.promptMs // 0) + (.dataStatus.details.timings.generationMs // 0)) | tostring),
          ([.review.reasons[].kind] | unique | join(",") | if . == "" then "-" else . end)] | join(" ")' <<<"$json"
}

printf '%-40s %10s %10s %10s %10s  %s\n' document small_tok small_ms large_tok large_ms "escalated for" | tee "$out/documents.txt"
n=0 escalated=0 small_tokens=0 small_ms=0 large_tokens=0 large_ms=0 cascade_tokens=0 cascade_ms=0
for file in "${files[@]}"; do
  read -r st sm kinds < <(measure "$small" "$file")
  read -r lt lm _ < <(measure "$large" "$file")
  [[ "$st" != failed && "$lt" != failed ]] || { echo "$(basename "$file"): a model gave no valid answer; left out" | tee -a "$out/documents.txt"; continue; }
  reasons=$(tr ',' '\n' <<<"$kinds" | grep -v '^-$' | { [[ "$escalate_on" == all ]] && cat || grep -Fx -f <(tr ',' '\n' <<<"$escalate_on") || true; } | paste -sd, -)
  n=$((n + 1))
  small_tokens=$((small_tokens + st)); large_tokens=$((large_tokens + lt))
  small_ms=$(jq -n "$small_ms + $sm"); large_ms=$(jq -n "$large_ms + $lm")
  cascade_tokens=$((cascade_tokens + st)); cascade_ms=$(jq -n "$cascade_ms + $sm")
  if [[ -n "$reasons" ]]; then
    escalated=$((escalated + 1)); cascade_tokens=$((cascade_tokens + lt)); cascade_ms=$(jq -n "$cascade_ms + $lm")
  fi
  printf '%-40s %10s %10.0f %10s %10.0f  %s\n' "$(basename "$file")" "$st" "$sm" "$lt" "$lm" "${reasons:-(stays at tier 0)}" | tee -a "$out/documents.txt"
done
[[ $n -gt 0 ]] || { echo "cascade.sh: no document was measured" >&2; exit 1; }

{
  echo
  echo "small tier: $(basename "$small"); large tier: $(basename "$large"); schema $schema; escalate on: $escalate_on"
  printf 'documents: %d, escalated: %d (%.0f %%)\n' "$n" "$escalated" "$(jq -n "100 * $escalated / $n")"
  printf 'tokens   all to the large tier: %d; cascade: %d; saved: %d (%.0f %%)\n' "$large_tokens" "$cascade_tokens" \
    "$((large_tokens - cascade_tokens))" "$(jq -n "100 * ($large_tokens - $cascade_tokens) / $large_tokens")"
  printf 'LLM time all to the large tier: %.1f s; cascade: %.1f s; saved: %.1f s (%.0f %%)\n' "$(jq -n "$large_ms / 1000")" \
    "$(jq -n "$cascade_ms / 1000")" "$(jq -n "($large_ms - $cascade_ms) / 1000")" "$(jq -n "100 * ($large_ms - $cascade_ms) / $large_ms")"
} | tee "$out/summary.txt"
