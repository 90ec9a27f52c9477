#!/usr/bin/env bash
# Applies the checked-in EF Core migrations to the database in ConnectionStrings__Postgres (default: the local
# docextract database). The same as `dotnet DocExtract.Api.dll migrate`.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Release}
dll=src/Api/bin/$CONFIGURATION/net10.0/DocExtract.Api.dll
[ -f "$dll" ] || dotnet build src/Api -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly
dotnet "$dll" migrate
