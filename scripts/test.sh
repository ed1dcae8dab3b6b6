#!/usr/bin/env bash
# Runs every test of Ops Dojo, installing what is missing first (see ensure-tools.sh):
#   formatting and lints, native tests (engine, CLI, app logic), the engine's golden runs in
#   headless Chromium as wasm, a release build of the app, and the end-to-end browser test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/ensure-tools.sh
. scripts/ensure-tools.sh

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (cargo clippy, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "native tests (engine, CLI, app logic)"
cargo test --workspace --quiet

step "engine in wasm: golden runs and determinism in headless Chromium"
cargo test -p ops-dojo-engine --target wasm32-unknown-unknown

step "release build of the app (trunk)"
shipped_trunk build --release --offline

step "shipped size: wasm + JS gzipped at most 560 KB"
shipped="$(scripts/shipped-size.sh dist)"
echo "wasm + JS, gzip -9: $shipped bytes"
if [ "$shipped" -gt 560000 ]; then
  echo "the shipped app is over 560 KB gzipped: trim it before adding more" >&2
  exit 1
fi

step "end-to-end: a new user plays in headless Chromium"
# Files named one by one: Node 21+ reads a directory argument as a glob of itself.
node --test tests/e2e/app.test.mjs tests/e2e/operations.test.mjs tests/e2e/dashboard.test.mjs tests/e2e/scenarios.test.mjs tests/e2e/classroom.test.mjs tests/e2e/careers.test.mjs
