//! The two roles' mechanics: each has the effect the product teaches, bots are
//! deterministic and rank as their names promise, and action logs replay.

use ops_dojo_engine::action::{Action, ActionError, Actor};
use ops_dojo_engine::clock::{TICKS_PER_DAY, TICKS_PER_HOUR};
use ops_dojo_engine::delivery::{DefectKind, Stage, Strategy};
use ops_dojo_engine::sim::EventKind;
use ops_dojo_engine::{catalog, Investment, Policy, Role, Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn scenario(id: &str) -> Scenario {
    catalog::load(id)
        .expect("built in")
        .expect("built-in scenarios are valid")
}

/// A first-slo run whose first feature carries a defect of `kind`, with room to serve.
fn run_with_first_defect(kind: DefectKind) -> Simulation {
    let base = scenario("first-slo").delivery.defect_probability.0;
    let seed = (1..500)
        .find(|&seed| {
            let sim = Simulation::new(scenario("first-slo"), seed);
            let first = sim.delivery().next().expect("a backlog");
            first.defect(base, 1.0).is_some_and(|d| d.kind == kind)
        })
        .expect("a seed in 500");
    let mut sim = Simulation::new(scenario("first-slo"), seed);
    sim.apply(Action::ScaleTo {
        replicas: 6,
        service: None,
    })
    .expect("in range");
    let effort = sim.delivery().next().expect("backlog").effort_hours;
    while sim.team().devops.available < effort {
        sim.step().expect("hours come within the week");
    }
    sim
}

fn step_until(sim: &mut Simulation, done: impl Fn(&Simulation) -> bool) {
    while !done(sim) {
        sim.step().expect("it happens before the run ends");
    }
}

#[test]
fn a_canary_exposes_only_its_share_and_its_analysis_stops_a_failing_change() {
    let mut sim = run_with_first_defect(DefectKind::ErrorRate);
    sim.apply(Action::ShipFeature {
        strategy: Strategy::Canary,
    })
    .expect("shippable");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::Canary);
    sim.step();
    let deploy = &sim.deploys()[0];
    let defect = deploy.defect.expect("chosen for its defect");
    let share = sim.scenario().delivery.pipeline.canary_share.0;
    assert_eq!(deploy.exposure, share);
    let typical = sim.scenario().delivery.defect_error_ratio.0;
    let base = sim.scenario().entry().base_error_ratio.0;
    // Only the canary's 5 % of requests see the defect (tolerance: float rounding).
    let expected = base + share * defect.error_ratio(typical);
    assert!(
        (sim.error_ratio() - expected).abs() < 1e-12,
        "{} vs {expected}",
        sim.error_ratio()
    );
    step_until(&mut sim, |s| s.deploys()[0].stage != Stage::Canary);
    assert_eq!(sim.deploys()[0].stage, Stage::StoppedByCanary);
    assert!(sim.error_ratio() <= base + 1e-12, "stopped: no one sees it");
    assert_eq!(
        sim.summary().dora.deployments,
        0,
        "it never reached production"
    );
    assert_eq!(sim.summary().dora.stopped_by_canary, 1);
}

#[test]
fn all_at_once_exposes_everyone_and_a_rollback_ends_it() {
    let mut sim = run_with_first_defect(DefectKind::ConfigOutage);
    sim.apply(Action::ShipFeature {
        strategy: Strategy::AllAtOnce,
    })
    .expect("shippable");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::Live);
    sim.step();
    assert!(
        sim.error_ratio() > 0.2,
        "a config outage fails many requests: {}",
        sim.error_ratio()
    );
    sim.apply(Action::RollBack).expect("live");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::RolledBack);
    sim.step();
    assert!(sim.error_ratio() < 0.001);
    let dora = sim.summary().dora;
    assert_eq!(dora.change_failure_rate, Some(1.0));
    // Lead time: build 10 + test 30 minutes.
    assert_eq!(dora.lead_time_hours_median, Some(40.0 / 60.0));
    assert!(dora.recovery_time_minutes_median.is_some());
}

#[test]
fn a_feature_flag_ships_dark_and_the_kill_switch_is_instant() {
    let mut sim = run_with_first_defect(DefectKind::ErrorRate);
    sim.apply(Action::ShipFeature {
        strategy: Strategy::FeatureFlag,
    })
    .expect("shippable");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::Live);
    sim.step();
    let base = sim.scenario().entry().base_error_ratio.0;
    assert!(sim.error_ratio() <= base + 1e-12, "dark: no one runs it");
    sim.apply(Action::SetFlag {
        deploy: 1,
        on: true,
    })
    .expect("deploy 1 is flagged");
    sim.step();
    assert!(sim.error_ratio() > base, "released: its defect acts");
    sim.step();
    sim.apply(Action::SetFlag {
        deploy: 1,
        on: false,
    })
    .expect("the kill switch");
    sim.step();
    assert!(sim.error_ratio() <= base + 1e-12);
    assert_eq!(sim.summary().dora.change_failure_rate, Some(1.0));
}

#[test]
fn blue_green_switches_back_at_once_while_blue_is_kept() {
    let mut sim = run_with_first_defect(DefectKind::ErrorRate);
    sim.apply(Action::ShipFeature {
        strategy: Strategy::BlueGreen,
    })
    .expect("shippable");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::Live);
    let event = sim.apply(Action::RollBack).expect("live").text.clone();
    assert!(event.contains("at once"), "{event}");
    assert_eq!(sim.deploys()[0].stage, Stage::RolledBack);
    assert_eq!(sim.deploys()[0].exposure, 0.0);
}

#[test]
fn a_memory_leak_slows_the_service_until_a_restart() {
    let mut sim = run_with_first_defect(DefectKind::MemoryLeak);
    sim.apply(Action::ShipFeature {
        strategy: Strategy::AllAtOnce,
    })
    .expect("shippable");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::Live);
    sim.step();
    let fresh = sim.services()[0].change_slowdown;
    sim.step_n(4 * TICKS_PER_HOUR);
    let leaking = sim.services()[0].change_slowdown;
    assert!(
        leaking > fresh + 0.2,
        "slower as memory fills: {fresh} → {leaking}"
    );
    sim.apply(Action::Restart { service: 0 })
        .expect("SRE may restart");
    sim.step();
    assert!(sim.services()[0].change_slowdown < fresh + 0.01);
}

#[test]
fn a_spent_budget_freezes_deploys_except_rollbacks_and_hotfixes() {
    // One replica cannot carry first-slo's afternoon: the budget goes, the policy freezes.
    let mut sim = Simulation::new(scenario("first-slo"), 4);
    sim.apply(Action::ScaleTo {
        replicas: 1,
        service: None,
    })
    .expect("in range");
    step_until(&mut sim, |s| s.frozen().is_some());
    assert!(sim.events().iter().any(|e| e.kind == EventKind::Policy));
    let refused = sim
        .apply(Action::ShipFeature {
            strategy: Strategy::Canary,
        })
        .expect_err("frozen");
    assert!(refused.to_string().contains("frozen"), "{refused}");
    // Back within SLO, deploys thaw by themselves.
    sim.apply(Action::ScaleTo {
        replicas: 6,
        service: None,
    })
    .expect("in range");
    step_until(&mut sim, |s| s.frozen().is_none());
    assert!(sim.slo_status().budget_remaining > 0.0);
}

/// What the SRE's automation promises, it does: with certificates renewing themselves,
/// the certificate that black-friday lets expire on day 12 never does, and users are spared
/// its 45 minutes of failed payments.
#[test]
fn automated_renewal_averts_the_certificate_expiry() {
    let run = |automate: bool| {
        let mut sim = Simulation::new(scenario("black-friday"), 1);
        sim.step_n(TICKS_PER_DAY);
        if automate {
            sim.apply(Action::Invest {
                investment: Investment::AutomateCertificates,
            })
            .expect("a day of SRE hours");
        }
        sim.step_n(12 * TICKS_PER_DAY);
        sim
    };
    let (manual, automated) = (run(false), run(true));
    let said = |sim: &Simulation, text: &str| sim.events().iter().any(|e| e.text.contains(text));
    assert!(said(&manual, "TLS certificate expired") && !said(&manual, "Fault avoided"));
    assert!(said(&automated, "automated renewal replaced it in time"));
    assert!(!said(&automated, "TLS certificate expired"));
    // The expiry fails every payment for 45 minutes: over a million requests here.
    assert!(
        manual.requests_failed() > automated.requests_failed() + 1_000_000,
        "{} vs {}",
        manual.requests_failed(),
        automated.requests_failed()
    );
}

#[test]
fn automating_toil_cuts_toil_hours() {
    let run = |automate: bool| {
        let mut sim = Simulation::new(scenario("black-friday"), 2);
        sim.step_n(2 * TICKS_PER_DAY);
        if automate {
            for investment in [
                Investment::AutomateDiskCleanup,
                Investment::AutomateCertificates,
            ] {
                sim.apply(Action::Invest { investment })
                    .expect("two days of hours");
            }
        }
        let before = sim.team().sre.toil;
        sim.step_n(7 * TICKS_PER_DAY);
        sim.team().sre.toil - before
    };
    let manual = run(false);
    let automated = run(true);
    // Six services: 6 × (15 min + 1 h / 7) a day of chores, none once automated.
    assert!(
        manual > automated + 7.0 * 6.0 * 0.39,
        "{manual} vs {automated}"
    );
}

#[test]
fn switching_retries_off_changes_the_load_the_services_see() {
    let mut with = Simulation::new(scenario("retry-storm"), 3);
    let mut without = with.clone();
    without
        .apply(Action::SetRetries { on: false })
        .expect("on by default");
    with.step_n(2 * TICKS_PER_DAY);
    without.step_n(2 * TICKS_PER_DAY);
    let requests = |sim: &Simulation| {
        sim.summary()
            .services
            .iter()
            .map(|s| s.requests)
            .sum::<u64>()
    };
    assert!(requests(&with) > requests(&without));
}

#[test]
fn a_role_may_take_only_its_own_actions() {
    let mut sim = Simulation::new(scenario("first-slo"), 1);
    sim.step_n(TICKS_PER_DAY);
    let ship = Action::ShipFeature {
        strategy: Strategy::Canary,
    };
    let refused = sim
        .apply_by(Actor::person(Role::Sre), ship)
        .expect_err("not SRE's");
    assert_eq!(refused, ActionError::NotYourRole("DevOps"));
    sim.apply_by(Actor::person(Role::Devops), ship)
        .expect("DevOps ships");
    let scale = Action::ScaleTo {
        replicas: 4,
        service: None,
    };
    assert!(sim.apply_by(Actor::person(Role::Devops), scale).is_err());
    sim.apply_by(Actor::person(Role::Sre), scale)
        .expect("SRE scales");
}

fn bot_run(devops: Policy, sre: Policy, seed: u64) -> Simulation {
    let mut sim = Simulation::new(scenario("first-slo"), seed);
    sim.add_bot(Role::Devops, devops);
    sim.add_bot(Role::Sre, sre);
    while sim.step().is_some() {}
    sim
}

#[test]
fn bots_are_deterministic_and_their_action_log_replays_to_the_same_hash() {
    let a = bot_run(Policy::Balanced, Policy::Balanced, 8);
    let b = bot_run(Policy::Balanced, Policy::Balanced, 8);
    assert_eq!(a.run_hash(), b.run_hash());
    assert!(!a.actions().is_empty());
    assert!(a
        .actions()
        .iter()
        .all(|x| x.by.bot == Some(Policy::Balanced)));
    let replayed = Simulation::replay(scenario("first-slo"), 8, a.actions()).expect("valid log");
    assert_eq!(replayed.run_hash(), a.run_hash());
    // Through JSON too, as the CLI writes and reads it.
    let json = serde_json::to_string(a.actions()).expect("serializable");
    let log: Vec<ops_dojo_engine::StampedAction> = serde_json::from_str(&json).expect("reads back");
    let from_json = Simulation::replay(scenario("first-slo"), 8, &log).expect("valid log");
    assert_eq!(from_json.run_hash(), a.run_hash());
}

#[test]
fn ship_fast_ships_more_and_burns_more_budget_than_budget_guard() {
    for seed in [1, 2, 3] {
        let fast = bot_run(Policy::ShipFast, Policy::Balanced, seed).summary();
        let guard = bot_run(Policy::BudgetGuard, Policy::Balanced, seed).summary();
        assert!(
            fast.dora.deployments > guard.dora.deployments,
            "seed {seed}: {} vs {} deployments",
            fast.dora.deployments,
            guard.dora.deployments
        );
        assert!(
            fast.slos[0].budget_remaining < guard.slos[0].budget_remaining,
            "seed {seed}: budget {} vs {}",
            fast.slos[0].budget_remaining,
            guard.slos[0].budget_remaining
        );
    }
}

#[test]
fn an_sre_bot_keeps_more_budget_than_no_one_on_call() {
    let hands_off = bot_run(Policy::HandsOff, Policy::HandsOff, 5).summary();
    let balanced = bot_run(Policy::HandsOff, Policy::Balanced, 5).summary();
    assert!(balanced.slos[0].budget_remaining > hands_off.slos[0].budget_remaining);
    assert!(balanced.incidents.acknowledged > 0 || balanced.incidents.count == 0);
    // The on-call answered within its 5 minutes (+ the minute bots wait between looks).
    if let Some(mtta) = balanced.incidents.mtta_minutes_median {
        assert!(mtta <= 6.0, "{mtta}");
    }
}

#[test]
fn objectives_read_live_and_judge_at_the_end() {
    use ops_dojo_engine::objectives::{statuses, Progress};
    let mut sim = Simulation::new(scenario("first-slo"), 1);
    let start = statuses(&sim);
    assert_eq!(start.len(), 2);
    assert_eq!(
        start[0].progress,
        Progress::OnTrack,
        "inside the budget at the start"
    );
    assert_eq!(
        start[1].progress,
        Progress::Behind,
        "no feature shipped yet"
    );
    while sim.step().is_some() {}
    let end = statuses(&sim);
    // Hands off: the afternoon peaks spend the budget and nothing ships.
    assert_eq!(end[0].progress, Progress::Missed, "{:?}", end[0]);
    assert_eq!(end[1].progress, Progress::Missed);
    assert_eq!(sim.summary().objectives, end);
}

#[test]
fn guidance_steps_show_when_their_triggers_happen() {
    use ops_dojo_engine::clock::TICKS_PER_MINUTE;
    use ops_dojo_engine::guidance::Trigger;
    let mut sim = Simulation::new(scenario("first-slo"), 5);
    let shown = |sim: &Simulation| {
        sim.guidance()
            .iter()
            .map(|(at, s)| (*at, *s.when.get_ref()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shown(&sim),
        [(0, Trigger::Start)],
        "the first step shows at once"
    );
    sim.step_n(13 * TICKS_PER_HOUR);
    let at_one = Trigger::At {
        day: 1,
        hour: 13,
        minute: 0,
    };
    assert_eq!(shown(&sim)[1], (13 * TICKS_PER_HOUR, at_one));
    // Hands off, the afternoon peak pages; the step shows within the minute of the page.
    while sim.alert_summary().pages == 0 {
        sim.step().expect("seed 5 pages in its week");
    }
    let page_tick = sim.tick();
    sim.step_n(TICKS_PER_MINUTE);
    let page_step = shown(&sim)
        .into_iter()
        .find(|(_, when)| *when == Trigger::FirstPage)
        .expect("shown after the first page");
    assert!(page_step.0 >= page_tick - 1 && page_step.0 <= page_tick + TICKS_PER_MINUTE);
}

#[test]
fn the_debrief_states_the_runs_own_numbers() {
    use ops_dojo_engine::debrief::{effect, Debrief};
    let mut sim = run_with_first_defect(DefectKind::ConfigOutage);
    sim.apply(Action::ShipFeature {
        strategy: Strategy::AllAtOnce,
    })
    .expect("shippable");
    step_until(&mut sim, |s| s.deploys()[0].stage == Stage::Live);
    sim.step_n(TICKS_PER_HOUR);
    sim.apply(Action::RollBack).expect("live");
    while sim.step().is_some() {}
    let debrief = Debrief::of(&sim);
    let deploy = &sim.deploys()[0];
    let (live, back) = (
        deploy.live_at.expect("it went live"),
        deploy.recovered_at.expect("rolled back"),
    );
    let moment = debrief
        .moments
        .iter()
        .find(|m| {
            m.what
                .starts_with("Deploy #1 (all at once) carried a config outage")
        })
        .expect("the defective deploy is a key moment");
    // Its effect is the records' own sum over the time users ran the bad code.
    let failed: u64 = sim.records()[live as usize..back as usize]
        .iter()
        .map(|r| u64::from(r.offered - r.good))
        .sum();
    assert_eq!(moment.failed_requests, failed);
    assert_eq!(
        (moment.failed_requests, moment.budget_spent),
        effect(sim.records(), live, back)
    );
    assert!(
        moment.budget_spent > 0.1,
        "a config outage for an hour spends budget"
    );
    assert!(
        debrief
            .what_if
            .iter()
            .any(|n| n.starts_with("Deploy #1 went out all at once")
                && n.contains("A canary would have stopped it after 30m")),
        "{:?}",
        debrief.what_if
    );
    assert_eq!(
        (
            debrief.reflection.devops_actions,
            debrief.reflection.sre_actions
        ),
        (1, 1),
        "ship (DevOps) and scale (SRE); a rollback is either's"
    );
}
