//! One service under load, one tick at a time, in aggregate.
//!
//! The engine does not follow each request. Per tick it knows how many requests reached a
//! service and works out what happened to them as shares:
//!
//! - **Queue**: `c = replicas × concurrency` workers complete `cμ` requests per second. Work
//!   beyond that waits in a backlog carried to the next tick (a fluid queue: under overload
//!   it grows at λ − cμ per second). Callers give up after the timeout, so the backlog never
//!   holds more than `cμ × timeout` requests; the rest are dropped as timed out.
//! - **Waiting** at steady state follows M/M/c: with probability C (Erlang C) a request
//!   waits, for an exponential time of mean 1/(cμ − λ) (DOMAIN.md "Queueing"). Non-
//!   exponential service times scale the wait by (1 + cs²)/2 (the Allen–Cunneen
//!   approximation, cs = service-time coefficient of variation).
//! - **Latency** is described by mean and variance and read as a Gamma distribution
//!   ([`crate::latency`]): this tick's backlog wait + M/M/c wait + service time + the
//!   latency of each dependency called in turn.
//! - **Failures**: rejected (rate limit, load shedding, open breaker), timed out (dropped
//!   from the queue, or answered after the caller gave up), failed dependencies, and the
//!   service's own errors.
//!
//! `tests/queueing_reference.rs` checks the steady state against a per-request
//! discrete-event simulation and the formulas.

use crate::latency::Latency;
use crate::math;
use crate::queueing;
use crate::scenario::ServiceSpec;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Most replicas a service may run.
pub const MAX_REPLICAS: u32 = 200;

/// Utilisation at which the steady-state wait is capped: above it the fluid backlog, not
/// the M/M/c formula, carries the waiting (the formula diverges at 1).
pub const RHO_CAP: f64 = 0.99;

/// Steps of the utilisation grid the Erlang C table interpolates on.
const ERLANG_GRID: usize = 1024;

/// What one tick did to one service.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ServiceTick {
    /// Requests (attempts, retries included) that reached the service.
    pub arrivals: u64,
    /// Of those, requests answered successfully.
    pub good: u64,
    /// Requests rejected at once (rate limit or load shedding), expected count.
    pub rejected: f64,
    /// Requests dropped from the queue because their caller had given up, expected count.
    pub dropped: f64,
    /// Share of the workers' time spent serving, 0–1.
    pub utilization: f64,
    /// Requests waiting at the end of the tick.
    pub backlog: f64,
    /// Latency of the requests it processed, seconds (mean and variance).
    pub latency: Latency,
    /// Share of arriving requests that failed, for any reason (what callers see).
    pub failure_ratio: f64,
}

/// Queue state and what it did in the current tick, before dependencies are known.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueOutcome {
    /// Share of arrivals rejected at once.
    pub rejected_share: f64,
    /// Share of arrivals dropped as timed out while queued.
    pub dropped_share: f64,
    pub rejected: f64,
    pub dropped: f64,
    pub utilization: f64,
    /// The service's own part of latency (queue wait + service time), seconds.
    pub own_latency: Latency,
}

/// A service's live state.
#[derive(Debug, Clone)]
pub struct ServiceState {
    pub replicas: u32,
    /// Replicas out of service because of faults (crashed, in a dark zone).
    pub lost_replicas: u32,
    /// Replicas booting, with the tick each starts serving.
    pub provisioning: Vec<(crate::clock::Tick, u32)>,
    /// Requests waiting, carried between ticks.
    pub backlog: f64,
    pub load_shedding: bool,
    pub rate_limit_rps: Option<f64>,
    /// Service time multiplier (1 = normal; faults slow a service down).
    pub slowdown: f64,
    /// Service time multiplier from the code deployed (defects can slow it).
    pub change_slowdown: f64,
    erlang: ErlangTable,
    /// The last steady-state wait worked out, with its inputs: under a steady load the
    /// same inputs come back tick after tick, and the wait costs a dozen divisions.
    last_wait: Option<WaitMemo>,
}

/// A steady-state wait and the inputs it was computed from.
#[derive(Debug, Clone, Copy)]
struct WaitMemo {
    /// Bits of admitted requests, requests per tick, cμ (requests per second), service
    /// time SCV and longest wait (seconds), and the number of servers.
    inputs: [u64; 6],
    /// The wait of those kept, seconds (mean and variance).
    latency: Latency,
    /// Share of admitted requests cut from the queue, 0–1.
    cut: f64,
}

impl ServiceState {
    pub fn new(spec: &ServiceSpec) -> Self {
        Self {
            replicas: spec.replicas.0,
            lost_replicas: 0,
            provisioning: Vec::new(),
            backlog: 0.0,
            load_shedding: spec.protection.load_shedding,
            rate_limit_rps: spec.protection.rate_limit_rps.map(|r| r.0),
            slowdown: 1.0,
            change_slowdown: 1.0,
            erlang: ErlangTable::default(),
            last_wait: None,
        }
    }

    /// Replicas serving now (not lost to a fault).
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    pub fn serving_replicas(&self) -> u32 {
        self.replicas.saturating_sub(self.lost_replicas)
    }

    /// Workers across all serving replicas.
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    pub fn servers(&self, spec: &ServiceSpec) -> u32 {
        self.serving_replicas().saturating_mul(spec.concurrency.0)
    }

    /// Mean service time now, seconds.
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    pub fn service_seconds(&self, spec: &ServiceSpec) -> f64 {
        spec.service_seconds() * self.slowdown * self.change_slowdown
    }

    /// Requests per second all workers complete when busy (cμ).
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    pub fn capacity_rps(&self, spec: &ServiceSpec) -> f64 {
        f64::from(self.servers(spec)) / self.service_seconds(spec)
    }

    /// Runs the queue for one tick of `seconds` with `arrivals` requests reaching it.
    /// `rate_scale` turns this tick's count into the rate the arrivals are drawn at
    /// (expected ÷ drawn users): the M/M/c formulas already account for Poisson
    /// randomness, so feeding them each tick's random count would count it twice and
    /// overstate waits (by 5–50 %: see `tests/model_validation.rs`).
    pub fn queue(
        &mut self,
        spec: &ServiceSpec,
        arrivals: f64,
        rate_scale: f64,
        seconds: f64,
    ) -> QueueOutcome {
        let service = self.service_seconds(spec);
        let servers = self.servers(spec);
        let capacity = self.capacity_rps(spec);
        let per_tick = capacity * seconds;
        if servers == 0 {
            // Nothing is listening: connections are refused at once.
            self.backlog = 0.0;
            return QueueOutcome {
                rejected_share: if arrivals > 0.0 { 1.0 } else { 0.0 },
                rejected: arrivals,
                ..QueueOutcome::default()
            };
        }

        // The queue runs on the arrival rate, not on this tick's random count (see above);
        // the shares it finds are then applied to the count.
        let drawn = arrivals;
        let arrivals = arrivals * rate_scale;
        let admitted = match self.rate_limit_rps {
            Some(limit) => math::min(arrivals, limit * seconds),
            None => arrivals,
        };
        let mut rejected = arrivals - admitted;
        // Longest wait the queue holds: the shedding threshold, else the callers' patience.
        let max_wait = if self.load_shedding {
            spec.protection.shed_wait_ms.0 / 1000.0
        } else {
            spec.timeout_seconds()
        };
        let queue_cap = capacity * max_wait;
        let before = self.backlog;
        let waiting = before + admitted;
        let served = math::min(waiting, per_tick);
        let left = waiting - served;
        let overflow = math::max(left - queue_cap, 0.0);
        self.backlog = left - overflow;
        let mut dropped = 0.0;
        if self.load_shedding {
            rejected += overflow;
        } else {
            dropped = overflow;
        }

        let scv = spec.service_scv();
        let rate = admitted / seconds;
        let wait = if overflow > 0.0 {
            // Full: waits sit just below the limit. The wait a newcomer would face moves
            // like a random walk pushed up at (λ − cμ)/cμ per second, with variance
            // (λ + cμ)/(cμ)² per second, against a ceiling at the limit; such a walk sits
            // below its ceiling by an exponential gap of mean σ²/(2·drift) =
            // (λ + cμ) / (2cμ(λ − cμ)). A gap often shorter than the service time is why an
            // overloaded queue answers almost nothing in time; few servers (a noisier walk)
            // leave a bigger gap.
            let gap = if rate > capacity {
                math::min(
                    (rate + capacity) / (2.0 * capacity * (rate - capacity)),
                    max_wait,
                )
            } else {
                max_wait / 2.0
            };
            Latency::new(max_wait - gap, gap * gap)
        } else if self.backlog > 0.0 || before > 0.0 {
            // Filling or draining: a request arriving behind `b` queued requests waits
            // b / cμ; the tick's arrivals see the backlog anywhere between its start and
            // end (uniformly: variance = range² / 12).
            let (wait_from, wait_to) = (before / capacity, self.backlog / capacity);
            let range = wait_to - wait_from;
            Latency::new((wait_from + wait_to) / 2.0, range * range / 12.0)
        } else {
            // Keeping up: the random wait of M/M/c, cut where the queue stops holding
            // requests (those that would wait longer are shed, or dropped as timed out).
            let inputs = [
                admitted.to_bits(),
                per_tick.to_bits(),
                capacity.to_bits(),
                scv.to_bits(),
                max_wait.to_bits(),
                u64::from(servers),
            ];
            let (latency, cut) = match self.last_wait {
                Some(memo) if math::same_words(&memo.inputs, &inputs) => (memo.latency, memo.cut),
                _ => {
                    let rho = math::min(admitted / per_tick, RHO_CAP);
                    let (wait, cut) = self
                        .erlang
                        .wait(servers, rho, capacity, scv)
                        .truncated(max_wait, rho);
                    let latency = wait.latency();
                    self.last_wait = Some(WaitMemo {
                        inputs,
                        latency,
                        cut,
                    });
                    (latency, cut)
                }
            };
            if self.load_shedding {
                rejected += admitted * cut;
            } else {
                dropped += admitted * cut;
            }
            latency
        };
        let service_time = Latency::new(service, scv * service * service);
        let share = |n: f64| {
            if arrivals > 0.0 {
                math::min(n / arrivals, 1.0)
            } else {
                0.0
            }
        };
        let (rejected_share, dropped_share) = (share(rejected), share(dropped));
        QueueOutcome {
            rejected_share,
            dropped_share,
            rejected: rejected_share * drawn,
            dropped: dropped_share * drawn,
            utilization: if per_tick > 0.0 {
                served / per_tick
            } else {
                0.0
            },
            own_latency: wait + service_time,
        }
    }
}

/// Erlang C on a grid of utilisations for the current number of servers, filled lazily and
/// read by linear interpolation: computing it afresh costs O(c) every tick.
#[derive(Debug, Clone, Default)]
struct ErlangTable {
    /// The grid for the number of servers last asked about.
    grid: Option<Rc<ErlangGrid>>,
}

/// Erlang C at each point of the utilisation grid for one number of servers; NaN where not
/// worked out yet. A pure function of (servers, point), so every service and every run on
/// the thread share one grid per number of servers: an autoscaler stepping between replica
/// counts, and the many runs of a many-seeds study, find the grids filled.
#[derive(Debug)]
struct ErlangGrid {
    servers: u32,
    values: Vec<Cell<f64>>,
}

/// Grids kept for the numbers of servers met most lately (8 KB each): a bound on memory
/// however many numbers a thread meets.
const ERLANG_GRIDS_KEPT: usize = 64;

thread_local! {
    /// The thread's grids, the one asked for last first.
    static ERLANG_GRIDS: RefCell<Vec<Rc<ErlangGrid>>> = const { RefCell::new(Vec::new()) };
}

/// The thread's grid for `servers`, new (empty) when not kept.
fn erlang_grid(servers: u32) -> Rc<ErlangGrid> {
    ERLANG_GRIDS.with(|grids| {
        let mut grids = grids.borrow_mut();
        let grid = match grids.iter().position(|grid| grid.servers == servers) {
            Some(index) => grids.remove(index),
            None => Rc::new(ErlangGrid {
                servers,
                values: vec![Cell::new(f64::NAN); ERLANG_GRID + 1],
            }),
        };
        grids.insert(0, Rc::clone(&grid));
        grids.truncate(ERLANG_GRIDS_KEPT);
        grid
    })
}

impl ErlangTable {
    /// Waiting time in an M/M/c-like queue at utilisation `rho`: zero with probability
    /// 1 − C, else exponential; `capacity` = cμ requests per second, `scv` the service
    /// time's squared coefficient of variation (Allen–Cunneen scaling).
    fn wait(&mut self, servers: u32, rho: f64, capacity: f64, scv: f64) -> Wait {
        if rho <= 0.0 || servers == 0 {
            return Wait {
                waits: 0.0,
                rate: f64::INFINITY,
            };
        }
        let waits = self.erlang_c(servers, rho);
        // Rate of the exponential part: M/M/c gives cμ − λ; Allen–Cunneen stretches it.
        let rate = capacity * (1.0 - rho) * 2.0 / (1.0 + scv);
        Wait { waits, rate }
    }

    fn erlang_c(&mut self, servers: u32, rho: f64) -> f64 {
        let grid = match &self.grid {
            Some(grid) if grid.servers == servers => grid,
            _ => self.grid.insert(erlang_grid(servers)),
        };
        let position = rho / RHO_CAP * ERLANG_GRID as f64;
        let low = (position as usize).min(ERLANG_GRID - 1);
        let weight = position - low as f64;
        let value = |i: usize| {
            let known = grid.values[i].get();
            if !known.is_nan() {
                return known;
            }
            let load = f64::from(servers) * RHO_CAP * i as f64 / ERLANG_GRID as f64;
            let value = queueing::erlang_c(servers, load);
            grid.values[i].set(value);
            value
        };
        let (a, b) = (value(low), value(low + 1));
        a + (b - a) * weight
    }
}

/// A queueing wait: none with probability 1 − `waits`, else exponential at `rate` per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wait {
    /// Probability of waiting at all (Erlang C).
    pub waits: f64,
    /// Rate of the exponential wait, per second (cμ − λ for M/M/c).
    pub rate: f64,
}

impl Wait {
    /// Mean and variance of the wait, seconds.
    pub fn latency(&self) -> Latency {
        if self.waits <= 0.0 || !self.rate.is_finite() {
            return Latency::ZERO;
        }
        let mean = self.waits / self.rate;
        Latency::new(
            mean,
            2.0 * self.waits / (self.rate * self.rate) - mean * mean,
        )
    }

    /// The wait in a queue that holds at most `limit` seconds of work, at utilisation
    /// `rho`, and the share of arrivals it turns away. As in M/M/c/K, the finite queue's
    /// states are the infinite one's, renormalised: P(N ≥ c) = C and the queue length is
    /// geometric (ratio ρ), so with t = P(queue > limit | waiting) = e^{−rate·limit} the
    /// blocked share is C(1 − ρ)t / (1 − Cρt).
    pub fn truncated(&self, limit: f64, rho: f64) -> (Wait, f64) {
        // Past e^{−40} ≈ 4e-18 nothing is cut: skip the exponential (the common case).
        if !limit.is_finite()
            || self.waits <= 0.0
            || !self.rate.is_finite()
            || self.rate * limit > 40.0
        {
            return (*self, 0.0);
        }
        let t = math::exp(-self.rate * limit);
        let cut = self.waits * (1.0 - rho) * t / (1.0 - self.waits * rho * t);
        // Those kept wait at most `limit`: keep their mean right with the truncated
        // exponential's, 1/r − limit·e^{−r·limit}/(1 − e^{−r·limit}).
        let tail = t;
        let kept_mean = if tail < 1.0 {
            math::max(1.0 / self.rate - limit * tail / (1.0 - tail), 0.0)
        } else {
            0.0
        };
        let waits = if cut < 1.0 {
            math::min(self.waits * (1.0 - t) / (1.0 - cut), 1.0)
        } else {
            0.0
        };
        let rate = if kept_mean > 0.0 {
            1.0 / kept_mean
        } else {
            f64::INFINITY
        };
        (Wait { waits, rate }, cut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queueing::MMc;

    #[test]
    fn erlang_grids_are_shared_and_bounded() {
        // Two tables (two services) asking for the same servers read one grid.
        let (mut a, mut b) = (ErlangTable::default(), ErlangTable::default());
        let first = a.erlang_c(7, 0.6);
        assert_eq!(b.erlang_c(7, 0.6).to_bits(), first.to_bits());
        let same = (a.grid.as_ref().zip(b.grid.as_ref())).is_some_and(|(a, b)| Rc::ptr_eq(a, b));
        assert!(same, "one grid for both");
        // However many numbers of servers a thread meets, it keeps a bounded number of
        // grids, and one dropped and made again gives the same values.
        for servers in 1..=3 * ERLANG_GRIDS_KEPT as u32 {
            a.erlang_c(servers + 1000, 0.5);
        }
        assert!(ERLANG_GRIDS.with(|grids| grids.borrow().len()) <= ERLANG_GRIDS_KEPT);
        let mut c = ErlangTable::default();
        assert_eq!(c.erlang_c(7, 0.6).to_bits(), first.to_bits());
    }

    #[test]
    fn interpolated_erlang_c_matches_the_formula() {
        let mut table = ErlangTable::default();
        for servers in [1, 4, 16, 200] {
            for rho in [0.1, 0.5, 0.8, 0.9, 0.95, 0.985] {
                let exact = queueing::erlang_c(servers, f64::from(servers) * rho);
                let got = table.erlang_c(servers, rho);
                assert!(
                    (got - exact).abs() <= 1e-3 * exact.max(1e-6),
                    "c={servers} ρ={rho}: {got} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn exponential_wait_has_the_mmc_mean() {
        let mut table = ErlangTable::default();
        let q = MMc::new(3.5, 1.0, 4).expect("a stable queue");
        let wait = table.wait(4, 3.5 / 4.0, 4.0, 1.0).latency();
        assert!((wait.mean - q.mean_wait()).abs() < 1e-3 * q.mean_wait());
    }
}
