#!/usr/bin/env bash
# Fuzzes the engine's readers of untrusted text (scenario files, action logs, result codes,
# saved runs, share links, OpenSLO files for the alert lab) with cargo-fuzz and libFuzzer,
# one target at a time. Not part of scripts/test.sh: it needs the nightly toolchain, and a
# useful run takes minutes.
#
#   scripts/fuzz.sh TARGET [SECONDS]   fuzz one target for SECONDS (default 600)
#   scripts/fuzz.sh all [SECONDS]      every target in turn, SECONDS each
#   scripts/fuzz.sh list               the targets (fuzz/fuzz_targets/*.rs)
#
# Installs what is missing, and nothing twice: the nightly toolchain (rustup, minimal
# profile) and cargo-fuzz. An empty corpus (fuzz/corpus/TARGET/) is first seeded with real
# inputs made by the engine (fuzz/examples/seeds.rs): the built-in scenarios, their share
# links, and result codes, saved runs and action logs of one-day runs of each.
#
# Mutations may use the full length of the largest seed from the start (-len_control=0):
# a code or a log cut short only reaches its decoder's "damaged" path.
#
# Each input must finish within the limits below; libFuzzer stops at the first one that
# panics, exceeds one, or runs out of memory, and leaves it in fuzz/artifacts/TARGET/
# (crash-*, timeout-*, oom-*). Then:
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…    reproduce it
#   cargo +nightly fuzz tmin TARGET fuzz/artifacts/TARGET/crash-…   minimise it
# and write the minimised input into crates/engine/tests/fuzz_regressions.rs.
# FUZZ_KEEP_GOING=1 fuzzes on after a finding (libFuzzer's fork mode, one worker), to
# collect every finding of a long run at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# One input may take at most this long (s). Every target bounds its own work (2,000 ticks of
# an accepted file, replays of at most 3 days, 64 KB of inflated text), which takes well
# under a second even in this instrumented build; so 10 s is a hang, not a slow input, and
# matches the promise that the heaviest valid file runs in seconds, not minutes.
TIMEOUT_S=10
# The whole process may use at most this much memory (MB): the engine must stay well under
# the 4 GB a browser gives wasm, and 2 GB leaves room for the address sanitizer's own use.
RSS_LIMIT_MB=2048
# No single allocation may be larger than this (MB): a decoder that trusts a length, or a
# file that asks for a huge table, is caught at the allocation, with its stack.
MALLOC_LIMIT_MB=1024

log() { printf '\033[1;34m[fuzz]\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

ensure_tools() {
  if ! command -v rustup >/dev/null; then
    log "cargo-fuzz needs rustup's nightly toolchain: install rustup first (https://rustup.rs)"
    exit 1
  fi
  if ! rustup toolchain list | grep -q '^nightly'; then
    log "installing the nightly toolchain (libFuzzer's instrumentation needs it)"
    rustup toolchain install nightly --profile minimal >&2
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    log "installing cargo-fuzz"
    cargo install cargo-fuzz --locked >&2
  fi
  log "$(cargo fuzz --version), $(rustc +nightly --version)"
}

targets() {
  cargo +nightly fuzz list
}

# Seeds every empty corpus (the generator leaves the others alone).
ensure_seeds() {
  local target missing=""
  for target in $(targets); do
    if [ -z "$(ls -A "fuzz/corpus/$target" 2>/dev/null)" ]; then
      missing="$missing $target"
    fi
  done
  if [ -n "$missing" ]; then
    log "seeding the corpus of:$missing"
    cargo +nightly run --quiet --release --manifest-path fuzz/Cargo.toml --example seeds \
      -- fuzz/corpus >&2
  fi
}

# Fuzzes one target for $2 seconds and prints a line with its execution count.
fuzz_one() {
  local target="$1" seconds="$2" extra=() status=0
  if [ -n "${FUZZ_KEEP_GOING:-}" ]; then
    extra+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  # Tokens of the input's format (keys, names), for targets whose text mutations of bytes
  # rarely turn into something the reader accepts.
  if [ -f "fuzz/dicts/$target.dict" ]; then
    extra+=(-dict="fuzz/dicts/$target.dict")
  fi
  mkdir -p fuzz/logs
  local log_file="fuzz/logs/$target.log"
  log "fuzzing $target for $seconds s (log: $log_file)"
  cargo +nightly fuzz run "$target" -- \
    -max_total_time="$seconds" -timeout="$TIMEOUT_S" \
    -rss_limit_mb="$RSS_LIMIT_MB" -malloc_limit_mb="$MALLOC_LIMIT_MB" \
    -len_control=0 -print_final_stats=1 "${extra[@]}" 2>&1 | tee "$log_file" >&2 || status=$?
  local runs corpus_files corpus_kb
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log_file" | tail -1 | grep -o '[0-9]*$' || true)
  # Fork mode prints no final stats: its last status line has the count.
  [ -n "$runs" ] || runs=$(grep -o '^#[0-9]*' "$log_file" | tail -1 | tr -d '#' || true)
  corpus_files=$(find "fuzz/corpus/$target" -type f | wc -l)
  corpus_kb=$(du -sk "fuzz/corpus/$target" | cut -f1)
  printf '%s: %s executions in %s s; corpus %s files, %s KB%s\n' "$target" "${runs:-?}" \
    "$seconds" "$corpus_files" "$corpus_kb" \
    "$([ "$status" -eq 0 ] || echo "; FOUND a problem, see fuzz/artifacts/$target/")"
  return "$status"
}

main() {
  local what="${1:-}" seconds="${2:-600}"
  case "$what" in
    "" | -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 2
      ;;
  esac
  if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    log "SECONDS must be a whole number above 0, not $seconds"
    exit 2
  fi
  ensure_tools
  if [ "$what" = list ]; then
    targets
    return
  fi
  local all
  all=$(targets)
  if [ "$what" != all ] && ! grep -qx "$what" <<<"$all"; then
    log "no target $what; targets: $(echo "$all" | tr '\n' ' ')"
    exit 2
  fi
  ensure_seeds
  if [ "$what" != all ]; then
    fuzz_one "$what" "$seconds"
    return
  fi
  # One target after another, never in parallel: each gets the whole machine.
  local target failed=0
  for target in $all; do
    fuzz_one "$target" "$seconds" || failed=1
  done
  return "$failed"
}

main "$@"
