//! Every malformed scenario gets a message that says what is wrong and where
//! (`file:line:column`), never a panic. Each case edits a valid file in one place and checks
//! the position of the edit and the words of the message.

use ops_dojo_engine::Scenario;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const RETRY_STORM: &str = include_str!("../../../scenarios/retry-storm.toml");
const BLACK_FRIDAY: &str = include_str!("../../../scenarios/black-friday.toml");

/// Replaces the first `from` in `base` with `to`, parses, and checks that the error points at
/// `needle` (the line and column where it starts in the edited text) and contains `words`.
fn error_at(base: &str, from: &str, to: &str, needle: &str, words: &str) {
    assert!(base.contains(from), "the case edits {from:?}");
    let text = base.replacen(from, to, 1);
    let error = Scenario::parse(&text, "my.toml").expect_err(&format!("{to:?} is an error"));
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in the text"));
    let line = text[..offset].matches('\n').count() + 1;
    let column = text[..offset]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("my.toml:{line}:{column}: ")),
        "expected my.toml:{line}:{column}, got {message}"
    );
    assert!(message.contains(words), "{message:?} should say {words:?}");
}

#[test]
fn calls_to_a_service_that_does_not_exist_name_the_known_ones() {
    error_at(
        RETRY_STORM,
        r#"calls = ["orders-db"]"#,
        r#"calls = ["orders-dbb"]"#,
        r#""orders-dbb""#,
        r#"no service is named "orders-dbb" (services: orders-api, orders-db)"#,
    );
}

#[test]
fn a_call_loop_is_refused_where_it_closes() {
    let text = RETRY_STORM.replacen(
        "timeout_ms = 500",
        "timeout_ms = 500\ncalls = [\"orders-api\"]",
        1,
    );
    let error = Scenario::parse(&text, "my.toml").expect_err("a loop");
    assert!(error.to_string().contains("closes a loop"), "{error}");
    let line = text
        .lines()
        .position(|l| l.starts_with("calls = [\"orders-api\"]"))
        .expect("the edit")
        + 1;
    assert_eq!((error.line, error.column), (line, 10), "{error}");
}

#[test]
fn duplicate_and_unreachable_services_are_refused() {
    error_at(
        RETRY_STORM,
        r#"name = "orders-db""#,
        r#"name = "orders-api""#,
        r#""orders-api"
replicas = 2"#,
        "two services are named",
    );
    error_at(
        RETRY_STORM,
        r#"calls = ["orders-db"]"#,
        "calls = []",
        r#""orders-db""#,
        "is never called",
    );
}

#[test]
fn latency_slos_need_a_threshold_and_availability_ones_refuse_it() {
    error_at(
        RETRY_STORM,
        "threshold_ms = 500.0",
        "",
        r#"sli = "latency""#,
        "needs threshold_ms",
    );
    error_at(
        RETRY_STORM,
        "target = 0.999\n",
        "target = 0.999\nthreshold_ms = 300.0\n",
        "300.0",
        "applies only to sli",
    );
}

#[test]
fn field_values_are_checked_where_they_stand() {
    error_at(
        BLACK_FRIDAY,
        "service_time_ms = 45.0",
        "service_time_ms = -45.0",
        "-45.0",
        "expected a number above 0",
    );
    error_at(
        BLACK_FRIDAY,
        r#"service_time = "lognormal""#,
        r#"service_time = "gaussian""#,
        r#""gaussian""#,
        "constant",
    );
    error_at(
        BLACK_FRIDAY,
        "weekly = [1.0, 0.95,",
        "weekly = [1.0, -0.95,",
        // The error points at the item itself, not at the array around it.
        "-0.95",
        "expected a number of 0 or more",
    );
    error_at(
        BLACK_FRIDAY,
        "max_attempts = 3",
        "max_attempts = 3_0",
        "3_0",
        "from 1 to 10",
    );
    error_at(
        BLACK_FRIDAY,
        "hit_ratio = 0.85",
        "hit_ration = 0.85",
        "hit_ration",
        "unknown field",
    );
}

#[test]
fn faults_are_checked_against_the_catalogue_the_clock_and_the_services() {
    error_at(
        BLACK_FRIDAY,
        r#"at = "03:10""#,
        r#"at = "3:10""#,
        r#""3:10""#,
        "expected a time of day",
    );
    error_at(
        BLACK_FRIDAY,
        r#"kind = "certificate_expiry""#,
        r#"kind = "solar_flare""#,
        r#""solar_flare""#,
        "instance_crash",
    );
    error_at(
        BLACK_FRIDAY,
        r#"service = "payments"
day = 12"#,
        r#"service = "paymnts"
day = 12"#,
        r#""paymnts""#,
        "no service is named",
    );
    error_at(
        BLACK_FRIDAY,
        "day = 26",
        "day = 29",
        "29",
        "falls after the run's 28 days",
    );
}

#[test]
fn the_examples_and_their_worked_numbers_parse() {
    for text in [RETRY_STORM, BLACK_FRIDAY] {
        Scenario::parse(text, "example.toml").expect("the shipped files are valid");
    }
}

#[test]
fn objectives_and_the_budget_policy_are_checked() {
    error_at(
        BLACK_FRIDAY,
        r#"kind = "night_pages""#,
        r#"kind = "sleep""#,
        r#""sleep""#,
        "unknown variant `sleep`, expected one of `slos_met`",
    );
    // Inside an objective the value is checked too; the position is the objective's table
    // (the kind decides which fields it has, so it is read as a whole).
    error_at(
        BLACK_FRIDAY,
        "at_least = 5 ",
        "at_least = 500 ",
        "[[objectives]]\nkind = \"features_shipped\"",
        "expected a whole number from 1 to 100, found 500",
    );
    // Each kind takes its own number, and needs it.
    error_at(
        BLACK_FRIDAY,
        "at_least = 5 ",
        "at_most = 5 ",
        "[[objectives]]\nkind = \"features_shipped\"",
        "unknown field `at_most` for this kind of objective",
    );
    error_at(
        BLACK_FRIDAY,
        "at_least = 5 ",
        "at_least = 5.5 ",
        "[[objectives]]\nkind = \"features_shipped\"",
        "expected a whole number from 1 to 100, found 5.5",
    );
    error_at(
        BLACK_FRIDAY,
        "[[objectives]]\nkind = \"toil_share\"",
        "[policy]\nfreeze = \"sometimes\"\n\n[[objectives]]\nkind = \"toil_share\"",
        r#""sometimes""#,
        "unknown variant `sometimes`, expected one of `automatic`, `by_sre`, `off`",
    );
}

#[test]
fn guidance_steps_and_objectives_must_fit_the_run() {
    const FIRST_SLO: &str = include_str!("../../../scenarios/first-slo.toml");
    // first-slo runs 7 days: a step on day 9 would never show.
    error_at(
        FIRST_SLO,
        r#"when = "day 1 13:00""#,
        r#"when = "day 9 09:00""#,
        r#""day 9 09:00""#,
        r#"a guidance step on day 9 falls after the run's 7 days: expected a time from "day 1 00:00" to "day 7 23:59""#,
    );
    Scenario::parse(
        &FIRST_SLO.replacen(r#"when = "day 1 13:00""#, r#"when = "day 7 23:59""#, 1),
        "my.toml",
    )
    .expect("the last minute of the run is inside it");
    // A malformed trigger still says which forms it accepts, at the value.
    error_at(
        FIRST_SLO,
        r#"when = "day 1 13:00""#,
        r#"when = "tomorrow""#,
        r#""tomorrow""#,
        "expected a trigger",
    );
    // Black Friday's backlog has the default 24 features.
    error_at(
        BLACK_FRIDAY,
        "at_least = 5 ",
        "at_least = 30 ",
        "at_least = 30 ",
        "features_shipped asks for 30 features but the backlog has 24 (delivery.features): expected at most 24",
    );
}
