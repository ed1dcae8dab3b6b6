//! Result codes prove who played what: the replay recomputes the bots' actions from their
//! policies and takes only the person's from the code, so an edited code is refused or says
//! exactly what the original said. Native only (it replays thousands of variants).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use ops_dojo_engine::action::{Action, Actor, Fields};
use ops_dojo_engine::clock::{TICKS_PER_DAY, TICKS_PER_HOUR};
use ops_dojo_engine::share::{CodeError, ResultCode, PREFIX};
use ops_dojo_engine::{catalog, Policy, Role, Scenario, Simulation};

fn first_slo() -> Scenario {
    catalog::load("first-slo")
        .expect("built in")
        .expect("valid")
}

/// A one-day first-slo run: the balanced bot plays DevOps, the person plays SRE and scales
/// twice, switches retries off and back on.
fn short_run() -> Simulation {
    let mut scenario = first_slo();
    scenario.days = ops_dojo_engine::scenario::Bounded(1);
    let mut sim = Simulation::new(scenario, 11);
    sim.add_bot(Role::Devops, Policy::Balanced);
    let me = Actor::person(Role::Sre);
    let plan: [(u32, Action); 4] = [
        (
            TICKS_PER_HOUR,
            Action::ScaleTo {
                replicas: 5,
                service: None,
            },
        ),
        (3 * TICKS_PER_HOUR, Action::SetRetries { on: false }),
        (5 * TICKS_PER_HOUR, Action::SetRetries { on: true }),
        (
            11 * TICKS_PER_HOUR,
            Action::ScaleTo {
                replicas: 3,
                service: None,
            },
        ),
    ];
    for (tick, action) in plan {
        while sim.tick() < tick {
            sim.step();
        }
        sim.apply_by(me, action).expect("a valid SRE action");
    }
    while sim.step().is_some() {}
    sim
}

#[test]
fn the_code_holds_only_the_persons_actions_and_the_replay_recomputes_the_bots() {
    let sim = short_run();
    let bot_actions = sim.actions().iter().filter(|a| a.by.bot.is_some()).count();
    assert!(bot_actions > 0, "the bot acted");
    let code = ResultCode::of(&sim, vec![Role::Sre]).by("Ada");
    assert_eq!(code.actions.len(), 4, "the person's four actions only");
    let read = ResultCode::decode(&code.encode()).expect("reads");
    let replayed = read.verify(first_slo()).expect("verifies");
    assert_eq!(replayed.run_hash(), sim.run_hash());
    assert_eq!(
        replayed.actions(),
        sim.actions(),
        "bots' actions recomputed"
    );
}

#[test]
fn a_code_that_misstates_the_seats_is_refused_with_the_reason() {
    let sim = short_run();
    let code = ResultCode::of(&sim, vec![Role::Sre]);
    let refused = |code: &ResultCode| match ResultCode::decode(&code.encode()) {
        Err(CodeError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };

    // Claiming both jobs while a bot played DevOps.
    let mut both = code.clone();
    both.roles = Role::ALL.to_vec();
    assert!(refused(&both).contains("bots must play exactly the seats"));
    // A bots-only run handed in as nobody's.
    let mut nobody = code.clone();
    nobody.roles.clear();
    nobody.bots.push((Role::Sre, Policy::Balanced));
    assert!(refused(&nobody).contains("must name the seat"));
    // Another bot list than the seats left open.
    let mut extra_bot = code.clone();
    extra_bot.bots.push((Role::Sre, Policy::HandsOff));
    assert!(refused(&extra_bot).contains("bots must play exactly"));
    // A DevOps action in an SRE's code.
    let mut devops_work = code.clone();
    devops_work.actions[0].action = Action::Hotfix;
    assert!(refused(&devops_work).contains("DevOps work"));
    // Out of tick order, or after the run.
    let mut shuffled = code.clone();
    shuffled.actions.swap(0, 3);
    assert!(refused(&shuffled).contains("tick order"));
    let mut late = code.clone();
    late.actions[3].tick = TICKS_PER_DAY + 60;
    assert!(refused(&late).contains("tick order"));
    // A run length the format does not allow.
    let mut long = code.clone();
    long.days = 91;
    assert!(refused(&long).contains("1 to 90 days"));
    // A name that is not a name.
    let mut odd_name = code.clone();
    odd_name.player = "line\nbreak".into();
    assert!(refused(&odd_name).contains("name"));
    // Another bot policy than the one that played gives another run.
    let mut other_bot = code.clone();
    other_bot.bots = vec![(Role::Devops, Policy::ShipFast)];
    let read = ResultCode::decode(&other_bot.encode()).expect("well formed");
    assert!(matches!(
        read.verify(first_slo()),
        Err(CodeError::Mismatch(_))
    ));
}

#[test]
fn an_action_with_a_value_its_kind_does_not_use_is_refused() {
    // A rollback with a service number, a restart with an extra number.
    for fields in [
        Fields {
            tag: 3,
            argument: 0,
            service: 2,
            extra: 0,
        },
        Fields {
            tag: 10,
            argument: 0,
            service: 1,
            extra: 7,
        },
        Fields {
            tag: 6,
            argument: 1,
            service: 0,
            extra: 1,
        },
    ] {
        assert_eq!(Action::from_fields(fields), None, "{fields:?}");
    }
}

/// Flip every character of a real code to every other base64 character, one at a time:
/// every variant is refused, or reads as exactly the same claim (the player's name is the
/// one part that may differ, and it stays a sane name).
#[test]
fn every_one_character_edit_of_a_code_is_refused_or_claims_the_same() {
    let sim = short_run();
    let original = ResultCode::of(&sim, vec![Role::Sre]).by("Ada Lovelace");
    let text = original.encode();
    let body = &text[PREFIX.len()..];
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let anonymous = |code: &ResultCode| ResultCode {
        player: String::new(),
        ..code.clone()
    };
    // Replays are cached by everything but the name and the claim: an edit to the claim
    // alone is judged against the same replay (verify compares the claim bit for bit).
    let mut replays: BTreeMap<String, Result<ResultCode, CodeError>> = BTreeMap::new();
    let (mut variants, mut refused, mut same) = (0, 0, 0);
    for (i, original_char) in body.char_indices() {
        for c in ALPHABET.chars().filter(|&c| c != original_char) {
            variants += 1;
            let mut edited = body.to_string();
            edited.replace_range(i..i + 1, &c.to_string());
            let Ok(code) = ResultCode::decode(&format!("{PREFIX}{edited}")) else {
                refused += 1;
                continue;
            };
            assert!(code.player.chars().count() <= 40);
            let mut key = anonymous(&code);
            key.claim = original.claim.clone();
            let key = format!("{key:?}");
            let verdict = match replays.get(&key) {
                Some(Ok(run)) if run.claim.same_as(&code.claim) => Ok(()),
                Some(_) => Err(()),
                None => {
                    let outcome = code.verify(first_slo()).map(|_| code.clone());
                    let verdict = outcome.as_ref().map(|_| ()).map_err(|_| ());
                    replays.insert(key, outcome);
                    verdict
                }
            };
            match verdict {
                Err(()) => refused += 1,
                Ok(()) => {
                    assert_eq!(
                        anonymous(&code),
                        anonymous(&original),
                        "a variant at character {i} ({c}) verifies with another claim"
                    );
                    same += 1;
                }
            }
        }
    }
    assert_eq!(refused + same, variants);
    assert!(refused > variants / 2, "{refused} of {variants} refused");
    eprintln!("{variants} one-character edits: {refused} refused, {same} read as the same claim");
}
