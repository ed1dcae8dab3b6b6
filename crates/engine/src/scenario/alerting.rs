//! An SLO's alert table in a scenario file: a named policy (`alert_policy = "pyrra"`) or
//! rows of one's own (`[[slos.alert_rules]]`), checked so that every rule can fire.

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

use super::values::{Bounded, Positive};
use super::{ScenarioError, SloSpec};
use crate::alerts::Severity;

/// Most rows in a table of one's own: every rule is evaluated every tick.
pub const MAX_ALERT_RULES: usize = 8;

/// Longest window a rule may read, minutes: the longest SLO period (90 days).
const MAX_WINDOW_MINUTES: u32 = 90 * 24 * 60;

/// One row of a custom alert table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRuleSpec {
    /// "page" (a human now) or "ticket" (working hours).
    pub severity: Severity,
    /// The long window, minutes: the burn must be this big for this long.
    pub long_window_minutes: Spanned<Bounded<1, MAX_WINDOW_MINUTES>>,
    /// The short window, minutes: the burn is still going on. Default: the long window
    /// (a single-window rule).
    #[serde(default)]
    pub short_window_minutes: Option<Spanned<Bounded<1, MAX_WINDOW_MINUTES>>>,
    /// Burn rate both windows must reach (1 spends the budget exactly over the period).
    pub burn_rate: Spanned<Positive>,
    /// Minutes the condition must hold before the alert fires (Prometheus `for`); default 0.
    #[serde(default)]
    pub for_minutes: Option<Bounded<0, MAX_WINDOW_MINUTES>>,
    /// Minutes a firing alert's condition must stay false before it resolves (Prometheus
    /// `keep_firing_for`); default 0.
    #[serde(default)]
    pub keep_firing_minutes: Option<Bounded<0, MAX_WINDOW_MINUTES>>,
}

impl AlertRuleSpec {
    pub fn short_minutes(&self) -> u32 {
        self.short_window_minutes
            .as_ref()
            .map_or(self.long_window_minutes.get_ref().0, |s| s.get_ref().0)
    }
}

/// Checks one SLO's alert table against its target and period. `at(offset, message)`
/// places an error, `at_key(key, message)` places it at a key of the file.
pub(super) fn check(
    slo: &SloSpec,
    at: &impl Fn(usize, String) -> ScenarioError,
    at_key: &impl Fn(&str, String) -> ScenarioError,
) -> Result<(), ScenarioError> {
    if slo.alert_rules.is_empty() {
        return Ok(());
    }
    if let Some(policy) = &slo.alert_policy {
        return Err(at(
            policy.span().start,
            format!(
                "SLO {:?}: give either alert_policy or [[slos.alert_rules]], not both",
                slo.name
            ),
        ));
    }
    if slo.alert_rules.len() > MAX_ALERT_RULES {
        return Err(at_key(
            "alert_rules",
            format!(
                "SLO {:?} has {} alert rules; the limit is {MAX_ALERT_RULES} (every rule is evaluated every tick)",
                slo.name,
                slo.alert_rules.len()
            ),
        ));
    }
    let period_minutes = slo.window_days.0 * 24 * 60;
    // Above 1 / (1 − target) a window would need more than all of its requests to fail.
    let highest = 1.0 / (1.0 - slo.target.0);
    for rule in &slo.alert_rules {
        let long = rule.long_window_minutes.get_ref().0;
        if long > period_minutes {
            return Err(at(
                rule.long_window_minutes.span().start,
                format!(
                    "a long window of {long} minutes is longer than the SLO's {}-day period ({period_minutes} minutes)",
                    slo.window_days.0
                ),
            ));
        }
        if let Some(short) = &rule.short_window_minutes {
            if short.get_ref().0 > long {
                return Err(at(
                    short.span().start,
                    format!(
                        "the short window ({} minutes) must not be longer than the long one ({long} minutes)",
                        short.get_ref().0
                    ),
                ));
            }
        }
        let burn = rule.burn_rate.get_ref().0;
        if burn > highest {
            return Err(at(
                rule.burn_rate.span().start,
                format!(
                    "a burn rate of {burn} can never be reached: at a target of {} even a total outage burns at {highest:.0}",
                    slo.target.0
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::alert_policy::{self, AlertPolicy};
    use crate::scenario::Scenario;

    fn with_slo_lines(lines: &str) -> Result<Scenario, String> {
        let text = format!(
            "format = 1\nid = \"lab\"\ntitle = \"Lab\"\nbriefing = \"b\"\ndifficulty = 1\n\
             days = 1\nroles = [\"sre\"]\n\n[traffic]\nbase_rps = 100.0\n\n[[services]]\n\
             name = \"api\"\nreplicas = 4\nconcurrency = 4\nservice_time_ms = 20.0\n\
             timeout_ms = 2000\n\n[[slos]]\nname = \"API\"\ntarget = 0.999\nwindow_days = 28\n\
             {lines}\n\n[delivery]\ndefect_probability = 0.0\ndefect_error_ratio = 0.0\n"
        );
        Scenario::parse(&text, "lab.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn a_named_policy_picks_its_table() {
        let scenario = with_slo_lines("alert_policy = \"pyrra\"").expect("parses");
        let spec = &scenario.slos[0];
        assert_eq!(alert_policy::policy_of(spec), Some(AlertPolicy::Pyrra));
        assert_eq!(alert_policy::rules_for(spec), AlertPolicy::Pyrra.rules(28));
        let plain = with_slo_lines("").expect("parses");
        assert_eq!(
            alert_policy::rules_for(&plain.slos[0]),
            AlertPolicy::Workbook.rules(28)
        );
    }

    #[test]
    fn an_unknown_policy_says_where_and_lists_the_choices() {
        let error = with_slo_lines("alert_policy = \"nagios\"").expect_err("refused");
        assert!(error.starts_with("lab.toml:23:16:"), "{error}");
        for id in ["workbook", "pyrra", "slo-generator", "single-window"] {
            assert!(error.contains(id), "{error}");
        }
    }

    #[test]
    fn custom_rows_become_rules() {
        let scenario = with_slo_lines(
            "[[slos.alert_rules]]\nseverity = \"page\"\nlong_window_minutes = 60\n\
             short_window_minutes = 5\nburn_rate = 14.4\nfor_minutes = 2\n\
             [[slos.alert_rules]]\nseverity = \"ticket\"\nlong_window_minutes = 1440\n\
             burn_rate = 1.5\nkeep_firing_minutes = 30\n",
        )
        .expect("parses");
        let spec = &scenario.slos[0];
        assert_eq!(alert_policy::policy_of(spec), None);
        let rules = alert_policy::rules_for(spec);
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].name, "1h/5m");
        assert_eq!(rules[0].for_ticks, 2 * crate::clock::TICKS_PER_MINUTE);
        assert!((rules[0].budget_share - 14.4 * 60.0 / (28.0 * 1440.0)).abs() < 1e-12);
        assert_eq!(rules[1].name, "1d");
        assert_eq!(rules[1].short_ticks, rules[1].long_ticks);
        assert_eq!(
            rules[1].keep_firing_ticks,
            30 * crate::clock::TICKS_PER_MINUTE
        );
    }

    #[test]
    fn rules_that_cannot_work_are_refused_where_they_are_written() {
        let row = |fields: &str| format!("[[slos.alert_rules]]\nseverity = \"page\"\n{fields}\n");
        let cases = [
            (
                format!("alert_policy = \"pyrra\"\n{}", row("long_window_minutes = 60\nburn_rate = 2")),
                "lab.toml:23:16: SLO \"API\": give either alert_policy or [[slos.alert_rules]], not both",
            ),
            (
                row("long_window_minutes = 60\nshort_window_minutes = 90\nburn_rate = 2"),
                "lab.toml:26:24: the short window (90 minutes) must not be longer",
            ),
            (
                row("long_window_minutes = 50000\nburn_rate = 2"),
                "lab.toml:25:23: a long window of 50000 minutes is longer than the SLO's 28-day period",
            ),
            (
                row("long_window_minutes = 60\nburn_rate = 2000"),
                "lab.toml:26:13: a burn rate of 2000 can never be reached",
            ),
            (
                row("long_window_minutes = 60\nburn_rate = 2\nseverity_level = 3"),
                "lab.toml:27:1: unknown field `severity_level`, expected one of `severity`",
            ),
            (row("burn_rate = 2"), "long_window_minutes"),
            (
                row("long_window_minutes = 60\nburn_rate = 2").repeat(9),
                "has 9 alert rules; the limit is 8",
            ),
        ];
        for (lines, expected) in cases {
            let error = with_slo_lines(&lines).expect_err(&lines);
            assert!(
                error.contains(expected),
                "{lines}\n→ {error}\nexpected {expected}"
            );
        }
    }
}
