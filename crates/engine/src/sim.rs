//! The simulated world: `(scenario, seed, actions) → run`, one tick at a time.
//!
//! [`World`] holds the state; [`World::step`] is the list of what happens in a tick, one
//! phase per module:
//!
//! 1. [`capacity`]: replicas boot, fail-overs finish (and, after the flow, autoscalers decide);
//! 2. [`fault_effects`]: faults start and end, and set what the ones in progress do;
//! 3. [`roles`]: the pipeline moves changes (and, after the tick, the teams' hours accrue
//!    and the error budget policy freezes or thaws deploys);
//! 4. [`flow`]: users' requests arrive and move through the call graph as shares;
//! 5. [`counting`]: shares become whole good and failed requests and run totals;
//! 6. [`retries`]: failures come back as retries in later ticks;
//! 7. [`protection`]: caches warm, circuit breakers open and close;
//! 8. [`measurement`]: SLO windows, alerts, incidents and the tick's record.
//!
//! Actions change the world between ticks ([`apply`]); [`readouts`] and [`output`] are what
//! the readers of a run see. Nothing here knows about real time or about who plays: the
//! shell calls `step()` as fast as it likes, and the session (a layer up) lets bots take seats.

mod apply;
mod capacity;
mod counting;
mod fault_effects;
mod flow;
mod measurement;
mod output;
mod postmortems;
mod protection;
mod readouts;
mod refusals;
mod retries;
mod roles;

pub use counting::ServiceRun;
pub use output::{Event, EventKind, Freeze, SloStatus, TickRecord, TICK_PERCENTILES};

use crate::action::StampedAction;
use crate::action_items::ActionItems;
use crate::alerts::AlertEvent;
use crate::clock::{Tick, TICK_SECONDS};
use crate::delivery::{ChangeEffects, Delivery};
use crate::faults::{self, Fault};
use crate::freeze_request::FreezeRequests;
use crate::incident::Incidents;
use crate::latency::QuantileTable;
use crate::percentiles::HISTOGRAM_POINTS;
use crate::rng::{Process, Stream, TickRng};
use crate::run_hash::RunHasher;
use crate::scenario::{AutoscaleSpec, Scenario, Topology};
use crate::service::{ServiceState, ServiceTick};
use crate::team::Team;
use crate::traffic::{Arrivals, ExpectedTraffic};
use crate::triage::TriageStep;
use std::rc::Rc;

use capacity::AutoscalerState;
use counting::ServiceTotals;
use flow::Scratch;
use measurement::SloTrack;
use protection::Breaker;
use retries::RETRY_HORIZON_TICKS;

/// A run in progress.
#[derive(Debug, Clone)]
pub struct World {
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
    /// Faults that took effect (not averted), in order: what postmortems look through.
    started_faults: Vec<usize>,
    /// Extra error ratio per service from faults in progress.
    fault_errors: Vec<f64>,
    /// Traffic multiplier from faults in progress.
    traffic_factor: f64,
    /// Each autoscaler's last change and this minute's utilisation so far.
    autoscalers: Vec<AutoscalerState>,
    retries_enabled: bool,
    /// A postmortem's retry-budget item shipped: every retry policy keeps a budget.
    retry_budget: bool,
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
    /// Every deploy has settled (`Delivery::in_motion` is false) and `change_effects` is
    /// what they do: nothing of the pipeline to work out each tick until an action changes
    /// a deploy (see `World::run_delivery`).
    delivery_at_rest: bool,
    team: Team,
    /// Deploys frozen, and by whom; None while deploys are allowed.
    frozen: Option<Freeze>,
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
    /// Pages fired so far, and those at night: kept as alerts fire, since guidance asks
    /// every tick and counting `alert_events` each time grew with the run.
    pages_fired: u32,
    night_pages_fired: u32,
    incidents: Incidents,
    /// Postmortems' action items: the DevOps backlog of reliability fixes.
    action_items: ActionItems,
    /// DevOps' requests to ship through a freeze, and the SRE's answers.
    freeze_requests: FreezeRequests,
    /// Which service the SRE worked first, incident by incident, against the harm order.
    triage: Vec<TriageStep>,
    /// The expected rate of users' requests, tick by tick.
    expected: ExpectedTraffic,
    /// Arrivals: one continuous stream. Each tick's draws depend only on the expected rate,
    /// never on the player, so runs with the same seed face the same traffic.
    traffic: TickRng,
    /// The Poisson distribution arrivals were last drawn from.
    arrivals: Arrivals,
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

impl World {
    pub(crate) fn new(scenario: Scenario, seed: u64) -> Self {
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
            started_faults: Vec::new(),
            fault_errors: vec![0.0; n],
            traffic_factor: 1.0,
            expected: ExpectedTraffic::new(&scenario.traffic),
            autoscalers: vec![AutoscalerState::default(); n],
            retries_enabled: true,
            retry_budget: false,
            autoscale: scenario
                .services
                .iter()
                .map(|s| s.autoscale.clone())
                .collect(),
            evacuated: vec![false; n],
            failing_over: Vec::new(),
            delivery: Delivery::new(&scenario.delivery, seed),
            change_effects: ChangeEffects::default(),
            delivery_at_rest: false,
            team: Team::new(&scenario.team),
            frozen: None,
            replica_ticks: 0.0,
            impaired_ticks: 0.0,
            guidance_shown: vec![None; scenario.guidance.len()],
            traffic: Stream::new(seed, Process::Traffic).at(0),
            arrivals: Arrivals::default(),
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
            pages_fired: 0,
            night_pages_fired: 0,
            incidents: Incidents::default(),
            action_items: ActionItems::seeded(&scenario.action_items),
            freeze_requests: FreezeRequests::default(),
            triage: Vec::new(),
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

    /// Simulates one tick, phase by phase; the comment on each line names the module the
    /// phase lives in. Does nothing once the run is over. (Bots act before the tick: see
    /// the session module, a layer up.)
    pub(crate) fn step(&mut self) -> Option<TickRecord> {
        if self.is_finished() {
            return None;
        }
        let tick = self.tick;
        let seconds = f64::from(TICK_SECONDS);

        // Before the tick: what changes the world.
        self.bring_up_replicas(tick); // capacity
        self.finish_failovers(tick); // capacity
        self.apply_faults(tick); // fault_effects
        self.run_delivery(tick); // roles

        // The tick's requests arrive and move through the call graph.
        let (users, rate_scale) = self.users_arriving(tick); // flow
        self.release_retries(tick); // retries
        self.flow(users as f64, rate_scale, seconds); // flow
        self.count_served(tick, users); // counting

        // What the tick leaves for the next one.
        self.plan_retries(tick, users as f64); // retries
        self.warm_caches(seconds); // protection
        self.trip_breakers(tick); // protection
        self.autoscale(tick); // capacity

        // What the tick measured; then the team: hours, toil, costs, the budget policy.
        let budget_remaining = self.measure_slos(tick); // measurement
        let record = self.record_tick(tick, budget_remaining); // measurement
        self.records.push(record);
        self.run_team(tick, &record); // roles
        self.tick += 1;
        Some(record)
    }
}

/// Mixes a number into a running 64-bit digest (multiply–rotate, as in hash functions such
/// as wyhash): any change to any count changes the digest, in practice.
pub(super) fn fold(digest: u64, value: u64) -> u64 {
    (digest ^ value)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
        .wrapping_add(0x632B_E59B_D9B4_E019)
}

pub(super) fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

pub(super) fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
