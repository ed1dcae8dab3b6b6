//! The freeze as a request (DOMAIN.md, "Error budget policy": releases halt except P0 and
//! security fixes): during a freeze DevOps may ask the SRE for an exception, the SRE
//! approves or declines with the record's reasons, and a thaw lets a waiting request lapse.

use ops_dojo_engine::action::{Action, ActionError, Actor};
use ops_dojo_engine::delivery::Strategy;
use ops_dojo_engine::freeze_request::Decision;
use ops_dojo_engine::{catalog, Policy, Role, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const DEVOPS: Actor = Actor {
    role: Some(Role::Devops),
    bot: None,
};
const SRE: Actor = Actor {
    role: Some(Role::Sre),
    bot: None,
};
const ASK: Action = Action::AskToShip {
    strategy: Strategy::Canary,
};

/// budget-policy (the SRE freezes and thaws by hand), an hour in, with deploys frozen.
fn frozen() -> Simulation {
    let scenario = catalog::load("budget-policy")
        .expect("built in")
        .expect("valid");
    let mut sim = Simulation::new(scenario, 1);
    for _ in 0..60 {
        sim.step();
    }
    sim.apply_by(SRE, Action::SetDeployFreeze { on: true })
        .expect("the SRE may freeze");
    sim
}

#[test]
fn in_a_freeze_a_feature_is_refused_but_devops_may_ask_once() {
    let mut sim = frozen();
    let ship = Action::ShipFeature {
        strategy: Strategy::Canary,
    };
    let refused = sim.refusal(DEVOPS, ship).expect("frozen");
    assert!(refused.to_string().contains("ask the SRE"), "{refused}");
    assert!(
        sim.refusal(SRE, ASK).is_some(),
        "asking is DevOps' job, not the SRE's"
    );
    let text = sim.apply_by(DEVOPS, ASK).expect("may ask").text.clone();
    assert!(text.contains("Request #1"), "{text}");
    let waiting = sim.freeze_requests().waiting().expect("waits").clone();
    assert_eq!((waiting.number, waiting.strategy), (1, Strategy::Canary));
    assert!(matches!(
        sim.refusal(DEVOPS, ASK),
        Some(ActionError::Refused(why)) if why.contains("waiting for the SRE")
    ));
    assert!(sim
        .refusal(DEVOPS, Action::AnswerFreezeRequest { approve: true })
        .is_some());
}

#[test]
fn an_approval_ships_the_feature_through_the_freeze_with_its_reasons_on_the_record() {
    let mut sim = frozen();
    sim.apply_by(DEVOPS, ASK).expect("may ask");
    let deploys = sim.deploys().len();
    let tick = sim.tick();
    let text = sim
        .apply_by(SRE, Action::AnswerFreezeRequest { approve: true })
        .expect("may approve")
        .text
        .clone();
    assert!(
        text.contains("approved") && text.contains("Committed"),
        "{text}"
    );
    assert_eq!(sim.deploys().len(), deploys + 1, "the feature shipped");
    let deploy = sim.deploys().last().expect("shipped");
    assert_eq!(
        (deploy.committed_at, deploy.strategy),
        (tick, Strategy::Canary)
    );
    let answer = sim.freeze_requests().all()[0].answer.expect("answered");
    assert_eq!(answer.decision, Decision::Approved);
    assert_eq!(answer.at, tick);
    assert!(answer.budget_left.is_finite() && answer.burn_rate_1h.is_finite());
    assert!(sim.frozen().is_some(), "an exception does not thaw deploys");
    assert!(sim.freeze_requests().waiting().is_none());
}

#[test]
fn a_decline_ships_nothing_and_a_thaw_lets_a_waiting_request_lapse() {
    let mut sim = frozen();
    sim.apply_by(DEVOPS, ASK).expect("may ask");
    let deploys = sim.deploys().len();
    sim.apply_by(SRE, Action::AnswerFreezeRequest { approve: false })
        .expect("may decline");
    assert_eq!(sim.deploys().len(), deploys, "nothing shipped");
    assert!(sim
        .refusal(SRE, Action::AnswerFreezeRequest { approve: false })
        .is_some());
    sim.step();
    sim.apply_by(DEVOPS, ASK).expect("may ask again");
    let text = sim
        .apply_by(SRE, Action::SetDeployFreeze { on: false })
        .expect("the SRE thaws")
        .text
        .clone();
    assert!(text.contains("lapsed"), "{text}");
    let decisions: Vec<_> = sim
        .freeze_requests()
        .all()
        .iter()
        .map(|r| r.answer.map(|a| a.decision))
        .collect();
    assert_eq!(
        decisions,
        [Some(Decision::Declined), Some(Decision::Lapsed)]
    );
    assert!(
        sim.refusal(DEVOPS, ASK).is_some(),
        "nothing to ask for once deploys thaw"
    );
}

#[test]
fn bots_negotiate_by_policy_and_the_debrief_says_what_came_of_it() {
    for (sre, decision) in [
        (Policy::ShipFast, Decision::Approved),
        (Policy::BudgetGuard, Decision::Declined),
    ] {
        let mut sim = frozen();
        sim.add_bot(Role::Devops, Policy::ShipFast);
        sim.add_bot(Role::Sre, sre);
        while sim.freeze_requests().all().is_empty() || sim.freeze_requests().waiting().is_some() {
            assert!(
                sim.step().is_some(),
                "the bots settle a request before the end"
            );
        }
        let first = &sim.freeze_requests().all()[0];
        assert_eq!(first.answer.map(|a| a.decision), Some(decision), "{sre:?}");
        let debrief = ops_dojo_engine::debrief::Debrief::of(sim.world());
        assert!(
            debrief
                .what_if
                .iter()
                .any(|n| n.contains("Request #1") && n.contains(decision.label())),
            "{:?}",
            debrief.what_if
        );
    }
}
