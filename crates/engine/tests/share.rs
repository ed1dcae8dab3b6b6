//! Result codes: every code round-trips, no input makes the decoder panic, a genuine code
//! verifies by replay and a tampered one is refused. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

use ops_dojo_engine::action::{Action, Actor, StampedAction};
use ops_dojo_engine::share::{Claim, CodeError, ResultCode, PREFIX};
use ops_dojo_engine::{catalog, Policy, Role, Scenario, Simulation};
use proptest::prelude::*;

fn first_slo() -> Scenario {
    catalog::load("first-slo")
        .expect("built in")
        .expect("valid")
}

/// A one-day first-slo run: a bot ships, the person scales.
fn short_run(seed: u64) -> Simulation {
    let mut scenario = first_slo();
    scenario.days = ops_dojo_engine::scenario::Bounded(1);
    let mut sim = Simulation::new(scenario, seed);
    sim.add_bot(Role::Devops, Policy::ShipFast);
    sim.step_n(600);
    sim.apply_by(
        Actor::person(Role::Sre),
        Action::ScaleTo {
            replicas: 4,
            service: None,
        },
    )
    .expect("in range");
    while sim.step().is_some() {}
    sim
}

#[test]
fn a_genuine_code_verifies_by_replay_and_a_tampered_one_is_refused() {
    let sim = short_run(3);
    let code = ResultCode::of(&sim, vec![Role::Sre]);
    let text = code.encode();
    assert!(text.starts_with(PREFIX));
    let read = ResultCode::decode(&text).expect("reads back");
    assert_eq!(read, code);
    let replayed = read.verify(first_slo()).expect("the replay reproduces it");
    assert_eq!(replayed.run_hash(), sim.run_hash());

    // Claiming more than was done.
    let mut boasted = code.clone();
    boasted.claim.features_shipped += 1;
    let error = ResultCode::decode(&boasted.encode())
        .expect("well formed")
        .verify(first_slo())
        .expect_err("not what the replay gives");
    assert!(matches!(error, CodeError::Mismatch(_)), "{error}");
    // Dropping an action the claim depends on.
    let mut edited = code.clone();
    edited.actions.retain(|a| a.by.bot.is_some());
    assert!(matches!(
        edited.verify(first_slo()),
        Err(CodeError::Mismatch(_))
    ));
    // Another version of the scenario.
    let mut harder = first_slo();
    harder.slos[0].target = ops_dojo_engine::scenario::Target(0.9999);
    assert!(matches!(
        code.verify(harder),
        Err(CodeError::OtherScenario { .. })
    ));
    // Pasted with line breaks and spaces, it still reads.
    let wrapped: String = text
        .chars()
        .collect::<Vec<_>>()
        .chunks(40)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n  ");
    assert_eq!(ResultCode::decode(&wrapped).expect("reads"), code);
}

#[test]
fn broken_codes_say_what_is_wrong() {
    assert_eq!(ResultCode::decode("hello"), Err(CodeError::Prefix));
    assert!(matches!(
        ResultCode::decode("OD1-***"),
        Err(CodeError::Damaged(_))
    ));
    let text = ResultCode::of(&short_run(4), vec![Role::Sre]).encode();
    let cut = &text[..text.len() / 2];
    assert!(matches!(
        ResultCode::decode(cut),
        Err(CodeError::Damaged(_))
    ));
}

fn arb_action() -> impl Strategy<Value = StampedAction> {
    (
        0u32..60_480,
        1u32..200,
        any::<bool>(),
        prop::option::of(0u16..6),
    )
        .prop_map(|(tick, replicas, sre, service)| StampedAction {
            tick,
            action: if sre {
                Action::ScaleTo { replicas, service }
            } else {
                Action::SetRetries {
                    on: replicas % 2 == 0,
                }
            },
            by: if sre {
                Actor::person(Role::Sre)
            } else {
                Actor::bot(Role::Sre, Policy::Balanced)
            },
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_code_round_trips(
        seed in any::<u64>(),
        days in 1u32..=90,
        actions in prop::collection::vec(arb_action(), 0..40),
        budget in -100.0f64..1.0,
        shipped in any::<u32>(),
        scenario in "[a-z-]{1,40}",
    ) {
        let code = ResultCode {
            scenario,
            fingerprint: "0123456789abcdef".to_string(),
            seed,
            roles: vec![Role::Sre],
            bots: vec![(Role::Devops, Policy::BudgetGuard)],
            days,
            actions,
            claim: Claim {
                run_hash: "f".repeat(32),
                budget_remaining: budget,
                features_shipped: shipped,
                deployments: 3,
                pages: 1,
            },
        };
        prop_assert_eq!(ResultCode::decode(&code.encode()), Ok(code));
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = ResultCode::decode(&text);
        let _ = ResultCode::decode(&format!("{PREFIX}{text}"));
    }

    #[test]
    fn arbitrary_bytes_behind_the_prefix_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        use base64::Engine;
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
        let text = format!("{PREFIX}{body}");
        let decoded = ResultCode::decode(&text);
        prop_assert!(decoded.is_err());
    }
}
