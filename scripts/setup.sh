# Shared set-up for scripts/run and scripts/test: install the Debian packages that are
# missing, configure once, then build incrementally. Sourced, not executed.
# Knobs (environment): SYNOD_BUILD_DIR (default build), SYNOD_BUILD_TYPE (default Release),
# SYNOD_JOBS (default: number of cores), SYNOD_SKIP_APT=1 to never touch apt.

synod_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
synod_build=${SYNOD_BUILD_DIR:-$synod_root/build}

# Everything DESIGN.md names, plus the toolchain a minimal Debian lacks. One list, so a
# newcomer's machine and CI install exactly the same set.
synod_packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libgtest-dev libgmock-dev libbenchmark-dev
  libsodium-dev libflatbuffers-dev flatbuffers-compiler
  librocksdb-dev libcaf-dev libssl-dev
  libzmq3-dev cppzmq-dev
  libboost-dev libboost-filesystem-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd
  libdnnl-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  clang-14 libclang-rt-14-dev  # libFuzzer for tests/fuzz
)

synod_log() { printf '[synod] %s\n' "$*" >&2; }

synod_install_packages() {
  [[ ${SYNOD_SKIP_APT:-0} == 1 ]] && return 0
  local missing=() p
  for p in "${synod_packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
      || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { synod_log "need root or sudo to install: ${missing[*]}"; return 1; }
    sudo=(sudo)
  fi
  synod_log "installing missing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

synod_build() {
  local jobs=${SYNOD_JOBS:-$(nproc)}
  if [[ ! -f $synod_build/build.ninja ]]; then
    synod_log "configuring $synod_build"
    cmake -S "$synod_root" -B "$synod_build" -G Ninja \
      -DCMAKE_BUILD_TYPE="${SYNOD_BUILD_TYPE:-Release}" >/dev/null
  fi
  synod_log "building with $jobs jobs"
  cmake --build "$synod_build" --parallel "$jobs"
}

# PoCL needs a writable kernel cache or it reports no device at all.
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-$synod_build/pocl-cache}

synod_setup() {
  synod_install_packages
  synod_build
}
