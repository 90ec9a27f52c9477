#!/usr/bin/env bash
# Installs what DocExtract needs on a Debian 12 machine that has the .NET 10 SDK, starts PostgreSQL and RabbitMQ,
# fetches the pinned llama.cpp native builds, builds the solution and applies the database migrations.
# Idempotent: run it as often as you like. Usage: scripts/setup.sh [--cuda]
set -euo pipefail
cd "$(dirname "$0")/.."

# poppler-data holds the CJK character maps: without it pdftotext silently drops Japanese and Chinese text (#14).
# The Tesseract packs are the main EU languages our users scan in; osd is the orientation and script pass;
# imagemagick straightens skewed scans (-deskew). chromium runs the review screen's browser tests (Playwright drives
# it; Playwright's own browser download is never used).
PACKAGES=(postgresql rabbitmq-server poppler-utils poppler-data tesseract-ocr tesseract-ocr-osd
  tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-ita tesseract-ocr-spa tesseract-ocr-nld
  tesseract-ocr-por tesseract-ocr-pol imagemagick util-linux curl jq git gcc nodejs npm ca-certificates chromium)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A machine may carry its own node/npm (not from Debian): do not fight it.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]:-}"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2; exit 1; }

scripts/services.sh start
scripts/fetch-llama.sh "$@"

CONFIGURATION=${CONFIGURATION:-Release}
echo "setup: building ($CONFIGURATION)"
dotnet build DocExtract.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly
scripts/migrate.sh
echo "setup: done"
