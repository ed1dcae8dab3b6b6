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
    ("first-slo", "ODA1-HwASAAAAAaYLEgQAAAK0HwEEAAAC2jkSBQAAAoRDAQMAAALmTgICAAABuGIBBAAAAoCHAQEDAAACvKUBAQQAAALmqAECAgAAAfzKAQEDAAACwOgBAQQAAAKGjgICAgAAAbyOAgEDAAACxKsCAQQAAAK40gIBAwAAAtbtAgICAAAByO4CAQQAAALmiQMCAgAAAYijAwEFAAAC-KQDAQQAAAK4rAMBBQAAAuSuAwEHAAACgLMDAQkAAALgtgMBDAAAAri7AwELAAAC9LsDAQoAAAL40QMBCQAAArTSAwEIAAAC8NIDAQcAAAKs0wMBBgAAAg"),
    ("friday-deploy", "ODA1-DQASAAAAAaYLEgQAAALGMQICAAAB2jkSBQAAAsZ5AgIAAAHGygECAgAAAYaXAgICAAABxq0CAgIAAAGQuQIBBQAAAozBAgEHAAACzMgCAQYAAAKIyQIBBQAAAsTJAgEEAAAC"),
    ("alerts-that-matter", "ODA1-CgASAAAAAaYLEgQAAAKOOxIFAAAC5k4CAgAAAcx2AQUBAAKcfAEHAQACxJUBAQYBAAKAlgEBBQEAAryWAQEEAQAC5qgBAgIAAAE"),
    ("launch-day", "ODA1-CQASAAAAAaYLEgQAAAKOOxIFAAAC5k4CAgAAAaRdAQUAAALgXQEHAAACtHkBBgAAAvB5AQUAAAKsegEEAAAC"),
    ("retry-storm", "ODA1-BwASAAAAAfAQAQcAAALGFhIDAAACgC0SAgAAAe5iEgYAAAKGhwESAQAAAY6bARIEAAAC"),
    ("toil", "ODA1-As7eARIEAAAC_owDEgUAAAI"),
    ("night-on-call", "ODA1-GAASAAAAAZMHCAAAAAKUBwsAAQAClQcLAAAAArwKDgAAAALGFhIEAAACrkYSBQAAAuZOAgIAAAGQhQEBBQEAAsyFAQEHAQACgIcBAQkBAAK0iAEBDAEAAuCKAQEPAQAC2IsBAQ4BAAKUjAEBDQEAAtCMAQEMAQACjI0BAQsBAALIjQEBCgEAAoSOAQEJAQACwI4BAQgBAAL8jgEBBwEAAriPAQEGAQAC5qgBAgIAAAGuzQECAgAAAQ"),
    ("budget-policy", "ODA1-LQASAAAAAaYLEgQAAAKGHgICAAABjjsSBQAAAoZaAgIAAAHGnQECAgAAAabdAQICAAABhvABAgIAAAGo-gEBBwAAAqSCAgEJAAACmIsCAQgAAALUiwIBBwAAAtihAgEGAAAClKICAQUAAALQsQIBBwAAArC1AgEJAAACmLgCAQgAAALUuAIBBwAAAvTDAgEJAAAC2M4CAQgAAAKUzwIBBwAAAsbRAgICAAABmOUCAQYAAALU5QIBBQAAAtT0AgEHAAAC8PgCAQkAAALY-wIBCAAAAoSNAwEKAAACmJIDAQkAAALUkgMBCAAAApCTAwEHAAAC2KgDAQYAAAKUqQMBBQAAAsarAwICAAAB-LMDAQcAAALgtgMBCQAAAtC4AwEMAAACxroDAgIAAAH8ugMBDwAAAuy8AwETAAACmL8DARIAAALYxgMBEQAAApTHAwEQAAAC-NEDARQAAALY1QMBEwAAAg"),
    ("black-friday", "ODA1-EAASAAAAAagZEgQAAALQMhIFAAACqKABEgAAAAHgqAESBgAAAtDmAQICAAABkLEDAgIAAAHQ-wQCAgAAAdCJBwICAAABkNQIAgIAAAGQ4goCAgAAAajHDQkoBRACqMcNAQwFAAKoxw0BBgMAAqjHDQEIAAACqMcNAQYBAAI"),
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
