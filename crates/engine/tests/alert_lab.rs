//! The alert-policy lab on whole runs: its replay of the engine's own table must give the
//! very alerts the run raised, and on "Alerts that matter" the policies must differ the way
//! the scenario teaches (a naive single-window rule pages at night for a blip).

use ops_dojo_engine::alert_lab::{self, LabInput, PolicyReport, Table};
use ops_dojo_engine::alert_policy::AlertPolicy;
use ops_dojo_engine::alerts::{AlertEventKind, Severity};
use ops_dojo_engine::clock::{TICKS_PER_HOUR, TICKS_PER_MINUTE};
use ops_dojo_engine::{catalog, Policy, Role, Simulation};

fn finished(id: &str, seed: u64, bots: Policy) -> Simulation {
    let scenario = catalog::load(id).expect("built in").expect("valid");
    let mut sim = Simulation::new(scenario, seed);
    for role in Role::ALL {
        sim.add_bot(role, bots);
    }
    while sim.step().is_some() {}
    sim
}

#[test]
fn replaying_each_slos_table_gives_the_runs_own_alerts_in_every_built_in_scenario() {
    for id in catalog::ids() {
        let sim = finished(id, 3, Policy::Balanced);
        for slo in 0..sim.scenario().slos.len() {
            let input = LabInput::of(&sim, slo).expect("the SLO exists");
            let table = Table::of_slo(&sim.scenario().slos[slo]);
            let replayed = alert_lab::firings(&input, &table.rules, sim.tick());
            let live: Vec<_> = sim
                .alert_events()
                .iter()
                .filter(|e| e.slo == slo && e.kind == AlertEventKind::Fired)
                .map(|e| (e.tick, e.rule_name.clone()))
                .collect();
            let lab: Vec<_> = replayed
                .iter()
                .map(|f| (f.fired_at, f.rule_name.clone()))
                .collect();
            assert_eq!(lab, live, "{id}, SLO {slo}");
        }
    }
}

#[test]
fn alerts_that_matter_separates_the_blip_from_the_leak() {
    // Nobody acts: the leak runs its course and burns the budget.
    let sim = finished("alerts-that-matter", 1, Policy::HandsOff);
    let input = LabInput::of(&sim, 0).expect("one SLO");
    let table = alert_lab::compare(&input, &Table::all_named(&AlertPolicy::ALL, 28), sim.tick());
    let by = |p| {
        table
            .iter()
            .find(|r| r.policy == Some(p))
            .expect("every policy")
    };
    let (workbook, single) = (by(AlertPolicy::Workbook), by(AlertPolicy::SingleWindow));
    for row in &table {
        println!(
            "{:<14} pages {} (night {}) tickets {} precision {:?} recall {:?} detect {:?} reset {:?} budget {:?}",
            row.title,
            row.pages,
            row.night_pages,
            row.tickets,
            row.precision,
            row.recall,
            row.detection_minutes,
            row.reset_minutes,
            row.budget_before_first_page
        );
    }
    // The 02:40 blip spends 0.6 % of the budget: not significant, and the Workbook's
    // fast page does not fire on it; the single 10-minute window pages for it at night.
    let blip = 2 * TICKS_PER_HOUR + 40 * TICKS_PER_MINUTE..3 * TICKS_PER_HOUR;
    let paged_for_blip = |report: &PolicyReport| {
        report
            .firings
            .iter()
            .any(|f| f.severity == Severity::Page && blip.contains(&f.fired_at) && !f.real)
    };
    assert!(paged_for_blip(single), "{single:?}");
    assert!(!paged_for_blip(workbook), "{workbook:?}");
    assert!(single.night_pages > workbook.night_pages);
    assert!(single.precision < workbook.precision);
    assert!(table
        .iter()
        .all(|r| r.significant_events == workbook.significant_events));
}
