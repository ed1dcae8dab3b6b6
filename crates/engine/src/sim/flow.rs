//! Phase "flow": users' requests arrive at the entry and move through the call graph as
//! shares (no random draws): each service queues what it admits ([`crate::service`]),
//! calls its dependencies, and fails a share of its requests (rejected, timed out, failed
//! dependencies, its own errors and defects).

use crate::clock::{Tick, TICKS_PER_HOUR};
use crate::latency::Latency;
use crate::math;
use crate::scenario::{RetryPolicy, SloSpec};
use crate::service::QueueOutcome;
use crate::traffic;
use std::rc::Rc;

use super::protection::{Breaker, BREAKER_TRIAL_SHARE};
use super::retries::final_failure;
use super::World;

/// Per-service scratch of one tick, reused to avoid allocating every tick.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Scratch {
    /// Requests (fluid) reaching the service this tick.
    pub(super) arrivals: f64,
    /// Arrivals rounded to whole requests.
    pub(super) arrivals_whole: u64,
    pub(super) queue: QueueOutcome,
    /// First attempts of calls this service makes to each callee, this tick.
    pub(super) calls: f64,
    /// Share of calls its breaker lets through (1 when closed).
    pub(super) pass: f64,
    /// Share of arriving requests that failed (what callers see).
    pub(super) failure: f64,
    pub(super) latency: Latency,
    /// Share of processed requests that timed out.
    pub(super) timed_out: f64,
    /// `timed_out` with the latency and timeout it was worked out for (see [`share_over`]).
    pub(super) timed_out_memo: SlowMemo,
}

/// The share of requests over a latency threshold, with the bits of the latency (mean,
/// seconds; variance, seconds²) and threshold (seconds) it is for.
pub(super) type SlowMemo = Option<([u64; 3], f64)>;

/// The share of requests slower than `threshold` (seconds), reusing `memo` when the
/// latency's bits and the threshold repeat: a steady tick repeats them, and the Gamma tail
/// behind the share is among the dearest sums of a tick.
#[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
fn share_over(latency: Latency, threshold: f64, memo: &mut SlowMemo) -> f64 {
    // Written out, not `.map(f64::to_bits)`: at opt-level "z" (the page) that stays a call.
    let key = [
        latency.mean.to_bits(),
        latency.variance.to_bits(),
        threshold.to_bits(),
    ];
    match *memo {
        Some((known, share)) if math::same_words(&known, &key) => share,
        _ => {
            let share = latency.exceeds_probability(threshold);
            *memo = Some((key, share));
            share
        }
    }
}

/// A latency that happens only for a `share` of requests (the rest take no time): the
/// moments of that mixture.
pub(super) fn some_of_the_time(latency: Latency, share: f64) -> Latency {
    let mean = share * latency.mean;
    let second_moment = share * (latency.variance + latency.mean * latency.mean);
    Latency {
        mean,
        variance: math::max(second_moment - mean * mean, 0.0),
    }
}

/// A share of requests that failed, made safe to count: within 0–1, and a share that could
/// not be computed (NaN, from infinities meeting in the model's maths) counts as all
/// failed, never as all good.
pub(super) fn failed_share(share: f64) -> f64 {
    if share.is_nan() {
        1.0
    } else {
        share.clamp(0.0, 1.0)
    }
}

/// Most requests one service takes in one tick (10¹² a tick is 10¹¹ per second). Counts
/// saturate here, far above any scenario the format allows without retries amplifying a
/// call chain, so that no running total of a 90-day run can overflow 64 bits.
pub(super) const MAX_ARRIVALS_PER_TICK: f64 = 1e12;

impl World {
    /// Moves one tick of requests through the call graph, as shares (no random draws):
    /// `users` first attempts arrive at the entry. Fills `scratch` for every service.
    pub(super) fn flow(&mut self, users: f64, rate_scale: f64, seconds: f64) {
        let topology = Rc::clone(&self.topology);
        let entry = topology.entry;
        for (s, scratch) in self.scratch.iter_mut().enumerate() {
            scratch.arrivals = self.retries_next[s];
            scratch.pass = match self.breakers[s] {
                Breaker::Closed => 1.0,
                Breaker::Open { .. } => 0.0,
                Breaker::HalfOpen => BREAKER_TRIAL_SHARE,
            };
        }
        self.scratch[entry].arrivals += users;
        // Callers first: what each service admits becomes calls to its callees.
        for &s in &topology.order {
            let spec = &self.scenario.services[s];
            let fluid = self.scratch[s].arrivals + self.arrival_carry[s];
            let whole = if fluid.is_nan() {
                0.0
            } else {
                math::round(fluid).clamp(0.0, MAX_ARRIVALS_PER_TICK)
            };
            // What was cut off (or a share that could not be computed) is not carried.
            let carry = fluid - whole;
            self.arrival_carry[s] = if carry.abs() < 1.0 { carry } else { 0.0 };
            let queue = self.services[s].queue(spec, whole, rate_scale, seconds);
            let processed = whole * (1.0 - queue.rejected_share - queue.dropped_share);
            let calls = processed * (1.0 - self.hit_ratio(s));
            let scratch = &mut self.scratch[s];
            scratch.arrivals_whole = whole as u64;
            scratch.queue = queue;
            scratch.calls = calls;
            for &callee in topology.callees(s) {
                let pass = self.scratch[callee].pass;
                self.scratch[callee].arrivals += calls * pass;
            }
        }
        // Callees first: latency and failures flow back up to the callers.
        for &s in topology.order.iter().rev() {
            let spec = &self.scenario.services[s];
            let policy = spec.retry.as_ref().unwrap_or(&RetryPolicy::NONE);
            let mut deps_latency = Latency::ZERO;
            let mut deps_ok = 1.0;
            for &callee in topology.callees(s) {
                let dep = &self.scratch[callee];
                deps_latency = deps_latency + dep.latency;
                let retried = self.retries_enabled.then_some(policy);
                let call_failure =
                    (1.0 - dep.pass) + dep.pass * final_failure(dep.failure, retried);
                deps_ok *= 1.0 - call_failure;
            }
            let miss = 1.0 - self.hit_ratio(s);
            let scratch = &self.scratch[s];
            let mut latency = scratch.queue.own_latency + some_of_the_time(deps_latency, miss);
            if s == entry {
                for &(share, seconds) in &self.change_effects.added {
                    if share > 0.0 {
                        latency = latency + some_of_the_time(Latency::constant(seconds), share);
                    }
                }
            }
            let mut timed_out_memo = self.scratch[s].timed_out_memo;
            let timed_out = share_over(latency, spec.timeout_seconds(), &mut timed_out_memo);
            let dependency_failure = miss * (1.0 - deps_ok);
            let own = self.own_error_ratio(s);
            let processed_failure =
                1.0 - (1.0 - timed_out) * (1.0 - dependency_failure) * (1.0 - own);
            let queue = &scratch.queue;
            let processed_share = 1.0 - queue.rejected_share - queue.dropped_share;
            let failure = (1.0 - processed_share) + processed_share * processed_failure;
            let scratch = &mut self.scratch[s];
            scratch.latency = latency;
            scratch.timed_out = timed_out;
            scratch.timed_out_memo = timed_out_memo;
            scratch.failure = failed_share(failure);
            debug_assert!(
                !scratch.latency.mean.is_nan() && !scratch.timed_out.is_nan(),
                "service {s}: {:?}",
                scratch.latency
            );
        }
    }
    /// Share of a service's requests (this tick) that count as bad for an SLO. `slow` is
    /// the last share over the SLO's latency threshold worked out (see [`share_over`]).
    pub(super) fn bad_share(&self, s: usize, slo: &SloSpec, slow: &mut SlowMemo) -> f64 {
        let scratch = &self.scratch[s];
        match slo.threshold_seconds() {
            None => scratch.failure,
            Some(threshold) => {
                let queue = &scratch.queue;
                let processed_share = 1.0 - queue.rejected_share - queue.dropped_share;
                let slow = math::max(
                    share_over(scratch.latency, threshold, slow),
                    scratch.timed_out,
                );
                queue.dropped_share + processed_share * slow
            }
        }
    }
    /// Share of requests a service answers from its cache right now.
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    pub(super) fn hit_ratio(&self, s: usize) -> f64 {
        self.scenario.services[s]
            .cache
            .as_ref()
            .map_or(0.0, |cache| cache.hit_ratio.0 * self.cache_warmth[s])
    }
    /// Share of processed requests a service fails on its own (bugs, defects).
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    pub(super) fn own_error_ratio(&self, s: usize) -> f64 {
        let spec = &self.scenario.services[s];
        let base = math::min(spec.base_error_ratio.0 + self.fault_errors[s], 1.0);
        if s != self.scenario.topology().entry {
            return base;
        }
        math::min(base + self.change_effects.error_ratio, 1.0)
    }

    /// Users' first attempts arriving this tick (Poisson around the expected rate, times
    /// the hour's noise and any surge in progress), and expected ÷ drawn (see
    /// `ServiceState::queue`).
    pub(super) fn users_arriving(&mut self, tick: Tick) -> (u64, f64) {
        let hour = tick / TICKS_PER_HOUR;
        if self.noise_now.0 != hour {
            let factor =
                traffic::noise_factor(&self.scenario.traffic, &mut self.noise.at(u64::from(hour)));
            self.noise_now = (hour, factor);
        }
        let expected =
            self.expected.per_tick(i64::from(tick)) * self.noise_now.1 * self.traffic_factor;
        let users = self.arrivals.sample(expected, &mut self.traffic);
        let rate_scale = if users > 0 {
            expected / users as f64
        } else {
            1.0
        };
        (users, rate_scale)
    }
}
