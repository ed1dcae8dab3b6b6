//! Reference M/M/c: a per-request discrete-event simulation checked against `queueing`.
//!
//! The engine models load tick by tick, in aggregate; it will be compared against this
//! simulation, which follows every request. Here the simulation itself is checked against the
//! closed forms of `ops_dojo_engine::queueing`, so both ends of that comparison are trusted.
//!
//! FCFS M/M/c: Poisson arrivals, exponential service, c servers. Each arriving request takes the
//! server that frees up first (no later arrival can start before it: first come, first served).
//! The run is cut by time: a warm-up from an empty system is discarded, then requests arriving
//! in the measurement window are measured, and the number in system is integrated over it.

use ops_dojo_engine::queueing::MMc;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Allowed relative gap between simulated and closed-form mean response time.
const MEAN_TOLERANCE: f64 = 0.05;
/// Allowed relative gap between simulated and closed-form p99 response time.
const P99_TOLERANCE: f64 = 0.10;
/// Allowed relative gap in Little's law: time-average number in system vs λW.
const LITTLE_TOLERANCE: f64 = 0.05;

/// Utilizations checked, each with the number of requests to measure. Near saturation the
/// queue forgets its past slowly (busy periods grow like 1 / (1 − ρ)²), so the run grows too:
/// about 25 000 / (1 − ρ)² requests, and at least 400 000 so the 1 % tail has thousands.
/// Sized from a 30-seed scan: across seeds the worst cell (ρ = 0.9, c = 1) spreads with an
/// RMS of 1.2 % on the mean and 2.6 % on the p99, about a quarter of each tolerance.
const LOADS: [(f64, u32); 4] = [
    (0.5, 400_000),
    (0.8, 640_000),
    (0.9, 2_500_000),
    (0.95, 10_000_000),
];

/// Mean service time, seconds (1 / μ).
const SERVICE_SECONDS: f64 = 0.1;

/// What one simulated run measured.
struct Measured {
    /// Requests that arrived in the measurement window.
    requests: u32,
    /// Mean response time (wait + service) of those requests, seconds.
    mean_response: f64,
    /// Their 99th-percentile response time, seconds.
    p99_response: f64,
    /// Time-average number of requests in the system over the window.
    mean_in_system: f64,
}

/// Measurement window of a run, seconds since the empty start.
struct Window {
    start: f64,
    end: f64,
}

impl Window {
    /// Seconds of [arrived, departed] inside the window.
    fn overlap(&self, arrived: f64, departed: f64) -> f64 {
        (departed.min(self.end) - arrived.max(self.start)).max(0.0)
    }

    fn contains(&self, seconds: f64) -> bool {
        seconds >= self.start && seconds < self.end
    }

    fn seconds(&self) -> f64 {
        self.end - self.start
    }
}

/// Simulates `queue` for about `requests` measured requests after a warm-up of a tenth as many.
fn simulate(queue: &MMc, requests: u32, seed: u64) -> Measured {
    let arrival_rate = queue.arrival_rate();
    let warm_up = 0.1 * f64::from(requests) / arrival_rate;
    let window = Window {
        start: warm_up,
        end: warm_up + f64::from(requests) / arrival_rate,
    };
    let interarrival = Exp::new(arrival_rate).expect("arrival rate is positive");
    let service = Exp::new(queue.service_rate()).expect("service rate is positive");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    let mut free_at = vec![0.0_f64; queue.servers() as usize];
    let mut responses = Vec::with_capacity(requests as usize + requests as usize / 50);
    let mut in_system_seconds = 0.0;
    let mut arrived = interarrival.sample(&mut rng);
    while arrived < window.end {
        let server = earliest_free(&free_at);
        let departed = arrived.max(free_at[server]) + service.sample(&mut rng);
        free_at[server] = departed;
        in_system_seconds += window.overlap(arrived, departed);
        if window.contains(arrived) {
            responses.push(departed - arrived);
        }
        arrived += interarrival.sample(&mut rng);
    }
    summarise(responses, in_system_seconds / window.seconds())
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

fn summarise(mut responses: Vec<f64>, mean_in_system: f64) -> Measured {
    let count = responses.len();
    let mean_response = responses.iter().sum::<f64>() / count as f64;
    // Nearest-rank p99: the smallest response at least 99 % of requests do not exceed.
    let rank = (count * 99).div_ceil(100) - 1;
    let (_, p99_response, _) = responses.select_nth_unstable_by(rank, f64::total_cmp);
    Measured {
        requests: u32::try_from(count).expect("runs measure fewer than 2^32 requests"),
        mean_response,
        p99_response: *p99_response,
        mean_in_system,
    }
}

/// Relative gap |measured − expected| / expected.
fn gap(measured: f64, expected: f64) -> f64 {
    (measured - expected).abs() / expected
}

/// Simulates every load in [`LOADS`] on `servers` servers, prints the agreement table and
/// checks it against the tolerances.
fn check_against_closed_forms(servers: u32) {
    let mut table = format!(
        "M/M/{servers} reference DES vs closed form (tolerances: mean {MEAN_TOLERANCE}, \
         p99 {P99_TOLERANCE}, Little {LITTLE_TOLERANCE})\n\
         {:>5} {:>3} {:>9} | {:>9} {:>9} {:>7} | {:>9} {:>9} {:>7} | {:>8} {:>7} {:>7}\n",
        "rho",
        "c",
        "requests",
        "W des",
        "W exact",
        "gap",
        "p99 des",
        "p99 exact",
        "gap",
        "L des",
        "vs λW",
        "vs L",
    );
    let mut failures = Vec::new();
    for (index, (utilization, requests)) in LOADS.into_iter().enumerate() {
        let service_rate = 1.0 / SERVICE_SECONDS;
        let arrival_rate = utilization * f64::from(servers) * service_rate;
        let queue = MMc::new(arrival_rate, service_rate, servers).expect("ρ < 1 is stable");
        let seed = 1000 * u64::from(servers) + index as u64;
        let measured = simulate(&queue, requests, seed);

        let exact_p99 = queue
            .response_quantile(0.99)
            .expect("0.99 is a probability");
        let mean_gap = gap(measured.mean_response, queue.mean_response());
        let p99_gap = gap(measured.p99_response, exact_p99);
        // Little's law on the simulated path: time-average count vs λ × simulated W …
        let little_gap = gap(
            measured.mean_in_system,
            arrival_rate * measured.mean_response,
        );
        // … and vs the closed-form L = λW.
        let count_gap = gap(measured.mean_in_system, queue.mean_in_system());
        table += &format!(
            "{utilization:>5} {servers:>3} {:>9} | {:>9.5} {:>9.5} {:>6.2}% | {:>9.5} {:>9.5} \
             {:>6.2}% | {:>8.3} {:>6.2}% {:>6.2}%\n",
            measured.requests,
            measured.mean_response,
            queue.mean_response(),
            100.0 * mean_gap,
            measured.p99_response,
            exact_p99,
            100.0 * p99_gap,
            measured.mean_in_system,
            100.0 * little_gap,
            100.0 * count_gap,
        );
        let checks = [
            ("mean response", mean_gap, MEAN_TOLERANCE),
            ("p99 response", p99_gap, P99_TOLERANCE),
            ("Little's law (λW)", little_gap, LITTLE_TOLERANCE),
            ("Little's law (closed-form L)", count_gap, LITTLE_TOLERANCE),
        ];
        for (what, observed, tolerance) in checks {
            if observed > tolerance {
                failures.push(format!(
                    "ρ = {utilization}, c = {servers}: {what} off by {observed:.4}"
                ));
            }
        }
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn one_server_matches_closed_forms() {
    check_against_closed_forms(1);
}

#[test]
fn four_servers_match_closed_forms() {
    check_against_closed_forms(4);
}

#[test]
fn sixteen_servers_match_closed_forms() {
    check_against_closed_forms(16);
}

#[test]
fn simulation_is_repeatable() {
    let queue = MMc::new(8.0, 10.0, 1).expect("ρ = 0.8 is stable");
    let first = simulate(&queue, 10_000, 7);
    let again = simulate(&queue, 10_000, 7);
    assert_eq!(first.mean_response.to_bits(), again.mean_response.to_bits());
    assert_eq!(first.p99_response.to_bits(), again.p99_response.to_bits());
}

#[test]
fn earliest_free_server_takes_the_request() {
    assert_eq!(earliest_free(&[3.0, 1.0, 2.0, 1.0]), 1);
    assert_eq!(earliest_free(&[0.0]), 0);
}
