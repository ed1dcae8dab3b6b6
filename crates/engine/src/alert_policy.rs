//! Alert policies as data: the burn-rate alert tables that SLO tools generate, each turned
//! into the engine's own [`AlertRule`]s so that one evaluator ([`crate::alerts::Alerting`])
//! runs them all, and the alert-policy lab can compare them on the very same run.
//!
//! The tables (DOMAIN.md, "Burn rate and multi-window, multi-burn-rate alerts"):
//! - **Workbook** (SRE Workbook ch. 5, what Sloth generates; the engine's default): pages at
//!   2 % of the budget in 1 h and 5 % in 6 h, tickets at 10 % in 1 d and 3 d; short window
//!   1/12 of the long one; no `for`; keeps firing for one short window.
//! - **Pyrra**: factors 14 / 7 / 2 / 1 over 1 h / 6 h / 1 d / 4 d (for a 28-day SLO; every
//!   window scales with the SLO's period), each with a `for` of about half its short window;
//!   resolves as soon as its condition is false.
//! - **slo-generator** (its default error budget policy): one window per step, no short
//!   window: 1 h at 9× and 12 h at 3× page, 7 d at 1.5× and 28 d at 1× are reports
//!   (tickets here).
//! - **Single window**: the Workbook's first, naive approach: page whenever the error ratio
//!   over the last 10 minutes is above what the SLO allows (burn rate 1). It notices
//!   everything, including blips that spend 0.02 % of the budget.

use crate::alerts::{default_rules, minutes_label, AlertRule, Severity};
use crate::clock::TICKS_PER_MINUTE;
pub use crate::scenario::AlertPolicy;
use crate::scenario::{AlertRuleSpec, Scenario, SloSpec, Spanned};

impl AlertPolicy {
    /// The table for an SLO whose period is `window_days` long.
    pub fn rules(self, window_days: u32) -> Vec<AlertRule> {
        let period_minutes = window_days * 24 * 60;
        match self {
            AlertPolicy::Workbook => default_rules(window_days),
            AlertPolicy::Pyrra => {
                // Pyrra scales every window from its 28-day table: window × period / 28 d,
                // rounded to the minute (and at least a minute, for very short periods).
                let scaled = |minutes_at_28_days: u32| {
                    let exact = f64::from(minutes_at_28_days) * f64::from(window_days) / 28.0;
                    (crate::math::round(exact) as u32).max(1)
                };
                [
                    (Severity::Page, 60, 5, 2, 14.0),
                    (Severity::Page, 6 * 60, 30, 15, 7.0),
                    (Severity::Ticket, 24 * 60, 2 * 60, 60, 2.0),
                    (Severity::Ticket, 4 * 24 * 60, 6 * 60, 3 * 60, 1.0),
                ]
                .into_iter()
                .map(|(severity, long, short, hold, factor)| {
                    rule(
                        severity,
                        Windows {
                            long_minutes: scaled(long),
                            short_minutes: scaled(short),
                            for_minutes: scaled(hold),
                            keep_firing_minutes: 0,
                        },
                        factor,
                        period_minutes,
                    )
                })
                .collect()
            }
            AlertPolicy::SloGenerator => [
                (Severity::Page, 60, 9.0),
                (Severity::Page, 12 * 60, 3.0),
                (Severity::Ticket, 7 * 24 * 60, 1.5),
                (Severity::Ticket, 28 * 24 * 60, 1.0),
            ]
            .into_iter()
            .map(|(severity, window, factor)| {
                rule(
                    severity,
                    Windows::single(window.min(period_minutes)),
                    factor,
                    period_minutes,
                )
            })
            .collect(),
            AlertPolicy::SingleWindow => {
                vec![rule(
                    Severity::Page,
                    Windows::single(10),
                    1.0,
                    period_minutes,
                )]
            }
        }
    }
}

/// The table an SLO of a scenario alerts with: its own rows if it gives them, else its
/// named policy, else the Workbook's.
pub fn rules_for(spec: &SloSpec) -> Vec<AlertRule> {
    let window_days = spec.window_days.0;
    if spec.alert_rules.is_empty() {
        return policy_of(spec).unwrap_or_default().rules(window_days);
    }
    let period_minutes = window_days * 24 * 60;
    spec.alert_rules
        .iter()
        // The scenario's check has read every rule; a text it refused cannot be here.
        .filter_map(|text| AlertRuleSpec::parse(text.get_ref()).ok())
        .map(|row| {
            let windows = Windows {
                long_minutes: row.long_minutes,
                short_minutes: row.short_minutes,
                for_minutes: row.for_minutes,
                keep_firing_minutes: row.keep_firing_minutes,
            };
            rule(row.severity, windows, row.burn_rate, period_minutes)
        })
        .collect()
}

/// Every SLO of `scenario` alerts with `policy` from now on (its own rows, if any, go): what
/// the export's `--alert-policy` and the lab's policy switch do.
pub fn apply_policy(scenario: &mut Scenario, policy: AlertPolicy) {
    for slo in &mut scenario.slos {
        slo.alert_policy = Some(Spanned::new(0..0, policy.id().to_string()));
        slo.alert_rules.clear();
    }
}

/// The named policy an SLO uses: None for a table of its own.
pub fn policy_of(spec: &SloSpec) -> Option<AlertPolicy> {
    match &spec.alert_policy {
        Some(policy) => AlertPolicy::parse(policy.get_ref()),
        None if spec.alert_rules.is_empty() => Some(AlertPolicy::Workbook),
        None => None,
    }
}

/// The windows of one rule, minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub long_minutes: u32,
    /// Equal to the long window for a single-window rule.
    pub short_minutes: u32,
    pub for_minutes: u32,
    pub keep_firing_minutes: u32,
}

impl Windows {
    /// One window, no `for`, resolving as soon as the condition is false.
    pub fn single(minutes: u32) -> Self {
        Self {
            long_minutes: minutes,
            short_minutes: minutes,
            for_minutes: 0,
            keep_firing_minutes: 0,
        }
    }
}

/// A rule firing at burn rate `factor` over `windows`, for an SLO period of
/// `period_minutes`: the budget it lets burn before firing is factor × long ÷ period.
pub fn rule(severity: Severity, windows: Windows, factor: f64, period_minutes: u32) -> AlertRule {
    let name = if windows.short_minutes == windows.long_minutes {
        minutes_label(windows.long_minutes)
    } else {
        format!(
            "{}/{}",
            minutes_label(windows.long_minutes),
            minutes_label(windows.short_minutes)
        )
    };
    AlertRule {
        severity,
        long_ticks: windows.long_minutes * TICKS_PER_MINUTE,
        short_ticks: windows.short_minutes * TICKS_PER_MINUTE,
        budget_share: factor * f64::from(windows.long_minutes) / f64::from(period_minutes),
        burn_rate: factor,
        for_ticks: windows.for_minutes * TICKS_PER_MINUTE,
        keep_firing_ticks: windows.keep_firing_minutes * TICKS_PER_MINUTE,
        name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(policy: AlertPolicy, days: u32) -> Vec<(String, f64, u32, u32)> {
        policy
            .rules(days)
            .into_iter()
            .map(|r| {
                (
                    r.name,
                    r.burn_rate,
                    r.for_ticks / TICKS_PER_MINUTE,
                    r.keep_firing_ticks / TICKS_PER_MINUTE,
                )
            })
            .collect()
    }

    #[test]
    fn pyrra_matches_its_28_day_table_and_scales_with_the_period() {
        let want = [
            ("1h/5m".to_string(), 14.0, 2, 0),
            ("6h/30m".to_string(), 7.0, 15, 0),
            ("1d/2h".to_string(), 2.0, 60, 0),
            ("4d/6h".to_string(), 1.0, 180, 0),
        ];
        assert_eq!(table(AlertPolicy::Pyrra, 28), want);
        // 7 days: every window a quarter as long (Pyrra: window × period / 28 d).
        let names: Vec<_> = table(AlertPolicy::Pyrra, 7)
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(names, ["15m/1m", "90m/8m", "6h/30m", "1d/90m"]);
    }

    #[test]
    fn slo_generator_and_single_window_have_one_window_per_rule() {
        let names: Vec<_> = table(AlertPolicy::SloGenerator, 28)
            .into_iter()
            .map(|r| (r.0, r.1))
            .collect();
        assert_eq!(
            names,
            [
                ("1h".to_string(), 9.0),
                ("12h".to_string(), 3.0),
                ("7d".to_string(), 1.5),
                ("28d".to_string(), 1.0)
            ]
        );
        let single = AlertPolicy::SingleWindow.rules(28);
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].long_ticks, single[0].short_ticks);
        // DOMAIN.md pitfall: a 10-minute threshold alert fires on events that spend only
        // 10 min / 28 d ≈ 0.025 % of the budget.
        assert!((single[0].budget_share - 10.0 / (28.0 * 24.0 * 60.0)).abs() < 1e-12);
    }

    #[test]
    fn budget_share_is_factor_times_long_window_over_period() {
        for policy in AlertPolicy::ALL {
            for rule in policy.rules(30) {
                let long_hours = f64::from(rule.long_ticks) / f64::from(TICKS_PER_MINUTE) / 60.0;
                let share = rule.burn_rate * long_hours / 720.0;
                assert!((rule.budget_share - share).abs() < 1e-12, "{policy:?}");
            }
        }
    }

    #[test]
    fn ids_round_trip() {
        for policy in AlertPolicy::ALL {
            assert_eq!(AlertPolicy::parse(policy.id()), Some(policy));
        }
        assert_eq!(AlertPolicy::parse("Workbook"), None);
    }
}
