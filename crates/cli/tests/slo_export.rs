//! The SLO export checked against real tools: `promtool check rules` accepts every
//! built-in scenario's rules, Prometheus fires and resolves the exported alerts when the
//! engine does (simulated runs replayed through `promtool test rules`), and the OpenSLO
//! export parses back with the fields the OpenSLO v1 specification requires.
//!
//! `scripts/test.sh` installs promtool (Debian's `prometheus` package); without it the
//! promtool tests say so loudly and pass, so `cargo test` still works on a bare machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ops_dojo_engine::alert_policy::{self, AlertPolicy};
use ops_dojo_engine::alerts::AlertEventKind;
use ops_dojo_engine::clock::{TICKS_PER_DAY, TICKS_PER_MINUTE, TICK_SECONDS};
use ops_dojo_engine::slo::RollingCounts;
use ops_dojo_engine::slo_export::{self, ExportOptions, ExportedSlo};
use ops_dojo_engine::{catalog, Scenario, Simulation};
use yaml_rust2::{Yaml, YamlLoader};

/// Prometheus evaluates the exported rules once a minute in these tests.
const EVALUATION_SECONDS: i64 = 60;

fn promtool() -> Option<&'static str> {
    let found = Command::new("promtool")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "\n!!!!!!!! promtool is not installed: SKIPPING the Prometheus checks of the SLO \
             export. scripts/test.sh installs it (Debian package prometheus). !!!!!!!!\n"
        );
    }
    found.then_some("promtool")
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("the test scratch directory can be created");
    dir
}

fn run_promtool(args: &[&str], dir: &Path) -> Output {
    Command::new("promtool")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("promtool runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn promtool_accepts_every_built_in_scenarios_rules() {
    if promtool().is_none() {
        return;
    }
    let dir = scratch_dir("slo-export-check");
    let mut files = Vec::new();
    for scenario in catalog::all() {
        let scenario = scenario.expect("built-in scenarios parse");
        for prefix in ["", "myapp_"] {
            let options = ExportOptions {
                metric_prefix: prefix.into(),
            };
            let rules = slo_export::prometheus_rules(&scenario, &options).expect("export");
            let file = format!("{}{prefix}.rules.yml", scenario.id.0);
            std::fs::write(dir.join(&file), rules).expect("write rules");
            files.push(file);
        }
        // Every named alert table exports valid rules too (with `for` where it waits).
        for policy in AlertPolicy::ALL {
            let mut scenario = scenario.clone();
            alert_policy::apply_policy(&mut scenario, policy);
            let rules =
                slo_export::prometheus_rules(&scenario, &ExportOptions::default()).expect("export");
            let file = format!("{}-{}.rules.yml", scenario.id.0, policy.id());
            std::fs::write(dir.join(&file), rules).expect("write rules");
            files.push(file);
        }
    }
    let mut args = vec!["check", "rules"];
    args.extend(files.iter().map(String::as_str));
    let output = run_promtool(&args, &dir);
    assert!(output.status.success(), "{}", text(&output));
}

/// A one-service scenario of `days` days with constant traffic and one availability SLO at
/// 99.9 % over 28 days, plus the given faults.
fn lab(id: &str, days: u32, faults: &str) -> Scenario {
    lab_with(id, days, "", faults)
}

/// [`lab`] with more lines for the SLO: its `alert_policy` or `alert_rules`.
fn lab_with(id: &str, days: u32, slo_lines: &str, faults: &str) -> Scenario {
    let text = format!(
        r#"format = 1
id = "{id}"
title = "Burn lab"
briefing = "One service, constant traffic, one fault."
difficulty = 1
days = {days}
roles = ["sre"]

[traffic]
base_rps = 100.0

[[services]]
name = "api"
replicas = 10
concurrency = 4
service_time_ms = 20.0
timeout_ms = 2000

[[slos]]
name = "API availability"
target = 0.999
window_days = 28
{slo_lines}

[delivery]
defect_probability = 0.0
defect_error_ratio = 0.0

{faults}
"#
    );
    Scenario::parse(&text, id).unwrap_or_else(|e| panic!("the lab scenario parses: {e}"))
}

/// `[good, total]` cumulative counts at tick boundary `p` (ticks from the run's start,
/// negative inside the SLO window's history): events in all slots before `p`.
fn cumulative(counts: &RollingCounts, history: u32, p: i64) -> [u64; 2] {
    if p >= 1 {
        let (good, valid) = counts.window((p - 1) as u32, history + p as u32);
        return [good, valid];
    }
    let (good_1, valid_1) = counts.window(0, history + 1);
    let (good, valid) = counts.window(0, (1 - p) as u32);
    [good_1 - good, valid_1 - valid]
}

/// promtool's expanding notation for a list of samples: a run of three or more samples
/// with equal steps becomes `start+stepxN` (N + 1 samples), other samples stay as they are.
fn expanding(values: &[u64]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < values.len() {
        let mut j = i;
        if i + 2 < values.len() {
            let step = values[i + 1] - values[i];
            while j + 1 < values.len() && values[j + 1] - values[j] == step {
                j += 1;
            }
        }
        if j >= i + 2 {
            parts.push(format!(
                "{}+{}x{}",
                values[i],
                values[j] - values[j - 1],
                j - i
            ));
        } else {
            j = i;
            parts.push(values[i].to_string());
        }
        i = j + 1;
    }
    parts.join(" ")
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What a replay checked.
#[derive(Debug, Default)]
struct Checked {
    fired: Vec<String>,
    firing_checks: usize,
    quiet_checks: usize,
}

/// Runs `scenario`, writes its SLO's per-minute counters as input series of a promtool test
/// of the exported rules, and expects, around every alert event of the engine, the same
/// alert state from Prometheus within one evaluation interval.
fn replay_through_prometheus(scenario: Scenario, seed: u64) -> Checked {
    let options = ExportOptions::default();
    let rules = slo_export::prometheus_rules(&scenario, &options).expect("export");
    let slo: ExportedSlo = slo_export::exported_slos(&scenario, &options)
        .expect("export")
        .remove(0);
    let history = scenario.slos[0].window_days.0 * TICKS_PER_DAY;
    let mut sim = Simulation::new(scenario, seed);
    while sim.step().is_some() {}
    let counts = sim.slo_counts(0).expect("the scenario has an SLO");
    let run_minutes = i64::from(counts.run_ticks() / TICKS_PER_MINUTE);

    // Prometheus time 0 is `lead` minutes before the run: enough history for the longest
    // window to be full when the run starts.
    let longest = slo.alerts.iter().map(|a| a.long_seconds).max().unwrap_or(0);
    let lead = (longest / 60) as i64 + 5;
    let minutes = lead + run_minutes;
    let ticks_per_minute = i64::from(TICKS_PER_MINUTE);
    let start = cumulative(counts, history, -lead * ticks_per_minute);
    let mut good = Vec::new();
    let mut total = Vec::new();
    for minute in 0..=minutes {
        let [g, t] = cumulative(counts, history, (minute - lead) * ticks_per_minute);
        good.push(g - start[0]);
        total.push(t - start[1]);
    }

    // Engine events on Prometheus's clock: an event at tick t is known at the end of the tick.
    let events: Vec<(usize, i64, AlertEventKind)> = sim
        .alert_events()
        .iter()
        .filter(|e| e.slo == 0)
        .map(|e| {
            let seconds = lead * 60 + (i64::from(e.tick) + 1) * i64::from(TICK_SECONDS);
            (e.rule, seconds, e.kind)
        })
        .collect();
    let firing_at = |rule: usize, at: i64| {
        events
            .iter()
            .rfind(|(r, seconds, _)| *r == rule && *seconds <= at)
            .is_some_and(|(_, _, kind)| *kind == AlertEventKind::Fired)
    };
    // Minutes to check per rule: one before (> 1 interval ahead) and one after (≤ 1 interval
    // later) each event, and every half hour; never within two intervals of another event
    // of the same rule, where "within one interval" would allow either state.
    let mut checks: Vec<(i64, usize)> = Vec::new();
    for rule in 0..slo.alerts.len() {
        let mine: Vec<i64> = events
            .iter()
            .filter(|(r, _, _)| *r == rule)
            .map(|(_, s, _)| *s)
            .collect();
        let mut candidates: Vec<(i64, Option<i64>)> = Vec::new();
        for &at in &mine {
            candidates.push(((at - EVALUATION_SECONDS - 1).div_euclid(60), Some(at)));
            candidates.push(((at + EVALUATION_SECONDS).div_euclid(60), Some(at)));
        }
        candidates.extend((lead..=minutes).step_by(30).map(|m| (m, None)));
        for (minute, own) in candidates {
            let at = minute * 60;
            let clear = mine
                .iter()
                .all(|&e| Some(e) == own || (at - e).abs() > 2 * EVALUATION_SECONDS);
            if minute >= lead && minute <= minutes && clear {
                checks.push((minute, rule));
            }
        }
    }
    checks.sort_unstable();
    checks.dedup();

    let mut checked = Checked::default();
    let mut tests = String::new();
    for &(minute, rule) in &checks {
        let alert = &slo.alerts[rule];
        let _ = write!(
            tests,
            "      - eval_time: {minute}m\n        alertname: {}\n",
            alert.alert_name
        );
        if !firing_at(rule, minute * 60) {
            checked.quiet_checks += 1;
            tests.push_str("        exp_alerts: []\n");
            continue;
        }
        checked.firing_checks += 1;
        tests.push_str("        exp_alerts:\n          - exp_labels:\n");
        let mut labels = vec![("slo", slo.id.clone()), ("service", slo.service.clone())];
        labels.extend(alert.rule_labels());
        for (key, value) in labels {
            let _ = writeln!(tests, "              {key}: {}", quote(&value));
        }
        tests.push_str("            exp_annotations:\n");
        for (key, value) in &alert.annotations {
            let _ = writeln!(tests, "              {key}: {}", quote(value));
        }
    }
    for (rule, _, kind) in &events {
        if *kind == AlertEventKind::Fired {
            checked.fired.push(slo.alerts[*rule].alert_name.clone());
        }
    }

    let selector = |metric: &str| quote(metric);
    let test_file = format!(
        "rule_files:\n  - rules.yml\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    \
         input_series:\n      - series: {}\n        values: {}\n      - series: {}\n        \
         values: {}\n    alert_rule_test:\n{tests}",
        selector(&slo.good_metric),
        quote(&expanding(&good)),
        selector(&slo.total_metric),
        quote(&expanding(&total)),
    );
    let dir = scratch_dir(&format!("slo-export-{}", slo.id));
    std::fs::write(dir.join("rules.yml"), rules).expect("write rules");
    std::fs::write(dir.join("test.yml"), test_file).expect("write test");
    let output = run_promtool(&["test", "rules", "test.yml"], &dir);
    assert!(
        output.status.success(),
        "Prometheus disagrees with the engine (files in {}):\n{}\nengine events (rule, \
         Prometheus seconds, kind): {events:?}",
        dir.display(),
        text(&output)
    );
    checked
}

#[test]
fn prometheus_pages_on_a_fast_burn_when_the_engine_does() {
    if promtool().is_none() {
        return;
    }
    // The service fails every request for 20 minutes: burn 1000, every alert fires, and all
    // have resolved by the end of the day (the 3d/6h ticket last, about 12 hours after).
    let scenario = lab(
        "fast-burn",
        1,
        "[[faults]]\nkind = \"dependency_outage\"\nservice = \"api\"\nday = 1\n\
         at = \"10:00\"\nduration_minutes = 20\n",
    );
    let checked = replay_through_prometheus(scenario, 1);
    assert_eq!(
        checked.fired,
        [
            "ErrorBudgetBurn1h5m",
            "ErrorBudgetBurn6h30m",
            "ErrorBudgetBurn1d2h",
            "ErrorBudgetBurn3d6h"
        ],
        "{checked:?}"
    );
    assert!(checked.firing_checks >= 8, "{checked:?}");
    assert!(checked.quiet_checks >= 8, "{checked:?}");
}

#[test]
fn prometheus_tickets_on_a_slow_burn_when_the_engine_does() {
    if promtool().is_none() {
        return;
    }
    // 0.5 % of requests fail for 20 hours: burn 5, above both tickets' factors (2.8 and
    // 0.933 on 28 days) and below both pages' (13.44 and 5.6).
    let scenario = lab(
        "slow-burn",
        2,
        "[[faults]]\nkind = \"bad_config_push\"\nservice = \"api\"\nday = 1\n\
         at = \"04:00\"\nduration_minutes = 1200\nmagnitude = 0.005\n",
    );
    let checked = replay_through_prometheus(scenario, 2);
    let mut fired = checked.fired.clone();
    fired.sort();
    assert_eq!(
        fired,
        ["ErrorBudgetBurn1d2h", "ErrorBudgetBurn3d6h"],
        "{checked:?}"
    );
    assert!(checked.firing_checks >= 8, "{checked:?}");
}

/// A YAML number, written with or without a decimal point.
fn number(value: &Yaml) -> Option<f64> {
    value.as_f64().or_else(|| value.as_i64().map(|n| n as f64))
}

/// The fields OpenSLO v1 requires of each kind (README of OpenSLO/OpenSLO, "Object Types").
fn check_required_fields(doc: &Yaml) -> Result<(), String> {
    let kind = doc["kind"].as_str().ok_or("kind is missing")?;
    if doc["apiVersion"].as_str() != Some("openslo/v1") {
        return Err(format!("{kind}: apiVersion is not openslo/v1"));
    }
    let name = doc["metadata"]["name"]
        .as_str()
        .ok_or(format!("{kind}: metadata.name is missing"))?;
    let rfc1123 = name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !rfc1123 {
        return Err(format!(
            "{kind}: metadata.name {name:?} is not an RFC 1123 label"
        ));
    }
    let spec = &doc["spec"];
    let need = |path: &[&str]| -> Result<&Yaml, String> {
        let mut value = spec;
        for key in path {
            value = &value[*key];
        }
        if value.is_badvalue() || value.is_null() {
            Err(format!("{kind} {name}: spec.{} is missing", path.join(".")))
        } else {
            Ok(value)
        }
    };
    match kind {
        "SLO" => {
            if need(&["indicator"]).is_err() {
                need(&["indicatorRef"])?;
            }
            let window = need(&["timeWindow"])?
                .as_vec()
                .filter(|w| w.len() == 1)
                .ok_or(format!("{name}: timeWindow must hold exactly one item"))?;
            if window[0]["isRolling"].as_bool() != Some(true) || window[0]["duration"].is_badvalue()
            {
                return Err(format!(
                    "{name}: the time window is not rolling with a duration"
                ));
            }
            if need(&["budgetingMethod"])?.as_str() != Some("Occurrences") {
                return Err(format!("{name}: budgetingMethod is not Occurrences"));
            }
            let objectives = need(&["objectives"])?.as_vec().ok_or("objectives")?;
            for objective in objectives {
                let target = objective["target"]
                    .as_f64()
                    .ok_or(format!("{name}: an objective has no target"))?;
                if !(0.0..1.0).contains(&target) {
                    return Err(format!("{name}: target {target} is outside [0, 1)"));
                }
            }
            for policy in need(&["alertPolicies"])?.as_vec().ok_or("alertPolicies")? {
                policy["alertPolicyRef"]
                    .as_str()
                    .ok_or(format!("{name}: an alert policy has no alertPolicyRef"))?;
            }
        }
        "SLI" => {
            let ratio = need(&["ratioMetric"])?;
            for part in ["good", "total"] {
                ratio[part]["metricSource"]["spec"]["query"]
                    .as_str()
                    .ok_or(format!("{name}: ratioMetric.{part} has no query"))?;
            }
            if !ratio["bad"].is_badvalue() {
                return Err(format!("{name}: good and bad are both set"));
            }
        }
        "AlertPolicy" => {
            let conditions = need(&["conditions"])?.as_vec().ok_or("conditions")?;
            if conditions.len() != 1 {
                return Err(format!("{name}: the spec allows exactly one condition"));
            }
            let condition = &conditions[0];
            condition["metadata"]["name"]
                .as_str()
                .ok_or(format!("{name}: the condition has no name"))?;
            let spec = &condition["spec"];
            spec["severity"]
                .as_str()
                .ok_or(format!("{name}: the condition has no severity"))?;
            let burn = &spec["condition"];
            let complete = burn["kind"].as_str() == Some("burnrate")
                && matches!(burn["op"].as_str(), Some("lte" | "gte" | "lt" | "gt"))
                && number(&burn["threshold"]).is_some()
                && burn["lookbackWindow"].as_str().is_some();
            if !complete {
                return Err(format!("{name}: the burnrate condition is incomplete"));
            }
            let targets = need(&["notificationTargets"])?
                .as_vec()
                .ok_or("notificationTargets")?;
            for target in targets {
                target["targetRef"]
                    .as_str()
                    .ok_or(format!("{name}: a notification target has no targetRef"))?;
            }
        }
        "AlertNotificationTarget" => {
            need(&["target"])?;
        }
        other => return Err(format!("unexpected kind {other}")),
    }
    Ok(())
}

#[test]
fn openslo_export_parses_back_with_the_required_fields() {
    for scenario in catalog::all() {
        let scenario = scenario.expect("built-in scenarios parse");
        let options = ExportOptions {
            metric_prefix: "myapp_".into(),
        };
        let text = slo_export::openslo(&scenario, &options).expect("export");
        let docs = YamlLoader::load_from_str(&text)
            .unwrap_or_else(|e| panic!("{}: the export is not YAML: {e}", scenario.id.0));
        let slos = slo_export::exported_slos(&scenario, &options).expect("export");
        let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
        assert_eq!(kinds.len(), docs.len(), "{}", scenario.id.0);
        assert_eq!(
            kinds.iter().filter(|k| **k == "SLO").count(),
            scenario.slos.len()
        );
        assert_eq!(
            kinds.iter().filter(|k| **k == "AlertPolicy").count(),
            4 * scenario.slos.len()
        );
        for doc in &docs {
            if let Err(problem) = check_required_fields(doc) {
                panic!("{}: {problem}", scenario.id.0);
            }
        }
        // Every reference resolves, and the numbers read back as written.
        let names: Vec<&str> = docs
            .iter()
            .filter_map(|d| d["metadata"]["name"].as_str())
            .collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "names are unique");
        let slo_docs: Vec<&Yaml> = docs
            .iter()
            .filter(|d| d["kind"].as_str() == Some("SLO"))
            .collect();
        for (doc, slo) in slo_docs.iter().zip(&slos) {
            let spec = &doc["spec"];
            assert_eq!(spec["objectives"][0]["target"].as_f64(), Some(slo.target));
            assert_eq!(
                spec["timeWindow"][0]["duration"].as_str(),
                Some(format!("{}d", slo.window_days).as_str())
            );
            assert_eq!(spec["service"].as_str(), Some(slo.service.as_str()));
            let sli = spec["indicatorRef"].as_str().expect("indicatorRef");
            assert!(names.contains(&sli));
            let sli_doc = docs
                .iter()
                .find(|d| d["metadata"]["name"].as_str() == Some(sli))
                .expect("the SLI is in the file");
            assert_eq!(
                sli_doc["spec"]["ratioMetric"]["good"]["metricSource"]["spec"]["query"].as_str(),
                Some(slo.good_metric.as_str())
            );
            let policies = spec["alertPolicies"].as_vec().expect("alertPolicies");
            for (policy, alert) in policies.iter().zip(&slo.alerts) {
                let policy_name = policy["alertPolicyRef"].as_str().expect("ref");
                let policy_doc = docs
                    .iter()
                    .find(|d| d["metadata"]["name"].as_str() == Some(policy_name))
                    .expect("the policy is in the file");
                let condition = &policy_doc["spec"]["conditions"][0]["spec"];
                let threshold = number(&condition["condition"]["threshold"]).expect("threshold");
                assert!((threshold - alert.factor).abs() < 1e-4, "{policy_name}");
                assert_eq!(
                    condition["condition"]["lookbackWindow"].as_str(),
                    Some(alert.long_window().as_str())
                );
                let target = policy_doc["spec"]["notificationTargets"][0]["targetRef"]
                    .as_str()
                    .expect("targetRef");
                assert!(names.contains(&target), "{target}");
            }
        }
    }
}

#[test]
fn expanding_notation_keeps_every_sample() {
    assert_eq!(expanding(&[0, 5, 10, 15, 17, 30, 31]), "0+5x3 17 30 31");
    assert_eq!(expanding(&[4]), "4");
    assert_eq!(expanding(&[1, 2]), "1 2");
    assert_eq!(expanding(&[3, 3, 3]), "3+0x2");
}

#[test]
fn prometheus_waits_and_resolves_like_the_engine_with_pyrra_s_table() {
    if promtool().is_none() {
        return;
    }
    // Pyrra's rules wait (`for`) before they fire and resolve at once: the same 20-minute
    // outage as the fast burn, replayed with its table.
    let scenario = lab_with(
        "pyrra-fast-burn",
        1,
        "alert_policy = \"pyrra\"",
        "[[faults]]\nkind = \"dependency_outage\"\nservice = \"api\"\nday = 1\n\
         at = \"10:00\"\nduration_minutes = 20\n",
    );
    let rules = slo_export::prometheus_rules(&scenario, &ExportOptions::default()).expect("x");
    assert!(rules.contains("        for: 2m\n"), "{rules}");
    assert!(!rules.contains("        keep_firing_for:"), "{rules}");
    let checked = replay_through_prometheus(scenario, 1);
    assert_eq!(
        checked.fired,
        [
            "ErrorBudgetBurn1h5m",
            "ErrorBudgetBurn6h30m",
            "ErrorBudgetBurn1d2h",
            "ErrorBudgetBurn4d6h"
        ],
        "{checked:?}"
    );
    assert!(checked.firing_checks >= 8, "{checked:?}");
    assert!(checked.quiet_checks >= 8, "{checked:?}");
}

#[test]
fn prometheus_agrees_with_the_engine_on_a_table_of_one_s_own() {
    if promtool().is_none() {
        return;
    }
    // A single-window page that waits 10 minutes, and a two-window ticket that keeps
    // firing for 45 minutes, on the slow burn (burn 5 for 20 hours).
    let scenario = lab_with(
        "own-table-slow-burn",
        2,
        "alert_rules = [\"page 2h 4 for 10m\", \"ticket 12h/1h 3 keep 45m\"]",
        "[[faults]]\nkind = \"bad_config_push\"\nservice = \"api\"\nday = 1\n\
         at = \"04:00\"\nduration_minutes = 1200\nmagnitude = 0.005\n",
    );
    let rules = slo_export::prometheus_rules(&scenario, &ExportOptions::default()).expect("x");
    assert!(rules.contains("        for: 10m\n"), "{rules}");
    assert!(rules.contains("        keep_firing_for: 45m\n"), "{rules}");
    let checked = replay_through_prometheus(scenario, 2);
    assert_eq!(
        checked.fired,
        ["ErrorBudgetBurn2h", "ErrorBudgetBurn12h1h"],
        "{checked:?}"
    );
    assert!(checked.firing_checks >= 8, "{checked:?}");
}
