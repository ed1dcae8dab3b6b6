//! The simulation: `(scenario, seed, actions) → run`, one tick at a time.
//!
//! Each tick: traffic arrives (Poisson around the expected rate); requests beyond the
//! replicas' capacity fail; of those served, a share fails (base error ratio plus the
//! defects of live deploys). Good and valid counts feed the SLO's rolling window. The
//! shell calls `step()` as fast as it likes; nothing here knows about real time.

use rand::Rng;
use rand_distr::{Binomial, Distribution};
use serde::Serialize;

use crate::action::{Action, ActionError, StampedAction, MAX_REPLICAS};
use crate::alerts::{default_rules, AlertEvent, AlertEventKind, Alerting, Severity};
use crate::clock::{ClockTime, Tick, TICK_SECONDS};
use crate::rng::{Process, Stream};
use crate::scenario::Scenario;
use crate::slo::{self, RollingCounts, BURN_WINDOWS};
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
    /// Error budget left after this tick, as a share of the whole budget (can be negative).
    pub budget_remaining: f32,
}

impl TickRecord {
    /// The availability SLI of this tick alone.
    pub fn sli(&self) -> f64 {
        slo::sli(u64::from(self.good), u64::from(self.offered))
    }
}

/// A deploy of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deploy {
    /// 1-based deploy number.
    pub number: u32,
    pub tick: Tick,
    /// Extra share of requests this deploy makes fail, if it carries a defect.
    pub defect_error_ratio: Option<f64>,
    pub rolled_back_at: Option<Tick>,
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
}

/// A live reading of the SLO, for headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloStatus {
    pub name: String,
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
    pub slos: Vec<SloSummary>,
    pub features_shipped: u32,
    pub deploys_rolled_back: u32,
    pub final_replicas: u32,
    pub alerts: AlertSummary,
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
    pub target: f64,
    /// SLI over the run's own requests, 0–1.
    pub attainment: f64,
    /// Share of the rolling window's error budget left at the end.
    pub budget_remaining: f64,
}

/// A run in progress.
#[derive(Debug, Clone)]
pub struct Simulation {
    scenario: Scenario,
    seed: u64,
    /// The next tick to simulate (= ticks simulated so far).
    tick: Tick,
    replicas: u32,
    deploys: Vec<Deploy>,
    records: Vec<TickRecord>,
    events: Vec<Event>,
    actions: Vec<StampedAction>,
    counts: RollingCounts,
    alerting: Alerting,
    alert_events: Vec<AlertEvent>,
    traffic: Stream,
    errors: Stream,
    defects: Stream,
    hasher: blake3::Hasher,
    requests_total: u64,
    requests_good: u64,
}

impl Simulation {
    pub fn new(scenario: Scenario, seed: u64) -> Self {
        let history = scenario.window_ticks();
        let run = scenario.run_ticks();
        let mut counts = RollingCounts::new(history, run);
        fill_history(&scenario, &mut counts);
        let mut hasher = blake3::Hasher::new_derive_key("ops-dojo 2026 run hash");
        hasher.update(scenario.id.0.as_bytes());
        hasher.update(&seed.to_le_bytes());
        let alerting = Alerting::new(default_rules(scenario.slo.window_days.0));
        Self {
            replicas: scenario.service.replicas.0,
            traffic: Stream::new(seed, Process::Traffic),
            errors: Stream::new(seed, Process::Errors),
            defects: Stream::new(seed, Process::Defects),
            records: Vec::with_capacity(run as usize),
            scenario,
            seed,
            tick: 0,
            deploys: Vec::new(),
            events: Vec::new(),
            actions: Vec::new(),
            alerting,
            alert_events: Vec::new(),
            counts,
            hasher,
            requests_total: 0,
            requests_good: 0,
        }
    }

    /// Runs a whole scenario with a log of actions (sorted by tick) and returns the run.
    pub fn replay(
        scenario: Scenario,
        seed: u64,
        actions: &[StampedAction],
    ) -> Result<Self, ActionError> {
        let mut sim = Simulation::new(scenario, seed);
        let mut pending = actions.iter().peekable();
        while !sim.is_finished() {
            while let Some(stamped) = pending.next_if(|a| a.tick <= sim.tick) {
                sim.apply(stamped.action)?;
            }
            sim.step();
        }
        Ok(sim)
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

    pub fn replicas(&self) -> u32 {
        self.replicas
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

    pub fn alerting(&self) -> &Alerting {
        &self.alerting
    }

    pub fn deploys(&self) -> &[Deploy] {
        &self.deploys
    }

    /// Expected arrival rate right now, requests per second.
    pub fn expected_rps(&self) -> f64 {
        traffic::expected_rps(&self.scenario.traffic, i64::from(self.tick))
    }

    /// What the replicas can serve, requests per second.
    pub fn capacity_rps(&self) -> f64 {
        f64::from(self.replicas) * self.scenario.service.capacity_rps.0
    }

    /// Simulates one tick. Does nothing once the run is over.
    pub fn step(&mut self) -> Option<TickRecord> {
        if self.is_finished() {
            return None;
        }
        let tick = self.tick;
        let expected = traffic::expected_per_tick(&self.scenario.traffic, i64::from(tick));
        let offered = traffic::arrivals(expected, &mut self.traffic.at(u64::from(tick)));
        let capacity = (self.capacity_rps() * f64::from(TICK_SECONDS)) as u64;
        let served = offered.min(capacity);
        let failed = draw_failures(
            served,
            self.error_ratio(),
            &mut self.errors.at(u64::from(tick)),
        );
        let good = served - failed;

        self.counts.push(good, offered);
        self.requests_total += offered;
        self.requests_good += good;
        let (window_good, window_valid) = self.counts.window(tick, self.scenario.window_ticks());
        let target = self.scenario.slo.target.0;
        let record = TickRecord {
            offered: saturate(offered),
            good: saturate(good),
            capacity: saturate(capacity),
            budget_remaining: slo::error_budget_remaining(window_good, window_valid, target) as f32,
        };
        self.hasher.update(&tick.to_le_bytes());
        self.hasher.update(&offered.to_le_bytes());
        self.hasher.update(&good.to_le_bytes());
        self.hasher.update(&capacity.to_le_bytes());
        self.records.push(record);
        for alert in self.alerting.evaluate(tick, &self.counts, target) {
            let kind = match alert.kind {
                AlertEventKind::Fired => EventKind::AlertFired(alert.severity),
                AlertEventKind::Resolved => EventKind::AlertResolved(alert.severity),
            };
            self.events.push(Event {
                tick,
                kind,
                text: alert.describe(),
            });
            self.alert_events.push(alert);
        }
        self.tick += 1;
        Some(record)
    }

    /// Simulates up to `n` ticks; returns how many ran.
    pub fn step_n(&mut self, n: u32) -> u32 {
        let mut ran = 0;
        while ran < n && self.step().is_some() {
            ran += 1;
        }
        ran
    }

    /// Applies an action at the current tick, or says why it cannot be done.
    pub fn apply(&mut self, action: Action) -> Result<&Event, ActionError> {
        if self.is_finished() {
            return Err(ActionError::RunOver);
        }
        let text = match action {
            Action::ScaleTo { replicas } => self.scale_to(replicas)?,
            Action::ShipFeature => self.ship_feature(),
            Action::RollBack => self.roll_back()?,
        };
        let stamped = StampedAction {
            tick: self.tick,
            action,
        };
        self.hasher.update(b"action");
        self.hasher.update(&self.tick.to_le_bytes());
        self.hasher.update(&action.encode());
        self.actions.push(stamped);
        self.events.push(Event {
            tick: self.tick,
            kind: EventKind::Action,
            text,
        });
        Ok(self.events.last().expect("an event was just pushed"))
    }

    fn scale_to(&mut self, replicas: u32) -> Result<String, ActionError> {
        if !(1..=MAX_REPLICAS).contains(&replicas) {
            return Err(ActionError::ReplicasOutOfRange(replicas));
        }
        if replicas == self.replicas {
            return Err(ActionError::NoChange(replicas));
        }
        let from = self.replicas;
        self.replicas = replicas;
        let capacity = self.capacity_rps();
        Ok(format!(
            "Scaled {} from {from} to {replicas} replicas (capacity {capacity:.0} requests/s)",
            self.scenario.service.name
        ))
    }

    fn ship_feature(&mut self) -> String {
        let number = self.deploys.len() as u32 + 1;
        // The defect is decided by the deploy's number alone: feature 3 is as risky in
        // every run of this seed, whenever it ships.
        let mut rng = self.defects.at(u64::from(number));
        let delivery = &self.scenario.delivery;
        let has_defect = rng.random::<f64>() < delivery.defect_probability.0;
        let severity = 0.5 + rng.random::<f64>();
        let defect_error_ratio =
            has_defect.then(|| (delivery.defect_error_ratio.0 * severity).min(1.0));
        self.deploys.push(Deploy {
            number,
            tick: self.tick,
            defect_error_ratio,
            rolled_back_at: None,
        });
        format!("Shipped feature {number} (deploy #{number} is live)")
    }

    fn roll_back(&mut self) -> Result<String, ActionError> {
        let tick = self.tick;
        let deploy = self
            .deploys
            .iter_mut()
            .rev()
            .find(|d| d.rolled_back_at.is_none())
            .ok_or(ActionError::NothingToRollBack)?;
        deploy.rolled_back_at = Some(tick);
        Ok(format!("Rolled back deploy #{}", deploy.number))
    }

    /// Share of served requests that fail right now.
    pub fn error_ratio(&self) -> f64 {
        let defects: f64 = self
            .deploys
            .iter()
            .filter(|d| d.rolled_back_at.is_none())
            .filter_map(|d| d.defect_error_ratio)
            .sum();
        (self.scenario.service.base_error_ratio.0 + defects).min(1.0)
    }

    /// Burn rate over the `window` ticks up to and including `tick` (history included), for
    /// charts of burn over time. `tick` must have been simulated.
    pub fn burn_rate_at(&self, tick: Tick, window: u32) -> f64 {
        let (good, valid) = self
            .counts
            .window(tick.min(self.tick.saturating_sub(1)), window);
        slo::burn_rate(good, valid, self.scenario.slo.target.0)
    }

    /// The SLO's live reading after the last simulated tick.
    pub fn slo_status(&self) -> SloStatus {
        let spec = &self.scenario.slo;
        let target = spec.target.0;
        let now = self.tick.saturating_sub(1);
        let (good, valid) = self.counts.window(now, self.scenario.window_ticks());
        let budget_remaining = slo::error_budget_remaining(good, valid, target);
        let window_seconds = f64::from(self.scenario.window_ticks()) * f64::from(TICK_SECONDS);
        let budget_total_seconds = slo::allowed_outage_seconds(target, window_seconds);
        let burn_rates: Vec<(String, f64)> = BURN_WINDOWS
            .iter()
            .map(|w| {
                let (g, v) = if self.tick == 0 {
                    (0, 0)
                } else {
                    self.counts.window(now, w.ticks)
                };
                (w.label.to_string(), slo::burn_rate(g, v, target))
            })
            .collect();
        let hourly_burn = burn_rates[2].1;
        // At burn rate b the whole budget lasts window / b; what is left lasts that share.
        let time_to_exhaustion_seconds = (hourly_burn > 0.0 && budget_remaining > 0.0)
            .then(|| budget_remaining * window_seconds / hourly_burn);
        SloStatus {
            name: spec.name.clone(),
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
        let digest = self.hasher.clone().finalize();
        digest.to_hex()[..32].to_string()
    }

    pub fn summary(&self) -> Summary {
        let status = self.slo_status();
        Summary {
            scenario: self.scenario.id.0.clone(),
            seed: self.seed,
            ticks: self.tick,
            tick_seconds: TICK_SECONDS,
            run_hash: self.run_hash(),
            requests_total: self.requests_total,
            requests_good: self.requests_good,
            slos: vec![SloSummary {
                name: status.name,
                target: status.target,
                attainment: slo::sli(self.requests_good, self.requests_total),
                budget_remaining: status.budget_remaining,
            }],
            features_shipped: self
                .deploys
                .iter()
                .filter(|d| d.rolled_back_at.is_none())
                .count() as u32,
            deploys_rolled_back: self
                .deploys
                .iter()
                .filter(|d| d.rolled_back_at.is_some())
                .count() as u32,
            final_replicas: self.replicas,
            alerts: self.alert_summary(),
        }
    }
}

impl Simulation {
    pub fn alert_summary(&self) -> AlertSummary {
        let fired = |severity: Severity| {
            self.alert_events
                .iter()
                .filter(move |e| e.kind == AlertEventKind::Fired && e.severity == severity)
        };
        AlertSummary {
            pages: fired(Severity::Page).count() as u32,
            pages_night: fired(Severity::Page).filter(|e| e.night).count() as u32,
            tickets: fired(Severity::Ticket).count() as u32,
            events: self.alert_events.clone(),
        }
    }
}

/// The SLO window's history before the run: the expected traffic at the base error ratio,
/// with no randomness, so the budget starts where a calm month would leave it.
fn fill_history(scenario: &Scenario, counts: &mut RollingCounts) {
    let history = i64::from(scenario.window_ticks());
    let base_error = scenario.service.base_error_ratio.0;
    // A tick expects well under one bad request; carrying the fractions forward keeps the
    // total right (rounding each tick would leave the history spotless).
    let mut bad_carried = 0.0;
    for tick in -history..0 {
        let valid = traffic::expected_per_tick(&scenario.traffic, tick).round();
        bad_carried += valid * base_error;
        let bad = bad_carried.floor();
        bad_carried -= bad;
        counts.push((valid - bad) as u64, valid as u64);
    }
}

/// How many of `served` requests fail at `error_ratio`.
fn draw_failures(served: u64, error_ratio: f64, rng: &mut crate::rng::TickRng) -> u64 {
    match Binomial::new(served, error_ratio) {
        Ok(binomial) => binomial.sample(rng),
        // Only an invalid ratio lands here, and the scenario checks forbid it.
        Err(_) => 0,
    }
}

fn saturate(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
