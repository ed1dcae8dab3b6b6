//! Triage by harm: with two services failing at once, the pager orders them by the requests
//! each fails on its own, the record keeps which the SRE worked first against that order,
//! and working the lesser harm first costs budget.

use ops_dojo_engine::action::{Action, Actor, StampedAction};
use ops_dojo_engine::clock::{TICKS_PER_HOUR, TICKS_PER_MINUTE};
use ops_dojo_engine::par::ParRun;
use ops_dojo_engine::what_if::{self, Change};
use ops_dojo_engine::{Role, Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A gateway calls orders and search; at 10:00 on day 1 a zone goes dark under both,
/// taking most of orders' replicas and fewer of search's, for two hours.
const TWO_AT_ONCE: &str = r#"
format = 1
id = "two-at-once"
title = "Two at once"
briefing = "Two services lose a zone at the same time."
difficulty = 3
days = 1
roles = ["sre"]

[traffic]
base_rps = 400.0

[[services]]
name = "gateway"
replicas = 20
concurrency = 10
service_time_ms = 10.0
timeout_ms = 3000
calls = ["orders", "search"]

[[services]]
name = "orders"
replicas = 6
concurrency = 10
service_time_ms = 100.0      # 600 per second: 67 % busy
timeout_ms = 1000

[[services]]
name = "search"
replicas = 6
concurrency = 10
service_time_ms = 100.0
timeout_ms = 1000

[[slos]]
name = "Availability"
target = 0.999
window_days = 28

[delivery]
defect_probability = 0.3
defect_error_ratio = 0.02

[[faults]]
kind = "zone_loss"
service = "orders"
day = 1
at = "10:00"
duration_minutes = 120
magnitude = 0.6              # 4 of 6 replicas: 200 per second for 400

[[faults]]
kind = "zone_loss"
service = "search"
day = 1
at = "10:00"
duration_minutes = 120
magnitude = 0.3              # 2 of 6 replicas: 400 per second for 400
"#;

fn sre(tick: u32, service: u16) -> StampedAction {
    StampedAction {
        tick,
        action: Action::FailOver { service },
        by: Actor::person(Role::Sre),
    }
}

#[test]
fn the_pager_orders_by_harm_and_the_wrong_order_costs_budget() {
    let scenario = Scenario::parse(TWO_AT_ONCE, "two-at-once.toml").expect("valid");
    // Find the moment both are in trouble and an incident is open.
    let mut sim = Simulation::new(scenario.clone(), 1);
    while sim.harm().len() < 2 || sim.incidents().open().is_none() {
        assert!(
            sim.step().is_some() && sim.tick() < 14 * TICKS_PER_HOUR,
            "both fail and page by 14:00: {:?}, incident {:?}",
            sim.harm(),
            sim.incidents().open()
        );
    }
    let harm = sim.harm();
    let names: Vec<&str> = harm.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["orders", "search"], "orders lost more: {harm:?}");
    assert!(harm[0].failing_rps > harm[1].failing_rps);
    let at = sim.tick();
    let later = at + 10 * TICKS_PER_MINUTE;
    let (orders, search) = (1, 2);
    let worst_first =
        Simulation::replay(scenario.clone(), 1, &[sre(at, orders), sre(later, search)])
            .expect("both fail over");
    let lesser_first = Simulation::replay(scenario, 1, &[sre(at, search), sre(later, orders)])
        .expect("both fail over");
    let steps = |sim: &Simulation| -> Vec<(String, bool)> {
        sim.triage()
            .iter()
            .map(|t| (t.worked_name.clone(), t.worst_first()))
            .collect()
    };
    assert_eq!(steps(&worst_first)[0], ("orders".to_string(), true));
    assert_eq!(steps(&lesser_first)[0], ("search".to_string(), false));
    let failed = |sim: &Simulation| {
        let s = sim.summary();
        s.requests_total - s.requests_good
    };
    assert!(
        failed(&worst_first) < failed(&lesser_first),
        "the worst harm first fails fewer requests: {} vs {}",
        failed(&worst_first),
        failed(&lesser_first)
    );
    let budget = |sim: &Simulation| sim.slo_status().budget_remaining;
    assert!(budget(&worst_first) > budget(&lesser_first));

    // The debrief's what-if replays the lesser-first run with the order of harm: exactly
    // the worst-first run.
    let scenario = Scenario::parse(TWO_AT_ONCE, "two-at-once.toml").expect("valid");
    let changes = what_if::key_changes(&lesser_first);
    assert!(
        matches!(changes.first(), Some(Change::Reordered { tick, .. }) if *tick == at),
        "{changes:?}"
    );
    let replayed =
        what_if::replay(&scenario, 1, &lesser_first, changes[0]).expect("the swap replays");
    assert_eq!(replayed.outcome, ParRun::of(&worst_first));
    let text = replayed.sentence(&ParRun::of(&lesser_first));
    assert!(
        text.starts_with("Had the service failing most been worked first at Day 1 (Mon) · ")
            && text.contains("more of the budget would be left"),
        "{text}"
    );
}

/// Night on-call's first night: a zone goes dark under payments-api and ledger at once.
/// The pager puts ledger first (it fails more of what reaches it), the expert's solution
/// fails ledger over first, and the other order, five minutes apart, costs budget.
#[test]
fn night_on_call_overlaps_and_its_order_counts() {
    let scenario = ops_dojo_engine::catalog::load("night-on-call")
        .expect("built in")
        .expect("valid");
    let mut sim = Simulation::new(scenario.clone(), 1);
    while sim.incidents().open().is_none() {
        assert!(
            sim.step().is_some() && sim.tick() < 24 * TICKS_PER_HOUR,
            "night 1 pages"
        );
    }
    let harm: Vec<String> = sim.harm().iter().map(|h| h.name.clone()).collect();
    assert_eq!(harm, ["ledger", "payments-api"], "{:?}", sim.harm());
    let at = sim.tick() + 6;
    let later = at + 5 * TICKS_PER_MINUTE;
    let (payments, ledger) = (0, 1);
    let worst_first = Simulation::replay(
        scenario.clone(),
        1,
        &[sre(at, ledger), sre(later, payments)],
    )
    .expect("both fail over");
    let lesser_first = Simulation::replay(
        scenario.clone(),
        1,
        &[sre(at, payments), sre(later, ledger)],
    )
    .expect("both fail over");
    let worked: Vec<(String, bool)> = worst_first
        .triage()
        .iter()
        .map(|t| (t.worked_name.clone(), t.worst_first()))
        .collect();
    // Once ledger is being failed over, payments-api is the only choice left: one step.
    assert_eq!(worked, [("ledger".to_string(), true)]);
    assert!(!lesser_first.triage()[0].worst_first());
    let budget = |sim: &Simulation| sim.slo_status().budget_remaining;
    assert!(
        budget(&worst_first) > budget(&lesser_first) + 0.03,
        "worst first {} against lesser first {}",
        budget(&worst_first),
        budget(&lesser_first)
    );
    // The debrief says so, and its what-if puts ledger first.
    let debrief = ops_dojo_engine::debrief::Debrief::of(lesser_first.world());
    assert!(
        debrief
            .what_if
            .iter()
            .any(|n| n.contains("you started on payments-api while ledger was failing more")),
        "{:?}",
        debrief.what_if
    );
    let changes = what_if::key_changes(&lesser_first);
    let replayed =
        what_if::replay(&scenario, 1, &lesser_first, changes[0]).expect("the swap replays");
    assert!(replayed.outcome.budget_left > budget(&lesser_first));
}
