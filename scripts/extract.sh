#!/usr/bin/env bash
# `extract`: text extraction and the LLM in-process, no broker, no database. See `scripts/extract.sh --help`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# Model names (--model NAME) are looked up where scripts/models.sh keeps them.
export Llm__ModelsDirectory=${Llm__ModelsDirectory:-$root/.data/models}
dll=$root/src/Cli/bin/${CONFIGURATION:-Release}/net10.0/extract.dll
[ -f "$dll" ] || dotnet build "$root/src/Cli" -c "${CONFIGURATION:-Release}" -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$dll" "$@"
