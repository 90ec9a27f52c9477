#!/usr/bin/env bash
# `dotnet DocExtract.Api.dll audit ...` on the database in ConnectionStrings__Postgres (default: the local docextract
# database). See docs/security.md, "Keys, roles and tenants" and "The audit trail".
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Release}
dll=src/Api/bin/$CONFIGURATION/net10.0/DocExtract.Api.dll
[ -f "$dll" ] || dotnet build src/Api -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$dll" audit "$@"
