//! Bring your own SLO: OpenSLO v1 files read for the alert lab, Ops Dojo's own export read
//! back to the same alert table, and every unsupported or broken input refused with its
//! line and column.

use ops_dojo_engine::alert_policy::{self, AlertPolicy};
use ops_dojo_engine::alerts::Severity;
use ops_dojo_engine::openslo_import::{self, ImportedSlo};
use ops_dojo_engine::slo_export::{self, ExportOptions};
use ops_dojo_engine::{catalog, Scenario};

/// An SLO as the OpenSLO v1 README writes one: inline SLI, no alert policy.
const PLAIN: &str = r#"apiVersion: openslo/v1
kind: SLO
metadata:
  name: web-availability
  displayName: Web availability
spec:
  service: web
  indicator:
    metadata:
      name: web-successful-requests-ratio
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{status!~"5.."})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total)
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good
      target: 0.995
"#;

fn read(text: &str) -> Result<ImportedSlo, String> {
    openslo_import::read(text, "slo.yaml").map_err(|e| e.to_string())
}

#[test]
fn a_plain_slo_gives_its_target_window_and_queries() {
    let slo = read(PLAIN).expect("reads");
    assert_eq!(slo.name, "Web availability");
    assert_eq!(slo.target, 0.995);
    assert_eq!(slo.window_days, 30);
    assert!(slo.rules.is_empty());
    assert_eq!(slo.queries[0].0, "good");
    assert_eq!(
        slo.queries[0].1,
        "sum(http_requests_total{status!~\"5..\"})"
    );
    // Without an alert policy the lab's SLO alerts with the Workbook's table.
    let spec = slo.slo_spec();
    assert_eq!(
        alert_policy::rules_for(&spec),
        AlertPolicy::Workbook.rules(30)
    );
}

#[test]
fn ops_dojo_s_own_export_comes_back_with_the_same_alert_table() {
    for scenario in catalog::all() {
        let scenario: Scenario = scenario.expect("built-in");
        for policy in AlertPolicy::ALL {
            let mut scenario = scenario.clone();
            alert_policy::apply_policy(&mut scenario, policy);
            let text = slo_export::openslo(&scenario, &ExportOptions::default()).expect("export");
            let slo = read(&text).unwrap_or_else(|e| panic!("{}: {e}", scenario.id.0));
            let spec = &scenario.slos[0];
            assert_eq!(slo.target, spec.target.0);
            assert_eq!(slo.window_days, spec.window_days.0);
            let back = alert_policy::rules_for(&slo.slo_spec());
            let original = alert_policy::rules_for(spec);
            assert_eq!(back.len(), original.len(), "{} {policy:?}", scenario.id.0);
            for (b, o) in back.iter().zip(&original) {
                assert_eq!(
                    (
                        b.severity,
                        b.long_ticks,
                        b.short_ticks,
                        b.for_ticks,
                        b.keep_firing_ticks
                    ),
                    (
                        o.severity,
                        o.long_ticks,
                        o.short_ticks,
                        o.for_ticks,
                        o.keep_firing_ticks
                    ),
                    "{} {policy:?} {}",
                    scenario.id.0,
                    o.name
                );
                // The export prints factors to 4 decimals' worth of digits at most.
                assert!(
                    (b.burn_rate - o.burn_rate).abs() < 1e-3 * o.burn_rate,
                    "{} {policy:?}: {} vs {}",
                    scenario.id.0,
                    b.burn_rate,
                    o.burn_rate
                );
            }
        }
    }
}

#[test]
fn free_text_severities_are_mapped_and_said() {
    let text = PLAIN.to_string()
        + "  alertPolicies:\n    - kind: AlertPolicy\n      metadata:\n        name: fast\n      spec:\n        conditions:\n          - kind: AlertCondition\n            metadata:\n              name: fast-burn\n            spec:\n              severity: critical\n              condition:\n                kind: burnrate\n                op: gt\n                threshold: 14.4\n                lookbackWindow: 1h\n                alertAfter: 5m\n";
    let slo = read(&text).expect("reads");
    assert_eq!(slo.rules.len(), 1);
    let rule = &slo.rules[0].spec;
    assert_eq!(rule.severity, Severity::Page);
    assert_eq!(
        (rule.long_minutes, rule.short_minutes, rule.for_minutes),
        (60, 60, 5)
    );
    assert_eq!(rule.burn_rate, 14.4);
    assert!(
        slo.notes.iter().any(|n| n.contains("\"critical\"")),
        "{:?}",
        slo.notes
    );
    assert!(
        slo.notes.iter().any(|n| n.contains("op: gt")),
        "{:?}",
        slo.notes
    );
}

#[test]
fn bad_files_say_what_and_where() {
    let swap = |from: &str, to: &str| {
        assert!(PLAIN.contains(from), "{from}");
        PLAIN.replacen(from, to, 1)
    };
    let cases: Vec<(String, &str)> = vec![
        ("a: [1, 2\n".into(), "slo.yaml:2:1: not valid YAML"),
        ("".into(), "slo.yaml:1:1: no document has kind: SLO"),
        (swap("openslo/v1", "openslo/v1alpha"), "slo.yaml:1:13: apiVersion \"openslo/v1alpha\": only openslo/v1 is supported"),
        (swap("kind: SLO", "kind: Slo"), "slo.yaml:2:7: kind \"Slo\" is not an OpenSLO v1 kind"),
        (swap("  service: web\n", "  service: web\n  owner: me\n"), "slo.yaml:8:3: owner is not supported in the SLO's spec (supported: description, service,"),
        (swap("Occurrences", "Timeslices"), "slo.yaml:27:20: budgetingMethod \"Timeslices\": the lab counts good and bad requests"),
        (swap("isRolling: true", "isRolling: false"), "slo.yaml:26:18: only rolling windows"),
        (swap("duration: 30d", "duration: 1M"), "slo.yaml:25:17: duration \"1M\": expected a duration in whole minutes"),
        (swap("duration: 30d", "duration: 120d"), "slo.yaml:25:17: duration \"120d\": expected from 1d to 90d"),
        (swap("duration: 30d", "duration: 36h"), "slo.yaml:25:17: a rolling window is a whole number of days"),
        (swap("target: 0.995", "target: 1.5"), "slo.yaml:30:15: \"1.5\": expected a target between 0 and 1"),
        (swap("target: 0.995", "target: NaN"), "slo.yaml:30:15: \"NaN\": expected a target"),
        (swap("      ratioMetric:", "      thresholdMetric:\n        x: 1\n      ratioMetric:"), "slo.yaml:12:7: thresholdMetric is not supported"),
        (swap("        good:", "        bad:\n          x: 1\n        good:"), "ratioMetric needs total and exactly one of good or bad"),
        (swap("  indicator:\n", "  indicatorRef: nope\n  indicator:\n"), "an SLO needs exactly one of indicator"),
        (swap("target: 0.995", "target: 0.995\n      op: lte"), "slo.yaml:31:7: op is not supported in an objective"),
        (swap("  service: web\n", "  service: &s web\n  description: *s\n"), "slo.yaml:8:16: aliases (*name) are not supported"),
        (swap(
                "  timeWindow:\n    - duration: 30d\n      isRolling: true\n",
                "  timeWindow: 30d\n",
            ), "slo.yaml:24:15: timeWindow: expected a list with one entry, found a single value"),
    ];
    for (text, expected) in cases {
        let error = read(&text).expect_err(expected);
        assert!(
            error.starts_with("slo.yaml:") && error.contains(expected),
            "{text}\n→ {error}\nexpected: {expected}"
        );
    }
    let huge = "# x\n".repeat(20_000);
    assert!(read(&huge)
        .expect_err("huge")
        .contains("the limit is 65536 bytes"));
}

#[test]
fn alert_conditions_that_cannot_work_are_refused() {
    let with = |condition: &str| {
        PLAIN.to_string()
            + "  alertPolicies:\n    - kind: AlertPolicy\n      metadata:\n        name: p\n      spec:\n        conditions:\n          - kind: AlertCondition\n            metadata:\n              name: c\n            spec:\n              severity: page\n              condition:\n"
            + condition
    };
    let cases = [
        ("                kind: burnrate\n                op: lt\n                threshold: 2\n                lookbackWindow: 1h\n", "slo.yaml:44:21: op \"lt\""),
        ("                kind: burnrate\n                op: gte\n                threshold: 500\n                lookbackWindow: 1h\n", "a burn rate of 500 can never be reached: at a target of 0.995 even a total outage burns at 200"),
        ("                kind: burnrate\n                op: gte\n                threshold: 2\n                lookbackWindow: 40d\n", "lookbackWindow \"40d\": expected from 1m to 30d"),
        ("                kind: burnrate\n                op: gte\n                threshold: -1\n                lookbackWindow: 1h\n", "expected a burn rate above 0"),
        ("                kind: anomaly\n", "condition kind \"anomaly\": only burnrate is supported"),
    ];
    for (condition, expected) in cases {
        let error = read(&with(condition)).expect_err(expected);
        assert!(error.contains(expected), "→ {error}\nexpected: {expected}");
    }
    let nine = (0..9)
        .map(|i| format!("          - kind: AlertCondition\n            metadata:\n              name: c{i}\n            spec:\n              severity: page\n              condition:\n                kind: burnrate\n                op: gte\n                threshold: 2\n                lookbackWindow: 1h\n"))
        .collect::<String>();
    let text = PLAIN.to_string()
        + "  alertPolicies:\n    - kind: AlertPolicy\n      metadata:\n        name: p\n      spec:\n        conditions:\n"
        + &nine;
    assert!(read(&text)
        .expect_err("nine")
        .contains("more than 8 alert conditions"));
}

#[test]
fn the_lab_judges_an_imported_slo_on_the_incident_set() {
    let slo = read(PLAIN).expect("reads");
    let world = ops_dojo_engine::alert_lab::incident_set().expect("the incident set parses");
    let run = ops_dojo_engine::alert_lab::run_own_slo(world, &slo, 1);
    assert_eq!(run.days, 5);
    // No AlertPolicy in the file: the four named tables only.
    assert_eq!(run.reports.len(), 4);
    // At 99.5 % the 20-minute outage and the saturation spend the budget fast; the blip
    // at night does not count.
    assert!(run.events.len() >= 2, "{:?}", run.events);
    let workbook = &run.reports[0];
    assert_eq!(workbook.title, "SRE Workbook (Sloth)");
    assert!(
        workbook.pages >= 1 && workbook.night_pages == 0,
        "{workbook:?}"
    );
}

#[test]
fn an_exported_slo_replayed_in_its_own_world_alerts_like_the_run_did() {
    let scenario = catalog::load("alerts-that-matter")
        .expect("built-in")
        .expect("parses");
    let text = slo_export::openslo(&scenario, &ExportOptions::default()).expect("export");
    let slo = read(&text).expect("reads back");
    let run = ops_dojo_engine::alert_lab::run_own_slo(scenario, &slo, 1);
    let (yours, workbook) = (&run.reports[0], &run.reports[1]);
    assert_eq!(yours.title, "Your AlertPolicy");
    assert_eq!(workbook.policy, Some(AlertPolicy::Workbook));
    let fired = |r: &ops_dojo_engine::alert_lab::PolicyReport| {
        r.firings
            .iter()
            .map(|f| (f.fired_at, f.resolved_at))
            .collect::<Vec<_>>()
    };
    assert!(!fired(yours).is_empty());
    assert_eq!(fired(yours), fired(workbook));
}
