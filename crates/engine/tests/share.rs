//! Result codes: every code round-trips, no input makes the decoder panic, a genuine code
//! verifies by replay and a tampered one is refused. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

use ops_dojo_engine::action::{Action, Actor, Fields, StampedAction};
use ops_dojo_engine::clock::TICK_SECONDS;
use ops_dojo_engine::share::{
    pack_scenario, unpack_scenario, Claim, CodeError, ResultCode, SavedRun, MAX_SCENARIO_BYTES,
    PREFIX, SCENARIO_PREFIX,
};
use ops_dojo_engine::{catalog, share, Policy, Role, Scenario, Simulation};
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

    // A name rides along, trimmed and cut to 40 characters; it is not part of the claim.
    let named = code
        .clone()
        .by("  Ada, group B, with a name far longer than any table wants  ");
    assert_eq!(named.player, "Ada, group B, with a name far longer tha");
    let read = ResultCode::decode(&named.encode()).expect("reads back");
    assert_eq!(read.player, named.player);
    assert!(read.verify(first_slo()).is_ok());
}

#[test]
fn broken_codes_say_what_is_wrong() {
    assert_eq!(
        ResultCode::decode("hello"),
        Err(CodeError::Prefix {
            what: "result code",
            prefix: PREFIX
        })
    );
    assert!(matches!(
        ResultCode::decode(&format!("{PREFIX}***")),
        Err(CodeError::Damaged { .. })
    ));
    // A code of the first format (it carried the bots' actions) says so.
    let error = ResultCode::decode("  OD1-AAAA").expect_err("format 1");
    assert!(matches!(error, CodeError::OlderVersion { .. }), "{error}");
    assert!(error.to_string().contains("older version"), "{error}");
    // So does one of the second format (10-second ticks: its numbers are not this engine's).
    let error = ResultCode::decode("OD2-AAAA").expect_err("format 2");
    assert!(matches!(error, CodeError::OlderVersion { .. }), "{error}");
    let text = ResultCode::of(&short_run(4), vec![Role::Sre]).encode();
    let cut = &text[..text.len() / 2];
    assert!(matches!(
        ResultCode::decode(cut),
        Err(CodeError::Damaged { .. })
    ));
}

/// Any action of any kind (every tag, arguments in and out of range), by anyone. Numbers an
/// action's kind does not use are zeroed (the only form `from_fields` accepts).
fn arb_action() -> impl Strategy<Value = StampedAction> {
    (
        0u32..60_480,
        (
            1u8..=18,
            prop_oneof![0u32..8, any::<u32>()],
            any::<u16>(),
            any::<u32>(),
        ),
        prop::option::of(prop::sample::select(Role::ALL.to_vec())),
        prop::option::of(prop::sample::select(Policy::ALL.to_vec())),
    )
        .prop_filter_map(
            "numbers that name no action",
            |(tick, (tag, argument, service, extra), role, bot)| {
                let action = (0..8).find_map(|unused: u8| {
                    Action::from_fields(Fields {
                        tag,
                        argument: if unused & 1 == 0 {
                            argument
                        } else {
                            argument % 2
                        },
                        service: if unused & 2 == 0 { service } else { 0 },
                        extra: if unused & 4 == 0 { extra } else { 0 },
                    })
                })?;
                // The numbers of an action give it back exactly.
                assert_eq!(Action::from_fields(action.fields()), Some(action));
                Some(StampedAction {
                    tick,
                    action,
                    by: Actor { role, bot },
                })
            },
        )
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
        player in "([A-Za-z0-9][A-Za-z0-9 ,.]{0,38}[a-z])?",
    ) {
        // A code holds the person's actions only, in tick order, inside the run.
        let run_ticks = days * ops_dojo_engine::clock::TICKS_PER_DAY;
        let mut actions: Vec<StampedAction> = actions
            .into_iter()
            .filter(|a| a.action.role() != Some(Role::Devops))
            .map(|a| StampedAction { tick: a.tick % run_ticks, by: Actor::person(Role::Sre), ..a })
            .collect();
        actions.sort_by_key(|a| a.tick);
        let code = ResultCode {
            player,
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

    #[test]
    fn every_saved_run_round_trips(
        seed in any::<u64>(),
        tick in any::<u32>(),
        actions in prop::collection::vec(arb_action(), 0..40),
        scenario in "[a-z-]{1,40}",
        both in any::<bool>(),
    ) {
        let saved = SavedRun {
            scenario,
            fingerprint: "0123456789abcdef".to_string(),
            seed,
            roles: if both { Role::ALL.to_vec() } else { vec![Role::Devops] },
            bots: if both { vec![] } else { vec![(Role::Sre, Policy::HandsOff)] },
            actions,
            tick,
        };
        prop_assert_eq!(SavedRun::decode(&saved.encode()), Ok(saved));
    }

    #[test]
    fn arbitrary_text_never_panics_a_saved_run(text in ".{0,400}") {
        let _ = SavedRun::decode(&text);
        let _ = SavedRun::decode(&format!("ODR1-{text}"));
    }

    #[test]
    fn base64url_agrees_with_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..300), text in "[A-Za-z0-9_=+/ -]{0,60}") {
        use base64::Engine;
        let reference = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let encoded = ops_dojo_engine::base64url::encode(&bytes);
        prop_assert_eq!(&encoded, &reference.encode(&bytes));
        prop_assert_eq!(ops_dojo_engine::base64url::decode(&encoded), Ok(bytes));
        // Any text: both accept it, with the same bytes, or both refuse it.
        prop_assert_eq!(ops_dojo_engine::base64url::decode(&text).ok(), reference.decode(&text).ok());
    }

    #[test]
    fn every_scenario_text_round_trips_through_a_link(text in "(?s).{0,3000}") {
        prop_assert_eq!(unpack_scenario(&pack_scenario(&text)), Ok(text));
    }

    #[test]
    fn arbitrary_bytes_never_panic_a_linked_scenario(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        use base64::Engine;
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
        let _ = unpack_scenario(&format!("{SCENARIO_PREFIX}{body}"));
        let _ = unpack_scenario(&String::from_utf8_lossy(&bytes));
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../build/comments.rs"]
mod comments;

/// Comments go, with the spaces before them and the lines they leave empty; a `#` inside any
/// kind of string stays, and so does every string as written.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn comments_go_and_strings_stay() {
    let text = r##"# a file comment

title = "Issue #1: \"quoted #\""   # trailing
path = 'C:\#dir\'
briefing = """
line # kept

  a \""" quote""" # gone
raw = '''
# kept too
'''
[table] # gone
key = 1
"##;
    let expected = r##"title = "Issue #1: \"quoted #\""
path = 'C:\#dir\'
briefing = """
line # kept

  a \""" quote"""
raw = '''
# kept too
'''
[table]
key = 1
"##;
    assert_eq!(comments::without_comments(text), expected);
}

/// What is compiled in is each file of `scenarios/` without its comments (build.rs): the
/// very same scenario (same fingerprint, so result codes made from either match), lighter.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn built_in_scenarios_are_their_files_without_the_comments() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    for (id, file, text) in ops_dojo_engine::catalog::BUILT_IN {
        let original = std::fs::read_to_string(format!("{root}{file}")).expect("the file");
        let (kept, full) = (
            Scenario::parse(text, file).expect("valid"),
            Scenario::parse(&original, file).expect("valid"),
        );
        assert_eq!(
            ops_dojo_engine::share::fingerprint(&kept),
            ops_dojo_engine::share::fingerprint(&full),
            "{id}"
        );
        assert_eq!(
            kept.briefing, full.briefing,
            "{id}: strings are kept as written"
        );
        assert!(
            text.len() < original.len(),
            "{id}: {} of {}",
            text.len(),
            original.len()
        );
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with('#')),
            "{id}: a comment line is left"
        );
    }
}

/// The alert lab's incident set is compiled in without its comments too: the same world.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_incident_set_is_its_file_without_the_comments() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/alert_lab/incident_set.toml"
    );
    let original = std::fs::read_to_string(file).expect("the file");
    let kept = ops_dojo_engine::alert_lab::INCIDENT_SET;
    assert!(kept.len() < original.len() && !kept.contains("# "));
    assert_eq!(
        ops_dojo_engine::share::fingerprint(
            &Scenario::parse(kept, "incident-set.toml").expect("valid")
        ),
        ops_dojo_engine::share::fingerprint(
            &Scenario::parse(&original, "incident-set.toml").expect("valid")
        ),
    );
}

#[test]
fn built_in_scenarios_travel_in_links_in_under_two_thirds_of_their_size() {
    for (id, _, text) in ops_dojo_engine::catalog::BUILT_IN {
        let packed = pack_scenario(text);
        assert_eq!(unpack_scenario(&packed).as_deref(), Ok(*text), "{id}");
        // LZ4 halves the text and base64 adds a third: well under the file's size.
        assert!(
            packed.len() < text.len() * 4 / 5,
            "{id}: {} for {}",
            packed.len(),
            text.len()
        );
    }
}

#[test]
fn a_linked_scenario_too_big_to_be_one_is_refused() {
    // Compresses to a few hundred bytes, but would unpack to twice the limit.
    let huge = "#".repeat(2 * MAX_SCENARIO_BYTES);
    let error = unpack_scenario(&pack_scenario(&huge)).expect_err("too big");
    assert!(error.to_string().contains("too long"), "{error}");
    let packed = pack_scenario("format = 1");
    let cut = unpack_scenario(&packed[..packed.len() - 3]).expect_err("cut short");
    assert!(cut.to_string().contains("damaged"), "{cut}");
    assert!(matches!(
        unpack_scenario("OD1-AAAA"),
        Err(CodeError::Prefix { .. })
    ));
}

/// Two days of first-slo on seed 9, the ship-fast bot playing DevOps: `before` ticks, then
/// the person (SRE) scales to 9 replicas, then `after` more ticks.
fn two_days_scaled_at(before: u32, after: u32) -> (Scenario, Simulation) {
    let mut scenario = first_slo();
    scenario.days = ops_dojo_engine::scenario::Bounded(2);
    let mut sim = Simulation::new(scenario.clone(), 9);
    sim.add_bot(Role::Devops, Policy::ShipFast);
    sim.step_n(before);
    sim.apply_by(
        Actor::person(Role::Sre),
        Action::ScaleTo {
            replicas: 9,
            service: None,
        },
    )
    .expect("allowed");
    sim.step_n(after);
    (scenario, sim)
}

#[test]
fn a_saved_run_resumes_exactly_where_it_was() {
    // Played without a break: a bot on each side, a person's action on day 1.
    let (scenario, whole) = two_days_scaled_at(3_000, 1_000);
    // Saved at tick 4,000 and read back: the same state, and the same run to the end.
    let saved =
        SavedRun::decode(&SavedRun::of(&whole, vec![Role::Sre]).encode()).expect("reads back");
    assert_eq!(saved.tick, 4_000);
    let mut resumed = saved.resume(scenario.clone()).expect("resumes");
    assert_eq!(resumed.tick(), whole.tick());
    assert_eq!(resumed.actions(), whole.actions());
    assert_eq!(resumed.bots(), whole.bots());
    let mut whole = whole;
    while whole.step().is_some() {}
    while resumed.step().is_some() {}
    assert_eq!(resumed.run_hash(), whole.run_hash());

    // Another version of the scenario, or a log that runs past the save point, is refused.
    let mut harder = scenario.clone();
    harder.slos[0].target = ops_dojo_engine::scenario::Target(0.9999);
    assert!(matches!(
        saved.resume(harder),
        Err(CodeError::OtherScenario { .. })
    ));
    let mut ahead = saved.clone();
    ahead.tick = 100;
    assert!(matches!(
        ahead.resume(scenario),
        Err(CodeError::Replay { .. })
    ));
    assert!(matches!(
        SavedRun::decode("ODR1-AAAA"),
        Err(CodeError::Damaged { .. })
    ));
    assert!(matches!(
        SavedRun::decode("ODR2-AAAA"),
        Err(CodeError::Damaged { .. })
    ));
}

/// Version 1 of saved runs counted 10-second ticks. One the browser still holds resumes at
/// the same simulated moment, its actions at the same times (to the tick): progress is kept.
#[test]
fn a_saved_run_of_ten_second_ticks_resumes_at_the_same_moment() {
    let (scenario, sim) = two_days_scaled_at(900, 300);
    let now = SavedRun::of(&sim, vec![Role::Sre]);
    // The same run as version 1 wrote it: every time in ticks three times as short.
    let ticks_then = TICK_SECONDS / 10;
    let mut then = now.clone();
    then.tick *= ticks_then;
    for stamped in &mut then.actions {
        stamped.tick *= ticks_then;
    }
    let text = share::pack("ODR1-", &then);
    let read = SavedRun::decode(&text).expect("a version-1 saved run reads");
    assert_eq!(read, now);
    let resumed = read.resume(scenario).expect("resumes");
    assert_eq!(resumed.tick(), 1_200);
    assert_eq!(resumed.actions(), sim.actions());
}
