//! The simulation: `(scenario, seed, actions) → run`, one tick at a time.
//!
//! Each tick: users' requests arrive at the entry (Poisson around the expected rate) and
//! flow down the call graph; each service queues what it admits ([`crate::service`]),
//! calls its dependencies, and fails a share of its requests (rejected, timed out, failed
//! dependencies, its own errors and defects). Failures come back as retries next tick.
//! Good and valid counts feed each SLO's rolling window and alerts. The shell calls
//! `step()` as fast as it likes; nothing here knows about real time.

mod apply;
mod roles;

use rand_distr::{Binomial, Distribution};
use serde::Serialize;

use std::rc::Rc;

use crate::action::{StampedAction, MAX_REPLICAS};
use crate::alert_policy;
use crate::alerts::{AlertEvent, AlertEventKind, Alerting, Severity};
use crate::bots::Policy;
use crate::clock::{
    ticks_from_seconds, ClockTime, Tick, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE,
    TICK_SECONDS,
};
use crate::delivery::{ChangeEffects, Delivery, Deploy};
use crate::faults::{self, Effects, Fault, FaultKind};
use crate::incident::{Budget, Change, IncidentSummary, Incidents};
use crate::latency::{Latency, QuantileTable};
use crate::outcomes::{Cost, Dora, FeatureOutcome, TeamOutcome, UserImpact};
use crate::percentiles::{LatencyHistogram, HISTOGRAM_POINTS};
use crate::rng::{Process, Stream, TickRng};
use crate::run_hash::RunHasher;
use crate::scenario::{AutoscaleSpec, RetryPolicy, Role, Scenario, SliKind, SloSpec, Topology};
use crate::service::{QueueOutcome, ServiceState, ServiceTick};
use crate::slo::{self, RollingCounts, BURN_WINDOWS};
use crate::team::Team;
use crate::traffic;

/// What happened in one tick, kept for charts and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TickRecord {
    /// Requests that arrived (valid events).
    pub offered: u32,
    /// Requests served successfully (good events).
    pub good: u32,
    /// Requests the replicas could serve in this tick.
    pub capacity: u32,
    /// Error budget of the headline SLO left after this tick, as a share of the whole
    /// budget (can be negative).
    pub budget_remaining: f32,
    /// Latency users saw at the entry, milliseconds: median, 90th and 99th percentile.
    pub latency_ms: [f32; 3],
}

impl TickRecord {
    /// The availability SLI of this tick alone.
    pub fn sli(&self) -> f64 {
        slo::sli(u64::from(self.good), u64::from(self.offered))
    }
}

/// Something the event log shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub tick: Tick,
    pub kind: EventKind,
    pub text: String,
}

/// What kind of thing happened, so the log can mark it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Someone acted on the world.
    Action,
    /// An alert fired.
    AlertFired(Severity),
    /// An alert resolved.
    AlertResolved(Severity),
    /// A protection (circuit breaker, load shedding…) changed state by itself.
    Protection,
    /// A fault started or ended.
    Fault,
    /// An autoscaler changed the replicas.
    Autoscaler,
    /// An incident opened or was mitigated.
    Incident,
    /// A change moved through the pipeline.
    Delivery,
    /// The error budget policy froze or thawed deploys.
    Policy,
}

/// A live reading of the SLO, for headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloStatus {
    pub name: String,
    pub sli: SliKind,
    /// Target share of good requests.
    pub target: f64,
    /// Rolling window, days.
    pub window_days: u32,
    /// SLI over the rolling window (history before the run included), 0–1.
    pub window_sli: f64,
    /// Share of the error budget unspent in the rolling window (negative when overspent).
    pub budget_remaining: f64,
    /// The whole budget as full-outage time over the window, seconds.
    pub budget_total_seconds: f64,
    /// What is left of it, seconds (negative when overspent).
    pub budget_remaining_seconds: f64,
    /// Burn rate over each window of `slo::BURN_WINDOWS`, same order.
    pub burn_rates: Vec<(String, f64)>,
    /// Seconds until the budget is gone at the last hour's burn rate; None if not burning
    /// or already gone.
    pub time_to_exhaustion_seconds: Option<f64>,
}

/// Who froze deploys (error budget policy, DOMAIN.md): the policy itself when the budget is
/// spent, or the SRE by hand. A policy freeze thaws only when the SLO is met again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freeze {
    ByPolicy,
    BySre,
}

impl SloStatus {
    /// The burn rate over `window` (0 when the status has no such window).
    pub fn burn_rate(&self, window: slo::BurnWindow) -> f64 {
        self.burn_rates
            .iter()
            .find(|(label, _)| label == window.label)
            .map_or(0.0, |(_, rate)| *rate)
    }
}

/// The result of a run, as the CLI prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub ticks: u32,
    pub tick_seconds: u32,
    pub run_hash: String,
    pub requests_total: u64,
    pub requests_good: u64,
    /// Latency users saw at the entry over the run.
    pub latency_ms: LatencySummary,
    pub slos: Vec<SloSummary>,
    pub services: Vec<ServiceSummary>,
    pub features_shipped: u32,
    pub deploys_rolled_back: u32,
    pub final_replicas: u32,
    /// Delivery performance (DORA, 2024 tiers).
    pub dora: Dora,
    /// Both teams' hours and the pager's load.
    pub team: TeamOutcome,
    pub features: FeatureOutcome,
    pub user_impact: UserImpact,
    pub cost: Cost,
    /// The scenario's objectives, judged at the end of the run.
    pub objectives: Vec<crate::objectives::ObjectiveStatus>,
    pub alerts: AlertSummary,
    /// Incidents the pages opened, with MTTA and MTTR.
    pub incidents: IncidentSummary,
}

/// What the alerting did over the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertSummary {
    /// Pages fired (each firing counts once).
    pub pages: u32,
    /// Of those, pages fired at night (22:00–07:00).
    pub pages_night: u32,
    pub tickets: u32,
    /// Every firing and resolution, in order.
    pub events: Vec<AlertEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloSummary {
    pub name: String,
    pub sli: SliKind,
    pub target: f64,
    /// SLI over the run's own requests, 0–1.
    pub attainment: f64,
    /// Share of the rolling window's error budget left at the end.
    pub budget_remaining: f64,
}

/// Latency over a run, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

impl LatencySummary {
    fn of(histogram: &LatencyHistogram) -> Self {
        let ms = |seconds: f64| seconds * 1000.0;
        Self {
            mean: ms(histogram.mean()),
            p50: ms(histogram.quantile(0.5)),
            p90: ms(histogram.quantile(0.9)),
            p99: ms(histogram.quantile(0.99)),
        }
    }
}

/// One service over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceSummary {
    pub name: String,
    /// Requests (attempts, retries included) that reached it.
    pub requests: u64,
    /// Share of them answered successfully, 0–1.
    pub availability: f64,
    /// Mean share of its workers' time spent serving, 0–1.
    pub utilization_mean: f64,
    pub latency_ms: LatencySummary,
    pub final_replicas: u32,
}

/// Latency percentiles recorded per tick: median, 90th, 99th.
pub const TICK_PERCENTILES: [f64; 3] = [0.5, 0.9, 0.99];

/// An SLO being measured: its rolling counts and its alerts.
#[derive(Debug, Clone)]
struct SloTrack {
    service: usize,
    counts: RollingCounts,
    alerting: Alerting,
    /// Fraction of a good event carried to the next tick (latency SLIs count expected
    /// shares; carrying keeps rare slow requests from rounding away).
    carry: f64,
}

/// A circuit breaker's state, kept on the service its callers protect themselves from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Breaker {
    Closed,
    /// Callers fail fast until this tick, then let a trial share through.
    Open {
        until: Tick,
    },
    HalfOpen,
}

/// Share of calls an half-open breaker lets through to test the water.
const BREAKER_TRIAL_SHARE: f64 = 0.1;

/// Per-service scratch of one tick, reused to avoid allocating every tick.
#[derive(Debug, Clone, Copy, Default)]
struct Scratch {
    /// Requests (fluid) reaching the service this tick.
    arrivals: f64,
    /// Arrivals rounded to whole requests.
    arrivals_whole: u64,
    queue: QueueOutcome,
    /// First attempts of calls this service makes to each callee, this tick.
    calls: f64,
    /// Share of calls its breaker lets through (1 when closed).
    pass: f64,
    /// Share of arriving requests that failed (what callers see).
    failure: f64,
    latency: Latency,
    /// Share of processed requests that timed out.
    timed_out: f64,
}

/// A run in progress.
#[derive(Debug, Clone)]
pub struct Simulation {
    scenario: Scenario,
    seed: u64,
    /// The next tick to simulate (= ticks simulated so far).
    tick: Tick,
    /// The call graph (shared, so a tick can walk it while changing services).
    topology: Rc<Topology>,
    services: Vec<ServiceState>,
    /// What each service did in the last tick.
    service_ticks: Vec<ServiceTick>,
    /// Run totals per service.
    service_totals: Vec<ServiceTotals>,
    /// Retries arriving at each service next tick (fluid).
    retries_next: Vec<f64>,
    /// Retries still in their backoff, per service: a ring of the next
    /// [`RETRY_HORIZON_TICKS`] ticks (slot = tick modulo the horizon).
    retries_later: Vec<Vec<f64>>,
    /// Fractions of a request carried between ticks when rounding arrivals.
    arrival_carry: Vec<f64>,
    /// Whether an SLO measures each service.
    measured: Vec<bool>,
    /// Fractions of a failure carried between ticks (services no SLO measures).
    failure_carry: Vec<f64>,
    /// Cache warmth per service (1 = warm, 0 = cold).
    cache_warmth: Vec<f64>,
    breakers: Vec<Breaker>,
    /// Whether callers keep a circuit breaker on each service.
    breaker_enabled: Vec<bool>,
    scratch: Vec<Scratch>,
    /// The run's fault schedule (fixed by the seed), sorted by start.
    faults: Vec<Fault>,
    /// Index of the next fault to start.
    next_fault: usize,
    /// Faults in progress (indices into `faults`).
    active_faults: Vec<usize>,
    /// Extra error ratio per service from faults in progress.
    fault_errors: Vec<f64>,
    /// Traffic multiplier from faults in progress.
    traffic_factor: f64,
    /// Each autoscaler's last change and this minute's utilisation so far.
    autoscalers: Vec<AutoscalerState>,
    retries_enabled: bool,
    /// Autoscaler settings per service (the scenario's, until the SRE changes them).
    autoscale: Vec<Option<AutoscaleSpec>>,
    /// Services whose work was moved out of a lost zone.
    evacuated: Vec<bool>,
    /// Fail-overs under way: (service, tick it completes).
    failing_over: Vec<(usize, Tick)>,
    /// The backlog, the pipeline and every deploy.
    delivery: Delivery,
    /// What live changes do to the entry service now.
    change_effects: ChangeEffects,
    team: Team,
    /// Deploys frozen, and by whom; None while deploys are allowed.
    frozen: Option<Freeze>,
    /// Bots playing roles, each with its policy.
    bots: Vec<(Role, Policy)>,
    /// Σ replicas running over ticks (cost).
    replica_ticks: f64,
    /// When each guidance step of the scenario first showed.
    guidance_shown: Vec<Option<Tick>>,
    /// Σ over ticks of the share of users' requests that failed (outage-equivalent ticks).
    impaired_ticks: f64,
    records: Vec<TickRecord>,
    events: Vec<Event>,
    actions: Vec<StampedAction>,
    slos: Vec<SloTrack>,
    alert_events: Vec<AlertEvent>,
    incidents: Incidents,
    /// Arrivals: one continuous stream. Each tick's draws depend only on the expected rate,
    /// never on the player, so runs with the same seed face the same traffic.
    traffic: TickRng,
    noise: Stream,
    /// (hour, factor) of the traffic noise last drawn.
    noise_now: (u32, f64),
    /// Which requests fail: one continuous stream (what it draws depends on the run).
    errors: TickRng,
    quantiles: Rc<QuantileTable<3>>,
    histogram_points: Rc<QuantileTable<{ HISTOGRAM_POINTS.len() }>>,
    hasher: RunHasher,
    requests_total: u64,
    requests_good: u64,
}

thread_local! {
    /// Quantile tables, shared by every run on this thread: they fill lazily with pure
    /// functions of their grid, so sharing changes no result, and later runs (many seeds,
    /// a replay) skip the work of filling them.
    static QUANTILE_TABLES: (Rc<QuantileTable<3>>, Rc<QuantileTable<{ HISTOGRAM_POINTS.len() }>>) = (
        Rc::new(QuantileTable::new(TICK_PERCENTILES).expect("probabilities in (0, 1)")),
        Rc::new(
            QuantileTable::new(HISTOGRAM_POINTS.map(|(p, _)| p)).expect("probabilities in (0, 1)"),
        ),
    );
}

/// Longest backoff the engine follows, ticks (10 minutes); longer waits are cut to it.
const RETRY_HORIZON_TICKS: u32 = 60;

/// Ticks of latency pooled before they go into a service's run histogram (10 minutes).
const HISTOGRAM_FLUSH_TICKS: u32 = 10 * TICKS_PER_MINUTE;

/// What an autoscaler remembers.
#[derive(Debug, Clone, Copy, Default)]
struct AutoscalerState {
    last_change: Option<Tick>,
    /// Σ utilisation over this minute's ticks.
    utilization_sum: f64,
}

/// Run totals of one service.
#[derive(Debug, Clone, Default)]
struct ServiceTotals {
    requests: u64,
    good: u64,
    utilization_sum: f64,
    latency: LatencyHistogram,
    /// Latency since the last flush, pooled. Added to the histogram every
    /// [`HISTOGRAM_FLUSH_TICKS`] and whenever the distribution changes shape (reading 24
    /// quantiles costs more than the tick).
    pending: LatencyPool,
}

/// Latencies of several ticks pooled into one distribution by its first two moments.
#[derive(Debug, Clone, Copy, Default)]
struct LatencyPool {
    /// Requests pooled.
    requests: f64,
    /// Σ requests × mean latency, request-seconds.
    weighted_mean: f64,
    /// Σ requests × (variance + mean²), request-seconds².
    weighted_second_moment: f64,
}

impl ServiceTotals {
    fn pool(&mut self, latency: &Latency, requests: f64) {
        let pool = &mut self.pending;
        pool.requests += requests;
        pool.weighted_mean += requests * latency.mean;
        pool.weighted_second_moment += requests * (latency.variance + latency.mean * latency.mean);
    }

    /// Whether `latency` is far (more than 10 %) from the pooled mean.
    fn differs(&self, latency: &Latency) -> bool {
        let LatencyPool {
            requests: n,
            weighted_mean: first,
            ..
        } = self.pending;
        n > 0.0 && (latency.mean - first / n).abs() > 0.1 * (first / n)
    }

    fn flush_pool(&mut self, table: &QuantileTable<{ HISTOGRAM_POINTS.len() }>) {
        let LatencyPool {
            requests: n,
            weighted_mean: first,
            weighted_second_moment: second,
        } = std::mem::take(&mut self.pending);
        if n > 0.0 {
            let mean = first / n;
            let latency = Latency::new(mean, (second / n - mean * mean).max(0.0));
            self.latency.add(table, &latency, n);
        }
    }
}

impl Simulation {
    pub fn new(scenario: Scenario, seed: u64) -> Self {
        let run = scenario.run_ticks();
        let n = scenario.services.len();
        let services: Vec<ServiceState> = scenario.services.iter().map(ServiceState::new).collect();
        let (quantiles, histogram_points) = QUANTILE_TABLES.with(Clone::clone);
        let mut sim = Self {
            topology: Rc::new(scenario.topology().clone()),
            services,
            service_ticks: vec![ServiceTick::default(); n],
            service_totals: vec![ServiceTotals::default(); n],
            retries_next: vec![0.0; n],
            retries_later: vec![vec![0.0; RETRY_HORIZON_TICKS as usize]; n],
            arrival_carry: vec![0.0; n],
            measured: (0..n)
                .map(|s| scenario.topology().slo_service.contains(&s))
                .collect(),
            failure_carry: vec![0.0; n],
            cache_warmth: vec![1.0; n],
            breakers: vec![Breaker::Closed; n],
            breaker_enabled: scenario
                .services
                .iter()
                .map(|s| s.protection.circuit_breaker)
                .collect(),
            scratch: vec![Scratch::default(); n],
            faults: faults::schedule(&scenario, seed),
            next_fault: 0,
            active_faults: Vec::new(),
            fault_errors: vec![0.0; n],
            traffic_factor: 1.0,
            autoscalers: vec![AutoscalerState::default(); n],
            retries_enabled: true,
            autoscale: scenario
                .services
                .iter()
                .map(|s| s.autoscale.clone())
                .collect(),
            evacuated: vec![false; n],
            failing_over: Vec::new(),
            delivery: Delivery::new(&scenario.delivery, seed),
            change_effects: ChangeEffects::default(),
            team: Team::new(&scenario.team),
            frozen: None,
            bots: Vec::new(),
            replica_ticks: 0.0,
            impaired_ticks: 0.0,
            guidance_shown: vec![None; scenario.guidance.len()],
            traffic: Stream::new(seed, Process::Traffic).at(0),
            noise: Stream::new(seed, Process::TrafficNoise),
            noise_now: (u32::MAX, 1.0),
            errors: Stream::new(seed, Process::Errors).at(0),
            quantiles,
            histogram_points,
            records: Vec::with_capacity(run as usize),
            slos: Vec::new(),
            seed,
            tick: 0,
            events: Vec::new(),
            actions: Vec::new(),
            alert_events: Vec::new(),
            incidents: Incidents::default(),
            hasher: RunHasher::new(),
            requests_total: 0,
            requests_good: 0,
            scenario,
        };
        sim.hasher.update(sim.scenario.id.0.as_bytes());
        sim.hasher.update(&seed.to_le_bytes());
        sim.slos = sim.history();
        sim.follow_guidance(0);
        sim
    }

    /// Each SLO's rolling window, filled with a calm month before the run: the expected
    /// traffic served as the model serves the day's mean rate, with no randomness, so the
    /// budget starts where a normal month would leave it.
    fn history(&self) -> Vec<SloTrack> {
        let scenario = &self.scenario;
        let mut calm = self.clone();
        let seconds = f64::from(TICK_SECONDS);
        calm.flow(scenario.traffic.base_rps.0 * seconds, 1.0, seconds);
        let visits = visits_per_request(&calm);
        let run = scenario.run_ticks();
        // History has no growth, so it repeats every week: work a week out once.
        let week_ticks = i64::from(7 * TICKS_PER_DAY);
        let week: Vec<f64> = (-week_ticks..0)
            .map(|tick| traffic::expected_per_tick(&scenario.traffic, tick))
            .collect();
        scenario
            .slos
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let service = scenario.topology().slo_service[i];
                let bad_share = calm.bad_share(service, spec);
                let history = spec.window_days.0 * TICKS_PER_DAY;
                let mut counts = RollingCounts::new(history, run);
                // A tick expects well under one bad request; carrying the fractions forward
                // keeps the total right (rounding each tick would leave the history spotless).
                let mut bad_carried = 0.0;
                for tick in -i64::from(history)..0 {
                    let valid =
                        (week[tick.rem_euclid(week_ticks) as usize] * visits[service]).round();
                    bad_carried += valid * bad_share;
                    let bad = bad_carried.floor();
                    bad_carried -= bad;
                    counts.push((valid - bad) as u64, valid as u64);
                }
                SloTrack {
                    service,
                    counts,
                    alerting: Alerting::new(alert_policy::rules_for(spec)),
                    carry: 0.0,
                }
            })
            .collect()
    }

    /// Moves one tick of requests through the call graph, as shares (no random draws):
    /// `users` first attempts arrive at the entry. Fills `scratch` for every service.
    fn flow(&mut self, users: f64, rate_scale: f64, seconds: f64) {
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
                fluid.round().clamp(0.0, MAX_ARRIVALS_PER_TICK)
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
                for (share, seconds) in self.change_effects.added {
                    if share > 0.0 {
                        latency = latency + some_of_the_time(Latency::constant(seconds), share);
                    }
                }
            }
            let timed_out = latency.exceeds_probability(spec.timeout_seconds());
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
            scratch.failure = failed_share(failure);
            debug_assert!(
                !scratch.latency.mean.is_nan() && !scratch.timed_out.is_nan(),
                "service {s}: {:?}",
                scratch.latency
            );
        }
    }

    /// Share of a service's requests (this tick) that count as bad for an SLO.
    fn bad_share(&self, s: usize, slo: &SloSpec) -> f64 {
        let scratch = &self.scratch[s];
        match slo.threshold_seconds() {
            None => scratch.failure,
            Some(threshold) => {
                let queue = &scratch.queue;
                let processed_share = 1.0 - queue.rejected_share - queue.dropped_share;
                let slow = scratch
                    .latency
                    .exceeds_probability(threshold)
                    .max(scratch.timed_out);
                queue.dropped_share + processed_share * slow
            }
        }
    }

    /// Share of requests a service answers from its cache right now.
    fn hit_ratio(&self, s: usize) -> f64 {
        self.scenario.services[s]
            .cache
            .as_ref()
            .map_or(0.0, |cache| cache.hit_ratio.0 * self.cache_warmth[s])
    }

    /// Share of processed requests a service fails on its own (bugs, defects).
    fn own_error_ratio(&self, s: usize) -> f64 {
        let base = (self.scenario.services[s].base_error_ratio.0 + self.fault_errors[s]).min(1.0);
        if s != self.scenario.topology().entry {
            return base;
        }
        (base + self.change_effects.error_ratio).min(1.0)
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Ticks simulated so far.
    pub fn tick(&self) -> Tick {
        self.tick
    }

    pub fn clock(&self) -> ClockTime {
        ClockTime::at(self.tick)
    }

    pub fn is_finished(&self) -> bool {
        self.tick >= self.scenario.run_ticks()
    }

    /// Replicas of the entry service.
    pub fn replicas(&self) -> u32 {
        self.services[self.scenario.topology().entry].replicas
    }

    pub fn records(&self) -> &[TickRecord] {
        &self.records
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn actions(&self) -> &[StampedAction] {
        &self.actions
    }

    pub fn alert_events(&self) -> &[AlertEvent] {
        &self.alert_events
    }

    /// Alerting of the headline SLO.
    pub fn alerting(&self) -> &Alerting {
        &self.slos[0].alerting
    }

    /// Good and valid counts of SLO `index` (in scenario order), the window's history before
    /// the run first: what the SLO's alerts read, e.g. to replay a run through exported
    /// Prometheus rules. `None` if the scenario has no such SLO.
    pub fn slo_counts(&self, index: usize) -> Option<&RollingCounts> {
        self.slos.get(index).map(|track| &track.counts)
    }

    pub fn deploys(&self) -> &[Deploy] {
        &self.delivery.deploys
    }

    /// The backlog, the pipeline and every deploy.
    pub fn delivery(&self) -> &Delivery {
        &self.delivery
    }

    /// Both teams' hours and investments.
    pub fn team(&self) -> &Team {
        &self.team
    }

    /// Whether deploys are frozen, and by whom.
    pub fn frozen(&self) -> Option<Freeze> {
        self.frozen
    }

    /// Bots playing in this run.
    pub fn bots(&self) -> &[(Role, Policy)] {
        &self.bots
    }

    /// A bot plays `role` with `policy` from now on (before the first tick, for replays).
    pub fn add_bot(&mut self, role: Role, policy: Policy) {
        self.bots.retain(|(r, _)| *r != role);
        self.bots.push((role, policy));
    }

    /// Autoscaler settings of each service now.
    pub fn autoscalers(&self) -> &[Option<AutoscaleSpec>] {
        &self.autoscale
    }

    /// Live state of each service, in scenario order.
    pub fn services(&self) -> &[ServiceState] {
        &self.services
    }

    /// What each service did in the last tick, in scenario order.
    pub fn service_ticks(&self) -> &[ServiceTick] {
        &self.service_ticks
    }

    /// The service with the highest utilisation in the last tick (the last of equals),
    /// where a bottleneck would show; None before the first tick's numbers exist.
    pub fn busiest_service(&self) -> Option<usize> {
        let ticks = &self.service_ticks;
        (0..ticks.len()).max_by(|&a, &b| ticks[a].utilization.total_cmp(&ticks[b].utilization))
    }

    /// Expected arrival rate of users right now, requests per second.
    pub fn expected_rps(&self) -> f64 {
        traffic::expected_rps(&self.scenario.traffic, i64::from(self.tick))
    }

    /// What the entry service's workers can serve, requests per second.
    pub fn capacity_rps(&self) -> f64 {
        let entry = self.scenario.topology().entry;
        self.services[entry].capacity_rps(&self.scenario.services[entry])
    }

    /// Simulates one tick. Does nothing once the run is over.
    pub fn step(&mut self) -> Option<TickRecord> {
        if self.is_finished() {
            return None;
        }
        let tick = self.tick;
        let seconds = f64::from(TICK_SECONDS);
        self.run_bots(tick);
        self.bring_up_replicas(tick);
        self.finish_failovers(tick);
        self.apply_faults(tick);
        self.run_delivery(tick);
        let hour = tick / TICKS_PER_HOUR;
        if self.noise_now.0 != hour {
            let factor =
                traffic::noise_factor(&self.scenario.traffic, &mut self.noise.at(u64::from(hour)));
            self.noise_now = (hour, factor);
        }
        let expected = traffic::expected_per_tick(&self.scenario.traffic, i64::from(tick))
            * self.noise_now.1
            * self.traffic_factor;
        let users = traffic::arrivals(expected, &mut self.traffic);
        // Expected ÷ drawn users: see `ServiceState::queue`.
        let rate_scale = if users > 0 {
            expected / users as f64
        } else {
            1.0
        };
        let slot = (tick % RETRY_HORIZON_TICKS) as usize;
        for (now, later) in self.retries_next.iter_mut().zip(&mut self.retries_later) {
            *now = std::mem::take(&mut later[slot]);
        }
        self.flow(users as f64, rate_scale, seconds);

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
                let whole = expected.floor().clamp(0.0, arrivals as f64);
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
        self.plan_retries(tick, users as f64);
        self.warm_caches(seconds);
        self.trip_breakers(tick);
        self.autoscale(tick);

        let entry = self.scenario.topology().entry;
        let entry_tick = self.service_ticks[entry];
        self.requests_total += entry_tick.arrivals;
        self.requests_good += entry_tick.good;
        self.measure_slos(tick);

        let window = self.scenario.window_ticks();
        let (window_good, window_valid) = self.slos[0].counts.window(tick, window);
        let target = self.scenario.primary_slo().target.0;
        let capacity = self.capacity_rps() * seconds;
        let latency_ms = self
            .quantiles
            .quantiles(&entry_tick.latency)
            .map(|q| (q * 1000.0) as f32);
        let record = TickRecord {
            offered: saturate(entry_tick.arrivals),
            good: saturate(entry_tick.good),
            capacity: saturate(capacity as u64),
            budget_remaining: slo::error_budget_remaining(window_good, window_valid, target) as f32,
            latency_ms,
        };
        // Every number a tick produces is finite: the file format's limits and the
        // saturating counts above make it so (tests/extremes.rs checks it at the extremes).
        debug_assert!(
            record.budget_remaining.is_finite() && record.latency_ms.iter().all(|l| l.is_finite()),
            "tick {tick}: {record:?}"
        );
        self.records.push(record);
        self.run_team(tick, &record);
        self.tick += 1;
        Some(record)
    }

    /// Retries the failures of this tick bring next tick: users' clients retry at the
    /// entry, each service retries its calls (DOMAIN.md: retries add load where they land).
    fn plan_retries(&mut self, tick: Tick, users: f64) {
        if !self.retries_enabled {
            return;
        }
        let topology = Rc::clone(&self.topology);
        let entry = topology.entry;
        if let Some(policy) = self.scenario.traffic.retry {
            let failure = self.scratch[entry].failure;
            self.schedule_retries(entry, tick, users, failure, &policy);
        }
        for s in 0..self.services.len() {
            let Some(policy) = self.scenario.services[s].retry else {
                continue;
            };
            let calls = self.scratch[s].calls;
            for &callee in topology.callees(s) {
                let dep = self.scratch[callee];
                self.schedule_retries(callee, tick, calls * dep.pass, dep.failure, &policy);
            }
        }
    }

    /// Puts the retries of `calls` calls to service `s` that failed with probability
    /// `failure` into the ticks their backoff lands them in: retry k of a call happens if
    /// the first k attempts failed (failure^k), within the retry budget, spread evenly over
    /// its jitter window of `backoff × 2^(k−1)` (at least the next tick).
    fn schedule_retries(
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
            let spread = ((window / f64::from(TICK_SECONDS)).ceil() as u32)
                .clamp(1, RETRY_HORIZON_TICKS - 1);
            for ahead in 1..=spread {
                ring[((tick + ahead) % RETRY_HORIZON_TICKS) as usize] +=
                    retries / f64::from(spread);
            }
            window *= 2.0;
        }
    }

    /// Caches warm with the misses they manage to fill.
    fn warm_caches(&mut self, seconds: f64) {
        for (s, spec) in self.scenario.services.iter().enumerate() {
            if let Some(cache) = &spec.cache {
                let filled = 1.0 - self.scratch[s].failure;
                let warming = seconds / (cache.warm_minutes.0 * 60.0) * filled;
                self.cache_warmth[s] = (self.cache_warmth[s] + warming).min(1.0);
            }
        }
    }

    /// Circuit breakers open when a service fails too much, and test it again later.
    fn trip_breakers(&mut self, tick: Tick) {
        let entry = self.scenario.topology().entry;
        for (s, spec) in self.scenario.services.iter().enumerate() {
            let protection = &spec.protection;
            if s == entry || !self.breaker_enabled[s] {
                self.breakers[s] = Breaker::Closed;
                continue;
            }
            let failing = self.scratch[s].failure > protection.breaker_error_ratio.0
                && self.scratch[s].arrivals_whole > 0;
            let open_ticks = ticks_from_seconds(protection.breaker_open_seconds.0 as u64).max(1);
            let name = spec.name.get_ref();
            let (next, change) = match self.breakers[s] {
                Breaker::Closed if failing => (
                    Breaker::Open {
                        until: tick + open_ticks,
                    },
                    Some(format!(
                        "Circuit breaker opened: callers stop calling {name}"
                    )),
                ),
                Breaker::Open { until } if tick + 1 >= until => (Breaker::HalfOpen, None),
                Breaker::HalfOpen if failing => (
                    Breaker::Open {
                        until: tick + open_ticks,
                    },
                    None,
                ),
                Breaker::HalfOpen => (
                    Breaker::Closed,
                    Some(format!("Circuit breaker closed: {name} answers again")),
                ),
                state => (state, None),
            };
            self.breakers[s] = next;
            if let Some(text) = change {
                self.events.push(Event {
                    tick,
                    kind: EventKind::Protection,
                    text,
                });
            }
        }
    }

    /// Starts and ends faults, and sets what the ones in progress do this tick.
    fn apply_faults(&mut self, tick: Tick) {
        let starting = self
            .faults
            .get(self.next_fault)
            .is_some_and(|f| f.start <= tick);
        if !starting && self.active_faults.is_empty() {
            return;
        }
        while let Some(fault) = self.faults.get(self.next_fault).copied() {
            if fault.start > tick {
                break;
            }
            self.next_fault += 1;
            if fault.ticks == 0 {
                continue;
            }
            self.active_faults.push(self.next_fault - 1);
            if let Some(s) = fault.service {
                // Restarts come back with a cold cache (their share of it, for one replica).
                let replicas = f64::from(self.services[s].replicas.max(1));
                match fault.kind {
                    FaultKind::InstanceCrash => self.cache_warmth[s] *= (replicas - 1.0) / replicas,
                    FaultKind::BadConfigPush => self.cache_warmth[s] = 0.0,
                    _ => {}
                }
            }
            let name = fault
                .service
                .map(|s| self.scenario.services[s].name.get_ref().as_str());
            let text = faults::describe_start(&fault, name);
            self.events.push(Event {
                tick,
                kind: EventKind::Fault,
                text,
            });
        }
        let mut ended = Vec::new();
        self.active_faults.retain(|&i| {
            let over = !self.faults[i].is_active(tick);
            if over {
                ended.push(i);
            }
            !over
        });
        for i in ended {
            let fault = self.faults[i];
            let name = fault.service.map_or("users", |s| {
                self.scenario.services[s].name.get_ref().as_str()
            });
            if let (FaultKind::MemoryLeak, Some(s)) = (fault.kind, fault.service) {
                // The leak ends the way leaks do: out of memory, a restart, a cold cache.
                self.cache_warmth[s] = 0.0;
            }
            let text = format!("Fault over: {} ({name})", fault.kind.label());
            self.events.push(Event {
                tick,
                kind: EventKind::Fault,
                text,
            });
        }
        let replicas: Vec<u32> = self.services.iter().map(|s| s.replicas).collect();
        let mut effects = Effects::none(self.services.len());
        let mut zone_down = vec![false; self.services.len()];
        for &i in &self.active_faults {
            let fault = &self.faults[i];
            if let (FaultKind::ZoneLoss, Some(s)) = (fault.kind, fault.service) {
                zone_down[s] = true;
                // Failed over: its replicas serve from healthy zones.
                if self.evacuated[s] {
                    continue;
                }
            }
            effects.add(fault, tick, &replicas);
        }
        // A fail-over lasts as long as its zone is down.
        for (evacuated, down) in self.evacuated.iter_mut().zip(zone_down) {
            *evacuated &= down;
        }
        for (s, state) in self.services.iter_mut().enumerate() {
            state.lost_replicas = effects.lost_replicas[s].min(state.replicas);
            state.slowdown = effects.slowdown[s];
        }
        self.fault_errors = effects.error_ratio;
        self.traffic_factor = effects.traffic;
        if self.active_faults.is_empty() {
            // Leave the fast path clean: nothing is in effect any more.
            for state in &mut self.services {
                state.lost_replicas = 0;
                state.slowdown = 1.0;
            }
        }
    }

    /// Replicas that finished booting start serving.
    fn bring_up_replicas(&mut self, tick: Tick) {
        for (s, state) in self.services.iter_mut().enumerate() {
            let ready: u32 = state
                .provisioning
                .iter()
                .filter(|(at, _)| *at <= tick)
                .map(|(_, n)| n)
                .sum();
            if ready > 0 {
                state.provisioning.retain(|(at, _)| *at > tick);
                let from = state.replicas;
                state.replicas = (state.replicas + ready).min(MAX_REPLICAS);
                let name = self.scenario.services[s].name.get_ref();
                self.events.push(Event {
                    tick,
                    kind: EventKind::Autoscaler,
                    text: format!(
                        "Autoscaler: {name} now serves with {} replicas (was {from})",
                        state.replicas
                    ),
                });
            }
        }
    }

    /// Target-tracking autoscalers, evaluated once a simulated minute on the minute's mean
    /// utilisation: desired = ⌈replicas × utilisation / target⌉, within min–max; new
    /// replicas serve after the provisioning delay; no change within the cooldown.
    fn autoscale(&mut self, tick: Tick) {
        for (s, spec) in self.scenario.services.iter().enumerate() {
            let Some(autoscale) = &self.autoscale[s] else {
                continue;
            };
            let state = &mut self.autoscalers[s];
            state.utilization_sum += self.service_ticks[s].utilization;
            if (tick + 1) % TICKS_PER_MINUTE != 0 {
                continue;
            }
            let utilization =
                std::mem::take(&mut state.utilization_sum) / f64::from(TICKS_PER_MINUTE);
            let cooldown = ticks_from_seconds(autoscale.cooldown_seconds.0 as u64);
            if state.last_change.is_some_and(|at| tick < at + cooldown) {
                continue;
            }
            let service = &mut self.services[s];
            let booting: u32 = service.provisioning.iter().map(|(_, n)| n).sum();
            let planned = service.replicas + booting;
            let busy = f64::from(service.serving_replicas()) * utilization;
            let desired = ((busy / autoscale.target_utilization.0.max(0.01)).ceil() as u32)
                .clamp(autoscale.min_replicas.0, autoscale.max_replicas.0);
            let name = spec.name.get_ref();
            let text = if desired > planned {
                let delay = ticks_from_seconds(autoscale.provisioning_seconds.0 as u64);
                service
                    .provisioning
                    .push((tick + 1 + delay, desired - planned));
                format!(
                    "Autoscaler: {name} at {:.0} % utilisation (target {:.0} %); starting {} replicas, ready in {}",
                    utilization * 100.0,
                    autoscale.target_utilization.0 * 100.0,
                    desired - planned,
                    crate::clock::format_duration(autoscale.provisioning_seconds.0)
                )
            } else if desired < service.replicas && booting == 0 {
                let from = service.replicas;
                service.replicas = desired;
                format!(
                    "Autoscaler: {name} at {:.0} % utilisation; scaled in from {from} to {desired} replicas",
                    utilization * 100.0
                )
            } else {
                continue;
            };
            state.last_change = Some(tick);
            self.events.push(Event {
                tick,
                kind: EventKind::Autoscaler,
                text,
            });
        }
    }

    /// Counts this tick's good and valid events for every SLO and evaluates its alerts.
    fn measure_slos(&mut self, tick: Tick) {
        let several = self.slos.len() > 1;
        for i in 0..self.slos.len() {
            let spec = &self.scenario.slos[i];
            let s = self.slos[i].service;
            let served = self.service_ticks[s];
            let good = match spec.sli {
                SliKind::Availability => served.good,
                SliKind::Latency => {
                    let fluid = served.arrivals as f64 * (1.0 - self.bad_share(s, spec))
                        + self.slos[i].carry;
                    let whole = fluid.floor().max(0.0);
                    self.slos[i].carry = fluid - whole;
                    (whole as u64).min(served.arrivals)
                }
            };
            let track = &mut self.slos[i];
            track.counts.push(good, served.arrivals);
            for mut alert in track.alerting.evaluate(tick, &track.counts, spec.target.0) {
                alert.slo = i;
                let kind = match alert.kind {
                    AlertEventKind::Fired => EventKind::AlertFired(alert.severity),
                    AlertEventKind::Resolved => EventKind::AlertResolved(alert.severity),
                };
                let text = if several {
                    format!("{}: {}", spec.name, alert.describe())
                } else {
                    alert.describe()
                };
                self.events.push(Event { tick, kind, text });
                self.alert_events.push(alert);
            }
        }
        let pages_firing: usize = self
            .slos
            .iter()
            .map(|t| {
                t.alerting
                    .firing()
                    .filter(|(rule, _)| rule.severity == Severity::Page)
                    .count()
            })
            .sum();
        let night = !(7..22).contains(&ClockTime::at(tick).hour);
        let (good, valid) = self.slos[0]
            .counts
            .window(tick, self.scenario.window_ticks());
        let budget = Budget {
            remaining: slo::error_budget_remaining(
                good,
                valid,
                self.scenario.primary_slo().target.0,
            ),
            postmortem_share: self.scenario.policy.postmortem_budget_share.0,
        };
        if let Some(change) = self.incidents.observe(tick, pages_firing, night, budget) {
            let text = match change {
                Change::Opened(n) => {
                    self.team.toil(crate::team::Toil::IncidentResponse, 1.0);
                    format!("Incident #{n} opened: the pager went off; acknowledge it to show someone is on it")
                }
                Change::Mitigated(n) => {
                    let incident = &self.incidents.all()[n as usize - 1];
                    let lasted = crate::clock::format_duration(
                        incident.seconds_to_mitigate().unwrap_or(0.0),
                    );
                    let ack = incident.seconds_to_acknowledge().map_or_else(
                        || "never acknowledged".to_string(),
                        |s| format!("acknowledged after {}", crate::clock::format_duration(s)),
                    );
                    format!(
                        "Incident #{n} mitigated after {lasted} ({ack}): no page firing any more"
                    )
                }
            };
            self.events.push(Event {
                tick,
                kind: EventKind::Incident,
                text,
            });
        }
    }

    /// Simulates up to `n` ticks; returns how many ran.
    pub fn step_n(&mut self, n: u32) -> u32 {
        let mut ran = 0;
        while ran < n && self.step().is_some() {
            ran += 1;
        }
        ran
    }

    /// Whether retries are allowed right now.
    pub fn retries_enabled(&self) -> bool {
        self.retries_enabled
    }

    /// Whether callers keep a circuit breaker on each service.
    pub fn breakers_enabled(&self) -> &[bool] {
        &self.breaker_enabled
    }

    /// The run's incidents so far.
    pub fn incidents(&self) -> &Incidents {
        &self.incidents
    }

    /// The run's fault schedule (fixed by the seed).
    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// Faults in effect now.
    pub fn active_faults(&self) -> impl Iterator<Item = &Fault> {
        self.active_faults.iter().map(|&i| &self.faults[i])
    }

    /// Cache warmth of each service (1 = warm, 0 = cold).
    pub fn cache_warmth(&self) -> &[f64] {
        &self.cache_warmth
    }

    /// Share of the entry's processed requests that fail on its own right now.
    pub fn error_ratio(&self) -> f64 {
        self.own_error_ratio(self.scenario.topology().entry)
    }

    /// Burn rate of the headline SLO over the `window` ticks up to and including `tick`
    /// (history included), for charts of burn over time. `tick` must have been simulated.
    pub fn burn_rate_at(&self, tick: Tick, window: u32) -> f64 {
        let (good, valid) = self.slos[0]
            .counts
            .window(tick.min(self.tick.saturating_sub(1)), window);
        slo::burn_rate(good, valid, self.scenario.primary_slo().target.0)
    }

    /// The headline SLO's live reading after the last simulated tick.
    pub fn slo_status(&self) -> SloStatus {
        self.slo_status_of(0)
    }

    /// Every SLO's live reading, in scenario order.
    pub fn slo_statuses(&self) -> Vec<SloStatus> {
        (0..self.slos.len())
            .map(|i| self.slo_status_of(i))
            .collect()
    }

    fn slo_status_of(&self, i: usize) -> SloStatus {
        let spec = &self.scenario.slos[i];
        let counts = &self.slos[i].counts;
        let target = spec.target.0;
        let now = self.tick.saturating_sub(1);
        let window_ticks = spec.window_days.0 * TICKS_PER_DAY;
        let (good, valid) = counts.window(now, window_ticks);
        let budget_remaining = slo::error_budget_remaining(good, valid, target);
        let window_seconds = f64::from(window_ticks) * f64::from(TICK_SECONDS);
        let budget_total_seconds = slo::allowed_outage_seconds(target, window_seconds);
        let burn_rates: Vec<(String, f64)> = BURN_WINDOWS
            .iter()
            .map(|w| {
                let (g, v) = if self.tick == 0 {
                    (0, 0)
                } else {
                    counts.window(now, w.ticks)
                };
                (w.label.to_string(), slo::burn_rate(g, v, target))
            })
            .collect();
        let hourly_burn = burn_rates
            .iter()
            .find(|(label, _)| label == slo::BurnWindow::ONE_HOUR.label)
            .map_or(0.0, |(_, b)| *b);
        // At burn rate b the whole budget lasts window / b; what is left lasts that share.
        let time_to_exhaustion_seconds = (hourly_burn > 0.0 && budget_remaining > 0.0)
            .then(|| budget_remaining * window_seconds / hourly_burn);
        SloStatus {
            name: spec.name.clone(),
            sli: spec.sli,
            target,
            window_days: spec.window_days.0,
            window_sli: slo::sli(good, valid),
            budget_remaining,
            budget_total_seconds,
            budget_remaining_seconds: budget_remaining * budget_total_seconds,
            burn_rates,
            time_to_exhaustion_seconds,
        }
    }

    /// A hash over everything the run produced so far: two runs hash alike only if they
    /// saw the same traffic, served it the same way, and took the same actions.
    pub fn run_hash(&self) -> String {
        self.hasher.hex()
    }

    pub fn summary(&self) -> Summary {
        let entry = self.scenario.topology().entry;
        let entry_latency = &self.service_totals[entry].latency;
        let ticks = f64::from(self.tick.max(1));
        Summary {
            scenario: self.scenario.id.0.clone(),
            seed: self.seed,
            ticks: self.tick,
            tick_seconds: TICK_SECONDS,
            run_hash: self.run_hash(),
            requests_total: self.requests_total,
            requests_good: self.requests_good,
            latency_ms: LatencySummary::of(entry_latency),
            slos: self
                .slo_statuses()
                .into_iter()
                .enumerate()
                .map(|(i, status)| {
                    let (good, valid) = self.slos[i].counts.run_totals();
                    SloSummary {
                        name: status.name,
                        sli: status.sli,
                        target: status.target,
                        attainment: slo::sli(good, valid),
                        budget_remaining: status.budget_remaining,
                    }
                })
                .collect(),
            services: self
                .scenario
                .services
                .iter()
                .zip(&self.service_totals)
                .zip(&self.services)
                .map(|((spec, totals), state)| ServiceSummary {
                    name: spec.name.get_ref().clone(),
                    requests: totals.requests,
                    availability: slo::sli(totals.good, totals.requests),
                    utilization_mean: totals.utilization_sum / ticks,
                    latency_ms: LatencySummary::of(&totals.latency),
                    final_replicas: state.replicas,
                })
                .collect(),
            features_shipped: self.features_outcome().shipped,
            deploys_rolled_back: self
                .delivery
                .deploys
                .iter()
                .filter(|d| d.stage == crate::delivery::Stage::RolledBack)
                .count() as u32,
            final_replicas: self.replicas(),
            dora: Dora::of(&self.delivery.deploys, self.tick),
            team: self.team_outcome(),
            features: self.features_outcome(),
            user_impact: UserImpact {
                failed_requests: self.requests_total - self.requests_good,
                impaired_minutes: self.impaired_ticks * f64::from(TICK_SECONDS) / 60.0,
            },
            cost: Cost {
                replica_hours: self.replica_ticks * f64::from(TICK_SECONDS) / 3600.0,
            },
            objectives: crate::objectives::statuses(self),
            alerts: self.alert_summary(),
            incidents: self.incidents.summary(),
        }
    }

    pub fn alert_summary(&self) -> AlertSummary {
        let (pages, pages_night) = self.pages_fired();
        AlertSummary {
            pages,
            pages_night,
            tickets: self.fired(Severity::Ticket).count() as u32,
            events: self.alert_events.clone(),
        }
    }

    /// Pages fired so far, and of those at night, without copying the events (panels read
    /// it every frame).
    pub fn pages_fired(&self) -> (u32, u32) {
        let pages = self.fired(Severity::Page);
        let (all, night) = pages.fold((0, 0), |(all, night), e| {
            (all + 1, night + u32::from(e.night))
        });
        (all, night)
    }

    fn fired(&self, severity: Severity) -> impl Iterator<Item = &AlertEvent> {
        self.alert_events
            .iter()
            .filter(move |e| e.kind == AlertEventKind::Fired && e.severity == severity)
    }

    /// Users' requests that failed so far (at the entry).
    pub fn requests_failed(&self) -> u64 {
        self.requests_total - self.requests_good
    }
}

/// Expected visits to each service per user request, from a flowed tick.
fn visits_per_request(calm: &Simulation) -> Vec<f64> {
    let entry = calm.scenario.topology().entry;
    let users = calm.scratch[entry].arrivals.max(f64::MIN_POSITIVE);
    calm.scratch.iter().map(|s| s.arrivals / users).collect()
}

/// Retries a failed call brings, per call, when each attempt fails with probability
/// `failure`: attempt k+1 happens if the first k failed, so Σ failure^k for k < max, capped
/// by the retry budget (retries ≤ budget × requests).
fn retries_per_call(failure: f64, policy: &RetryPolicy) -> f64 {
    let mut retries = 0.0;
    let mut all_failed = 1.0;
    for _ in 1..policy.max_attempts.0 {
        all_failed *= failure;
        retries += all_failed;
    }
    match policy.budget_ratio {
        Some(budget) => retries.min(budget.0),
        None => retries,
    }
}

/// Share of the retries failures call for that the retry budget lets happen (1 without a
/// budget, or when nothing fails).
fn retries_allowed_share(failure: f64, policy: &RetryPolicy) -> f64 {
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
fn final_failure(failure: f64, policy: Option<&RetryPolicy>) -> f64 {
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

/// A latency that happens only for a `share` of requests (the rest take no time): the
/// moments of that mixture.
fn some_of_the_time(latency: Latency, share: f64) -> Latency {
    let mean = share * latency.mean;
    let second_moment = share * (latency.variance + latency.mean * latency.mean);
    Latency {
        mean,
        variance: (second_moment - mean * mean).max(0.0),
    }
}

/// How many of `served` requests fail at `error_ratio`. Below one expected failure in
/// 10⁶ ticks the draw is skipped (setting up a binomial costs more than the whole tick).
fn draw_failures(served: u64, error_ratio: f64, rng: &mut crate::rng::TickRng) -> u64 {
    if served as f64 * error_ratio < 1e-6 {
        return 0;
    }
    if error_ratio >= 1.0 {
        return served;
    }
    match Binomial::new(served, error_ratio) {
        Ok(binomial) => binomial.sample(rng),
        // Only a NaN ratio lands here (`failed_share` keeps it out): what cannot be
        // computed failed, it never counts as good.
        Err(_) => served,
    }
}

/// A share of requests that failed, made safe to count: within 0–1, and a share that could
/// not be computed (NaN, from infinities meeting in the model's maths) counts as all
/// failed, never as all good.
fn failed_share(share: f64) -> f64 {
    if share.is_nan() {
        1.0
    } else {
        share.clamp(0.0, 1.0)
    }
}

/// Most requests one service takes in one tick (10¹² a tick is 10¹¹ per second). Counts
/// saturate here, far above any scenario the format allows without retries amplifying a
/// call chain, so that no running total of a 90-day run can overflow 64 bits.
const MAX_ARRIVALS_PER_TICK: f64 = 1e12;

/// Mixes a number into a running 64-bit digest (multiply–rotate, as in hash functions such
/// as wyhash): any change to any count changes the digest, in practice.
fn fold(digest: u64, value: u64) -> u64 {
    (digest ^ value)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
        .wrapping_add(0x632B_E59B_D9B4_E019)
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
