#!/usr/bin/env bash
# Rebuilds gan.wasm from gan_wasm.c and gan.c. The committed gan.wasm was built with Debian
# bookworm's clang 14 and lld 14 (apt-get install clang lld); `npm ci` does not run this
# script. The native addon is built from the same gan.c by node-gyp (see binding.gyp).
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32 -O3 -msimd128 -ffast-math -fno-finite-math-only -fno-builtin -nostdlib \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all -Wl,--initial-memory=1048576 \
  -o gan.wasm gan_wasm.c
echo "built $(pwd)/gan.wasm ($(wc -c < gan.wasm) bytes)"
