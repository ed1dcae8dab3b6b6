#!/usr/bin/env bash
# Installs what building, serving and testing Ops Dojo needs, and nothing twice:
# every step checks first and skips what is already there, so a warm run takes a second.
#
#   wasm32 target    rustup (standard route), else Debian's rustc-web (fallback route)
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
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
      return 0
    fi
    log "adding the wasm32-unknown-unknown target (rustup)"
    if rustup target add wasm32-unknown-unknown >&2; then
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
