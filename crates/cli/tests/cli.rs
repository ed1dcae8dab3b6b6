//! The `ops-dojo` binary as a teacher or a script uses it: stable output, clear errors.

use std::process::{Command, Output};

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
    assert_eq!(json["ticks"], 7 * 8640);
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
