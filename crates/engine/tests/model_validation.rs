//! Model validation: the engine's aggregate, tick-by-tick queue model against queueing theory
//! (`ops_dojo_engine::queueing`) and against a per-request discrete-event simulation (DES).
//!
//! The engine never follows a request: per 30-second tick it turns the tick's arrivals into a
//! fluid backlog plus an M/M/c wait (Erlang C at the tick's utilisation) and reads
//! latency as a Gamma. These tests run whole simulations of one exponential service
//! (mean service time 100 ms, so μ = 10/s; `c` = replicas, one worker each) and compare:
//!
//! 1. Steady state: the request-weighted mean of the per-tick mean latencies within 5 % of
//!    M/M/c's W, the run's p99 within 10 % of M/M/c's (both the exact mixture of the ticks'
//!    Gammas and `summary()`'s histogram p99), Little's law L = λW within 5 %.
//! 2. Overload (λ > cμ) with a timeout: the backlog grows at (λ − cμ) per second until it
//!    holds cμ × timeout requests, then stays there and the excess, (λ − cμ)/λ of arrivals,
//!    is dropped.
//! 3. Layered retries: 3 attempts at each of 3 layers over a dead leaf multiply to 3³ = 27
//!    attempts at the leaf per user request; a 10 % retry budget on every layer caps it
//!    near 1.1³.
//! 4. A per-request DES (FIFO, c servers, callers that give up after T while waiting; a
//!    request answered after T also counts as failed) against the model.
//! 5. Determinism: same scenario and seed, same run hash; another seed, another hash.
//!
//! Measured agreement (seed 7 for the steady state, seed 3 for the DES; signed relative
//! gaps, model vs exact or model vs DES; `cargo test --release -p ops-dojo-engine --test
//! model_validation -- --nocapture` prints the tables):
//!
//! ```text
//! steady state  W / p99     ρ=0.5          ρ=0.8          ρ=0.9          ρ=0.95
//!   c = 1                 +0.0/+0.0 %    +0.0/+0.0 %    +0.0/+0.0 %    +0.0/+0.0 %
//!   c = 4                 +0.0/+0.4 %    +0.0/+1.7 %    +0.0/−0.2 %    +0.0/−0.9 %
//!   c = 16                +0.0/−0.0 %    +0.0/−0.3 %    +0.0/+1.0 %    +0.0/+1.4 %
//!   (summary() p99, a bucket histogram over the whole run: within ±2.1 % of M/M/c;
//!   Little's L within 0.1 %; busy workers = λ/μ within 0.1 %)
//! overload c=100, λ=1.25 cμ, T=60 s: backlog slope 7 500 vs 7 500 per tick, dropped share
//!   0.2000 vs 0.2; c=4, λ=50/s, T=5 s: backlog 200 = cμT, dropped 0.2000 vs 0.2
//! retries (3 × 3 × 3, dead leaf): 26.99 vs 27 per user request; with 10 % budgets 1.3305
//!   vs 1.331
//! DES  c=4:  ρ=0.7 W −0.2 %, p99 +0.8 %;  ρ=0.9 W −0.8 %, p99 −3.7 %
//!      c=16: ρ=0.7 W +0.0 %, p99 −0.1 %;  ρ=0.9 W −0.6 %, p99 +0.3 %
//!      ρ=1.2, T=2 s, failed share: c=4 0.502 vs 0.537 (−6.5 %); c=16 0.774 vs 0.801 (−3.4 %)
//! ```
//!
//! Two choices in the engine make these hold. The M/M/c formulas are fed the rate the
//! arrivals are drawn at, not each tick's Poisson count (the formulas already account for
//! that randomness; feeding them the count overstated waits by 5–50 %, and ticks whose count
//! exceeded capacity lost their M/M/c wait altogether). And a full queue's waits sit below
//! the timeout by an exponential gap whose mean falls as servers are added (a reflected
//! random walk), so the failed share in overload grows with c as it does per request.
//!
//! Native only (the DES draws millions of requests); `runs.rs` checks wasm determinism.

use ops_dojo_engine::clock::{TICKS_PER_HOUR, TICK_SECONDS};
use ops_dojo_engine::latency::Latency;
use ops_dojo_engine::queueing::{self, MMc};
use ops_dojo_engine::{Scenario, Simulation};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};

/// Allowed relative gap of the mean latency (and of Little's L).
const MEAN_TOLERANCE: f64 = 0.05;
/// Allowed relative gap of the 99th percentile.
const P99_TOLERANCE: f64 = 0.10;
/// Allowed gap of a failed share: 10 % relative, or 0.02 absolute.
const FAILED_RELATIVE_TOLERANCE: f64 = 0.10;
const FAILED_ABSOLUTE_TOLERANCE: f64 = 0.02;

/// Mean service time of every queue here, milliseconds (μ = 10 per second).
const SERVICE_MS: f64 = 100.0;
/// Ticks run before measuring (1 hour), then ticks measured (12 hours).
const WARM_UP_TICKS: u32 = TICKS_PER_HOUR;
const MEASURED_TICKS: u32 = 12 * TICKS_PER_HOUR;

/// Service rate of one worker, per second.
fn mu() -> f64 {
    1000.0 / SERVICE_MS
}

/// A one-day scenario with constant traffic of `rps` users per second (plus `traffic_extra`
/// lines in `[traffic]`) and the `[[services]]` tables in `services`.
fn scenario(rps: f64, traffic_extra: &str, services: &str) -> Scenario {
    let text = format!(
        r#"
format = 1
id = "model-validation"
title = "Model validation"
briefing = "A queue checked against queueing theory."
difficulty = 1
days = 1
roles = ["sre"]

[traffic]
base_rps = {rps:?}
{traffic_extra}

{services}

[[slos]]
name = "Availability"
target = 0.999

[delivery]
defect_probability = 0.0
defect_error_ratio = 0.0
"#
    );
    Scenario::parse(&text, "model-validation.toml").expect("the test scenario is valid")
}

/// One exponential service with `servers` replicas of one worker each, fed `rps`.
fn single_service(rps: f64, servers: u32, timeout_ms: Option<f64>) -> Scenario {
    let timeout = timeout_ms.map_or(String::new(), |t| format!("timeout_ms = {t:?}"));
    scenario(
        rps,
        "",
        &format!(
            r#"
[[services]]
name = "api"
replicas = {servers}
concurrency = 1
service_time_ms = {SERVICE_MS:?}
service_time = "exponential"
{timeout}
"#
        ),
    )
}

/// What the engine did to the first service over the measured ticks of a run.
struct Run {
    /// Per measured tick: requests processed (neither rejected nor dropped), their latency.
    ticks: Vec<(f64, Latency)>,
    arrivals: f64,
    /// Σ arrivals × failure ratio: the expected failed requests.
    failed: f64,
    utilization_sum: f64,
    seconds: f64,
}

impl Run {
    /// Steps [`WARM_UP_TICKS`], then records [`MEASURED_TICKS`].
    fn of(sim: &mut Simulation) -> Run {
        assert_eq!(
            sim.step_n(WARM_UP_TICKS),
            WARM_UP_TICKS,
            "a day is long enough"
        );
        let mut run = Run {
            ticks: Vec::with_capacity(MEASURED_TICKS as usize),
            arrivals: 0.0,
            failed: 0.0,
            utilization_sum: 0.0,
            seconds: f64::from(MEASURED_TICKS) * f64::from(TICK_SECONDS),
        };
        for _ in 0..MEASURED_TICKS {
            sim.step().expect("a day is long enough");
            let tick = sim.service_ticks()[0];
            let arrivals = tick.arrivals as f64;
            let processed = (arrivals - tick.rejected - tick.dropped).max(0.0);
            run.ticks.push((processed, tick.latency));
            run.arrivals += arrivals;
            run.failed += arrivals * tick.failure_ratio;
            run.utilization_sum += tick.utilization;
        }
        run
    }

    /// Request-weighted mean of the per-tick mean latencies, seconds.
    fn mean(&self) -> f64 {
        let (requests, sum) = self
            .ticks
            .iter()
            .fold((0.0, 0.0), |(n, s), (w, l)| (n + w, s + w * l.mean));
        sum / requests
    }

    /// P(latency > `seconds`) over all processed requests: the request-weighted mixture of
    /// the ticks' Gammas.
    fn exceeds(&self, seconds: f64) -> f64 {
        let (requests, sum) = self.ticks.iter().fold((0.0, 0.0), |(n, s), (w, l)| {
            (n + w, s + w * l.exceeds_probability(seconds))
        });
        sum / requests
    }

    /// The `p`-quantile of that mixture, seconds, by bisection.
    fn quantile(&self, p: f64) -> f64 {
        let (mut low, mut high) = (0.0, 1.0);
        while self.exceeds(high) > 1.0 - p {
            low = high;
            high *= 2.0;
        }
        for _ in 0..40 {
            let mid = 0.5 * (low + high);
            if self.exceeds(mid) > 1.0 - p {
                low = mid;
            } else {
                high = mid;
            }
        }
        0.5 * (low + high)
    }

    fn mean_utilization(&self) -> f64 {
        self.utilization_sum / self.ticks.len() as f64
    }

    /// Measured arrival rate, requests per second.
    fn arrival_rate(&self) -> f64 {
        self.arrivals / self.seconds
    }

    fn failed_share(&self) -> f64 {
        self.failed / self.arrivals
    }
}

/// Relative gap (measured − expected) / expected, signed.
fn gap(measured: f64, expected: f64) -> f64 {
    (measured - expected) / expected
}

/// Runs the engine at utilisation `rho` on `servers` servers and checks it against M/M/c;
/// appends a table row to `table` and what failed to `failures`.
fn check_steady_state(servers: u32, rho: f64, table: &mut String, failures: &mut Vec<String>) {
    let lambda = rho * f64::from(servers) * mu();
    let queue = MMc::new(lambda, mu(), servers).expect("ρ < 1 is stable");
    let mut sim = Simulation::new(single_service(lambda, servers, None), 7);
    let run = Run::of(&mut sim);

    let exact_p99 = queue
        .response_quantile(0.99)
        .expect("0.99 is a probability");
    let mean_gap = gap(run.mean(), queue.mean_response());
    let p99 = run.quantile(0.99);
    let p99_gap = gap(p99, exact_p99);
    // The summary's histogram covers the warm-up too; the model has no memory beyond the
    // backlog, so that hour hardly weighs.
    let summary_p99 = sim.summary().latency_ms.p99 / 1000.0;
    let summary_gap = gap(summary_p99, exact_p99);
    // Little's law on the simulated path: L = λ̂ Ŵ vs the closed-form L = λW …
    let little_gap = gap(run.arrival_rate() * run.mean(), queue.mean_in_system());
    // … and its in-service part, L − Lq = λ/μ: busy workers = utilisation × c.
    let busy_gap = gap(
        run.mean_utilization() * f64::from(servers),
        queue.offered_load(),
    );
    *table += &format!(
        "{servers:>3} {rho:>5} | {:>8.4} {:>8.4} {:>+7.2}% | {:>8.4} {:>8.4} {:>+7.2}% | \
         {:>8.4} {:>+7.2}% | {:>+7.2}% {:>+7.2}%\n",
        run.mean(),
        queue.mean_response(),
        100.0 * mean_gap,
        p99,
        exact_p99,
        100.0 * p99_gap,
        summary_p99,
        100.0 * summary_gap,
        100.0 * little_gap,
        100.0 * busy_gap,
    );
    let checks = [
        ("mean latency W", mean_gap, MEAN_TOLERANCE),
        ("p99 (mixture of ticks)", p99_gap, P99_TOLERANCE),
        ("p99 (summary histogram)", summary_gap, P99_TOLERANCE),
        ("Little's law L = λW", little_gap, MEAN_TOLERANCE),
        ("busy workers = λ/μ", busy_gap, MEAN_TOLERANCE),
    ];
    for (what, observed, tolerance) in checks {
        if observed.abs() > tolerance {
            failures.push(format!(
                "c = {servers}, ρ = {rho}: {what} off by {:+.2} % (tolerance {} %)",
                100.0 * observed,
                100.0 * tolerance
            ));
        }
    }
}

/// Checks every (servers, ρ) cell, prints the table, fails listing every cell out of bounds.
fn check_steady_states(cells: &[(u32, f64)]) {
    let mut table = format!(
        "engine vs M/M/c (service {SERVICE_MS} ms; tolerances: W and L {} %, p99 {} %)\n\
         {:>3} {:>5} | {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} | {:>8} {:>8} | {:>8} {:>8}\n",
        100.0 * MEAN_TOLERANCE,
        100.0 * P99_TOLERANCE,
        "c",
        "rho",
        "W model",
        "W exact",
        "gap",
        "p99 mix",
        "p99 exac",
        "gap",
        "p99 summ",
        "gap",
        "L gap",
        "busy gap",
    );
    let mut failures = Vec::new();
    for &(servers, rho) in cells {
        check_steady_state(servers, rho, &mut table, &mut failures);
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Steady state, c ∈ {1, 4, 16} × ρ ∈ {0.5, 0.8, 0.9, 0.95} except the three cells below:
/// W within 5 %, p99 within 10 %, Little's law within 5 % of M/M/c.
#[test]
fn steady_state_matches_mmc() {
    check_steady_states(&[
        (1, 0.5),
        (1, 0.8),
        (4, 0.5),
        (4, 0.8),
        (4, 0.9),
        (16, 0.5),
        (16, 0.8),
        (16, 0.9),
        (16, 0.95),
    ]);
}

/// The rest of the grid: near saturation with few servers.
#[test]
fn steady_state_matches_mmc_near_saturation() {
    check_steady_states(&[(1, 0.9), (1, 0.95), (4, 0.95)]);
}

/// Overload: the fluid backlog grows at λ − cμ until it holds cμ × timeout requests. With
/// c = 100, μ = 10/s, λ = 1250/s and a 60 s timeout it grows 7 500 a tick for 8 ticks
/// (Poisson noise on the slope after 7 ticks: √(7 × 37 500) / 52 500 ≈ 1 %), then sits at
/// 60 000 and the excess 250/1250 = 20 % is dropped. Tolerances: slope 5 %, dropped share
/// 5 % relative, backlog never above the cap and within 5 % below it once reached.
#[test]
fn overload_backlog_grows_at_the_excess_rate_then_caps() {
    let (servers, lambda, timeout) = (100_u32, 1250.0, 60.0);
    let capacity = f64::from(servers) * mu();
    let per_tick = (lambda - capacity) * f64::from(TICK_SECONDS);
    let cap = capacity * timeout;
    let mut sim = Simulation::new(single_service(lambda, servers, Some(timeout * 1000.0)), 3);

    // Least-squares slope through the origin over the ticks before the cap (cap / per_tick
    // = 8 ticks: the first 7).
    let filling = (cap / per_tick) as u32 - 1;
    let (mut tb, mut tt) = (0.0, 0.0);
    for k in 1..=filling {
        sim.step().expect("a day is long enough");
        let tick = sim.service_ticks()[0];
        assert_eq!(tick.dropped, 0.0, "tick {k}: nothing dropped below the cap");
        let k = f64::from(k);
        tb += k * tick.backlog;
        tt += k * k;
    }
    let slope = tb / tt;
    eprintln!(
        "overload: backlog slope {slope:.1} per tick, expected (λ − cμ)·{TICK_SECONDS} s = {per_tick:.1}"
    );
    assert!(
        gap(slope, per_tick).abs() <= 0.05,
        "backlog grows {slope:.1} per tick, expected {per_tick:.1} ± 5 %"
    );

    // The cap is reached after cap / per_tick = 8 ticks; measure well after.
    sim.step_n(10);
    let (mut arrivals, mut dropped) = (0.0, 0.0);
    for _ in 0..200 {
        sim.step().expect("a day is long enough");
        let tick = sim.service_ticks()[0];
        assert!(
            tick.backlog <= cap * (1.0 + 1e-12) && tick.backlog >= 0.95 * cap,
            "backlog {} should stay at the cap {cap} (within 5 % below it)",
            tick.backlog
        );
        arrivals += tick.arrivals as f64;
        dropped += tick.dropped;
    }
    let share = dropped / arrivals;
    let expected = (lambda - capacity) / lambda;
    eprintln!("overload: dropped share {share:.4}, expected (λ − cμ)/λ = {expected:.4}");
    assert!(
        gap(share, expected).abs() <= 0.05,
        "dropped share {share:.4}, expected (λ − cμ)/λ = {expected:.4} ± 5 %"
    );
}

/// The issue's example: c = 4, μ = 10/s (40 requests/s), λ = 50/s, timeout 5 s. The cap
/// cμ × timeout = 200 requests is reached in the first tick (a tick's excess is 300 ± 39, more
/// than the cap: the test above checks the slope); then the backlog stays at 200 and
/// (λ − cμ)/λ = 20 % of arrivals are dropped (over 360 ticks the noise is ≈ 1 %). Tolerances:
/// dropped share 5 % relative; backlog within 5 % below the cap, never above it.
#[test]
fn overload_drops_the_excess_at_the_timeout_cap() {
    let (servers, lambda, timeout) = (4_u32, 50.0, 5.0);
    let capacity = f64::from(servers) * mu();
    let cap = capacity * timeout;
    let mut sim = Simulation::new(single_service(lambda, servers, Some(timeout * 1000.0)), 3);
    sim.step().expect("a day is long enough");
    let first = sim.service_ticks()[0].backlog;
    // The first tick's excess, or the cap if the excess is more.
    let expected_first = ((lambda - capacity) * f64::from(TICK_SECONDS)).min(cap);
    assert!(
        first > 0.5 * expected_first && first < 1.5 * expected_first,
        "first tick's backlog {first}, expected about {expected_first}"
    );
    sim.step_n(4);
    let (mut arrivals, mut dropped) = (0.0, 0.0);
    for _ in 0..360 {
        sim.step().expect("a day is long enough");
        let tick = sim.service_ticks()[0];
        assert!(
            tick.backlog <= cap * (1.0 + 1e-12) && tick.backlog >= 0.95 * cap,
            "backlog {} should stay at cμ × timeout = {cap} (within 5 % below)",
            tick.backlog
        );
        arrivals += tick.arrivals as f64;
        dropped += tick.dropped;
    }
    let share = dropped / arrivals;
    let expected = (lambda - capacity) / lambda;
    eprintln!("overload c=4: dropped share {share:.4}, expected {expected:.4}");
    assert!(
        gap(share, expected).abs() <= 0.05,
        "dropped share {share:.4}, expected (λ − cμ)/λ = {expected:.4} ± 5 %"
    );
}

/// Users → a → b → c, 3 attempts at each layer (users at a, a at b, b at c), c failing
/// every request, capacity to spare everywhere (1 ms service, 1 000 workers each).
/// `budget` goes into every retry policy. Returns the attempts reaching a, b and c per user
/// request, measured over an hour after 5 minutes (retries land one tick later).
fn layered_retries(budget: Option<f64>) -> [f64; 3] {
    let budget = budget.map_or(String::new(), |b| format!("budget_ratio = {b:?}"));
    let service = |name: &str, extra: &str| {
        format!(
            "[[services]]\nname = \"{name}\"\nreplicas = 1\nconcurrency = 1000\n\
             service_time_ms = 1.0\n{extra}\n"
        )
    };
    let retry = format!("[services.retry]\nmax_attempts = 3\n{budget}\n");
    let services = [
        service("a", &format!("calls = [\"b\"]\n{retry}")),
        service("b", &format!("calls = [\"c\"]\n{retry}")),
        service("c", "base_error_ratio = 1.0"),
    ]
    .join("\n");
    let traffic_retry = format!("[traffic.retry]\nmax_attempts = 3\n{budget}\n");
    let mut sim = Simulation::new(scenario(100.0, &traffic_retry, &services), 5);
    sim.step_n(30);
    let (mut users, mut attempts) = (0.0, [0.0; 3]);
    for _ in 0..360 {
        // Users' first attempts: the expected rate (Poisson noise over 360 000 ≈ 0.2 %).
        users += sim.expected_rps() * f64::from(TICK_SECONDS);
        sim.step().expect("a day is long enough");
        for (sum, tick) in attempts.iter_mut().zip(sim.service_ticks()) {
            *sum += tick.arrivals as f64;
        }
    }
    attempts.map(|a| a / users)
}

/// 3 layers × 3 attempts over a dead leaf: 3³ = 27 attempts at the leaf per user request
/// (`queueing::retry_amplification(3, 3, 1.0)`), 3 at a and 9 at b. Tolerance 5 %.
#[test]
fn layered_retries_multiply_per_layer() {
    let [a, b, c] = layered_retries(None);
    let expected = queueing::retry_amplification(3, 3, 1.0);
    eprintln!("retries without budget: per user request a {a:.3}, b {b:.3}, c {c:.3} (expected 3, 9, {expected})");
    for (what, got, want) in [
        ("a", a, queueing::retry_amplification(3, 1, 1.0)),
        ("b", b, queueing::retry_amplification(3, 2, 1.0)),
        ("leaf c", c, expected),
    ] {
        assert!(
            gap(got, want).abs() <= 0.05,
            "attempts at {what} per user request: {got:.3}, expected {want} ± 5 %"
        );
    }
}

/// The same with a 10 % retry budget on every layer (SRE book): at most 1.1 attempts per
/// call per layer, 1.1³ = 1.331 at the leaf. Tolerance 5 % (both ways: a budget that
/// stopped all retries, 1.0, would fail too).
#[test]
fn retry_budgets_cap_amplification_near_1_1_per_layer() {
    let [a, b, c] = layered_retries(Some(0.1));
    eprintln!("retries with 10 % budgets: per user request a {a:.4}, b {b:.4}, c {c:.4} (expected 1.1, 1.21, 1.331)");
    for (what, got, want) in [
        ("a", a, 1.1),
        ("b", b, 1.1 * 1.1),
        ("leaf c", c, 1.1 * 1.1 * 1.1),
    ] {
        assert!(
            gap(got, want).abs() <= 0.05,
            "attempts at {what} per user request with budgets: {got:.4}, expected {want:.4} ± 5 %"
        );
    }
}

/// What the per-request simulation measured.
struct Des {
    /// Mean response of the requests answered (late ones included), seconds.
    mean: f64,
    /// Their 99th percentile (nearest rank), seconds.
    p99: f64,
    /// Share of requests that failed: gave up waiting, or answered after the timeout.
    failed_share: f64,
}

/// Per-request FIFO M/M/c with impatient callers: Poisson arrivals at `lambda`, `servers`
/// servers with exponential service at μ. A request whose wait would exceed `timeout`
/// abandons and never takes a server (under FIFO its wait is known when it arrives: the
/// earliest a server frees up); one answered after `timeout` counts as failed too. Measures
/// `requests` requests after a tenth as many of warm-up.
fn des(lambda: f64, servers: u32, timeout: f64, requests: u64, seed: u64) -> Des {
    let interarrival = Exp::new(lambda).expect("positive arrival rate");
    let service = Exp::new(mu()).expect("positive service rate");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut free_at = vec![0.0_f64; servers as usize];
    let warm_up = requests / 10;
    let mut responses = Vec::with_capacity(requests as usize);
    let mut failed = 0_u64;
    let mut now = 0.0;
    for n in 0..warm_up + requests {
        now += interarrival.sample(&mut rng);
        let server = earliest_free(&free_at);
        let start = now.max(free_at[server]);
        let measured = n >= warm_up;
        if start - now > timeout {
            failed += u64::from(measured);
            continue;
        }
        let done = start + service.sample(&mut rng);
        free_at[server] = done;
        if measured {
            let response = done - now;
            failed += u64::from(response > timeout);
            responses.push(response);
        }
    }
    let mean = responses.iter().sum::<f64>() / responses.len() as f64;
    let rank = (responses.len() * 99).div_ceil(100) - 1;
    let (_, p99, _) = responses.select_nth_unstable_by(rank, f64::total_cmp);
    Des {
        mean,
        p99: *p99,
        failed_share: failed as f64 / requests as f64,
    }
}

/// Index of the server that frees up first (the lowest index on ties).
fn earliest_free(free_at: &[f64]) -> usize {
    let mut best = 0;
    for (server, &at) in free_at.iter().enumerate() {
        if at < free_at[best] {
            best = server;
        }
    }
    best
}

/// Requests the DES measures per load (near ρ = 0.9 the p99 spreads by < 1 % across seeds).
const DES_REQUESTS: u64 = 2_000_000;

/// Compares the DES and the engine on each (servers, ρ, timeout seconds) case: without
/// timeout mean within 5 % and p99 within 10 %; with one, the failed share within 10 %
/// relative or 0.02 absolute. Prints the table; fails listing what is out of bounds.
fn check_against_des(cases: &[(u32, f64, f64)]) {
    let mut table = format!(
        "per-request DES vs engine (service {SERVICE_MS} ms, {DES_REQUESTS} requests; \
         tolerances: mean 5 %, p99 10 %, failed 10 % or 0.02)\n\
         {:>3} {:>5} {:>6} | {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} | {:>7} {:>7} {:>8}\n",
        "c",
        "rho",
        "T s",
        "W des",
        "W model",
        "gap",
        "p99 des",
        "p99 mod",
        "gap",
        "fail d",
        "fail m",
        "gap",
    );
    let mut failures = Vec::new();
    for &(servers, rho, timeout) in cases {
        let lambda = rho * f64::from(servers) * mu();
        let reference = des(lambda, servers, timeout, DES_REQUESTS, 3);
        let timeout_ms = timeout.is_finite().then_some(timeout * 1000.0);
        let mut sim = Simulation::new(single_service(lambda, servers, timeout_ms), 3);
        let run = Run::of(&mut sim);
        let (mean, p99, failed) = (run.mean(), run.quantile(0.99), run.failed_share());
        let mean_gap = gap(mean, reference.mean);
        let p99_gap = gap(p99, reference.p99);
        let failed_gap = gap(failed, reference.failed_share);
        let failed_gap_text = if reference.failed_share > 0.0 {
            format!("{:>+7.2}%", 100.0 * failed_gap)
        } else {
            "       -".to_string()
        };
        table += &format!(
            "{servers:>3} {rho:>5} {timeout:>6} | {:>8.4} {mean:>8.4} {:>+7.2}% | {:>8.4} \
             {p99:>8.4} {:>+7.2}% | {:>7.4} {failed:>7.4} {failed_gap_text}\n",
            reference.mean,
            100.0 * mean_gap,
            reference.p99,
            100.0 * p99_gap,
            reference.failed_share,
        );
        if timeout.is_finite() {
            let absolute = (failed - reference.failed_share).abs();
            if failed_gap.abs() > FAILED_RELATIVE_TOLERANCE && absolute > FAILED_ABSOLUTE_TOLERANCE
            {
                failures.push(format!(
                    "c = {servers}, ρ = {rho}, T = {timeout} s: failed share {failed:.4} vs DES \
                     {:.4} ({:+.1} %, {absolute:.4} absolute)",
                    reference.failed_share,
                    100.0 * failed_gap
                ));
            }
        } else {
            // Trust the reference first: without timeout it must be M/M/c.
            let queue = MMc::new(lambda, mu(), servers).expect("ρ < 1 is stable");
            let des_gap = gap(reference.mean, queue.mean_response());
            assert!(
                des_gap.abs() <= 0.02,
                "the DES itself is off M/M/c's W by {:+.2} % at c = {servers}, ρ = {rho}",
                100.0 * des_gap
            );
            for (what, observed, tolerance) in [
                ("mean latency", mean_gap, MEAN_TOLERANCE),
                ("p99", p99_gap, P99_TOLERANCE),
            ] {
                if observed.abs() > tolerance {
                    failures.push(format!(
                        "c = {servers}, ρ = {rho}: {what} off the DES by {:+.2} % (tolerance {} %)",
                        100.0 * observed,
                        100.0 * tolerance
                    ));
                }
            }
        }
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// ρ = 0.7 and 0.9 without timeout on 4 and 16 servers; ρ = 1.2 with a 2 s timeout on 16.
#[test]
fn per_request_reference_agrees_with_the_model() {
    check_against_des(&[
        (4, 0.7, f64::INFINITY),
        (4, 0.9, f64::INFINITY),
        (16, 0.7, f64::INFINITY),
        (16, 0.9, f64::INFINITY),
        (16, 1.2, 2.0),
    ]);
}

/// Overload on four servers: few servers leave waits spread well below the timeout.
#[test]
fn per_request_reference_agrees_with_the_model_in_overload_on_four_servers() {
    check_against_des(&[(4, 1.2, 2.0)]);
}

/// Same scenario and seed: same run hash, bit for bit; another seed: another hash.
#[test]
fn same_seed_same_hash_other_seed_other_hash() {
    let make = || {
        scenario(
            30.0,
            "[traffic.retry]\nmax_attempts = 2\n",
            r#"
[[services]]
name = "api"
replicas = 4
concurrency = 1
service_time_ms = 100.0
timeout_ms = 2000.0
base_error_ratio = 0.01
"#,
        )
    };
    let run = |seed: u64| {
        let mut sim = Simulation::new(make(), seed);
        while sim.step().is_some() {}
        sim
    };
    let (first, again, other) = (run(11), run(11), run(12));
    assert_eq!(
        first.tick(),
        first.scenario().run_ticks(),
        "a whole day ran"
    );
    assert_eq!(first.run_hash(), again.run_hash(), "same seed, same hash");
    assert_eq!(first.records(), again.records(), "same seed, same ticks");
    assert_ne!(
        first.run_hash(),
        other.run_hash(),
        "another seed, another hash"
    );
}
