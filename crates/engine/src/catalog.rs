//! The scenarios that ship with Ops Dojo, compiled in so the app works offline and the CLI
//! can run them by id. The files themselves live in `scenarios/` at the repository root;
//! what is compiled in is each file without its comments (see `build.rs`: the same scenario,
//! lighter to ship).

use crate::scenario::{Scenario, ScenarioError};

/// (id, file name, file text) of every built-in scenario, in curriculum order: the eight
/// guided steps (with the queueing lab before launch day), the capstone, then the sandbox.
pub const BUILT_IN: &[(&str, &str, &str)] = &[
    (
        "first-slo",
        "scenarios/first-slo.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/first-slo.toml")),
    ),
    (
        "friday-deploy",
        "scenarios/friday-deploy.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/friday-deploy.toml")),
    ),
    (
        "alerts-that-matter",
        "scenarios/alerts-that-matter.toml",
        include_str!(concat!(
            env!("OUT_DIR"),
            "/scenarios/alerts-that-matter.toml"
        )),
    ),
    (
        "mmc-lab",
        "scenarios/mmc-lab.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/mmc-lab.toml")),
    ),
    (
        "launch-day",
        "scenarios/launch-day.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/launch-day.toml")),
    ),
    (
        "retry-storm",
        "scenarios/retry-storm.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/retry-storm.toml")),
    ),
    (
        "toil",
        "scenarios/toil.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/toil.toml")),
    ),
    (
        "night-on-call",
        "scenarios/night-on-call.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/night-on-call.toml")),
    ),
    (
        "budget-policy",
        "scenarios/budget-policy.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/budget-policy.toml")),
    ),
    (
        "black-friday",
        "scenarios/black-friday.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/black-friday.toml")),
    ),
    (
        "sandbox",
        "scenarios/sandbox.toml",
        include_str!(concat!(env!("OUT_DIR"), "/scenarios/sandbox.toml")),
    ),
];

/// Ids of the built-in scenarios, in curriculum order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(id, _, _)| *id)
}

/// Parses a built-in scenario by id; `None` if there is no such id.
pub fn load(id: &str) -> Option<Result<Scenario, ScenarioError>> {
    find(id).map(|(_, file, text)| Scenario::parse(text, file))
}

/// The file text of a built-in scenario, without its comments (to hand to a worker).
pub fn text(id: &str) -> Option<&'static str> {
    find(id).map(|(_, _, text)| *text)
}

fn find(id: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    BUILT_IN.iter().find(|(built_in, _, _)| *built_in == id)
}

/// Every built-in scenario, parsed.
pub fn all() -> Vec<Result<Scenario, ScenarioError>> {
    BUILT_IN
        .iter()
        .map(|(_, file, text)| Scenario::parse(text, file))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_is_valid_and_named_by_its_id() {
        for (id, file, text) in BUILT_IN {
            let scenario = Scenario::parse(text, file).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(scenario.id.0, *id);
        }
    }
}
