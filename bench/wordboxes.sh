#!/usr/bin/env bash
# Issue #13's word boxes: what the bbox pass adds to the text stage, and to the stored result.
# Usage: bench/wordboxes.sh [--rounds N] [PDF...]   (default: four corpus PDFs, 5 rounds)
# Each round runs `extract FILE --pages` with TextExtraction:WordBoxes off, then on (one process each, no model:
# text only), so load that comes and goes hits both; the figure is the difference of the medians of wall time.
# The size is that of pages[].words as stored (compact JSON). The second table times the added tool runs alone
# (pdftotext -bbox-layout and pdfinfo) beside the text run they join, the part of the difference that is not noise.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=5
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
corpus=../shared/corpus/pdfs
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$corpus/inv2data_oyo.pdf" "$corpus/inv2data_AmazonWebServices.pdf" \
    "$corpus/pdfpig_Judgement_Document.pdf" "$corpus/docling_ocr_test_rotated_90.pdf")
dll=src/Cli/bin/Release/net10.0/extract.dll
[ -f "$dll" ] || dotnet build src/Cli -c Release -nologo -v quiet -clp:ErrorsOnly
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms() { local start end; start=$(date +%s%N); dotnet "$dll" "$@" >/dev/null; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
printf '%-40s %6s %9s %9s %9s %12s %12s\n' file pages "off ms" "on ms" "added ms" "words" "words bytes"
for file in "${files[@]}"; do
    off=(); on=()
    for _ in $(seq "$rounds"); do
        off+=("$(ms "$file" --TextExtraction:WordBoxes false)")
        on+=("$(ms "$file" --TextExtraction:WordBoxes true)")
    done
    json=$(dotnet "$dll" "$file" --pages 2>/dev/null)
    pages=$(jq '.pageCount' <<<"$json")
    words=$(jq '[.pages[].words // [] | length] | add' <<<"$json")
    bytes=$(jq -c '[.pages[].words]' <<<"$json" | wc -c)
    a=$(printf '%s\n' "${off[@]}" | median); b=$(printf '%s\n' "${on[@]}" | median)
    printf '%-40s %6s %9s %9s %9s %12s %12s\n' "$(basename "$file")" "$pages" "$a" "$b" "$(awk "BEGIN {print $b - $a}")" "$words" "$bytes"
done
echo
printf '%-40s %12s %16s\n' file "text run ms" "bbox+info ms"
tool() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
for file in "${files[@]}"; do
    text=(); boxes=()
    for _ in $(seq "$rounds"); do
        text+=("$(tool pdftotext -enc UTF-8 -eol unix "$file" -)")
        boxes+=("$(( $(tool pdftotext -enc UTF-8 -bbox-layout "$file" -) + $(tool pdfinfo -f 1 -l 500 "$file") ))")
    done
    printf '%-40s %12s %16s\n' "$(basename "$file")" "$(printf '%s\n' "${text[@]}" | median)" "$(printf '%s\n' "${boxes[@]}" | median)"
done
