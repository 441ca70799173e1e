#!/usr/bin/env bash
# tests/sdk/installed_package_test.sh BUILD_DIR SOURCE_DIR WORK_DIR CXX GENERATOR
#
# The SDK as an outside author meets it: install the sdk component of BUILD_DIR into a fresh
# prefix, build examples/subnet_template against it with find_package(synod_sdk), and run the
# template's own ctest (the conformance suite on its plugin).
set -euo pipefail
build=${1:?} src=${2:?} work=${3:?} cxx=${4:?} generator=${5:?}

rm -rf "$work"
mkdir -p "$work"
step() { printf '[sdk] %s\n' "$*"; }
run() {  # quiet unless it fails
  if ! "$@" >"$work/step.log" 2>&1; then cat "$work/step.log"; echo "FAILED: $*"; exit 1; fi
}

step "installing the sdk component into $work/prefix"
run cmake --install "$build" --component sdk --prefix "$work/prefix"
for f in include/synod/sdk/abi.h include/synod/sdk/plugin.hpp include/synod/sdk/payload.hpp \
         include/synod/schemas/plugin_generated.h lib/cmake/synod_sdk/synod_sdkConfig.cmake \
         bin/synod-plugin-check; do
  [[ -e $work/prefix/$f ]] || { echo "FAILED: the package lacks $f"; exit 1; }
done
# Nothing of the runtime may leak into the package.
if ls "$work/prefix/include/synod" | grep -qvE '^(sdk|schemas)$'; then
  echo "FAILED: the package installs more than the SDK:"; ls "$work/prefix/include/synod"; exit 1
fi

step "building examples/subnet_template against it"
run cmake -S "$src/examples/subnet_template" -B "$work/template" -G "$generator" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release
run cmake --build "$work/template"

step "running the template's tests"
ctest --test-dir "$work/template" --output-on-failure
