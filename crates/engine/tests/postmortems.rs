//! Postmortems and their action items: a postmortem files fixes drawn from what caused the
//! incident, shipping one changes the model as it says, and a P0 fix ships in a freeze
//! while a feature and a P1 fix wait (DOMAIN.md, "Error budget policy").

use ops_dojo_engine::action::{Action, Actor, StampedAction};
use ops_dojo_engine::action_items::{Fix, Priority};
use ops_dojo_engine::clock::TICKS_PER_DAY;
use ops_dojo_engine::faults::FaultKind;
use ops_dojo_engine::par::ParRun;
use ops_dojo_engine::what_if::{self, Change};
use ops_dojo_engine::{catalog, Role, Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// night-on-call with its own faults replaced: payments-api's certificate expires on day 1
/// at 10:00 while a surge doubles traffic, and expires again on day 3 (an hour each: well
/// over a fifth of the four-week budget).
fn twice_expiring() -> Scenario {
    let text = catalog::text("night-on-call").expect("built in");
    let head = text.split("[[faults]]").next().expect("text");
    let head = head.replace("[[objectives]]", "#");
    let faults = r#"
[[faults]]
kind = "certificate_expiry"
service = "payments-api"
day = 1
at = "10:00"
duration_minutes = 60

[[faults]]
kind = "traffic_surge"
day = 1
at = "10:00"
duration_minutes = 60

[[faults]]
kind = "certificate_expiry"
service = "payments-api"
day = 3
at = "10:00"
duration_minutes = 60
"#;
    Scenario::parse(&format!("{head}{faults}"), "twice-expiring.toml").expect("valid")
}

/// The run up to the first incident's mitigation, with its postmortem written.
fn after_the_postmortem() -> Simulation {
    let mut sim = Simulation::new(twice_expiring(), 1);
    while sim
        .incidents()
        .all()
        .first()
        .is_none_or(|i| i.mitigated_at.is_none())
    {
        sim.step().expect("the expiry pages on day 1");
    }
    sim.apply(Action::WritePostmortem)
        .expect("over a fifth of the budget: owed");
    sim
}

#[test]
fn a_postmortem_files_fixes_for_what_caused_the_incident_the_first_p0() {
    let sim = after_the_postmortem();
    let items = sim.action_items().all();
    let asked: Vec<(Fix, Priority)> = items.iter().map(|i| (i.fix, i.priority)).collect();
    assert_eq!(
        asked,
        [
            (
                Fix::Prevent {
                    fault: FaultKind::CertificateExpiry
                },
                Priority::P0
            ),
            (Fix::CapacityReservation, Priority::P1),
        ]
    );
    assert!(items
        .iter()
        .all(|i| i.incident == 1 && i.shipped_at.is_none()));
    let said = sim.events().last().expect("the postmortem's event");
    assert!(
        said.text
            .contains("P0 Certificate-expiry alert and rotation runbook (6 h)"),
        "{}",
        said.text
    );
}

#[test]
fn a_shipped_item_does_what_it_says_in_a_replay() {
    let mut shipped = after_the_postmortem();
    let mut waiting = shipped.clone();
    shipped
        .apply(Action::ShipActionItem { item: 1 })
        .expect("DevOps has a day of hours");
    assert!(shipped.action_items().all()[0].shipped_at.is_some());
    shipped.step_n(3 * TICKS_PER_DAY);
    waiting.step_n(3 * TICKS_PER_DAY);
    let said = |sim: &Simulation, text: &str| {
        sim.events()
            .iter()
            .filter(|e| e.tick > 2 * TICKS_PER_DAY)
            .any(|e| e.text.contains(text))
    };
    assert!(said(&shipped, "the postmortem's fix stopped it"));
    assert!(!said(&shipped, "TLS certificate expired"));
    assert!(said(&waiting, "TLS certificate expired"));
    // The second expiry fails every payment for an hour: over a million requests.
    assert!(
        waiting.requests_failed() > shipped.requests_failed() + 1_000_000,
        "{} vs {}",
        waiting.requests_failed(),
        shipped.requests_failed()
    );
    // The item is in the action log: the log replays to the same run.
    let replayed = Simulation::replay(twice_expiring(), 1, shipped.actions()).expect("replays");
    let mut replayed = replayed;
    replayed.step_n(u32::MAX);
    assert_eq!(replayed.run_hash(), {
        shipped.step_n(u32::MAX);
        shipped.run_hash()
    });
}

#[test]
fn in_a_freeze_a_p0_fix_ships_and_a_feature_and_a_p1_fix_do_not() {
    let mut sim = after_the_postmortem();
    let devops = Actor::person(Role::Devops);
    if sim.frozen().is_none() {
        sim.apply_by(
            Actor::person(Role::Sre),
            Action::SetDeployFreeze { on: true },
        )
        .expect("the SRE may freeze");
    }
    assert!(sim.frozen().is_some());
    let feature = Action::ShipFeature {
        strategy: Default::default(),
    };
    let refusal = sim.refusal(devops, feature).expect("frozen").to_string();
    assert!(refusal.contains("frozen"), "{refusal}");
    let p1 = sim
        .refusal(devops, Action::ShipActionItem { item: 2 })
        .expect("a P1 waits")
        .to_string();
    assert!(p1.contains("only P0 fixes ship"), "{p1}");
    assert_eq!(
        sim.refusal(devops, Action::ShipActionItem { item: 1 }),
        None
    );
    sim.apply_by(devops, Action::ShipActionItem { item: 1 })
        .expect("a P0 ships in a freeze");
    let again = sim
        .refusal(devops, Action::ShipActionItem { item: 1 })
        .expect("once")
        .to_string();
    assert!(again.contains("already shipped"), "{again}");
    let sre = sim
        .refusal(Actor::person(Role::Sre), Action::ShipActionItem { item: 2 })
        .expect("DevOps' job");
    assert!(sre.to_string().contains("DevOps"), "{sre}");
}

/// A what-if is a replay: leaving an action out gives the numbers of the run replayed from
/// its log without that action, and shipping a waiting item gives those of the log with the
/// item shipped at the tick the what-if says.
#[test]
fn a_what_if_equals_a_real_replay_with_that_one_change() {
    let scenario = twice_expiring();
    let mut run = after_the_postmortem();
    run.apply(Action::ScaleTo {
        replicas: 9,
        service: None,
    })
    .expect("in range");
    run.step_n(u32::MAX);
    let own = ParRun::of(&run);
    let what_ifs = what_if::what_ifs(&scenario, 1, &run);
    let kinds: Vec<&str> = what_ifs
        .iter()
        .map(|w| match w.change {
            Change::Without { .. } => "without",
            Change::Shipped { .. } => "shipped",
            Change::Reordered { .. } => "reordered",
        })
        .collect();
    // The P1 item (capacity) could never ship: the spent budget froze deploys for the rest
    // of the run, so it has no what-if.
    assert_eq!(kinds, ["without", "shipped"], "{what_ifs:?}");
    for what_if in &what_ifs {
        let mut actions = run.actions().to_vec();
        match what_if.change {
            Change::Without { index, .. } => {
                actions.remove(index);
            }
            Change::Shipped { item, tick } => {
                let at = actions.partition_point(|a| a.tick <= tick);
                actions.insert(
                    at,
                    StampedAction {
                        tick,
                        action: Action::ShipActionItem { item },
                        by: Actor::person(Role::Devops),
                    },
                );
            }
            // Triage's swap is checked against a real replay in tests/triage.rs.
            Change::Reordered { .. } => unreachable!("no triage in this run: {kinds:?}"),
        }
        let replayed = Simulation::replay(scenario.clone(), 1, &actions).expect("replays");
        assert_eq!(what_if.outcome, ParRun::of(&replayed), "{what_if:?}");
        assert_eq!(what_if.skipped, 0);
    }
    // Shipping the certificate fix spares the second expiry: over a million requests.
    let shipped = &what_ifs[1];
    assert!(
        own.failed_requests > shipped.outcome.failed_requests + 1_000_000,
        "{own:?} vs {shipped:?}"
    );
    let sentence = shipped.sentence(&own);
    assert!(
        sentence.starts_with("Had action item #1 shipped at Day 1 (Mon) · ")
            && sentence.contains("more of the budget would be left")
            && sentence.contains("fewer failed requests"),
        "{sentence}"
    );
}

/// budget-policy's backlog starts with last quarter's fix (a faster repair of bad
/// configuration pushes): shipping it before Wednesday's push halves what the push costs.
#[test]
fn a_scenario_seeds_the_backlog_and_its_item_does_what_it_says() {
    let scenario = catalog::load("budget-policy")
        .expect("built in")
        .expect("valid");
    let sim = Simulation::new(scenario.clone(), 1);
    let items = sim.action_items().all();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (
            items[0].incident,
            items[0].fix,
            items[0].priority,
            items[0].hours
        ),
        (
            0,
            Fix::FasterRepair {
                fault: FaultKind::BadConfigPush
            },
            Priority::P1,
            4.0
        )
    );
    let devops = |action| StampedAction {
        tick: 60,
        action,
        by: Actor::person(Role::Devops),
    };
    let without = Simulation::replay(scenario.clone(), 1, &[]).expect("runs");
    let with = Simulation::replay(scenario, 1, &[devops(Action::ShipActionItem { item: 1 })])
        .expect("the item ships on day 1");
    let failed = |sim: &Simulation| {
        let s = sim.summary();
        s.requests_total - s.requests_good
    };
    assert!(
        failed(&with) * 10 < failed(&without) * 8,
        "a faster repair of the push saves over a fifth of the failures: {} vs {}",
        failed(&with),
        failed(&without)
    );
}

#[test]
fn a_seeded_item_names_a_fault_exactly_when_its_fix_is_about_one() {
    let text = catalog::text("budget-policy").expect("built in");
    let without_fault = text.replace("fault = \"bad_config_push\"\n", "");
    let error = Scenario::parse(&without_fault, "mine.toml").expect_err("prevent needs a fault");
    assert!(error.to_string().contains("needs fault"), "{error}");
    let line = without_fault
        .lines()
        .position(|l| l.starts_with("fix = \"faster_repair\""))
        .expect("the item")
        + 1;
    assert_eq!((error.line, error.column), (line, 1), "{error}");
    let extra = text.replace("fix = \"faster_repair\"", "fix = \"canary_step\"");
    let error = Scenario::parse(&extra, "mine.toml").expect_err("a canary step names no fault");
    assert!(error.to_string().starts_with("mine.toml:"), "{error}");
    assert!(error.to_string().contains("fault applies only"), "{error}");
    let unknown = text.replace("fix = \"faster_repair\"", "fix = \"pray\"");
    let error = Scenario::parse(&unknown, "mine.toml").expect_err("no such fix");
    assert!(
        error.to_string().contains("unknown variant `pray`"),
        "{error}"
    );
}
