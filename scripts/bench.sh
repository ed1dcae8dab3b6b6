#!/usr/bin/env bash
# Measures how fast Ops Dojo simulates and how much memory a long run takes, then prints a
# short summary:
#   1. the engine's criterion benchmarks (cargo bench -p ops-dojo-engine --bench run):
#      whole runs of black-friday (the default scenario, 6 services) over 7, 28 and 90
#      days, of first-slo (1 service) over 28 days, and of synthetic chains of 1, 2, 4, 8
#      and 16 services over 7 days (is the cost linear in days, and in services?);
#   2. the release CLI end to end: `ops-dojo run black-friday --json` (its 28 days), and
#      first-slo over the same 28 days, with hyperfine (Debian package hyperfine; installed
#      when missing and running as root), else /usr/bin/time, else bash's `time`;
#   3. the peak memory (max RSS) of 90-day CLI runs of both and of the heaviest file the
#      scenario format allows (crates/engine/tests/fixtures/heaviest.toml), with GNU time
#      (`/usr/bin/time -v`, Debian package time; installed the same way, skipped when not
#      there);
#   4. the engine in a browser: black-friday's 28 days as wasm in headless Chromium, timed
#      with the page's clock (crates/engine/tests/wasm_timing.rs, an ignored test run here
#      by name; scripts/ensure-tools.sh sets up wasm and Chromium as for scripts/test.sh,
#      skipped with a note if that fails);
#   5. the app in a browser (tools/app-bench.mjs on a fresh `trunk build --release`): first
#      render of the play page over five cold loads, frames per second and script
#      milliseconds per frame at maximum speed over the last ten days of black-friday, the
#      debrief's replays, a many-seeds study, and Class results verifying black-friday result
#      codes made by the CLI (one alone: a whole run with the shipped build's engine; then
#      thirty), and the shipped build's engine alone in a worker (black-friday hands-off:
#      its first run, and a run once its code is optimised);
#   6. the speed targets' table in the README's format (tools/bench-table.mjs): each row
#      with this tree's figure, the shipped size and black-friday's 90-day memory.
# Safe to run again: it installs only what is missing and keeps nothing but cargo's build
# cache and criterion's last results (target/criterion, used to report changes).
#
# Options:
#   --baseline REV   also build commit REV (any git revision) in a temporary worktree and
#                    measure it in the same sitting: its criterion runs, its release CLI
#                    (time and memory) and its shipped page (many seeds, Class results with
#                    codes its own CLI made), before this tree's. The summary then prints
#                    each figure of both and the speed-up (REV's time ÷ this tree's). REV
#                    builds in target/bench-baseline, so a second sitting reuses its build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline)
      [ $# -ge 2 ] || { echo "bench.sh: --baseline needs a git revision" >&2; exit 2; }
      baseline="$2"
      shift 2
      ;;
    --baseline=*)
      baseline="${1#--baseline=}"
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "bench.sh: unknown option $1 (see --help)" >&2
      exit 2
      ;;
  esac
done
if [ -n "$baseline" ] && ! git rev-parse --verify --quiet "$baseline^{commit}" >/dev/null; then
  echo "bench.sh: --baseline $baseline is not a commit of this repository" >&2
  exit 2
fi

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
cleanup() {
  if [ -d "$work/baseline" ]; then
    git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cli=target/release/ops-dojo
# The CLI runs timed (arguments without spaces): the default scenario first.
cli_runs=("run black-friday --json" "run first-slo --days 28 --json")
# The 90-day runs whose peak memory is measured.
rss_runs=("run black-friday --days 90 --json" "run first-slo --days 90 --json"
  "run crates/engine/tests/fixtures/heaviest.toml --role both --policy balanced --json")

base_cli=""
if [ -n "$baseline" ]; then
  base_rev="$(git rev-parse --short "$baseline^{commit}")"
  git worktree add --detach --quiet "$work/baseline" "$base_rev"
  base_target="$PWD/target/bench-baseline"
  step "baseline $base_rev: engine runs (criterion)"
  (cd "$work/baseline" && CARGO_TARGET_DIR="$base_target" \
    cargo bench -p ops-dojo-engine --bench run 2>&1) | tee "$work/criterion-baseline.txt"
  step "baseline $base_rev: CLI release build"
  (cd "$work/baseline" && CARGO_TARGET_DIR="$base_target" \
    cargo build --release --quiet -p ops-dojo-cli)
  base_cli="$base_target/release/ops-dojo"
  # The page as REV shipped it, built the way REV's scripts built it (the standard library
  # from source since the page's build has shipped_trunk).
  step "baseline $base_rev: the shipped page (trunk build --release)"
  base_trunk=trunk
  # Its build hooks (the glue's minifier) import npm packages from the tree they run in.
  [ ! -d node_modules ] || [ -e "$work/baseline/node_modules" ] ||
    ln -s "$PWD/node_modules" "$work/baseline/node_modules"
  if grep -q '^shipped_trunk()' "$work/baseline/scripts/ensure-tools.sh" 2>/dev/null; then
    base_trunk=shipped_trunk
  fi
  # Trunk builds offline: REV's crates for the page (yew and the rest, which its engine
  # and CLI did not need, and the standard library's for a page that builds it) are
  # fetched first, as ensure_crates does for this tree, or a fresh machine cannot build it.
  # shellcheck disable=SC2016 # expanded by the inner bash
  if ! bash -c '. scripts/ensure-tools.sh >/dev/null && OPS_DOJO_ROOT="$1" ensure_crates && cd "$1" && CARGO_TARGET_DIR="$2" "$3" build --release --offline --dist "$4" >/dev/null 2>&1' \
    _ "$work/baseline" "$base_target" "$base_trunk" "$work/baseline-dist"; then
    note "baseline $base_rev: the page did not build; its browser figures are not measured"
  fi
fi

step "engine: whole runs of black-friday, first-slo and service chains (criterion)"
cargo bench -p ops-dojo-engine --bench run 2>&1 | tee "$work/criterion.txt"

step "CLI: release build"
cargo build --release --quiet -p ops-dojo-cli

cli_times=""
if command -v hyperfine >/dev/null; then
  step "CLI: hyperfine"
  commands=()
  for args in "${cli_runs[@]}"; do
    [ -z "$base_cli" ] || commands+=("$base_cli $args")
    commands+=("$cli $args")
  done
  hyperfine --warmup 1 --runs 10 --export-csv "$work/hyperfine.csv" "${commands[@]}"
  # CSV columns: command,mean,stddev,median,user,system,min,max (seconds).
  cli_times="$(awk -F, 'NR > 1 {
    printf "  %s\n    %.3f s ± %.3f s (mean of 10, hyperfine)\n", $1, $2, $3 }' \
    "$work/hyperfine.csv")"
else
  for args in "${cli_runs[@]}"; do
    step "CLI: $cli $args"
    read -ra argv <<<"$args"
    if [ -x /usr/bin/time ]; then
      note "hyperfine not found: timing 5 runs with /usr/bin/time"
      : >"$work/times.txt"
      for _ in 1 2 3 4 5; do
        /usr/bin/time -f %e -a -o "$work/times.txt" "$cli" "${argv[@]}" >/dev/null
      done
      cat "$work/times.txt"
      time_text="$(sort -n "$work/times.txt" | awk '{ t[NR] = $1 } END {
        printf "%.2f s (median of %d, /usr/bin/time)", t[int((NR + 1) / 2)], NR }')"
    else
      note "neither hyperfine nor /usr/bin/time: one run with bash's time"
      TIMEFORMAT='%R'
      { time "$cli" "${argv[@]}" >/dev/null; } 2>"$work/times.txt"
      cat "$work/times.txt"
      time_text="$(cat "$work/times.txt") s (one run, bash time)"
    fi
    cli_times+="  $cli $args"$'\n'"    $time_text"$'\n'
  done
  cli_times="${cli_times%$'\n'}"
fi

step "CLI: peak memory of 90-day runs"
# Prints the maximum resident set size in kB of running CLI $1 with the rest as arguments.
max_rss_kb() {
  local program="$1"
  shift
  /usr/bin/time -v "$program" "$@" >/dev/null 2>"$work/rss.txt"
  grep -E 'Elapsed|Maximum resident' "$work/rss.txt" >&2
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/rss.txt"
}
rss_lines=""
for args in "${rss_runs[@]}"; do
  read -ra argv <<<"$args"
  if [ -x /usr/bin/time ]; then
    echo "$cli $args"
    rss_kb="$(max_rss_kb "$cli" "${argv[@]}")"
    rss="$rss_kb kB ($((rss_kb / 1024)) MiB)"
    # The first is black-friday's 90 days, the table's memory row.
    [ -f "$work/rss-now.txt" ] || echo "$rss_kb" >"$work/rss-now.txt"
  else
    rss="not measured (no GNU time: apt-get install time)"
    note "$rss"
  fi
  rss_lines+="  $cli $args"$'\n'"    max RSS $rss"$'\n'
done
rss_lines="${rss_lines%$'\n'}"
if [ -n "$base_cli" ] && [ -x /usr/bin/time ]; then
  read -ra argv <<<"${rss_runs[0]}"
  echo "$base_cli ${rss_runs[0]}"
  max_rss_kb "$base_cli" "${argv[@]}" >"$work/rss-base.txt"
fi

wasm_command="cargo test -p ops-dojo-engine --release --target wasm32-unknown-unknown \
--test wasm_timing -- --include-ignored --nocapture"
step "browser: $wasm_command"
# In its own bash: ensure-tools.sh sets PATH (wasm-bindgen-test-runner, node_modules/.bin),
# CHROMEDRIVER and, on the fallback route, the build-std variables, and exits on failure.
# shellcheck disable=SC2016 # expanded by the inner bash
if bash -c '. scripts/ensure-tools.sh && '"$wasm_command" 2>&1 | tee "$work/wasm.txt"; then
  wasm_time="$(awk '/^wasm run 1:/ { sub(/.* in /, ""); first = $0 }
    /^wasm_timing:/ { sub(/.*days: /, ""); fastest = $0 }
    END { if (fastest != "") printf "%s; first run %s", fastest, first }' "$work/wasm.txt")"
  wasm_time="${wasm_time:-not found in the output (see above)}"
  wasm_heaviest="$(awk '/^wasm heaviest:/ { sub(/.* in /, ""); print }' "$work/wasm.txt")"
else
  wasm_time="not measured (the wasm test or its tools failed; see above)"
  note "$wasm_time"
fi

# The first "time:" line after each result line is the run's time, and the first "thrpt:"
# line its throughput; later ones (under "change:") compare with the previous run. The
# last column divides the time by the run's days (black-friday, first-slo: "28d") or by
# its services (chain: "16"), so equal figures down a group mean a linear cost.
engine_times="$(awk '
  function ms(value, unit) {
    if (unit == "s") return value * 1000
    if (unit == "ms") return value
    if (unit == "ns") return value / 1000000
    return value / 1000
  }
  /^run\// { id = $1; sub(/^run\//, "", id) }
  /time:/ && id != "" {
    if (thrpt) printf "\n"
    match($0, /\[.*\]/)
    split(substr($0, RSTART + 1, RLENGTH - 2), v, " ")
    n = id; sub(/.*\//, "", n); per = (id ~ /^chain\//) ? "service" : "day"
    sub(/d$/, "", n)
    printf "  %-17s %8s %-2s (95 %% CI %s–%s %s)  %7.2f ms per %s", id, v[3], v[4], v[1], v[5],
      v[6], ms(v[3], v[4]) / n, per
    id = ""; thrpt = 1
    next
  }
  /thrpt:/ && thrpt {
    match($0, /\[.*\]/)
    split(substr($0, RSTART + 1, RLENGTH - 2), v, " ")
    printf ", %s %s\n", v[3], v[4]
    thrpt = 0
  }
  END { if (thrpt) printf "\n" }' "$work/criterion.txt")"

step "app in the browser: trunk build --release --offline && node tools/app-bench.mjs"
# shellcheck disable=SC2016 # expanded by the inner bash
if bash -c '. scripts/ensure-tools.sh && shipped_trunk build --release --offline >/dev/null 2>&1 && node tools/app-bench.mjs --json="$1"' \
  _ "$work/app.json" 2>&1 | tee "$work/app.txt"; then
  app_figures="$(sed 's/^/  /' "$work/app.txt")"
else
  app_figures="  not measured (the build or the browser failed; see above)"
  note "app benchmark failed"
fi
if [ -d "$work/baseline-dist" ]; then
  # The rows with a target over REV's page: its many-seeds study, its Class results, with
  # codes its own CLI made (a code verifies only against the engine that made it), and its
  # engine alone, on its own black-friday file.
  step "baseline $base_rev: the app in the browser (many seeds, Class results, the engine alone)"
  # shellcheck disable=SC2016 # expanded by the inner bash
  bash -c '. scripts/ensure-tools.sh && node tools/app-bench.mjs "$1" --only=seeds,class,engine --cli="$2" --scenarios="$3" --json="$4"' \
    _ "$work/baseline-dist" "$base_cli" "$work/baseline/scenarios" "$work/app-base.json" 2>&1 | tee "$work/app-base.txt" ||
    note "baseline $base_rev: app benchmark failed"
  # A second round of the rows with a target, this tree then REV again: a browser study of
  # seconds swings by 10-15 % from one minute to the next on a shared machine, so the table
  # takes each figure from the faster of the two rounds, for both sides alike.
  step "second round of the page's targets: this tree, then $base_rev"
  # shellcheck disable=SC2016 # expanded by the inner bash
  bash -c '. scripts/ensure-tools.sh && node tools/app-bench.mjs --only=seeds,class,engine --json="$1"' \
    _ "$work/app-2.json" 2>&1 | tee -a "$work/app.txt" || note "app benchmark, second round, failed"
  # shellcheck disable=SC2016 # expanded by the inner bash
  bash -c '. scripts/ensure-tools.sh && node tools/app-bench.mjs "$1" --only=seeds,class,engine --cli="$2" --scenarios="$3" --json="$4"' \
    _ "$work/baseline-dist" "$base_cli" "$work/baseline/scenarios" "$work/app-base-2.json" 2>&1 | tee -a "$work/app-base.txt" ||
    note "baseline $base_rev: app benchmark, second round, failed"
fi

# Each criterion result as "id milliseconds" (the first "time:" line after the id, its
# middle estimate).
criterion_ms() {
  awk '
    function ms(value, unit) {
      if (unit == "s") return value * 1000
      if (unit == "ms") return value
      if (unit == "ns") return value / 1000000
      return value / 1000
    }
    /^run\// { id = $1 }
    /time:/ && id != "" {
      match($0, /\[.*\]/)
      split(substr($0, RSTART + 1, RLENGTH - 2), v, " ")
      printf "%s %.3f\n", id, ms(v[3], v[4])
      id = ""
    }' "$1"
}

speedups=""
criterion_ms "$work/criterion.txt" | sort >"$work/now-ms.txt"
if [ -n "$baseline" ]; then
  criterion_ms "$work/criterion-baseline.txt" | sort >"$work/base-ms.txt"
  speedups="$(join "$work/base-ms.txt" "$work/now-ms.txt" | awk -v rev="$base_rev" '
    BEGIN { printf "  %-20s %12s %12s %9s\n", "run", rev, "this tree", "speed-up" }
    { printf "  %-20s %9.2f ms %9.2f ms %8.2f×\n", $1, $2, $3, $2 / $3 }')"
  if [ -f "$work/hyperfine.csv" ]; then
    # Rows alternate: the baseline's run, then this tree's.
    speedups+=$'\n'"$(awk -F, 'NR > 1 {
      if ((NR % 2) == 0) { base = $2; next }
      cmd = $1; sub(/^[^ ]* /, "", cmd)
      printf "  CLI %-32s %6.3f s → %6.3f s %8.2f×\n", cmd, base, $2, base / $2 }' \
      "$work/hyperfine.csv")"
  fi
fi

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
step "summary"
cat <<EOF
machine: $(nproc) cores${cpu:+, $cpu}; $(rustc --version)
engine, from Simulation::new to the last tick (criterion estimate; elem = ticks, for the
chains service-ticks):
$engine_times
CLI (release build), whole runs:
$cli_times
CLI, peak memory:
$rss_lines
browser (headless Chromium, wasm, release), black-friday 28 days:
  $wasm_time
browser, the heaviest valid scenario (tests/fixtures/heaviest.toml), 90 days, both bots:
  ${wasm_heaviest:-not measured}
app (headless Chromium, release build):
$app_figures
EOF
if [ -n "$speedups" ]; then
  cat <<EOF
speed-up over $base_rev ($baseline), same sitting (its time ÷ this tree's; > 1 is faster):
$speedups
EOF
fi

# The speed issue's table, in the README's table format: each target row with this tree's
# figure, and with --baseline REV's figure and the speed-up.
[ ! -d dist ] || scripts/shipped-size.sh dist >"$work/size-now.txt"
[ ! -d "$work/baseline-dist" ] || scripts/shipped-size.sh "$work/baseline-dist" >"$work/size-base.txt"
echo
echo "the targets' table (README format):"
node tools/bench-table.mjs "$work" "${base_rev:-}"
