//! Read-outs of a run in progress: what panels, bots, readers and tests may look at. None
//! of them changes the world.

use crate::action::StampedAction;
use crate::action_items::ActionItems;
use crate::alerts::{AlertEvent, AlertEventKind, Alerting, Severity};
use crate::clock::{ClockTime, Tick};
use crate::delivery::{Delivery, Deploy};
use crate::faults::Fault;
use crate::freeze_request::FreezeRequests;
use crate::incident::Incidents;
use crate::scenario::{AutoscaleSpec, Scenario};
use crate::service::{ServiceState, ServiceTick};
use crate::slo::RollingCounts;
use crate::team::Team;
use crate::triage::{Harm, TriageStep, TROUBLE_SHARE};

use super::counting::ServiceRun;
use super::output::{Event, Freeze, TickRecord};
use super::World;

impl World {
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
        self.expected.rps(i64::from(self.tick))
    }
    /// What the entry service's workers can serve, requests per second.
    pub fn capacity_rps(&self) -> f64 {
        let entry = self.scenario.topology().entry;
        self.services[entry].capacity_rps(&self.scenario.services[entry])
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
    /// Postmortems' action items so far, shipped or waiting.
    pub fn action_items(&self) -> &ActionItems {
        &self.action_items
    }
    /// The services failing requests on their own in the last tick, most harm first (only
    /// those failing at least [`TROUBLE_SHARE`] of their requests).
    pub fn harm(&self) -> Vec<Harm> {
        let mut harm: Vec<Harm> = self
            .scratch
            .iter()
            .enumerate()
            .filter_map(|(s, scratch)| {
                let queue = &scratch.queue;
                let processed = 1.0 - queue.rejected_share - queue.dropped_share;
                // Timeouts count when its own wait and work exceed its timeout, not when a
                // slow dependency does.
                let timeout = self.scenario.services[s].timeout_seconds();
                let timed_out = queue.own_latency.exceeds_probability(timeout);
                let own = 1.0 - processed * (1.0 - timed_out) * (1.0 - self.own_error_ratio(s));
                (own >= TROUBLE_SHARE).then(|| Harm {
                    service: s,
                    name: self.service_name(s).to_string(),
                    failing_rps: scratch.arrivals_whole as f64 * own
                        / f64::from(crate::clock::TICK_SECONDS),
                })
            })
            .collect();
        crate::order::sort_by(&mut harm, |a, b| b.failing_rps.total_cmp(&a.failing_rps));
        harm
    }
    /// Whether an action has worked on `service` since the open incident began (false with
    /// no incident open).
    pub fn worked_this_incident(&self, service: usize) -> bool {
        let Some(opened) = self.incidents.open().map(|i| i.opened_at) else {
            return false;
        };
        let entry = self.scenario.topology().entry;
        self.actions
            .iter()
            .rev()
            .take_while(|a| a.tick >= opened)
            .any(|a| a.action.service(entry) == Some(service))
    }
    /// The SRE's triage so far: the first time each service was worked during an incident
    /// with several in trouble.
    pub fn triage(&self) -> &[TriageStep] {
        &self.triage
    }
    /// Requests to ship through a freeze so far, answered or waiting.
    pub fn freeze_requests(&self) -> &FreezeRequests {
        &self.freeze_requests
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
    /// A hash over everything the run produced so far: two runs hash alike only if they
    /// saw the same traffic, served it the same way, and took the same actions.
    pub fn run_hash(&self) -> String {
        self.hasher.hex()
    }
    /// Pages fired so far, and of those at night, without copying the events (panels read
    /// it every frame).
    pub fn pages_fired(&self) -> (u32, u32) {
        (self.pages_fired, self.night_pages_fired)
    }
    /// The alert firings of one severity so far.
    pub fn fired(&self, severity: Severity) -> impl Iterator<Item = &AlertEvent> {
        self.alert_events
            .iter()
            .filter(move |e| e.kind == AlertEventKind::Fired && e.severity == severity)
    }

    /// Users' requests that failed so far (at the entry).
    pub fn requests_failed(&self) -> u64 {
        self.requests_total - self.requests_good
    }

    /// Users' requests so far at the entry: (all, good).
    pub fn requests(&self) -> (u64, u64) {
        (self.requests_total, self.requests_good)
    }

    /// Service `s`'s run so far (`s` in scenario order, like [`World::services`]).
    pub fn service_run(&self, s: usize) -> ServiceRun<'_> {
        let totals = &self.service_totals[s];
        ServiceRun {
            requests: totals.requests,
            good: totals.good,
            utilization_mean: totals.utilization_sum / f64::from(self.tick.max(1)),
            latency: &totals.latency,
        }
    }

    /// Σ over ticks of the share of users' requests that failed: outage-equivalent ticks.
    pub fn impaired_ticks(&self) -> f64 {
        self.impaired_ticks
    }

    /// Σ over ticks of the replicas running (cost), replica-ticks.
    pub fn replica_ticks(&self) -> f64 {
        self.replica_ticks
    }
}
