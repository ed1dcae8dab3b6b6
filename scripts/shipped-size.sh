#!/usr/bin/env bash
# Prints the bytes the page ships from a Trunk dist directory (default dist): its wasm and
# JS, each gzipped at -9, summed. scripts/test.sh checks it against the budget and
# scripts/bench.sh reports it.
set -euo pipefail
dir="${1:-dist}"
total=0
for file in "$dir"/*.wasm "$dir"/*.js; do
  [ -f "$file" ] && total=$((total + $(gzip -9c "$file" | wc -c)))
done
echo "$total"
