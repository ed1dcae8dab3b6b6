//! The `ops-dojo` binary as a teacher or a script uses it: stable output, clear errors.

use std::process::{Command, Output};

use ops_dojo_engine::clock::TICKS_PER_DAY;

fn ops_dojo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ops-dojo"))
        .args(args)
        .output()
        .expect("the ops-dojo binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_same_arguments_print_the_same_bytes() {
    let a = ops_dojo(&["run", "first-slo", "--seed", "42", "--json"]);
    let b = ops_dojo(&["run", "first-slo", "--seed", "42", "--json"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let other = ops_dojo(&["run", "first-slo", "--seed", "43", "--json"]);
    assert_ne!(a.stdout, other.stdout);
}

#[test]
fn json_summary_has_the_documented_fields() {
    let output = ops_dojo(&["run", "first-slo", "--seed", "7", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["scenario"], "first-slo");
    assert_eq!(json["seed"], 7);
    assert_eq!(json["ticks"], 7 * TICKS_PER_DAY);
    assert_eq!(json["run_hash"].as_str().map(str::len), Some(32));
    let total = json["requests_total"].as_u64().expect("requests_total");
    let good = json["requests_good"].as_u64().expect("requests_good");
    assert!(good <= total && total > 50_000_000, "{good} of {total}");
    let slo = &json["slos"][0];
    assert_eq!(slo["name"], "Checkout availability");
    assert_eq!(slo["target"], 0.999);
    let attainment = slo["attainment"].as_f64().expect("attainment");
    assert!((attainment - good as f64 / total as f64).abs() < 1e-12);
    assert!(slo["budget_remaining"].is_f64());
}

/// `--par` adds the scenario's par on the run's seed: the expert meets every objective,
/// nobody acting does not; a run of another length has none (null), and without the flag
/// the summary has no such field.
#[test]
fn par_brackets_the_run_when_asked() {
    let output = ops_dojo(&["run", "first-slo", "--seed", "2", "--json", "--par"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let (expert, hands_off) = (&json["par"]["expert"], &json["par"]["hands_off"]);
    assert_eq!(expert["objectives_met"], expert["objectives"], "{json}");
    assert!(hands_off["objectives_met"].as_u64() < hands_off["objectives"].as_u64());
    assert!(expert["features_shipped"].as_u64() > Some(0));
    let shorter = ops_dojo(&["run", "first-slo", "--days", "2", "--json", "--par"]);
    let json: serde_json::Value = serde_json::from_slice(&shorter.stdout).expect("valid JSON");
    assert!(json["par"].is_null(), "{json}");
    let plain = ops_dojo(&["run", "first-slo", "--days", "2", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&plain.stdout).expect("valid JSON");
    assert!(json.get("par").is_none());
}

/// `--what-if` replays the run's key moments: night-on-call's zone loss, failed over by the
/// balanced bot (ledger first, the worse harm), costs far more without the fail-over. The JSON carries each what-if with
/// its differences from the run, and every postmortem's action items.
#[test]
fn what_if_replays_the_key_moments_and_postmortems_list_their_items() {
    let args = [
        "run",
        "night-on-call",
        "--role",
        "both",
        "--policy",
        "balanced",
        "--json",
        "--what-if",
    ];
    let output = ops_dojo(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let what_ifs = json["what_if"].as_array().expect("a list");
    let fail_over = what_ifs
        .iter()
        .find(|w| w["action"]["kind"] == "fail_over")
        .unwrap_or_else(|| panic!("the fail-over is a key moment: {what_ifs:?}"));
    assert_eq!(fail_over["change"], "without");
    assert!(
        fail_over["budget_difference"].as_f64() < Some(-0.1),
        "{fail_over}"
    );
    assert!(fail_over["failed_requests_difference"].as_i64() > Some(100_000));
    let text = fail_over["text"].as_str().expect("a sentence");
    assert!(
        text.starts_with("Had the bot not failed over at Day 1 (Mon) · 02:"),
        "{text}"
    );
    // The retry storm's postmortem asks for a retry budget first; the DevOps bot ships it.
    let args = [
        "run",
        "retry-storm",
        "--role",
        "both",
        "--policy",
        "balanced",
        "--json",
    ];
    let storm = ops_dojo(&args);
    let json: serde_json::Value = serde_json::from_slice(&storm.stdout).expect("valid JSON");
    let items = json["postmortems"]["action_items"]
        .as_array()
        .expect("items");
    assert_eq!(items[0]["incident"], 1, "{items:?}");
    assert_eq!(items[0]["kind"], "retry_budget");
    assert_eq!(items[0]["priority"], "p0");
    assert_eq!(items[0]["hours"], 4.0);
    assert!(
        items[0]["shipped_at"].as_u64().is_some(),
        "the bot ships a P0"
    );
    let plain = ops_dojo(&["run", "night-on-call", "--days", "1", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&plain.stdout).expect("valid JSON");
    assert!(json.get("what_if").is_none());
    let text = ops_dojo(&["run", "first-slo", "--days", "1", "--what-if"]);
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("what if        nothing to replay: no key action was taken"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn freeze_requests_and_triage_are_on_the_record() {
    // ship-fast in both seats: DevOps asks to ship through the policy's freezes and the
    // SRE approves, with its reasons on the record.
    let output = ops_dojo(&[
        "run",
        "first-slo",
        "--role",
        "both",
        "--policy",
        "ship-fast",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let requests = json["freeze_requests"].as_array().expect("a list");
    assert!(!requests.is_empty(), "ship-fast asks in a freeze");
    let first = &requests[0];
    assert_eq!(first["number"], 1);
    assert_eq!(first["strategy"], "all_at_once");
    assert_eq!(first["answer"]["decision"], "approved");
    assert!(first["answer"]["budget_left"].is_number());
    assert!(first["answer"]["burn_rate_1h"].is_number());
    assert!(first["answer"]["incident_open"].is_boolean());
    let text = stdout(&ops_dojo(&[
        "run",
        "first-slo",
        "--role",
        "both",
        "--policy",
        "ship-fast",
    ]));
    assert!(
        text.contains(&format!(
            "freeze asks    {} to ship through a freeze: {} approved",
            requests.len(),
            requests.len()
        )),
        "{text}"
    );
    // The budget guard works several failing services in black-friday: each first step is
    // set against the order of harm at that moment.
    let output = ops_dojo(&[
        "run",
        "black-friday",
        "--role",
        "both",
        "--policy",
        "budget-guard",
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let triage = json["triage"].as_array().expect("a list");
    assert!(
        !triage.is_empty(),
        "several services fail at once in black-friday"
    );
    for step in triage {
        let by_harm = step["by_harm"].as_array().expect("a list");
        assert!(by_harm.len() >= 2, "{step}");
        let rates: Vec<f64> = by_harm
            .iter()
            .map(|h| h["failing_rps"].as_f64().expect("a number"))
            .collect();
        assert!(
            rates.windows(2).all(|w| w[0] >= w[1]),
            "worst first: {rates:?}"
        );
        assert!(
            step["worked_name"].is_string() && step["incident"].as_u64() > Some(0),
            "{step}"
        );
    }
}

#[test]
fn a_scenario_file_runs_like_its_built_in_id() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/first-slo.toml"
    );
    let by_file = ops_dojo(&["run", file, "--seed", "3", "--json"]);
    let by_id = ops_dojo(&["run", "first-slo", "--seed", "3", "--json"]);
    assert!(by_file.status.success(), "{}", stderr(&by_file));
    assert_eq!(by_file.stdout, by_id.stdout);
}

#[test]
fn a_missing_file_exits_2_and_names_it() {
    let output = ops_dojo(&["run", "no-such-dir/missing.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no-such-dir/missing.toml"),
        "{}",
        stderr(&output)
    );
    let output = ops_dojo(&["run", "no-such-scenario"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("built-in: first-slo"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_malformed_file_exits_2_with_line_and_column() {
    let dir = std::env::temp_dir().join(format!("ops-dojo-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = include_str!("../../../scenarios/first-slo.toml");

    // A syntax error: an unterminated string on line 4.
    let broken = dir.join("broken.toml");
    let text = good.replacen("title = \"First SLO\"", "title = \"First SLO", 1);
    std::fs::write(&broken, text).expect("write");
    let output = ops_dojo(&["run", broken.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("broken.toml:4:"), "{message}");

    // A value out of range: the SLO target, on its own line.
    let wrong = dir.join("wrong.toml");
    let text = good.replacen("target = 0.999", "target = 1.5", 1);
    let line = text
        .lines()
        .position(|l| l.starts_with("target = 1.5"))
        .expect("line")
        + 1;
    std::fs::write(&wrong, text).expect("write");
    let output = ops_dojo(&["validate", wrong.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("wrong.toml:{line}:10: ")),
        "{message}"
    );
    assert!(
        message.contains("expected a target between 0 and 1"),
        "{message}"
    );

    let output = ops_dojo(&["validate", "../../scenarios/first-slo.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains(": ok"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn days_overrides_the_scenario_length() {
    let default = ops_dojo(&["run", "first-slo", "--seed", "5", "--json"]);
    let short = ops_dojo(&["run", "first-slo", "--seed", "5", "--days", "2", "--json"]);
    assert!(short.status.success(), "{}", stderr(&short));
    let default: serde_json::Value = serde_json::from_slice(&default.stdout).expect("valid JSON");
    let short: serde_json::Value = serde_json::from_slice(&short.stdout).expect("valid JSON");
    assert_eq!(short["ticks"], 2 * TICKS_PER_DAY);
    assert_ne!(short["run_hash"], default["run_hash"]);

    let human = ops_dojo(&["run", "first-slo", "--days", "2"]);
    assert!(stdout(&human).contains("5760 ticks of 30 s (2 days)"));
}

#[test]
fn days_out_of_range_exits_2_with_the_range() {
    for days in ["0", "91"] {
        let output = ops_dojo(&["run", "first-slo", "--days", days]);
        assert_eq!(output.status.code(), Some(2), "--days {days}");
        let message = stderr(&output);
        assert!(message.contains(&format!("--days {days}")), "{message}");
        assert!(message.contains("from 1 to 90"), "{message}");
        assert!(output.stdout.is_empty());
    }
}

/// A directory of this test's own: the tests run in parallel in one process.
fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ops-dojo-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn timeline_has_a_row_per_minute_that_adds_up_to_the_summary() {
    const DAYS: usize = 2;
    const HEADER: &str = "minute,day,time_of_day,offered_requests,good_requests,\
                          capacity_requests,sli,budget_remaining,burn_5m,burn_30m,burn_1h,\
                          burn_2h,burn_6h,burn_1d,burn_3d,replicas,latency_p50_ms,\
                          latency_p90_ms,latency_p99_ms";
    let dir = scratch_dir("timeline");
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    let days = DAYS.to_string();
    let run = |path: &std::path::Path| {
        let path = path.to_str().expect("utf-8 path");
        let output = ops_dojo(&[
            "run",
            "first-slo",
            "--seed",
            "9",
            "--days",
            &days,
            "--json",
            "--timeline",
            path,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        output
    };
    let summary = run(&a);
    run(&b);
    let json: serde_json::Value = serde_json::from_slice(&summary.stdout).expect("valid JSON");
    let text = std::fs::read(&a).expect("timeline written");
    assert_eq!(text, std::fs::read(&b).expect("timeline written"));

    let mut reader = csv::Reader::from_reader(text.as_slice());
    let header: Vec<&str> = reader.headers().expect("header").iter().collect();
    assert_eq!(header.join(","), HEADER);
    let (mut rows, mut offered_total, mut good_total) = (0, 0_u64, 0_u64);
    for (index, row) in reader.records().enumerate() {
        let row = row.expect("a well-formed row");
        let int = |i: usize| -> u64 { row[i].parse().unwrap_or_else(|e| panic!("{row:?}: {e}")) };
        let float = |i: usize| -> f64 { row[i].parse().unwrap_or_else(|e| panic!("{row:?}: {e}")) };
        assert_eq!(int(0), index as u64);
        assert_eq!(int(1), index as u64 / 1440 + 1);
        assert_eq!(
            row[2],
            format!("{:02}:{:02}", index % 1440 / 60, index % 60),
            "{row:?}"
        );
        let (offered, good) = (int(3), int(4));
        assert!(good <= offered && offered > 0, "{row:?}");
        assert_eq!(int(5), 3 * 64 * 60, "three replicas of 64 requests/s");
        let sli = float(6);
        assert!(
            (sli - good as f64 / offered as f64).abs() <= 5e-7,
            "{row:?}"
        );
        assert!(float(7) <= 1.0, "{row:?}");
        for burn in 8..15 {
            assert!(float(burn) >= 0.0, "{row:?}");
        }
        assert_eq!(int(15), 3);
        // Latency percentiles at the entry: positive and in order.
        let (p50, p90, p99) = (float(16), float(17), float(18));
        assert!(0.0 < p50 && p50 <= p90 && p90 <= p99, "{row:?}");
        rows += 1;
        offered_total += offered;
        good_total += good;
    }
    assert_eq!(rows, DAYS * 1440);
    assert_eq!(Some(offered_total), json["requests_total"].as_u64());
    assert_eq!(Some(good_total), json["requests_good"].as_u64());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unwritable_timeline_exits_2_and_names_it() {
    let path = std::env::temp_dir()
        .join(format!("ops-dojo-no-such-dir-{}", std::process::id()))
        .join("timeline.csv");
    let path = path.to_str().expect("utf-8 path");
    let output = ops_dojo(&["run", "first-slo", "--days", "1", "--timeline", path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(path), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "no summary after a failed run");
}

#[test]
fn an_action_log_replays_to_the_same_hash_and_can_be_written_back() {
    let dir = scratch_dir("actions");
    let log = dir.join("actions.json");
    let written = dir.join("written.json");
    std::fs::write(
        &log,
        r#"[
  {"tick": 4113, "kind": "set_retries", "on": false},
  {"tick": 4133, "kind": "scale_to", "replicas": 3, "service": 1},
  {"tick": 4166, "kind": "set_load_shedding", "service": 0, "on": true}
]"#,
    )
    .expect("write");
    let (log, written) = (
        log.to_str().expect("utf-8"),
        written.to_str().expect("utf-8"),
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "retry-storm", "--seed", "5", "--json"];
        args.extend_from_slice(extra);
        let output = ops_dojo(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        json["run_hash"].as_str().expect("a hash").to_string()
    };
    let first = run(&["--actions", log, "--write-actions", written]);
    let again = run(&["--actions", written]);
    assert_eq!(first, again, "the written log replays to the same run");
    assert_ne!(first, run(&[]), "the actions changed the run");
    let text = std::fs::read_to_string(written).expect("written");
    assert!(
        text.contains("\"set_retries\"") && text.contains("4166"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_action_log_exits_2_and_says_where() {
    let dir = scratch_dir("bad-actions");
    let cases = [
        (
            "syntax.json",
            "[\n  {\"tick\": 1, \"kind\": \"scale_to\" \"replicas\": 2}\n]",
            "syntax.json:2:",
        ),
        (
            "unknown.json",
            "[{\"tick\": 1, \"kind\": \"reboot_everything\"}]",
            "unknown variant",
        ),
        (
            "misspelt.json",
            "[\n  {\"tick\": 1, \"kind\": \"restart\", \"servce\": 1}\n]",
            "misspelt.json:2:",
        ),
        (
            "unused.json",
            "[{\"tick\": 1, \"kind\": \"roll_back\", \"service\": 1}]",
            "\"roll_back\" takes no \"service\"",
        ),
        (
            "order.json",
            "[{\"tick\": 9, \"kind\": \"ship_feature\"}, {\"tick\": 3, \"kind\": \"roll_back\"}]",
            "tick order",
        ),
        (
            "refused.json",
            "[{\"tick\": 5, \"kind\": \"set_load_shedding\", \"service\": 7, \"on\": true}]",
            "action 1 (tick 5): there is no service number 7",
        ),
        (
            "late.json",
            "[{\"tick\": 99999999, \"kind\": \"ship_feature\"}]",
            "after the run's last tick",
        ),
    ];
    for (file, text, expected) in cases {
        let path = dir.join(file);
        std::fs::write(&path, text).expect("write");
        let output = ops_dojo(&[
            "run",
            "retry-storm",
            "--days",
            "1",
            "--actions",
            path.to_str().expect("utf-8"),
        ]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        let message = stderr(&output);
        assert!(message.contains(expected), "{file}: {message}");
        assert!(output.stdout.is_empty(), "no summary after bad input");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bots_play_seats_and_the_summary_has_delivery_and_team_outcomes() {
    let dir = scratch_dir("bots");
    let written = dir.join("bots.json");
    let written = written.to_str().expect("utf-8");
    let json_of = |args: &[&str]| {
        let output = ops_dojo(args);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON")
    };
    let fast = json_of(&[
        "run",
        "first-slo",
        "--seed",
        "2",
        "--json",
        "--role",
        "devops",
        "--policy",
        "ship-fast",
        "--write-actions",
        written,
    ]);
    let dora = &fast["dora"];
    assert!(dora["deployments"].as_u64().expect("deployments") > 0);
    for key in [
        "deployment_frequency_per_day",
        "lead_time_hours_median",
        "change_failure_rate",
    ] {
        assert!(dora[key].is_f64(), "{key}: {dora}");
    }
    assert!(dora["tier"].is_string());
    assert!(fast["team"]["toil_share"].is_f64());
    assert!(fast["team"]["pages_day"].is_u64() && fast["team"]["pages_night"].is_u64());
    assert!(fast["features"]["shipped"].is_u64() && fast["features"]["value"].is_u64());
    // The written log (both bots' actions) replays exactly, with no bots.
    let replayed = json_of(&[
        "run",
        "first-slo",
        "--seed",
        "2",
        "--json",
        "--actions",
        written,
    ]);
    assert_eq!(replayed["run_hash"], fast["run_hash"]);
    // Playing the DevOps seat from that log with the same partner bot: the same run too.
    let seat = json_of(&[
        "run",
        "first-slo",
        "--seed",
        "2",
        "--json",
        "--role",
        "devops",
        "--actions",
        written,
    ]);
    assert_eq!(seat["run_hash"], fast["run_hash"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_role_and_bot_names_exit_2_and_list_the_choices() {
    let output = ops_dojo(&["run", "first-slo", "--role", "wizard"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("expected devops, sre or both"));
    let output = ops_dojo(&["run", "first-slo", "--role", "sre", "--policy", "robot"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("ship-fast, balanced, budget-guard, hands-off"));
}

#[test]
fn a_result_code_verifies_and_a_tampered_or_broken_one_does_not() {
    let output = ops_dojo(&[
        "run",
        "first-slo",
        "--seed",
        "6",
        "--days",
        "2",
        "--role",
        "devops",
        "--partner",
        "ship-fast",
        "--result-code",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let code = text.lines().last().expect("the code is the last line");
    assert!(code.starts_with(ops_dojo_engine::share::PREFIX), "{code}");
    let verified = ops_dojo(&["verify", code]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert!(
        stdout(&verified).starts_with(
            "verified: first-slo seed 6, DevOps played by a person, SRE by the ship-fast bot"
        ),
        "{}",
        stdout(&verified)
    );

    // Bots in every seat: no person's run to hand in.
    let bots_only = ops_dojo(&[
        "run",
        "first-slo",
        "--days",
        "1",
        "--role",
        "devops",
        "--policy",
        "ship-fast",
        "--result-code",
    ]);
    assert_eq!(bots_only.status.code(), Some(2));
    assert!(stderr(&bots_only).contains("bots played every seat"));

    // A code claiming another outcome replays to a mismatch: exit 1.
    let mut claim = ops_dojo_engine::share::ResultCode::decode(code).expect("reads");
    claim.claim.features_shipped += 2;
    let tampered = ops_dojo(&["verify", &claim.encode()]);
    assert_eq!(tampered.status.code(), Some(1));
    assert!(stderr(&tampered).contains("not verified: the replay does not match the claim"));

    // Not a code at all: exit 2 with what is wrong.
    let broken = ops_dojo(&["verify", "OD3-abc"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(stderr(&broken).contains("the result code is damaged"));
    // A code of an older format says it is from an older version.
    for older in ["OD1-abc", "OD2-abc"] {
        let old = ops_dojo(&["verify", older]);
        assert_eq!(old.status.code(), Some(2));
        assert!(stderr(&old).contains("made by an older version of Ops Dojo"));
    }
}

#[test]
fn link_carries_a_scenario_file_and_names_a_built_in_one() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/e2e/fixtures/class-lab.toml"
    );
    let output = ops_dojo(&[
        "link",
        file,
        "--app",
        "https://example.org/dojo/",
        "--seed",
        "5",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let link = stdout(&output);
    let (start, code) = link
        .trim()
        .split_once("&embed=")
        .expect("a scenario file travels in the link");
    assert_eq!(
        start,
        "https://example.org/dojo/#/play?scenario=class-lab&role=sre&partner=balanced&seed=5"
    );
    let text = std::fs::read_to_string(file).expect("the fixture");
    assert_eq!(ops_dojo_engine::share::unpack_scenario(code), Ok(text));

    let built_in = ops_dojo(&["link", "first-slo", "--app", "http://x/", "--role", "both"]);
    assert_eq!(
        stdout(&built_in).trim(),
        "http://x/#/play?scenario=first-slo&role=both&seed=1"
    );
    let wrong = ops_dojo(&["link", "first-slo", "--app", "http://x/", "--role", "boss"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("--role boss: expected devops, sre or both"));
}

#[test]
fn link_refuses_a_file_the_app_would_refuse() {
    let dir = scratch_dir("link-refuses");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/e2e/fixtures/class-lab.toml"
    );
    let text = std::fs::read_to_string(fixture).expect("the fixture");
    // Over a limit: 200 SLOs (the app refuses to open it, so the link is refused too).
    let slos = "[[slos]]\nname = \"a\"\ntarget = 0.999\nwindow_days = 90\n\n".repeat(200);
    let heavy = dir.join("heavy.toml");
    std::fs::write(&heavy, format!("{text}\n{slos}")).expect("write");
    let heavy = heavy.display().to_string();
    let output = ops_dojo(&["link", &heavy, "--app", "http://x/"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{heavy}:")) && message.contains("SLOs; the limit is 8"),
        "{message}"
    );
    // A seat the scenario does not offer.
    let sre_only = dir.join("sre-only.toml");
    let mut roles = String::new();
    for line in text.lines() {
        if line.starts_with("roles") {
            roles.push_str("roles = [\"sre\"]\n");
        } else {
            roles.push_str(line);
            roles.push('\n');
        }
    }
    std::fs::write(&sre_only, roles).expect("write");
    let sre_only = sre_only.display().to_string();
    let output = ops_dojo(&["link", &sre_only, "--app", "http://x/", "--role", "devops"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not played as DevOps"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn slos_prints_openslo_and_prometheus_exports() {
    let openslo = ops_dojo(&["slos", "first-slo", "--format", "openslo"]);
    assert!(openslo.status.success(), "{}", stderr(&openslo));
    let text = stdout(&openslo);
    assert!(text.contains("Metric names are PLACEHOLDERS"), "{text}");
    assert!(
        text.contains("apiVersion: openslo/v1\nkind: SLO\n"),
        "{text}"
    );
    assert!(text.contains("budgetingMethod: Occurrences"), "{text}");
    assert!(text.contains("query: \"requests_total{service=\\\"checkout-api\\\"}\""));

    let rules = ops_dojo(&[
        "slos",
        "first-slo",
        "--format",
        "prometheus",
        "--metric-prefix",
        "shop_",
    ]);
    assert!(rules.status.success(), "{}", stderr(&rules));
    let text = stdout(&rules);
    assert!(
        text.contains("record: slo:sli_error:ratio_rate5m\n"),
        "{text}"
    );
    assert!(text.contains("sum(rate(shop_requests_total{service=\"checkout-api\"}[3d]))"));
    assert!(text.contains("keep_firing_for: 30m\n"), "{text}");
    assert!(text.contains("severity: \"ticket\""), "{text}");
    // A scenario file exports like its built-in id, byte for byte.
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/first-slo.toml"
    );
    let by_file = ops_dojo(&[
        "slos",
        file,
        "--format",
        "prometheus",
        "--metric-prefix",
        "shop_",
    ]);
    assert_eq!(by_file.stdout, rules.stdout);
}

#[test]
fn slos_refuses_bad_input_with_exit_code_2() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["slos", "first-slo", "--format", "yaml"],
            "expected openslo or prometheus",
        ),
        (
            &["slos", "no-such-id", "--format", "openslo"],
            "no such scenario",
        ),
        (
            &[
                "slos",
                "first-slo",
                "--format",
                "prometheus",
                "--metric-prefix",
                "my-app",
            ],
            "not usable in a Prometheus metric name",
        ),
        (
            &["slos", "missing.toml", "--format", "openslo"],
            "missing.toml",
        ),
    ];
    for (args, message) in cases {
        let output = ops_dojo(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn alerts_compares_policies_on_one_run_and_refuses_bad_input() {
    let all = ops_dojo(&["alerts", "alerts-that-matter", "--seed", "1"]);
    assert!(all.status.success(), "{}", stderr(&all));
    let text = stdout(&all);
    for title in [
        "SRE Workbook (Sloth)",
        "Pyrra",
        "slo-generator",
        "Single 10-minute window",
    ] {
        assert!(text.contains(title), "{title} missing from:\n{text}");
    }
    // The same run gives the same table, and a subset prints only its rows.
    assert_eq!(
        ops_dojo(&["alerts", "alerts-that-matter", "--seed", "1"]).stdout,
        all.stdout
    );
    let two = stdout(&ops_dojo(&[
        "alerts",
        "alerts-that-matter",
        "--seed",
        "1",
        "--policies",
        "workbook,single-window",
    ]));
    assert!(
        two.contains("SRE Workbook") && two.contains("Single 10-minute"),
        "{two}"
    );
    assert!(!two.contains("Pyrra"), "{two}");

    // JSON: the single window pages for the blip that is not a real incident, so its
    // precision is below the Workbook's; both catch every significant event.
    let json = ops_dojo(&["alerts", "alerts-that-matter", "--seed", "1", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let rows = value[0]["policies"].as_array().expect("rows");
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["policy"] == id)
            .unwrap_or_else(|| panic!("{id} in {rows:?}"))
    };
    let precision = |id| row(id)["precision"].as_f64().expect("precision");
    assert!(
        precision("single-window") < precision("workbook"),
        "{rows:?}"
    );
    assert_eq!(row("workbook")["recall"].as_f64(), Some(1.0));

    for (args, message) in [
        (
            vec!["alerts", "alerts-that-matter", "--policies", "nagios"],
            "workbook, pyrra",
        ),
        (
            vec!["alerts", "alerts-that-matter", "--bots", "lazy"],
            "no such bot",
        ),
        (vec!["alerts", "no-such-id"], "no such scenario"),
    ] {
        let output = ops_dojo(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn alerts_judges_an_openslo_file_on_the_incident_set() {
    let dir = scratch_dir("alerts-slo");
    let exported = ops_dojo(&[
        "slos",
        "first-slo",
        "--format",
        "openslo",
        "--alert-policy",
        "pyrra",
    ]);
    let file = dir.join("pyrra.yaml");
    std::fs::write(&file, &exported.stdout).expect("write");
    let path = file.to_str().expect("utf-8 path");
    let output = ops_dojo(&["alerts", "incidents", "--slo", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("The incident set"), "{text}");
    // The file's own table (Pyrra's, read back) pages exactly as the named Pyrra row.
    let row = |title: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(title))
            .map(|l| l.trim_start()[title.len()..].trim_start().to_string())
            .unwrap_or_else(|| panic!("{title} in {text}"))
    };
    assert_eq!(row("Your AlertPolicy"), row("Pyrra"));

    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  budgetingMethod: Timeslices\n").expect("write");
    let output = ops_dojo(&["alerts", "incidents", "--slo", bad.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bad.yaml:5:20: budgetingMethod \"Timeslices\""),
        "{}",
        stderr(&output)
    );
}

/// The result codes in `tests/e2e/fixtures/native-result-codes.txt` are made here, by the
/// native engine; the browser test pastes them into the shipped page's Class results, which
/// replays them with the page's own build of the engine. Both verifying proves the shipped
/// wasm computes the very runs the native engine does. After an intended change to the model
/// (when the golden hashes are re-blessed), rewrite the file with
/// `OPS_DOJO_BLESS=1 cargo test -p ops-dojo-cli --test cli native_result_codes`.
#[test]
fn native_result_codes_for_the_browser_test_are_current() {
    let dir = scratch_dir("native-codes");
    let actions = dir.join("balanced-sre.json");
    let actions = actions.to_str().expect("a UTF-8 path");
    // The person's seat plays the balanced bot's moves, as a person would have made them.
    let bot = ops_dojo(&[
        "run",
        "first-slo",
        "--seed",
        "42",
        "--role",
        "sre",
        "--policy",
        "balanced",
        "--partner",
        "ship-fast",
        "--write-actions",
        actions,
    ]);
    assert!(bot.status.success(), "{}", stderr(&bot));
    let runs: [&[&str]; 2] = [
        &[
            "run",
            "first-slo",
            "--seed",
            "42",
            "--role",
            "sre",
            "--actions",
            actions,
            "--partner",
            "ship-fast",
        ],
        &[
            "run",
            "black-friday",
            "--seed",
            "3",
            "--role",
            "sre",
            "--partner",
            "ship-fast",
        ],
    ];
    let mut text = String::from(
        "# Result codes made by the native engine (ops-dojo run ... --result-code), which the\n\
         # shipped page must verify: see native_result_codes_for_the_browser_test_are_current\n\
         # in crates/cli/tests/cli.rs, which writes this file.\n",
    );
    for args in runs {
        let output = ops_dojo(&[args, &["--result-code"]].concat());
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        let hash = out
            .lines()
            .find_map(|l| l.trim().strip_prefix("run hash"))
            .expect("a run hash line")
            .trim()
            .to_string();
        let shown: Vec<&str> = args
            .iter()
            .map(|a| if *a == actions { "ACTIONS" } else { a })
            .collect();
        text += &format!(
            "# ops-dojo {} --result-code → run hash {hash}\n",
            shown.join(" ")
        );
        text += out.lines().last().expect("the code is the last line");
        text += "\n";
    }
    std::fs::remove_dir_all(&dir).ok();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/e2e/fixtures/native-result-codes.txt"
    );
    if std::env::var_os("OPS_DOJO_BLESS").is_some() {
        std::fs::write(fixture, &text).expect("writes the fixture");
    }
    let kept = std::fs::read_to_string(fixture).unwrap_or_default();
    assert!(
        kept == text,
        "tests/e2e/fixtures/native-result-codes.txt is not what the native engine makes now; \
         after an intended model change rewrite it with \
         OPS_DOJO_BLESS=1 cargo test -p ops-dojo-cli --test cli native_result_codes"
    );
}

/// A reader that stops early (`ops-dojo run … | head -1`) ends the program quietly: no
/// panic, no backtrace, a successful exit. The pipe is closed before the run is over, so the
/// output's first write finds no reader.
#[test]
fn a_reader_that_leaves_early_ends_the_program_quietly() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ops-dojo"))
        .args(["run", "black-friday", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ops-dojo binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("the program ends");
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    assert!(output.status.success(), "{:?}", output.status);
}
