//! Regression tests for hostile scenario files: each reproduces a way a small file once cost
//! minutes, gigabytes, a stack overflow or a wrong number, and checks that it is now refused
//! where it is written, with the limit in the message. Also run in wasm (the browser's stack
//! and memory are the ones that matter most).

use ops_dojo_engine::scenario::limits::{
    MAX_CALL_DEPTH, MAX_FILE_BYTES, MAX_SERVICES, MAX_SLOS, MAX_SLO_DAYS,
};
use ops_dojo_engine::{Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The heaviest file the limits allow: 32 services (a chain 16 deep, the rest called by the
/// entry), SLOs using all 400 SLO-days, 100 faults, 40 guidance steps, a 90-day run.
const HEAVIEST: &str = include_str!("fixtures/heaviest.toml");

const HEAD: &str = "format = 1\nid = \"hostile\"\ntitle = \"Hostile\"\nbriefing = \"x\"\n\
    difficulty = 1\ndays = 90\nroles = [\"sre\"]\n\n[traffic]\nbase_rps = 10.0\n\n";
const TAIL: &str = "[delivery]\ndefect_probability = 0.1\ndefect_error_ratio = 0.1\n";

fn service(name: &str, calls: Option<&str>) -> String {
    let calls = calls.map_or_else(String::new, |c| format!("calls = [\"{c}\"]\n"));
    format!("[[services]]\nname = \"{name}\"\nreplicas = 2\nservice_time_ms = 10.0\n{calls}\n")
}

fn slo(window_days: u32) -> String {
    format!("[[slos]]\nname = \"a\"\ntarget = 0.999\nwindow_days = {window_days}\n\n")
}

/// A chain of `n` services, s0 → s1 → … (s0 is the entry).
fn chain(n: usize) -> String {
    (0..n)
        .map(|i| {
            let next = format!("s{}", i + 1);
            service(&format!("s{i}"), (i + 1 < n).then_some(next.as_str()))
        })
        .collect()
}

fn parse(text: &str) -> Result<Scenario, String> {
    Scenario::parse(text, "h.toml").map_err(|e| e.to_string())
}

fn refused(text: &str, words: &[&str]) -> String {
    let message = parse(text).expect_err("refused");
    for w in words {
        assert!(message.contains(w), "{message:?} should say {w:?}");
    }
    message
}

/// Line (1-based) of the first line of `text` that starts with `start`, `skip` matches
/// skipped.
fn line_of(text: &str, start: &str, skip: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(start))
        .nth(skip)
        .map(|(i, _)| i + 1)
        .expect("the line is there")
}

#[test]
fn the_heaviest_file_the_limits_allow_is_valid() {
    let scenario = parse(HEAVIEST).expect("at every limit, still valid");
    assert_eq!(scenario.services.len(), MAX_SERVICES);
    let slo_days: u32 = scenario
        .slos
        .iter()
        .map(|s| s.window_days.0 + scenario.days.0)
        .sum();
    assert_eq!(slo_days, MAX_SLO_DAYS);
    // It steps (its 90-day cost is measured by `scripts/bench.sh`, not timed here).
    let mut sim = Simulation::new(scenario, 1);
    assert_eq!(sim.step_n(60), 60);
}

#[test]
fn two_hundred_slos_of_ninety_days_are_refused_at_the_ninth() {
    let slos: String = (0..200).map(|_| slo(90)).collect();
    let text = format!("{HEAD}{}{slos}{TAIL}", service("a", None));
    let message = refused(&text, &["200 SLOs", &format!("limit is {MAX_SLOS}")]);
    let line = line_of(&text, "[[slos]]", MAX_SLOS);
    assert!(
        message.starts_with(&format!("h.toml:{line}:1: ")),
        "{message}"
    );
}

#[test]
fn slo_days_over_the_limit_say_what_they_add_up_to() {
    let slos: String = (0..3).map(|_| slo(90)).collect();
    let text = format!("{HEAD}{}{slos}{TAIL}", service("a", None));
    refused(
        &text,
        &["540 SLO-days", &format!("limit is {MAX_SLO_DAYS}")],
    );
}

#[test]
fn a_huge_fault_rate_is_refused() {
    let text = format!(
        "{HEAD}{}{}{TAIL}\n[random_faults]\nper_week = 1e12\n",
        service("a", None),
        slo(28)
    );
    refused(&text, &["at most 50", "found 1000000000000"]);
}

#[test]
fn a_long_call_chain_is_refused_without_recursion() {
    // Far past the services limit: refused at the first service over it.
    let text = format!("{HEAD}{}{}{TAIL}", chain(800), slo(28));
    let message = refused(&text, &[&format!("limit is {MAX_SERVICES}")]);
    assert!(message.contains("services"), "{message}");
    // Within the services limit but deeper than the depth limit.
    let text = format!("{HEAD}{}{}{TAIL}", chain(MAX_CALL_DEPTH + 1), slo(28));
    refused(
        &text,
        &[
            &format!("chain of {} services", MAX_CALL_DEPTH + 1),
            &format!("limit is {MAX_CALL_DEPTH}"),
        ],
    );
    let text = format!("{HEAD}{}{}{TAIL}", chain(MAX_CALL_DEPTH), slo(28));
    parse(&text).expect("a chain at the limit is fine");
}

#[test]
fn magnitudes_that_overflow_are_refused_where_written() {
    let one = |key: &str, value: &str| {
        let text = format!(
            "{HEAD}{}{}{TAIL}",
            service("a", None).replacen(
                "service_time_ms = 10.0\n",
                &format!("service_time_ms = 10.0\n{key} = {value}\n"),
                1
            ),
            slo(28)
        );
        refused(&text, &["at most"])
    };
    one("timeout_ms", "1e300");
    let text = format!("{HEAD}{}{}{TAIL}", service("a", None), slo(28)).replacen(
        "base_rps = 10.0",
        "base_rps = 1e300",
        1,
    );
    refused(&text, &["at most 1000000"]);
    let text = format!("{HEAD}{}{}{TAIL}", service("a", None), slo(28)).replacen(
        "service_time_ms = 10.0",
        "service_time_ms = 1e308",
        1,
    );
    refused(&text, &["at most 600000"]);
    let fault = "\n[[faults]]\nkind = \"dependency_slowdown\"\nservice = \"a\"\nday = 1\nat = \"10:00\"\nmagnitude = 1e300\n";
    let text = format!("{HEAD}{}{}{TAIL}{fault}", service("a", None), slo(28));
    refused(&text, &["at most 1000"]);
    let fault = "\n[[faults]]\nkind = \"zone_loss\"\nservice = \"a\"\nday = 1\nat = \"10:00\"\nmagnitude = 5\n";
    let text = format!("{HEAD}{}{}{TAIL}{fault}", service("a", None), slo(28));
    refused(&text, &["share of the replicas lost", "limit is 1"]);
}

#[test]
fn durations_that_would_wrap_ticks_are_refused() {
    let base = format!("{HEAD}{}{}{TAIL}", service("a", None), slo(28));
    let build = format!("{base}\n[delivery.pipeline]\nbuild_minutes = 1e9\n");
    refused(&build, &["at most 10080"]);
    let autoscale = base.replacen(
        "service_time_ms = 10.0\n",
        "service_time_ms = 10.0\n\n[services.autoscale]\ntarget_utilization = 0.5\nmin_replicas = 1\nmax_replicas = 4\nprovisioning_seconds = 1e15\n",
        1,
    );
    refused(&autoscale, &["at most 86400"]);
    let team = format!("{base}\n[team]\nhours_per_engineer_per_day = inf\n");
    refused(&team, &["expected a number above 0, found inf"]);
}

#[test]
fn extra_items_in_a_fixed_length_list_are_refused_at_the_item() {
    let text = format!("{HEAD}{}{}{TAIL}", service("a", None), slo(28)).replacen(
        "base_rps = 10.0",
        "base_rps = 10.0\nweekly = [1, 1, 1, 1, 1, 1, 1, 2, 3]",
        1,
    );
    let message = refused(&text, &["expected 7 items, found 9"]);
    let line = line_of(&text, "weekly", 0);
    let column = "weekly = [1, 1, 1, 1, 1, 1, 1, ".len() + 1;
    assert!(
        message.starts_with(&format!("h.toml:{line}:{column}: ")),
        "{message}"
    );
}

#[test]
fn loose_time_and_percentage_forms_are_refused() {
    let base = format!("{HEAD}{}{}{TAIL}", service("a", None), slo(28));
    for at in ["+1:+5", "1:05", " 10:00", "10:00 ", "24:00", "-0:30"] {
        let text = format!(
            "{base}\n[[faults]]\nkind = \"instance_crash\"\nservice = \"a\"\nday = 1\nat = \"{at}\"\n"
        );
        refused(&text, &["expected a time of day"]);
    }
    for when in [
        "budget below 50%%% %",
        "budget below +5 %",
        "budget below 50",
        "budget below 150 %",
        "day +1 10:00",
        "day 1 +1:+5",
    ] {
        let text = format!("{base}\n[[guidance]]\nwhen = \"{when}\"\ntext = \"x\"\n");
        refused(&text, &["expected a trigger"]);
    }
    for when in ["budget below 50 %", "budget below 12.5%", "day 2 09:30"] {
        let text = format!("{base}\n[[guidance]]\nwhen = \"{when}\"\ntext = \"x\"\n");
        parse(&text).expect("a strict form reads");
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let padding = "# padding\n".repeat(MAX_FILE_BYTES / 10 + 1);
    let text = format!("{HEAD}{}{}{TAIL}{padding}", service("a", None), slo(28));
    refused(&text, &["the limit is 65536 bytes"]);
}

#[test]
fn long_texts_and_lists_are_refused_with_their_limit() {
    let base = format!("{HEAD}{}{}{TAIL}", service("a", None), slo(28));
    let long_title = base.replacen(
        "title = \"Hostile\"",
        &format!("title = \"{}\"", "x".repeat(500)),
        1,
    );
    refused(
        &long_title,
        &["the title is 500 characters", "limit is 100"],
    );
    let steps: String = (0..41)
        .map(|_| "[[guidance]]\nwhen = \"start\"\ntext = \"x\"\n\n")
        .collect();
    refused(
        &format!("{base}\n{steps}"),
        &["41 guidance steps", "limit is 40"],
    );
    let roles = base.replacen("roles = [\"sre\"]", "roles = [\"sre\", \"sre\"]", 1);
    refused(&roles, &["each role is listed once"]);
}

#[test]
fn deeply_nested_values_do_not_overflow_the_stack() {
    let depth = 20_000;
    let text = format!("{HEAD}x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert!(parse(&text).is_err());
}
