#!/usr/bin/env bash
# Installs the peer (node-llama-cpp 3.22.1) for bench/llama.sh and bench/batching.sh, at the versions and digests of
# the committed lockfile, once (again only when the lockfile changes).
# --omit=optional leaves out node-llama-cpp's GPU binary packages (about 640 MB; its linux-x64 CPU package is a
# direct dependency instead), --ignore-scripts its postinstall, which could try to download or build llama.cpp;
# llama.mjs then refuses anything but the prebuilt binaries. Not `npm ci`: the registry reachable here has no macOS
# or Windows packages of node-llama-cpp, so the lockfile cannot list them and npm ci rejects it as out of sync;
# --no-save keeps npm install from rewriting it.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f node_modules/.installed || package-lock.json -nt node_modules/.installed ]]; then
  npm install --omit=optional --ignore-scripts --no-save --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
