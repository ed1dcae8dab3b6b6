//! SLOs out of the dojo: each SLO of a scenario as an OpenSLO v1 document and as a
//! Prometheus rules file, so what a learner practised here runs unchanged in production.
//!
//! Both files carry the alert table the engine runs for the SLO
//! ([`crate::alert_policy::rules_for`]: the Workbook's by default, or the scenario's
//! `alert_policy` or own rows): the same windows, the same factors (factor = budget share ×
//! SLO period ÷ long window, DOMAIN.md "Burn rate and multi-window, multi-burn-rate
//! alerts"), the same `>=` comparison, the same wait before firing (Prometheus `for`) and the
//! same resolution rule (the Workbook table resolves only after its condition has stayed
//! false for one short window, which Prometheus calls `keep_firing_for`). A test replays simulated
//! runs through `promtool test rules` and checks that Prometheus fires and resolves the
//! exported alerts when the engine does.
//!
//! The YAML is written as text (no YAML crate in the engine): every value that comes from a
//! scenario is emitted as a double-quoted scalar with escapes, and the output depends only
//! on the scenario and the options, so the same input always gives the same bytes.
//!
//! Metric names are placeholders the files state at the top: `requests_total` (every
//! request a service answers: the valid events) and `requests_good_total` (the good ones),
//! both labelled `service`; latency SLOs read the histogram `request_duration_seconds`
//! (`_bucket{le="threshold"}` good, `_count` total). [`ExportOptions::metric_prefix`] puts
//! a prefix in front of them.

use std::fmt::Write as _;

use thiserror::Error;

use crate::alert_policy::{self, AlertPolicy};
use crate::alerts::Severity;
use crate::clock::TICK_SECONDS;
use crate::scenario::{Scenario, SliKind};

mod openslo;
mod prometheus;

pub use openslo::openslo;
pub use prometheus::prometheus_rules;

/// Longest metric prefix accepted, characters.
pub const METRIC_PREFIX_MAX: usize = 100;

/// Longest `metadata.name` OpenSLO implementations must support (RFC 1123 label), characters.
const NAME_MAX: usize = 63;

/// Longest SLO slug, characters, leaving room for suffixes such as `-page-1h-5m`.
const SLUG_MAX: usize = 44;

/// How to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Put in front of every metric name (`myapp_` gives `myapp_requests_total`); empty by
    /// default. Letters, digits and underscores, not starting with a digit.
    pub metric_prefix: String,
}

/// Why an export could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    #[error(
        "metric prefix {0:?} is not usable in a Prometheus metric name: expected up to 100 \
         letters, digits or underscores, not starting with a digit (e.g. \"myapp_\")"
    )]
    MetricPrefix(String),
}

/// One SLO ready to export: names, queries and its alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedSlo {
    /// Lowercase letters, digits and dashes, unique in the scenario, e.g.
    /// "first-slo-checkout-availability": the `slo` label and the base of OpenSLO names.
    pub id: String,
    /// The SLO's name as the scenario gives it.
    pub name: String,
    /// Name of the service whose requests count.
    pub service: String,
    /// Target share of good events, e.g. 0.999.
    pub target: f64,
    /// Rolling window, days.
    pub window_days: u32,
    /// PromQL selector of the good-events counter.
    pub good_metric: String,
    /// PromQL selector of the valid-events counter.
    pub total_metric: String,
    /// The named table the alerts come from; None for the scenario's own rows.
    pub policy: Option<AlertPolicy>,
    /// One per row of the engine's alert table, in its order.
    pub alerts: Vec<ExportedAlert>,
}

/// One multi-window burn-rate alert.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedAlert {
    /// Prometheus alert name, e.g. "ErrorBudgetBurn1h5m".
    pub alert_name: String,
    pub severity: Severity,
    /// Long window, seconds.
    pub long_seconds: u64,
    /// Short window, seconds (equal to the long one for a single-window rule).
    pub short_seconds: u64,
    /// How long the condition must hold before the alert fires, seconds (`for`).
    pub for_seconds: u64,
    /// How long a firing alert keeps firing once its condition is false, seconds
    /// (`keep_firing_for`; the Workbook table's is its short window).
    pub keep_firing_seconds: u64,
    /// "" or, for a second rule with the same windows and severity, "-2" and so on: keeps
    /// the alert and policy names unique.
    pub duplicate_suffix: String,
    /// Share of the whole budget spent when the alert fires at its threshold (0.02 = 2 %).
    pub budget_share: f64,
    /// SLO period, hours.
    pub period_hours: f64,
    /// Burn rate both windows must reach: budget share × period hours ÷ long-window hours.
    pub factor: f64,
    /// Static annotations, in order: summary, description.
    pub annotations: Vec<(String, String)>,
}

impl ExportedAlert {
    /// Long window as a Prometheus duration, e.g. "1h".
    pub fn long_window(&self) -> String {
        duration(self.long_seconds)
    }

    /// Short window as a Prometheus duration, e.g. "5m".
    pub fn short_window(&self) -> String {
        duration(self.short_seconds)
    }

    /// One window only: the short window is the long one.
    pub fn single_window(&self) -> bool {
        self.short_seconds == self.long_seconds
    }

    /// Labels the alerting rule adds (besides the `slo` and `service` labels of its
    /// expression), in order.
    pub fn rule_labels(&self) -> Vec<(&'static str, String)> {
        vec![
            ("severity", self.severity.id().to_string()),
            ("long_window", self.long_window()),
            ("short_window", self.short_window()),
        ]
    }
}

/// The SLOs of a scenario with everything both files need.
pub fn exported_slos(
    scenario: &Scenario,
    options: &ExportOptions,
) -> Result<Vec<ExportedSlo>, ExportError> {
    let prefix = &options.metric_prefix;
    if !valid_prefix(prefix) {
        return Err(ExportError::MetricPrefix(prefix.clone()));
    }
    // Ids so far (at most 8 SLOs: a list is enough, and ships less code than a set).
    let mut used: Vec<String> = Vec::new();
    let mut slos = Vec::with_capacity(scenario.slos.len());
    for (index, spec) in scenario.slos.iter().enumerate() {
        let service = scenario.services[scenario.topology().slo_service[index]]
            .name
            .get_ref()
            .clone();
        let mut id = slug(&format!("{}-{}", scenario.id.0, spec.name));
        if used.contains(&id) {
            id = format!("{id}-{}", index + 1);
        }
        used.push(id.clone());
        let selector = format!("{{service=\"{}\"}}", promql_string(&service));
        let (good_metric, total_metric) = match spec.sli {
            SliKind::Availability => (
                format!("{prefix}requests_good_total{selector}"),
                format!("{prefix}requests_total{selector}"),
            ),
            SliKind::Latency => {
                let le = spec.threshold_seconds().unwrap_or(0.0);
                (
                    format!(
                        "{prefix}request_duration_seconds_bucket{{service=\"{}\",le=\"{le}\"}}",
                        promql_string(&service)
                    ),
                    format!("{prefix}request_duration_seconds_count{selector}"),
                )
            }
        };
        let window_days = spec.window_days.0;
        let period_hours = f64::from(window_days) * 24.0;
        // Severity and windows of the rules so far: a repeat gets a suffix.
        let mut seen: Vec<(Severity, String)> = Vec::new();
        let alerts = alert_policy::rules_for(spec)
            .iter()
            .map(|rule| {
                let seconds = |ticks: u32| u64::from(ticks) * u64::from(TICK_SECONDS);
                let long_seconds = seconds(rule.long_ticks);
                let short_seconds = seconds(rule.short_ticks);
                let for_seconds = seconds(rule.for_ticks);
                let keep_firing_seconds = seconds(rule.keep_firing_ticks);
                let (long, short) = (duration(long_seconds), duration(short_seconds));
                let windows = if long_seconds == short_seconds {
                    long.clone()
                } else {
                    format!("{long}{short}")
                };
                let key = (rule.severity, windows.clone());
                let repeats = seen.iter().filter(|k| **k == key).count();
                seen.push(key);
                let duplicate_suffix = if repeats == 0 {
                    String::new()
                } else {
                    format!("-{}", repeats + 1)
                };
                let over = if long_seconds == short_seconds {
                    long.clone()
                } else {
                    format!("{long} and {short}")
                };
                let summary = format!(
                    "{}: error budget burning at {}× or faster over {over} ({})",
                    spec.name,
                    number(rule.burn_rate),
                    rule.severity.id()
                );
                let wait = if for_seconds > 0 {
                    format!(
                        " It fires only once its condition has held for {} (for).",
                        duration(for_seconds)
                    )
                } else {
                    String::new()
                };
                let resolve = if keep_firing_seconds > 0 {
                    format!(
                        "Once firing, it resolves only after its condition has stayed false for \
                         {} (keep_firing_for).",
                        duration(keep_firing_seconds)
                    )
                } else {
                    "It resolves as soon as its condition is false.".to_string()
                };
                let description = format!(
                    "factor {} = budget share {} × period {} h ÷ long window {} h: at this \
                     rate {} % of the {window_days}-day budget is gone when the alert fires.\
                     {wait} {resolve}",
                    number(rule.burn_rate),
                    number(rule.budget_share),
                    number(period_hours),
                    number(long_seconds as f64 / 3600.0),
                    number(rule.budget_share * 100.0),
                );
                ExportedAlert {
                    alert_name: format!(
                        "ErrorBudgetBurn{windows}{}",
                        duplicate_suffix.trim_start_matches('-')
                    ),
                    severity: rule.severity,
                    long_seconds,
                    short_seconds,
                    for_seconds,
                    keep_firing_seconds,
                    duplicate_suffix,
                    budget_share: rule.budget_share,
                    period_hours,
                    factor: rule.burn_rate,
                    annotations: vec![
                        ("summary".into(), summary),
                        ("description".into(), description),
                    ],
                }
            })
            .collect();
        slos.push(ExportedSlo {
            id,
            name: spec.name.clone(),
            service,
            target: spec.target.0,
            window_days,
            good_metric,
            total_metric,
            policy: alert_policy::policy_of(spec),
            alerts,
        });
    }
    Ok(slos)
}

fn header(out: &mut String, scenario: &Scenario, what: &str) {
    let _ = write!(
        out,
        "# {what} for the SLOs of Ops Dojo scenario {} ({}).\n#\n\
         # Metric names are PLACEHOLDERS: replace them with your own counters, or export with\n\
         # a metric prefix. requests_total counts every request a service answers (the valid\n\
         # events) and requests_good_total the good ones, both labelled service=\"…\"; latency\n\
         # SLOs read the histogram request_duration_seconds (_bucket{{le=\"threshold\"}} good,\n\
         # _count total).\n",
        comment(&scenario.id.0),
        comment(&scenario.title),
    );
}

/// Seconds as a Prometheus / OpenSLO duration in the largest whole unit: "5m", "1h", "3d".
pub fn duration(seconds: u64) -> String {
    match seconds {
        0 => "0s".into(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// A number for people: at most 4 decimals, trailing zeros dropped (13.44, 0.9333, 672).
pub fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

fn valid_prefix(prefix: &str) -> bool {
    prefix.len() <= METRIC_PREFIX_MAX
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !prefix.starts_with(|c: char| c.is_ascii_digit())
}

/// Lowercase letters, digits and single dashes, at most [`SLUG_MAX`] characters.
fn slug(text: &str) -> String {
    limited_slug(text, SLUG_MAX)
}

/// An OpenSLO `metadata.name`: an RFC 1123 label of at most 63 characters.
fn name(text: &str) -> String {
    limited_slug(text, NAME_MAX)
}

fn limited_slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "slo".into()
    } else {
        out
    }
}

/// A YAML double-quoted scalar holding `text` exactly.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a PromQL double-quoted string.
fn promql_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text safe on one YAML comment line.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    fn first_slo() -> Scenario {
        catalog::load("first-slo")
            .expect("first-slo is built in")
            .expect("built-in scenarios parse")
    }

    #[test]
    fn factors_and_windows_follow_the_engine() {
        let slos = exported_slos(&first_slo(), &ExportOptions::default()).expect("no prefix");
        let slo = &slos[0];
        assert_eq!(slo.id, "first-slo-checkout-availability");
        assert_eq!(slo.service, "checkout-api");
        let rows: Vec<_> = slo
            .alerts
            .iter()
            .map(|a| (a.alert_name.as_str(), a.long_window(), a.short_window()))
            .collect();
        assert_eq!(
            rows,
            [
                ("ErrorBudgetBurn1h5m", "1h".into(), "5m".into()),
                ("ErrorBudgetBurn6h30m", "6h".into(), "30m".into()),
                ("ErrorBudgetBurn1d2h", "1d".into(), "2h".into()),
                ("ErrorBudgetBurn3d6h", "3d".into(), "6h".into()),
            ]
        );
        // DOMAIN.md: on a 28-day period the factors are 13.44 / 5.6 / 2.8 / 0.933.
        let factors: Vec<_> = slo.alerts.iter().map(|a| number(a.factor)).collect();
        assert_eq!(factors, ["13.44", "5.6", "2.8", "0.9333"]);
    }

    #[test]
    fn rules_name_every_window_and_keep_firing_for_the_short_one() {
        let rules = prometheus_rules(&first_slo(), &ExportOptions::default()).expect("export");
        for window in ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] {
            assert!(
                rules.contains(&format!("record: slo:sli_error:ratio_rate{window}\n")),
                "{window}"
            );
        }
        assert!(rules.contains("keep_firing_for: 5m\n"));
        assert!(rules.contains("keep_firing_for: 6h\n"));
        assert!(rules.contains("(0.02 * 672 / 1) * (1 - 0.999)"));
        assert!(rules.contains("sum(rate(requests_good_total{service=\"checkout-api\"}[5m]))"));
    }

    #[test]
    fn the_prefix_fills_in_the_metric_names_and_bad_ones_are_refused() {
        let options = ExportOptions {
            metric_prefix: "shop_".into(),
        };
        let text = openslo(&first_slo(), &options).expect("valid prefix");
        assert!(text.contains("shop_requests_total{service=\\\"checkout-api\\\"}"));
        for bad in ["9lives", "a-b", "x{y}", "é"] {
            let options = ExportOptions {
                metric_prefix: bad.into(),
            };
            assert_eq!(
                prometheus_rules(&first_slo(), &options),
                Err(ExportError::MetricPrefix(bad.into()))
            );
        }
    }

    #[test]
    fn export_is_deterministic_and_names_fit_rfc_1123() {
        for scenario in catalog::all() {
            let scenario = scenario.expect("built-in scenarios parse");
            let options = ExportOptions::default();
            let a = openslo(&scenario, &options).expect("export");
            assert_eq!(a, openslo(&scenario, &options).expect("export"));
            for line in a.lines() {
                if let Some(name) = line.trim_start().strip_prefix("name: ") {
                    let name = name.trim_matches('"');
                    assert!(name.len() <= NAME_MAX, "{name}");
                    assert!(
                        name.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                            && !name.starts_with('-')
                            && !name.ends_with('-'),
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn quoting_keeps_any_text() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(259_200), "3d");
        assert_eq!(duration(7_200), "2h");
        assert_eq!(slug("Pages under 300 ms!"), "pages-under-300-ms");
    }
}
