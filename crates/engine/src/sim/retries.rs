//! Phase "retries": the failures of a tick come back as retries in the ticks their backoff
//! lands them in (DOMAIN.md, "Retries": retries add load where they land).

use crate::action_items::RETRY_BUDGET_RATIO;
use crate::clock::{Tick, TICKS_PER_MINUTE, TICK_SECONDS};
use crate::math;
use crate::scenario::{Ratio, RetryPolicy};
use std::rc::Rc;

use super::World;

/// Longest backoff the engine follows, ticks (10 minutes); longer waits are cut to it.
pub(super) const RETRY_HORIZON_TICKS: u32 = 10 * TICKS_PER_MINUTE;

/// Retries a failed call brings, per call, when each attempt fails with probability
/// `failure`: attempt k+1 happens if the first k failed, so Σ failure^k for k < max, capped
/// by the retry budget (retries ≤ budget × requests).
#[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
pub(super) fn retries_per_call(failure: f64, policy: &RetryPolicy) -> f64 {
    let mut retries = 0.0;
    let mut all_failed = 1.0;
    for _ in 1..policy.max_attempts.0 {
        all_failed *= failure;
        retries += all_failed;
    }
    match policy.budget_ratio {
        Some(budget) => math::min(retries, budget.0),
        None => retries,
    }
}

/// Share of the retries failures call for that the retry budget lets happen (1 without a
/// budget, or when nothing fails).
#[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
pub(super) fn retries_allowed_share(failure: f64, policy: &RetryPolicy) -> f64 {
    if policy.budget_ratio.is_none() {
        // What the sums below would give (wanted ÷ wanted, finite as failure ≤ 1), without
        // them: most policies keep no budget, and the flow asks for each call each tick.
        return 1.0;
    }
    let unbudgeted = RetryPolicy {
        budget_ratio: None,
        ..*policy
    };
    let wanted = retries_per_call(failure, &unbudgeted);
    if wanted > 0.0 {
        retries_per_call(failure, policy) / wanted
    } else {
        1.0
    }
}

/// Share of calls that fail after retries: failure^max when every failure is retried;
/// with a budget only a share of the retries happen.
#[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
pub(super) fn final_failure(failure: f64, policy: Option<&RetryPolicy>) -> f64 {
    let Some(policy) = policy else {
        return failure;
    };
    let retried = retries_allowed_share(failure, policy);
    let mut all_failed = failure;
    for _ in 1..policy.max_attempts.0 {
        all_failed *= failure;
    }
    failure * (1.0 - retried) + retried * all_failed
}

impl World {
    /// Retries the failures of this tick bring next tick: users' clients retry at the
    /// entry, each service retries its calls (DOMAIN.md: retries add load where they land).
    pub(super) fn plan_retries(&mut self, tick: Tick, users: f64) {
        if !self.retries_enabled {
            return;
        }
        let topology = Rc::clone(&self.topology);
        let entry = topology.entry;
        if let Some(policy) = self.scenario.traffic.retry {
            let failure = self.scratch[entry].failure;
            let policy = self.budgeted(policy);
            self.schedule_retries(entry, tick, users, failure, &policy);
        }
        for s in 0..self.services.len() {
            let Some(policy) = self.scenario.services[s].retry else {
                continue;
            };
            let policy = self.budgeted(policy);
            let calls = self.scratch[s].calls;
            for &callee in topology.callees(s) {
                let dep = self.scratch[callee];
                self.schedule_retries(callee, tick, calls * dep.pass, dep.failure, &policy);
            }
        }
    }
    /// `policy` as it applies now: with a retry budget once a postmortem's retry-budget item
    /// has shipped (the scenario itself is left as written: result codes fingerprint it).
    fn budgeted(&self, policy: RetryPolicy) -> RetryPolicy {
        match policy.budget_ratio {
            None if self.retry_budget => RetryPolicy {
                budget_ratio: Some(Ratio(RETRY_BUDGET_RATIO)),
                ..policy
            },
            _ => policy,
        }
    }

    /// Puts the retries of `calls` calls to service `s` that failed with probability
    /// `failure` into the ticks their backoff lands them in: retry k of a call happens if
    /// the first k attempts failed (failure^k), within the retry budget, spread evenly over
    /// its jitter window of `backoff × 2^(k−1)` (at least the next tick).
    pub(super) fn schedule_retries(
        &mut self,
        s: usize,
        tick: Tick,
        calls: f64,
        failure: f64,
        policy: &RetryPolicy,
    ) {
        if calls <= 0.0 || failure <= 0.0 {
            return;
        }
        let budget_share = retries_allowed_share(failure, policy);
        let backoff = policy.backoff_ms.map_or(0.0, |b| b.0 / 1000.0);
        let ring = &mut self.retries_later[s];
        let mut all_failed = 1.0;
        let mut window = backoff;
        for _ in 1..policy.max_attempts.0 {
            all_failed *= failure;
            let retries = calls * all_failed * budget_share;
            let spread = (math::ceil(window / f64::from(TICK_SECONDS)) as u32)
                .clamp(1, RETRY_HORIZON_TICKS - 1);
            // `a..b + 1`, not `a..=b`: the inclusive range's `next` stays a call in the page.
            for ahead in 1..spread + 1 {
                ring[((tick + ahead) % RETRY_HORIZON_TICKS) as usize] +=
                    retries / f64::from(spread);
            }
            window *= 2.0;
        }
    }

    /// Retries whose backoff ends this tick arrive with it.
    pub(super) fn release_retries(&mut self, tick: Tick) {
        let slot = (tick % RETRY_HORIZON_TICKS) as usize;
        for (now, later) in self.retries_next.iter_mut().zip(&mut self.retries_later) {
            *now = std::mem::take(&mut later[slot]);
        }
    }
}
