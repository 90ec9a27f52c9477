#!/usr/bin/env bash
# `models`: brings GGUF models into the models folder by name (pull, import-ollama, import, list, rm). See
# `scripts/models.sh --help`. The folder is Llm__ModelsDirectory, else .data/models of this checkout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export Llm__ModelsDirectory=${Llm__ModelsDirectory:-$root/.data/models}
dll=$root/src/Cli/bin/${CONFIGURATION:-Release}/net10.0/extract.dll
[ -f "$dll" ] || dotnet build "$root/src/Cli" -c "${CONFIGURATION:-Release}" -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$dll" models "$@"
