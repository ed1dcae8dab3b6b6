//! Every built-in scenario that sets objectives can be won, and is not won by doing
//! nothing. An expert's action log, `tests/solutions/<scenario-id>.json` at the top of the
//! repository, meets every objective (the scenario's `[[objectives]]` say which SLOs must
//! stay within their budget) on seed 1 and two more seeds; the hands-off bots miss at
//! least one. The logs are fixed actions at fixed ticks, so they must hold whatever the
//! seed's random faults and backlog turn out to be.

#![cfg(not(target_arch = "wasm32"))]

use ops_dojo_engine::action::StampedAction;
use ops_dojo_engine::objectives::{self, ObjectiveStatus, Progress};
use ops_dojo_engine::{action_log, catalog, par, share, Policy, Role, Scenario, Simulation};

/// Seed 1, which the app and the CLI start with, and two more.
const SEEDS: [u64; 3] = [1, 2, 3];

/// Built-in scenarios that set objectives.
fn with_objectives() -> Vec<Scenario> {
    let scenarios: Vec<Scenario> = catalog::all()
        .into_iter()
        .map(|s| s.expect("built-in scenarios are valid"))
        .filter(|s| !s.objectives.is_empty())
        .collect();
    assert!(
        scenarios.len() >= 9,
        "the catalogue lost its guided scenarios"
    );
    scenarios
}

fn solution(id: &str) -> Vec<StampedAction> {
    let path = format!(
        "{}/../../tests/solutions/{id}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{id} sets objectives but has no expert solution ({path}): {e}")
    });
    action_log::read(&text).unwrap_or_else(|e| panic!("{path}:{e}"))
}

fn missed(statuses: &[ObjectiveStatus]) -> Vec<String> {
    statuses
        .iter()
        .filter(|s| s.progress != Progress::Met)
        .map(|s| format!("{} ({})", s.goal, s.measured))
        .collect()
}

#[test]
fn an_expert_solution_meets_every_objective_on_three_seeds() {
    for scenario in with_objectives() {
        let id = scenario.id.0.clone();
        let log = solution(&id);
        for seed in SEEDS {
            let sim = Simulation::replay(scenario.clone(), seed, &log)
                .unwrap_or_else(|e| panic!("{id}, seed {seed}: the solution is refused: {e}"));
            let missed = missed(&objectives::statuses(sim.world()));
            assert!(
                missed.is_empty(),
                "{id}, seed {seed}: the expert misses {missed:?}"
            );
        }
    }
}

#[test]
fn doing_nothing_misses_an_objective() {
    for scenario in with_objectives() {
        let id = scenario.id.0.clone();
        let mut sim = Simulation::new(scenario, SEEDS[0]);
        sim.add_bot(Role::Sre, Policy::HandsOff);
        sim.add_bot(Role::Devops, Policy::HandsOff);
        while sim.step().is_some() {}
        let missed = missed(&objectives::statuses(sim.world()));
        assert!(!missed.is_empty(), "{id}: hands-off meets every objective");
    }
}

/// The page and the CLI read each solution packed (`par.rs`); it must be the JSON log.
#[test]
fn the_packed_solutions_are_the_action_logs() {
    // Every stale one at once, so that one edit of par.rs mends them all.
    let stale: Vec<String> = with_objectives()
        .into_iter()
        .map(|scenario| scenario.id.0)
        .filter_map(|id| {
            let log = solution(&id);
            let packed = share::pack_actions(&log);
            (!par::solution(&id).is_some_and(|kept| kept == log))
                .then(|| format!("    (\"{id}\", \"{packed}\"),"))
        })
        .collect();
    assert!(stale.is_empty(), "par.rs must hold:\n{}", stale.join("\n"));
}

/// On seed 1, the par brackets the scenario: the expert meets every objective, nobody
/// acting misses one. (Budget alone does not order them: shipping nothing keeps budget.)
#[test]
fn the_par_brackets_each_scenario() {
    for scenario in with_objectives() {
        let id = scenario.id.0.clone();
        let par = par::par(&scenario, SEEDS[0]).unwrap_or_else(|| panic!("{id}: no par"));
        assert_eq!(
            par.expert.objectives_met, par.expert.objectives,
            "{id}: {par:?}"
        );
        assert!(
            par.hands_off.objectives_met < par.hands_off.objectives,
            "{id}: {par:?}"
        );
    }
    // A scenario edited from a built-in one has no par: the expert played another game.
    let mut edited = catalog::load("first-slo")
        .expect("built in")
        .expect("valid");
    edited.days = ops_dojo_engine::scenario::Bounded(3);
    assert!(par::par(&edited, 1).is_none());
}
