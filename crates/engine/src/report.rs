//! The report of a run: what the CLI prints and the readers compare, built from a
//! [`World`] through its read-outs.

use serde::Serialize;

use crate::action_items::ActionItem;
use crate::alerts::{AlertEvent, Severity};
use crate::clock::TICK_SECONDS;
use crate::delivery::Stage;
use crate::freeze_request::FreezeRequest;
use crate::incident::IncidentSummary;
use crate::objectives::{self, ObjectiveStatus};
use crate::outcomes::{Cost, Dora, FeatureOutcome, TeamOutcome, UserImpact};
use crate::percentiles::LatencySummary;
use crate::scenario::SliKind;
use crate::sim::World;
use crate::slo;
use crate::triage::TriageStep;

/// A count with thousands separators: 1,234,567.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    pub objectives: Vec<ObjectiveStatus>,
    pub alerts: AlertSummary,
    /// Incidents the pages opened, with MTTA and MTTR.
    pub incidents: IncidentSummary,
    /// What the postmortems asked the teams to fix.
    pub postmortems: Postmortems,
    /// DevOps' requests to ship through a freeze, and the SRE's answers with its reasons.
    pub freeze_requests: Vec<FreezeRequest>,
    /// The SRE's triage: each service first worked while several were in trouble, with the
    /// order of harm at that moment.
    pub triage: Vec<TriageStep>,
}

/// Postmortems' outcome over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Postmortems {
    /// Every action item, in the order postmortems asked for them, with when it shipped.
    pub action_items: Vec<ActionItem>,
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

impl Summary {
    /// The run so far, as the CLI prints it.
    pub fn of(world: &World) -> Self {
        let scenario = world.scenario();
        let entry = scenario.topology().entry;
        let (requests_total, requests_good) = world.requests();
        Summary {
            scenario: scenario.id.0.clone(),
            seed: world.seed(),
            ticks: world.tick(),
            tick_seconds: TICK_SECONDS,
            run_hash: world.run_hash(),
            requests_total,
            requests_good,
            latency_ms: LatencySummary::of(world.service_run(entry).latency),
            slos: world
                .slo_statuses()
                .into_iter()
                .enumerate()
                .map(|(i, status)| {
                    let (good, valid) = world.slo_counts(i).map_or((0, 0), |c| c.run_totals());
                    SloSummary {
                        name: status.name,
                        sli: status.sli,
                        target: status.target,
                        attainment: slo::sli(good, valid),
                        budget_remaining: status.budget_remaining,
                    }
                })
                .collect(),
            services: scenario
                .services
                .iter()
                .enumerate()
                .map(|(s, spec)| {
                    let run = world.service_run(s);
                    ServiceSummary {
                        name: spec.name.get_ref().clone(),
                        requests: run.requests,
                        availability: slo::sli(run.good, run.requests),
                        utilization_mean: run.utilization_mean,
                        latency_ms: LatencySummary::of(run.latency),
                        final_replicas: world.services()[s].replicas,
                    }
                })
                .collect(),
            features_shipped: world.features_outcome().shipped,
            deploys_rolled_back: world
                .deploys()
                .iter()
                .filter(|d| d.stage == Stage::RolledBack)
                .count() as u32,
            final_replicas: world.replicas(),
            dora: Dora::of(world.deploys(), world.tick()),
            team: world.team_outcome(),
            features: world.features_outcome(),
            user_impact: UserImpact {
                failed_requests: requests_total - requests_good,
                impaired_minutes: world.impaired_ticks() * f64::from(TICK_SECONDS) / 60.0,
            },
            cost: Cost {
                replica_hours: world.replica_ticks() * f64::from(TICK_SECONDS) / 3600.0,
            },
            objectives: objectives::statuses(world),
            alerts: AlertSummary::of(world),
            incidents: world.incidents().summary(),
            postmortems: Postmortems {
                action_items: world.action_items().all().to_vec(),
            },
            freeze_requests: world.freeze_requests().all().to_vec(),
            triage: world.triage().to_vec(),
        }
    }
}

impl AlertSummary {
    /// What the alerting did so far.
    pub fn of(world: &World) -> Self {
        let (pages, pages_night) = world.pages_fired();
        AlertSummary {
            pages,
            pages_night,
            tickets: world.fired(Severity::Ticket).count() as u32,
            events: world.alert_events().to_vec(),
        }
    }
}
