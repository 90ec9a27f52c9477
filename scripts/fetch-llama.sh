#!/usr/bin/env bash
# Fetches the pinned llama.cpp build that src/Llama binds, from the npm registry (the only package source this
# project can reach besides NuGet and apt), and checks every tarball against its pinned sha512 before using it.
#
#   native/cpu/         libllama.v0.5.0.so, libggml*.so and the libggml-cpu-<variant>.so files ggml picks from
#   native/cuda/        the same for CUDA 13 (only with --cuda)
#   .tools/llama.cpp/   include/llama.h, ggml/include/*.h, models/ggml-vocab-*.gguf, and the full source in source/
#
# Idempotent: each target holds a .stamp naming what was unpacked there; a matching stamp means nothing to do.
# Usage: scripts/fetch-llama.sh [--cuda]
set -euo pipefail

readonly NLC_VERSION=3.22.1
readonly CPU_PACKAGE="@node-llama-cpp/linux-x64@${NLC_VERSION}"
readonly CPU_INTEGRITY="sha512-5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg=="
readonly CUDA_PACKAGE="@node-llama-cpp/linux-x64-cuda@${NLC_VERSION}"
readonly CUDA_INTEGRITY="sha512-8rQCjyNNLZJUFit+YpjwlC4hwkKgOMIkB2wuycKBf8NU2O3ySKbiWZQ8aw9ku2nUTXjSnUIrE6KB88itduTBuA=="
readonly SOURCE_PACKAGE="node-llama-cpp@${NLC_VERSION}"
readonly SOURCE_INTEGRITY="sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw=="

with_cuda=false
for arg in "$@"; do
  case "$arg" in
    --cuda) with_cuda=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "fetch-llama: unknown argument '$arg' (use --cuda or nothing)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tarballs="$root/.tools/npm"
tarball=""
mkdir -p "$tarballs"

for tool in npm tar git openssl base64; do
  command -v "$tool" >/dev/null || { echo "fetch-llama: '$tool' is required but not on PATH" >&2; exit 1; }
done

# Prints the npm-style integrity string (sha512-<base64>) of a file.
integrity_of() {
  echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

# Downloads a package tarball into .tools/npm (reusing one already there if its digest matches); sets $tarball.
fetch_tarball() {
  local spec="$1" expected="$2"
  local name="${spec#@}"; name="${name//\//-}"; name="${name/@/-}"
  tarball="$tarballs/$name.tgz"
  if [[ -f "$tarball" && "$(integrity_of "$tarball")" == "$expected" ]]; then
    echo "reusing verified ${tarball#"$root"/}"
    return
  fi
  rm -f "$tarball"
  local log
  if ! log="$(cd "$tarballs" && npm pack "$spec" --pack-destination "$tarballs" --silent 2>&1)"; then
    echo "fetch-llama: npm pack $spec failed:" >&2
    echo "$log" >&2
    exit 1
  fi
  [[ -f "$tarball" ]] || { echo "fetch-llama: npm pack $spec did not produce $tarball" >&2; exit 1; }
  local actual
  actual="$(integrity_of "$tarball")"
  if [[ "$actual" != "$expected" ]]; then
    rm -f "$tarball"
    echo "fetch-llama: INTEGRITY MISMATCH for $spec" >&2
    echo "  expected $expected" >&2
    echo "  actual   $actual" >&2
    echo "  the tarball was deleted; refusing to use it" >&2
    exit 1
  fi
  echo "fetched $spec (integrity verified)"
}

stamp_matches() {
  [[ -f "$1/.stamp" && "$(cat "$1/.stamp")" == "$2" ]]
}

# Unpacks package/bins/<folder>/ of a binary package into a native/ folder, replacing what was there.
install_bins() {
  local spec="$1" integrity="$2" bins_folder="$3" target="$4"
  local stamp="$spec $integrity"
  if stamp_matches "$target" "$stamp"; then
    echo "up to date: ${target#"$root"/} ($spec)"
    return
  fi
  fetch_tarball "$spec" "$integrity"
  local work
  work="$(mktemp -d "$tarballs/unpack.XXXXXX")"
  tar -xzf "$tarball" -C "$work" "package/bins/$bins_folder"
  # llama-addon.node is node-llama-cpp's Node.js binding; nothing here can use it.
  rm -f "$work/package/bins/$bins_folder/llama-addon.node"
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  mv "$work/package/bins/$bins_folder" "$target"
  rm -rf "$work"
  echo "$stamp" > "$target/.stamp"
  echo "installed $spec into ${target#"$root"/} ($(find "$target" -name '*.so' | wc -l) libraries)"
}

# Clones the llama.cpp source bundled in node-llama-cpp (the exact commit the binaries were built from) and copies
# out what the build and tests read: the headers (the ABI test compiles against them) and the vocab-only GGUFs.
install_source() {
  local target="$root/.tools/llama.cpp"
  local stamp="$SOURCE_PACKAGE $SOURCE_INTEGRITY"
  if stamp_matches "$target" "$stamp"; then
    echo "up to date: .tools/llama.cpp ($SOURCE_PACKAGE)"
    return
  fi
  fetch_tarball "$SOURCE_PACKAGE" "$SOURCE_INTEGRITY"
  local work
  work="$(mktemp -d "$tarballs/unpack.XXXXXX")"
  tar -xzf "$tarball" -C "$work" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
  rm -rf "$target"
  mkdir -p "$target/include" "$target/ggml/include" "$target/models"
  git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$target/source"
  cp "$work/package/llama/llama.cpp.info.json" "$target/"
  rm -rf "$work"
  cp "$target/source/include/llama.h" "$target/include/"
  cp "$target/source/ggml/include/"*.h "$target/ggml/include/"
  cp "$target/source/models/"ggml-vocab-*.gguf "$target/models/"
  echo "$stamp" > "$target/.stamp"
  echo "installed llama.cpp $(git -C "$target/source" rev-parse --short HEAD) source, headers and $(find "$target/models" -name '*.gguf' | wc -l) vocab files into .tools/llama.cpp"
}

install_bins "$CPU_PACKAGE" "$CPU_INTEGRITY" linux-x64 "$root/native/cpu"
install_source
if $with_cuda; then
  install_bins "$CUDA_PACKAGE" "$CUDA_INTEGRITY" linux-x64-cuda "$root/native/cuda"
fi
