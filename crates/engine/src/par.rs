//! A scenario's par: on the learner's own seed, what doing nothing achieves (both seats
//! played hands-off) and what an expert's solution achieves. The debrief places the
//! learner's run between the two, so a result reads against what the seed allowed.
//!
//! The expert solutions are the action logs in `tests/solutions/<scenario-id>.json` (at the
//! top of the repository), kept here packed ([`share::pack_actions`]) so the page needs no
//! JSON reader; `tests/solutions.rs` checks that each packed text is its log.

use serde::Serialize;

use crate::action::StampedAction;
use crate::catalog;
use crate::objectives::Progress;
use crate::scenario::{Role, Scenario};
use crate::session::Simulation;
use crate::share;

/// Each built-in scenario's expert solution, packed.
#[rustfmt::skip]
const SOLUTIONS: &[(&str, &str)] = &[
    ("first-slo", "ODA2-HwASAAAAAeIDEgQAAAK8CgEEAAACnhMSBQAAAqwWAQMAAAKiGgICAAAB6CABBAAAAoAtAQMAAAKUNwEEAAACojgCAgAAAdRDAQMAAALATQEEAAACgloCAgAAAZRaAQMAAALsYwEEAAAC6HABAwAAAvJ5AgIAAAGYegEEAAACooMBAgIAAAHYiwEBBQAAAqiMAQEEAAAC6I4BAQUAAALMjwEBBwAAAoCRAQEJAAACoJIBAQwAAALokwEBCwAAAvyTAQEKAAACqJsBAQkAAAK8mwEBCAAAAtCbAQEHAAAC5JsBAQYAAAI"),
    ("friday-deploy", "ODA2-DQASAAAAAeIDEgQAAALCEAICAAABnhMSBQAAAsIoAgIAAAHCQwICAAABgl0CAgAAAcJkAgIAAAGwaAEFAAAChGsBBwAAAsRtAQYAAALYbQEFAAAC7G0BBAAAAg"),
    ("alerts-that-matter", "ODA2-CgASAAAAAeIDEgQAAALaExIFAAACohoCAgAAAcQnAQUBAAK0KQEHAQAC7DEBBgEAAoAyAQUBAAKUMgEEAQACojgCAgAAAQ"),
    ("launch-day", "ODA2-CQASAAAAAeIDEgQAAALaExIFAAACohoCAgAAAYwfAQUAAAKgHwEHAAACvCgBBgAAAtAoAQUAAALkKAEEAAAC"),
    ("retry-storm", "ODA2-BwASAAAAAdAFAQcAAALCBxIDAAACgA8SAgAAAfogEgYAAAKCLRIBAAAB2jMSBAAAAg"),
    ("toil", "ODA2-AppKEgQAAAKqhAESBQAAAg"),
    ("night-on-call", "ODA2-GAASAAAAAbECCAAAAAKxAgsAAQACsQILAAAAAr4DDgAAAALCBxIEAAACuhcSBQAAAqIaAgIAAAGwLAEFAQACxCwBBwEAAoAtAQkBAAK8LQEMAQACoC4BDwEAAsguAQ4BAALcLgENAQAC8C4BDAEAAoQvAQsBAAKYLwEKAQACrC8BCQEAAsAvAQgBAALULwEHAQAC6C8BBgEAAqI4AgIAAAG6RAICAAAB"),
    ("budget-policy", "ODA2-LQASAAAAAeIDEgQAAAKCCgICAAAB2hMSBQAAAoIeAgIAAAHCNAICAAAB4kkCAgAAAYJQAgIAAAG4UwEHAAACjFYBCQAAAohZAQgAAAKcWQEHAAACyGABBgAAAtxgAQUAAALwZQEHAAACkGcBCQAAAohoAQgAAAKcaAEHAAAC_GsBCQAAAshvAQgAAALcbwEHAAACwnACAgAAAYh3AQYAAAKcdwEFAAACnHwBBwAAAtB9AQkAAALIfgEIAAACrIQBAQoAAAKIhgEBCQAAApyGAQEIAAACsIYBAQcAAALIjQEBBgAAAtyNAQEFAAACwo4BAgIAAAGokQEBBwAAAqCSAQEJAAAC8JIBAQwAAALCkwECAgAAAdSTAQEPAAACpJQBARMAAAKIlQEBEgAAAsiXAQERAAAC3JcBARAAAAKomwEBFAAAAsicAQETAAAC"),
    ("black-friday", "ODA2-EAASAAAAAbgIEgQAAALwEBIFAAACuDUSAAAAAaA4EgYAAALwTAICAAABsJABAgIAAAHw0wECAgAAAfCtAgICAAABsPECAgIAAAGwywMCAgAAAbjCBAkoBRACuMIEAQwFAAK4wgQBBgMAArjCBAEIAAACuMIEAQYBAAI"),
];

/// A built-in scenario's expert solution, if it has one.
pub fn solution(id: &str) -> Option<Vec<StampedAction>> {
    let (_, text) = SOLUTIONS.iter().find(|(i, _)| *i == id)?;
    share::unpack_actions(text).ok()
}

/// What one way of playing achieved on a seed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParRun {
    /// Share of the headline SLO's error budget left at the end (negative: overspent).
    pub budget_left: f64,
    /// Features in users' hands at the end.
    pub features_shipped: u32,
    /// Users' requests that failed over the run.
    pub failed_requests: u64,
    /// Objectives met, of `objectives`.
    pub objectives_met: u32,
    pub objectives: u32,
}

impl ParRun {
    pub fn of(sim: &Simulation) -> Self {
        let summary = sim.summary();
        let statuses = &summary.objectives;
        Self {
            budget_left: summary.slos.first().map_or(0.0, |s| s.budget_remaining),
            features_shipped: summary.features.shipped,
            failed_requests: summary.requests_total - summary.requests_good,
            objectives_met: statuses
                .iter()
                .filter(|s| s.progress == Progress::Met)
                .count() as u32,
            objectives: statuses.len() as u32,
        }
    }
}

/// The par of a seed: nobody acting, and the expert.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Par {
    pub hands_off: ParRun,
    pub expert: ParRun,
}

/// Whether `scenario` has a par: a built-in scenario, unchanged, with an expert solution.
pub fn available(scenario: &Scenario) -> bool {
    let id = scenario.id.0.as_str();
    SOLUTIONS.iter().any(|(i, _)| *i == id)
        && catalog::load(id)
            .and_then(Result::ok)
            .is_some_and(|built_in| share::fingerprint(&built_in) == share::fingerprint(scenario))
}

/// The run of `scenario` on `seed` with nobody acting in either seat.
pub fn hands_off_run(scenario: &Scenario, seed: u64) -> Simulation {
    let mut sim = Simulation::new(scenario.clone(), seed);
    for role in Role::ALL {
        sim.add_bot(role, crate::action::Policy::HandsOff);
    }
    while sim.step().is_some() {}
    sim
}

/// The run of `scenario` on `seed` with its expert's solution: `None` unless the scenario
/// is [`available`]. The solution is replayed as written; an action the seed's run refuses
/// (its backlog may cost more hours than the log's seed did) is left out, as an expert
/// would wait rather than insist.
pub fn expert_run(scenario: &Scenario, seed: u64) -> Option<Simulation> {
    if !available(scenario) {
        return None;
    }
    let actions = solution(&scenario.id.0)?;
    Simulation::replay_with(scenario.clone(), seed, &actions, |_refused| Ok(())).ok()
}

/// The par of `scenario` on `seed`: `None` unless it is [`available`].
pub fn par(scenario: &Scenario, seed: u64) -> Option<Par> {
    let expert = expert_run(scenario, seed)?;
    Some(Par {
        hands_off: ParRun::of(&hands_off_run(scenario, seed)),
        expert: ParRun::of(&expert),
    })
}
