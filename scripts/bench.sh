#!/usr/bin/env bash
# Measures how fast Ops Dojo simulates and how much memory a long run takes, then prints a
# short summary:
#   1. the engine's criterion benchmarks: whole runs of first-slo over 7, 28 and 90 days
#      (cargo bench -p ops-dojo-engine --bench run);
#   2. the release CLI end to end: `ops-dojo run first-slo --days 28 --json`, with hyperfine
#      (Debian package hyperfine; installed when missing and running as root), else
#      /usr/bin/time, else bash's `time`;
#   3. the peak memory (max RSS) of a 90-day CLI run, with GNU time (`/usr/bin/time -v`,
#      Debian package time; installed the same way, skipped when not there).
# Safe to run again: it installs only what is missing and keeps nothing but cargo's build
# cache and criterion's last results (target/criterion, used to report changes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
note() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }

# Installs Debian packages when we may (root, apt-get present); says why not otherwise.
apt_updated=""
apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    note "not root or no apt-get: not installing $*"
    return 1
  fi
  if [ -z "$apt_updated" ]; then
    apt-get update -qq >&2 || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

command -v hyperfine >/dev/null || apt_install hyperfine || true
[ -x /usr/bin/time ] || apt_install time || true

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cli=target/release/ops-dojo
cli_args=(run first-slo --days 28 --json)
cli_command="$cli ${cli_args[*]}"

step "engine: whole runs of first-slo (criterion)"
cargo bench -p ops-dojo-engine --bench run 2>&1 | tee "$work/criterion.txt"

step "CLI: release build"
cargo build --release --quiet -p ops-dojo-cli

step "CLI: $cli_command"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 10 --export-csv "$work/hyperfine.csv" "$cli_command"
  # CSV columns: command,mean,stddev,median,user,system,min,max (seconds).
  cli_time="$(awk -F, 'NR == 2 { printf "%.3f s ± %.3f s (mean of 10, hyperfine)", $2, $3 }' \
    "$work/hyperfine.csv")"
elif [ -x /usr/bin/time ]; then
  note "hyperfine not found: timing 5 runs with /usr/bin/time"
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f %e -a -o "$work/times.txt" "$cli" "${cli_args[@]}" >/dev/null
  done
  cli_time="$(sort -n "$work/times.txt" | awk '{ t[NR] = $1 } END {
    printf "%.2f s (median of %d, /usr/bin/time)", t[int((NR + 1) / 2)], NR }')"
  cat "$work/times.txt"
else
  note "neither hyperfine nor /usr/bin/time: one run with bash's time"
  TIMEFORMAT='%R'
  { time "$cli" "${cli_args[@]}" >/dev/null; } 2>"$work/times.txt"
  cli_time="$(cat "$work/times.txt") s (one run, bash time)"
  cat "$work/times.txt"
fi

step "CLI: peak memory of a 90-day run"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$cli" run first-slo --days 90 --json >/dev/null 2>"$work/rss.txt"
  rss_kb="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/rss.txt")"
  grep -E 'Elapsed|Maximum resident' "$work/rss.txt"
  rss="$rss_kb kB ($((rss_kb / 1024)) MiB)"
else
  rss="not measured (no GNU time: apt-get install time)"
  note "$rss"
fi

# The first "time:" line after each result line is the run's time; later ones (under
# "change:") compare with the previous run.
engine_times="$(awk '
  /^run\/first-slo\// { id = $1; sub(/^run\/first-slo\//, "", id) }
  /time:/ && id != "" {
    match($0, /\[.*\]/)
    split(substr($0, RSTART + 1, RLENGTH - 2), v, " ")
    printf "  %-4s  %s %s  (95 %% CI %s %s – %s %s)\n", id, v[3], v[4], v[1], v[2], v[5], v[6]
    id = ""
  }' "$work/criterion.txt")"

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
step "summary"
cat <<EOF
machine: $(nproc) cores${cpu:+, $cpu}; $(rustc --version)
engine, first-slo from Simulation::new to the last tick (criterion estimate):
$engine_times
CLI, $cli_command:
  $cli_time
CLI, ops-dojo run first-slo --days 90 --json, max RSS:
  $rss
EOF
