//! Phase "counting": the tick's shares become whole requests (random draws where an SLO
//! measures the service), each service's run totals grow, and the run hash sees the counts.

use crate::clock::{Tick, TICKS_PER_MINUTE};
use crate::latency::{Latency, QuantileTable};
use crate::math;
use crate::percentiles::{LatencyHistogram, HISTOGRAM_POINTS};
use crate::service::ServiceTick;
use rand_distr::{Binomial, Distribution};

use super::{fold, World};

/// Ticks of latency pooled before they go into a service's run histogram (10 minutes).
pub(super) const HISTOGRAM_FLUSH_TICKS: u32 = 10 * TICKS_PER_MINUTE;

/// Run totals of one service.
#[derive(Debug, Clone, Default)]
pub(super) struct ServiceTotals {
    pub(super) requests: u64,
    pub(super) good: u64,
    pub(super) utilization_sum: f64,
    pub(super) latency: LatencyHistogram,
    /// Latency since the last flush, pooled. Added to the histogram every
    /// [`HISTOGRAM_FLUSH_TICKS`] and whenever the distribution changes shape (reading 24
    /// quantiles costs more than the tick).
    pub(super) pending: LatencyPool,
}

/// Latencies of several ticks pooled into one distribution by its first two moments.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LatencyPool {
    /// Requests pooled.
    requests: f64,
    /// Σ requests × mean latency, request-seconds.
    weighted_mean: f64,
    /// Σ requests × (variance + mean²), request-seconds².
    weighted_second_moment: f64,
}

impl ServiceTotals {
    pub(super) fn pool(&mut self, latency: &Latency, requests: f64) {
        let pool = &mut self.pending;
        pool.requests += requests;
        pool.weighted_mean += requests * latency.mean;
        pool.weighted_second_moment += requests * (latency.variance + latency.mean * latency.mean);
    }

    /// Whether `latency` is far (more than 10 %) from the pooled mean.
    pub(super) fn differs(&self, latency: &Latency) -> bool {
        let LatencyPool {
            requests: n,
            weighted_mean: first,
            ..
        } = self.pending;
        n > 0.0 && (latency.mean - first / n).abs() > 0.1 * (first / n)
    }

    pub(super) fn flush_pool(&mut self, table: &QuantileTable<{ HISTOGRAM_POINTS.len() }>) {
        let LatencyPool {
            requests: n,
            weighted_mean: first,
            weighted_second_moment: second,
        } = std::mem::take(&mut self.pending);
        if n > 0.0 {
            let mean = first / n;
            let latency = Latency::new(mean, math::max(second / n - mean * mean, 0.0));
            self.latency.add(table, &latency, n);
        }
    }
}

/// How many of `served` requests fail at `error_ratio`. Below one expected failure in
/// 10⁶ ticks the draw is skipped (setting up a binomial costs more than the whole tick).
pub(super) fn draw_failures(served: u64, error_ratio: f64, rng: &mut crate::rng::TickRng) -> u64 {
    if served as f64 * error_ratio < 1e-6 {
        return 0;
    }
    if error_ratio >= 1.0 {
        return served;
    }
    if let Some(failed) = few_failures(served, error_ratio, rng) {
        return failed;
    }
    match Binomial::new(served, error_ratio) {
        Ok(binomial) => binomial.sample(rng),
        // Only a NaN ratio lands here (`failed_share` keeps it out): what cannot be
        // computed failed, it never counts as good.
        Err(_) => served,
    }
}

/// Retries the inversion below gives up after, drawing again (rand_distr's `BINV_MAX_X`).
const INVERSION_MAX_FAILURES: u64 = 110;

/// The draw `Binomial::new(n, p)?.sample(rng)` makes when rand_distr 0.5 samples by
/// inversion (BINV: 0 < p ≤ 0.5, n·p < 10, 1 − p ≠ 1), with the same arithmetic, the same
/// random numbers and so the same result and the same stream left behind; `None` in every
/// other case, for rand_distr itself (`a_few_failures_are_drawn_as_rand_distr_draws_them`
/// checks both, over a wide range). It differs in one thing: its first step, "no failure"
/// when the uniform draw u ≤ (1 − p)ⁿ, is settled without the power when u is under the
/// lower bound 1 − n·p (Bernoulli's inequality) less a margin for the rounding of 1 − p and
/// of `powf` (n·4e-16 + 1e-9, far above both). On most ticks a service fails a request or
/// none, u is under the bound, and the power, among the dearest sums of a tick, is skipped.
fn few_failures(n: u64, p: f64, rng: &mut crate::rng::TickRng) -> Option<u64> {
    use rand::Rng;

    let trials = n as f64;
    let expected = trials * p;
    let q = 1.0 - p;
    if !(p > 0.0 && p <= 0.5 && expected < 10.0 && q != 1.0) {
        return None;
    }
    let mut u: f64 = rng.random();
    if u <= 1.0 - expected - (trials * 4e-16 + 1e-9) {
        return Some(0);
    }
    let s = p / q;
    let a = (trials + 1.0) * s;
    // The trait's `powf`, as rand_distr (a no_std crate) calls it: `q.powf` here would be
    // std's, the platform's `pow`, which may round differently.
    let first = num_traits::Float::powf(q, trials);
    loop {
        let (mut r, mut failed) = (first, 0);
        while u > r {
            u -= r;
            failed += 1;
            if failed > INVERSION_MAX_FAILURES {
                break;
            }
            r *= a / (failed as f64) - s;
        }
        if failed <= INVERSION_MAX_FAILURES {
            return Some(failed);
        }
        u = rng.random();
    }
}

/// One service's run so far, as reports read it.
#[derive(Debug, Clone, Copy)]
pub struct ServiceRun<'a> {
    /// Requests (attempts, retries included) that reached it.
    pub requests: u64,
    /// Of those, answered successfully.
    pub good: u64,
    /// Mean share of its workers' time spent serving, 0–1.
    pub utilization_mean: f64,
    /// Latency of its processed requests over the run, seconds.
    pub latency: &'a LatencyHistogram,
}

impl World {
    /// Turns this tick's flow into counts: good and failed requests per service, their
    /// run totals and latency histograms, and one word for the run hash.
    pub(super) fn count_served(&mut self, tick: Tick, users: u64) {
        // This tick's numbers, folded into one word before the run hash sees them (BLAKE3
        // over every count of every service cost as much as the tick itself).
        let mut digest = fold(u64::from(tick), users);
        for s in 0..self.services.len() {
            let scratch = self.scratch[s];
            let arrivals = scratch.arrivals_whole;
            // Services an SLO measures get a random draw (an SLI is noisy); for the others
            // the expected count, carried to the next tick, is as good and far cheaper.
            let failed = if self.measured[s] {
                draw_failures(arrivals, scratch.failure, &mut self.errors)
            } else {
                let expected = arrivals as f64 * scratch.failure + self.failure_carry[s];
                let whole = math::floor(expected).clamp(0.0, arrivals as f64);
                self.failure_carry[s] = expected - whole;
                whole as u64
            };
            let good = arrivals - failed;
            let queue = &scratch.queue;
            self.service_ticks[s] = ServiceTick {
                arrivals,
                good,
                rejected: queue.rejected,
                dropped: queue.dropped,
                utilization: queue.utilization,
                backlog: self.services[s].backlog,
                latency: scratch.latency,
                failure_ratio: scratch.failure,
            };
            let totals = &mut self.service_totals[s];
            totals.requests += arrivals;
            totals.good += good;
            totals.utilization_sum += queue.utilization;
            let processed = arrivals as f64 * (1.0 - queue.rejected_share - queue.dropped_share);
            // A pool mixes its ticks into one Gamma: flush early when this tick's latency
            // differs much from the pool's, so an incident's tail is not averaged away.
            if totals.differs(&scratch.latency) {
                totals.flush_pool(&self.histogram_points);
            }
            totals.pool(&scratch.latency, processed);
            if (tick + 1) % HISTOGRAM_FLUSH_TICKS == 0 || tick + 1 == self.scenario.run_ticks() {
                totals.flush_pool(&self.histogram_points);
            }
            digest = fold(fold(digest, arrivals), good);
        }
        self.hasher.update(&digest.to_le_bytes());
        let entry_tick = self.service_ticks[self.scenario.topology().entry];
        self.requests_total += entry_tick.arrivals;
        self.requests_good += entry_tick.good;
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngCore, SeedableRng};
    use rand_distr::{Binomial, Distribution};

    use super::*;
    use crate::rng::TickRng;

    /// `few_failures` (where it answers) against rand_distr: the same count, and the same
    /// next number from the stream after it.
    fn agrees(n: u64, p: f64, seed: u64) -> Result<bool, String> {
        let (mut ours, mut theirs) = (TickRng::seed_from_u64(seed), TickRng::seed_from_u64(seed));
        let Some(count) = few_failures(n, p, &mut ours) else {
            return Ok(false);
        };
        let expected = Binomial::new(n, p).expect("valid").sample(&mut theirs);
        if count != expected || ours.next_u64() != theirs.next_u64() {
            return Err(format!("n {n}, p {p}, seed {seed}: {count} vs {expected}"));
        }
        Ok(true)
    }

    #[test]
    fn a_few_failures_are_drawn_as_rand_distr_draws_them() {
        // Grids of sizes and expected counts from 1e-7 to just under 10 (rand_distr's
        // switch to BTPE), many seeds each: the shortcut (u under the bound), the inversion
        // and, for n·p near 10, a long walk.
        let mut answered = 0;
        for n in [
            1,
            2,
            7,
            50,
            999,
            40_000,
            3_000_000,
            1_000_000_000,
            1_000_000_000_000,
        ] {
            for expected in [1e-7, 1e-4, 0.01, 0.3, 0.999, 1.0, 2.5, 9.99] {
                let p = expected / n as f64;
                if p > 0.5 {
                    continue;
                }
                for seed in 0..200 {
                    answered += u32::from(agrees(n, p, seed).unwrap_or_else(|why| panic!("{why}")));
                }
            }
        }
        assert!(
            answered > 10_000,
            "{answered} draws answered by the shortcut's path"
        );
        // Outside BINV it leaves the draw to rand_distr, drawing nothing.
        let mut rng = TickRng::seed_from_u64(1);
        let before = rng.clone().next_u64();
        for (n, p) in [
            (100, 0.6),
            (1000, 0.2),
            (10, 0.0),
            (5, 1e-17),
            (5, f64::NAN),
        ] {
            assert_eq!(few_failures(n, p, &mut rng), None, "n {n}, p {p}");
        }
        assert_eq!(rng.next_u64(), before, "nothing drawn");
    }

    // proptest is a native dev-dependency; the test above runs in wasm too.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_few_failures_match_rand_distr(
            n in 1u64..2_000_000_000,
            share in 0.0f64..1.0,
            seed in proptest::prelude::any::<u64>(),
        ) {
            // p spread over many orders of magnitude below 10/n.
            let p = (10.0 / n as f64).min(0.5) * share * share * share;
            proptest::prop_assert!(agrees(n, p, seed).is_ok(), "{:?}", agrees(n, p, seed));
        }
    }
}
