//! An SLO's alert table in a scenario file: a named policy (`alert_policy = "pyrra"`) or
//! rows of one's own, one rule per line of text:
//!
//! ```toml
//! alert_rules = ["page 1h/5m 14.4", "ticket 3d/6h 1 for 30m keep 6h"]
//! ```
//!
//! Each rule reads `<page|ticket> <long window>[/<short window>] <burn rate>` and optionally
//! `for <duration>` (how long the burn must last before it fires, Prometheus `for`) and
//! `keep <duration>` (how long it keeps firing once the burn stops, `keep_firing_for`).
//! Windows and durations are whole minutes, hours or days (`5m`, `1h`, `3d`), written as
//! the app names rules. A rule is text rather than a table because every distinct field type
//! costs the shipped page its own reader code; the text is checked here, with its position.
//!
//! The spec types of alerting live here, below the models: [`Severity`] and the named
//! [`AlertPolicy`] (its rules are built by `alert_policy.rs`, one layer up).

use serde::Serialize;

use super::{ScenarioError, SloSpec};
use crate::clock::minutes_label;

/// Who gets woken: a page needs a human now, a ticket can wait for working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Page,
    Ticket,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Page => "Page",
            Severity::Ticket => "Ticket",
        }
    }

    /// "page" or "ticket", as scenario files, exports and OpenSLO files write it.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Page => "page",
            Severity::Ticket => "ticket",
        }
    }
}

/// A named alert table an SLO can use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlertPolicy {
    #[default]
    Workbook,
    Pyrra,
    SloGenerator,
    SingleWindow,
}

impl AlertPolicy {
    /// Every table, the engine's default first.
    pub const ALL: [AlertPolicy; 4] = [
        AlertPolicy::Workbook,
        AlertPolicy::Pyrra,
        AlertPolicy::SloGenerator,
        AlertPolicy::SingleWindow,
    ];

    /// The name used in scenario files, links and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            AlertPolicy::Workbook => "workbook",
            AlertPolicy::Pyrra => "pyrra",
            AlertPolicy::SloGenerator => "slo-generator",
            AlertPolicy::SingleWindow => "single-window",
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The comma-separated list of ids, for messages.
    pub fn ids() -> String {
        Self::ALL.map(Self::id).join(", ")
    }

    pub fn title(self) -> &'static str {
        match self {
            AlertPolicy::Workbook => "SRE Workbook (Sloth)",
            AlertPolicy::Pyrra => "Pyrra",
            AlertPolicy::SloGenerator => "slo-generator",
            AlertPolicy::SingleWindow => "Single 10-minute window",
        }
    }

    /// How the table differs from the Workbook's, in one sentence for the learner.
    pub fn how_it_differs(self) -> &'static str {
        match self {
            AlertPolicy::Workbook => "Two windows per rule (the long one proves the burn is big, the short one that it is still going on); pages at 2 % of the budget in 1 h or 5 % in 6 h.",
            AlertPolicy::Pyrra => "Same two-window idea with rounder factors (14, 7, 2, 1) and a 4-day slowest window; each rule must hold for about half its short window before it fires, and resolves as soon as it stops.",
            AlertPolicy::SloGenerator => "One window per rule and no short window: it pages later after a burn starts and keeps paging long after it stops, until the long window forgets.",
            AlertPolicy::SingleWindow => "Pages whenever the last 10 minutes failed more than the SLO allows: it catches everything, including blips no one needs to wake up for.",
        }
    }
}

/// Most rows in a table of one's own: every rule is evaluated every tick.
pub const MAX_ALERT_RULES: usize = 8;

/// The form of a rule, for messages.
const FORM: &str = "expected \"<page|ticket> <long>[/<short>] <burn rate> [for <duration>] [keep <duration>]\", e.g. \"page 1h/5m 14.4\"";

/// One row of a custom alert table, read from its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertRuleSpec {
    pub severity: Severity,
    /// The long window, minutes: the burn must be this big for this long.
    pub long_minutes: u32,
    /// The short window, minutes (the long one for a single-window rule).
    pub short_minutes: u32,
    /// Burn rate both windows must reach (1 spends the budget exactly over the period).
    pub burn_rate: f64,
    /// Minutes the condition must hold before the alert fires (Prometheus `for`).
    pub for_minutes: u32,
    /// Minutes a firing alert's condition must stay false before it resolves.
    pub keep_firing_minutes: u32,
}

impl AlertRuleSpec {
    /// Reads a rule's text; the error names the part that is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut words = text.split_whitespace();
        let severity = match words.next() {
            Some("page") => Severity::Page,
            Some("ticket") => Severity::Ticket,
            _ => return Err(FORM.to_string()),
        };
        let windows = words.next().ok_or(FORM)?;
        let (long, short) = windows.split_once('/').unwrap_or((windows, windows));
        let burn_rate = words
            .next()
            .and_then(|w| w.parse::<f64>().ok())
            .filter(|b| b.is_finite() && *b > 0.0)
            .ok_or_else(|| format!("{FORM}: the burn rate is a number above 0"))?;
        let mut rule = Self {
            severity,
            long_minutes: minutes(long)?,
            short_minutes: minutes(short)?,
            burn_rate,
            for_minutes: 0,
            keep_firing_minutes: 0,
        };
        while let Some(word) = words.next() {
            let value = minutes(words.next().ok_or(FORM)?)?;
            match word {
                "for" => rule.for_minutes = value,
                "keep" => rule.keep_firing_minutes = value,
                other => return Err(format!("{other:?}: {FORM}")),
            }
        }
        Ok(rule)
    }

    /// The rule as text [`parse`](Self::parse) reads back to the same rule.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{} {}",
            self.severity.id(),
            minutes_label(self.long_minutes)
        );
        if self.short_minutes != self.long_minutes {
            text += &format!("/{}", minutes_label(self.short_minutes));
        }
        text += &format!(" {}", self.burn_rate);
        for (word, value) in [
            ("for", self.for_minutes),
            ("keep", self.keep_firing_minutes),
        ] {
            if value > 0 {
                text += &format!(" {word} {}", minutes_label(value));
            }
        }
        text
    }
}

/// `5m`, `1h`, `3d` in minutes.
fn minutes(word: &str) -> Result<u32, String> {
    let (number, unit) = word.split_at(word.len().saturating_sub(1));
    let per = match unit {
        "m" => Some(1),
        "h" => Some(60),
        "d" => Some(24 * 60),
        _ => None,
    };
    number
        .parse::<u32>()
        .ok()
        .zip(per)
        .and_then(|(n, per)| n.checked_mul(per))
        .ok_or_else(|| {
            format!(
                "{word:?}: expected a duration in whole minutes, hours or days, e.g. 5m, 1h or 3d"
            )
        })
}

/// Checks one SLO's alert table against its target and period. `at(offset, message)`
/// places an error, `at_key(key, message)` places it at a key of the file.
pub(super) fn check(
    slo: &SloSpec,
    at: &impl Fn(usize, String) -> ScenarioError,
    at_key: &impl Fn(&str, String) -> ScenarioError,
) -> Result<(), ScenarioError> {
    if let Some(policy) = &slo.alert_policy {
        if AlertPolicy::parse(policy.get_ref()).is_none() {
            return Err(at(
                policy.span().start,
                format!(
                    "alert_policy {:?}: expected one of {}",
                    policy.get_ref(),
                    AlertPolicy::ids()
                ),
            ));
        }
        if !slo.alert_rules.is_empty() {
            return Err(at(
                policy.span().start,
                format!(
                    "SLO {:?}: give either alert_policy or alert_rules, not both",
                    slo.name
                ),
            ));
        }
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
    for text in &slo.alert_rules {
        let error = |message: String| {
            at(
                text.span().start,
                format!("alert rule {:?}: {message}", text.get_ref()),
            )
        };
        let rule = AlertRuleSpec::parse(text.get_ref()).map_err(error)?;
        let longest = [
            rule.long_minutes,
            rule.short_minutes,
            rule.for_minutes,
            rule.keep_firing_minutes,
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        if rule.long_minutes == 0 || rule.short_minutes == 0 || longest > period_minutes {
            return Err(error(format!(
                "windows and durations run from 1 minute to the SLO's {}-day period",
                slo.window_days.0
            )));
        }
        if rule.short_minutes > rule.long_minutes {
            return Err(error(
                "the short window must not be longer than the long one".into(),
            ));
        }
        if rule.burn_rate > highest {
            return Err(error(format!(
                "a burn rate of {} can never be reached: at a target of {} even a total outage burns at {highest:.0}",
                rule.burn_rate, slo.target.0
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AlertRuleSpec;
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
            "alert_rules = [\"page 1h/5m 14.4 for 2m\", \"ticket 1d 1.5 keep 30m\"]",
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
    fn a_rule_reads_back_from_its_text() {
        for text in [
            "page 1h/5m 14.4",
            "ticket 3d/6h 0.9333333333333333 for 30m keep 6h",
            "page 10m 1",
        ] {
            let rule = AlertRuleSpec::parse(text).expect(text);
            assert_eq!(rule.to_text(), text);
        }
    }

    #[test]
    fn rules_that_cannot_work_are_refused_where_they_are_written() {
        let rules = |list: &str| format!("alert_rules = [{list}]");
        let cases = [
            (
                format!("alert_policy = \"pyrra\"\n{}", rules("\"page 1h 2\"")),
                "lab.toml:23:16: SLO \"API\": give either alert_policy or alert_rules, not both"
                    .to_string(),
            ),
            (
                rules("\"page 1h/90m 2\""),
                "lab.toml:23:16: alert rule \"page 1h/90m 2\": the short window must not be longer"
                    .into(),
            ),
            (
                rules("\"page 30d 2\""),
                "windows and durations run from 1 minute to the SLO's 28-day period".into(),
            ),
            (
                rules("\"page 1h 2000\""),
                "a burn rate of 2000 can never be reached".into(),
            ),
            (
                rules("\"page 1h 2\", \"sev1 1h 2\""),
                "lab.toml:23:29: alert rule \"sev1 1h 2\": expected \"<page|ticket>".into(),
            ),
            (
                rules("\"page 90s 2\""),
                "\"90s\": expected a duration in whole minutes, hours or days".into(),
            ),
            (
                rules("\"page 1h fast\""),
                "the burn rate is a number above 0".into(),
            ),
            (rules("\"page 1h 2 wait 5m\""), "\"wait\": expected".into()),
            (
                rules("\"page 0m 2\""),
                "windows and durations run from 1 minute".into(),
            ),
            (
                rules(&["\"page 1h 2\""; 9].join(", ")),
                "has 9 alert rules; the limit is 8".into(),
            ),
        ];
        for (lines, expected) in cases {
            let error = with_slo_lines(&lines).expect_err(&lines);
            assert!(
                error.contains(&expected),
                "{lines}\n→ {error}\nexpected {expected}"
            );
        }
    }
}
