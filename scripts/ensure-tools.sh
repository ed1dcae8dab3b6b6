#!/usr/bin/env bash
# Installs what building, serving and testing Ops Dojo needs, and nothing twice:
# every step checks first and skips what is already there, so a warm run takes a second.
#
#   wasm32 target    rustup (standard route), else Debian's rustc-web (fallback route)
#   rust-src         rustup component (Debian's rust-web-src on the fallback route): the page
#                    builds the standard library from source, see shipped_trunk below
#   trunk            cargo install, pinned (0.22 needs a newer rustc than stable rustup ships)
#   wasm-bindgen-cli cargo install, same version as wasm-bindgen in Cargo.lock
#   wasm-opt         npm package binaryen (Debian's binaryen is too old for today's rustc)
#   playwright-core  npm, drives the system Chromium in the end-to-end tests
#   axe-core         npm, the accessibility audit in the end-to-end tests
#   terser           npm, minifies the JS glue of release builds (tools/minify-glue.mjs)
#   chromium         Debian packages chromium + chromium-driver
#   promtool         Debian package prometheus (checks the exported SLO rules)
#   crates           cargo fetch: every crate in Cargo.lock, for every target, so that Trunk
#                    (run with --offline, which it passes on to cargo) finds the wasm-only
#                    ones (the page's allocator) on a fresh machine
#
# Source this file (`. scripts/ensure-tools.sh`) so PATH and the build variables it sets
# reach the caller.
set -euo pipefail

OPS_DOJO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

apt_install() {
  if ! command -v apt-get >/dev/null; then
    log "please install these packages with your system's package manager: $*"
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "${OPS_DOJO_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq >&2
    export OPS_DOJO_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

ensure_wasm_target() {
  if command -v rustup >/dev/null; then
    local installed
    installed="$(rustup component list --installed)"
    if grep -qx 'rust-std-wasm32-unknown-unknown' <<<"$installed" && grep -qx 'rust-src' <<<"$installed"; then
      return 0
    fi
    log "adding the wasm32-unknown-unknown target and the standard library's source (rustup)"
    if rustup target add wasm32-unknown-unknown >&2 && rustup component add rust-src >&2; then
      return 0
    fi
    log "rustup could not add the target; using Debian's rustc-web instead"
  fi
  # Fallback route: Debian's newer rustc with the std source, std built from source.
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust ]; then
    apt_install rustc-web cargo-web rust-web-src lld-22
  fi
  export PATH="/usr/bin:$PATH"
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
}

ensure_cargo_tool() { # binary, crate, version, extra cargo-install flags...
  local bin="$1" crate="$2" version="$3"
  shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q " $version"; then
    return 0
  fi
  log "installing $crate $version (a few minutes, once)"
  cargo install "$crate" --version "$version" "$@" >&2
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$OPS_DOJO_ROOT/Cargo.lock"
}

ensure_node_packages() {
  if ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  if [ ! -x "$OPS_DOJO_ROOT/node_modules/.bin/wasm-opt" ] ||
    [ ! -d "$OPS_DOJO_ROOT/node_modules/playwright-core" ] ||
    [ ! -d "$OPS_DOJO_ROOT/node_modules/axe-core" ] ||
    [ ! -d "$OPS_DOJO_ROOT/node_modules/terser" ] ||
    [ "$OPS_DOJO_ROOT/package-lock.json" -nt "$OPS_DOJO_ROOT/node_modules/.package-lock.json" ]; then
    log "installing node packages (wasm-opt, playwright-core, axe-core, terser)"
    (cd "$OPS_DOJO_ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  export PATH="$OPS_DOJO_ROOT/node_modules/.bin:$PATH"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  log "installing chromium and chromium-driver"
  apt_install chromium chromium-driver
}

ensure_crates() {
  (cd "$OPS_DOJO_ROOT" && cargo fetch --locked --quiet >&2)
  # The standard library's own dependencies, for the page's build of it (shipped_trunk).
  (cd "$OPS_DOJO_ROOT" && shipped_build_env cargo fetch --quiet --target wasm32-unknown-unknown >&2)
}

# The shipped page builds the standard library from source (rust-src), optimised for size
# like the rest of the page, with panics that abort at once instead of formatting a message
# nobody sees: the page installs no panic hook, and on wasm32-unknown-unknown the default one
# writes to a stderr that does not exist. Together about 40 KB less to ship (gzip -9), the
# room the page's features need under the 560 KB budget. These are unstable options of the
# stable toolchain, enabled with RUSTC_BOOTSTRAP for this build only: the tests, the CLI and
# the engine's wasm tests build as usual (a panic in a test still prints its message). The
# browser test "codes made by the native engine verify in the shipped page" checks that this
# build computes the very runs the native engine does.
shipped_build_env() {
  RUSTC_BOOTSTRAP=1 \
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    "$@"
}

# Trunk for the shipped page (build or serve): `shipped_trunk build --release --offline`.
shipped_trunk() {
  shipped_build_env trunk "$@"
}

ensure_promtool() {
  if command -v promtool >/dev/null; then
    return 0
  fi
  log "installing prometheus (for promtool)"
  apt_install --no-install-recommends prometheus
}

ensure_wasm_target
ensure_cargo_tool trunk trunk "$TRUNK_VERSION" --locked
# Without --locked: the CLI's own lock file names a crate version the registry may not serve.
ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$(wasm_bindgen_version)"
ensure_node_packages
ensure_chromium
ensure_promtool
ensure_crates
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
