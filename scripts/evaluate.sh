#!/usr/bin/env bash
# `extract evaluate ...`: field-level accuracy of the stored model outputs (or, with --model, of another model run over
# the same documents) against a tenant's reviewed documents, on the database in ConnectionStrings__Postgres (default:
# the local docextract database). See docs/evaluations.md and `scripts/evaluate.sh --help`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# Model names (--model NAME) are looked up where scripts/models.sh keeps them.
export Llm__ModelsDirectory=${Llm__ModelsDirectory:-$root/.data/models}
dll=$root/src/Cli/bin/${CONFIGURATION:-Release}/net10.0/extract.dll
[ -f "$dll" ] || dotnet build "$root/src/Cli" -c "${CONFIGURATION:-Release}" -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$dll" evaluate "$@"
