#!/usr/bin/env bash
# Builds Ops Dojo and serves it on http://127.0.0.1:8080 (PORT=… to change), rebuilding on
# every change. Installs what is missing first (see ensure-tools.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/ensure-tools.sh
. scripts/ensure-tools.sh
PORT="${PORT:-8080}"
echo "Ops Dojo: http://127.0.0.1:${PORT}/" >&2
shipped_trunk serve --offline --release --address 127.0.0.1 --port "$PORT"
