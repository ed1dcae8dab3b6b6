//! Multi-window, multi-burn-rate alerts (SRE Workbook ch. 5; DOMAIN.md "Burn rate and
//! multi-window, multi-burn-rate alerts").
//!
//! An alert fires only while BOTH its long and its short window burn at or above its
//! threshold: the long window proves the burn is significant, the short one that it is
//! still happening (so the alert resolves soon after the problem stops). Thresholds come
//! from the share of the budget an alert may let burn: factor = share × period / long.
//!
//! A firing alert resolves only after its condition has stayed false for one short window
//! (Prometheus calls this `keep_firing_for`): a burn hovering at the threshold would
//! otherwise page, resolve and page again every few ticks, and one incident would count as
//! dozens of pages.

use serde::Serialize;

pub use crate::clock::minutes_label;
use crate::clock::{ClockTime, Tick, TICKS_PER_HOUR, TICKS_PER_MINUTE};
pub use crate::scenario::Severity;
use crate::slo::{self, RollingCounts};

/// One row of the alert table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRule {
    pub severity: Severity,
    /// Long window, ticks.
    pub long_ticks: u32,
    /// Short window, ticks (about 1/12 of the long one).
    pub short_ticks: u32,
    /// Share of the whole budget spent by the time the alert fires at its threshold.
    pub budget_share: f64,
    /// Burn rate both windows must reach.
    pub burn_rate: f64,
    /// How long the condition must hold before the alert fires, ticks (Prometheus `for`;
    /// Pyrra uses it, the Workbook table does not: 0).
    pub for_ticks: u32,
    /// How long a firing alert's condition must stay false before it resolves, ticks
    /// (Prometheus `keep_firing_for`; the engine's own table keeps firing for one short
    /// window, see the module comment).
    pub keep_firing_ticks: u32,
    /// Name of the rule, e.g. "1h/5m".
    pub name: String,
}

/// The workbook's recommended starting point (DOMAIN.md table), with the factors computed
/// from the SLO's own period: 14.4 / 6 / 3 / 1 at 30 days, 13.44 / 5.6 / 2.8 / 0.933 at 28.
pub fn default_rules(window_days: u32) -> Vec<AlertRule> {
    let period_hours = f64::from(window_days) * 24.0;
    let row = |severity, long_hours: u32, short_minutes: u32, budget_share: f64| AlertRule {
        severity,
        long_ticks: long_hours * TICKS_PER_HOUR,
        short_ticks: short_minutes * TICKS_PER_MINUTE,
        budget_share,
        burn_rate: budget_share * period_hours / f64::from(long_hours),
        for_ticks: 0,
        keep_firing_ticks: short_minutes * TICKS_PER_MINUTE,
        name: format!(
            "{}/{}",
            hours_label(long_hours),
            minutes_label(short_minutes)
        ),
    };
    vec![
        row(Severity::Page, 1, 5, 0.02),
        row(Severity::Page, 6, 30, 0.05),
        row(Severity::Ticket, 24, 120, 0.10),
        row(Severity::Ticket, 72, 360, 0.10),
    ]
}

fn hours_label(hours: u32) -> String {
    minutes_label(hours * 60)
}

/// An alert starting or stopping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEvent {
    pub tick: Tick,
    /// Index of the SLO in the scenario.
    pub slo: usize,
    /// Index into the rules.
    pub rule: usize,
    pub severity: Severity,
    pub rule_name: String,
    pub kind: AlertEventKind,
    /// Burn rate over the long and the short window at that tick.
    pub long_burn: f64,
    pub short_burn: f64,
    /// Threshold both had to reach.
    pub threshold: f64,
    /// Fired between 22:00 and 07:00: someone was woken up.
    pub night: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertEventKind {
    Fired,
    Resolved,
}

impl AlertEvent {
    /// The event as the event log shows it.
    pub fn describe(&self) -> String {
        match self.kind {
            AlertEventKind::Fired => format!(
                "{} fired ({}): burn rate {:.1}× over {} and {:.1}× over the short window, threshold {:.2}×",
                self.severity.label(),
                self.rule_name,
                self.long_burn,
                self.rule_name.split('/').next().unwrap_or(""),
                self.short_burn,
                self.threshold
            ),
            AlertEventKind::Resolved => format!(
                "{} resolved ({}): short-window burn below threshold for a whole window, now {:.1}×",
                self.severity.label(),
                self.rule_name,
                self.short_burn
            ),
        }
    }
}

/// Which alerts are firing, evaluated once per tick.
#[derive(Debug, Clone)]
pub struct Alerting {
    rules: Vec<AlertRule>,
    /// Tick each rule started firing, if it is firing.
    firing_since: Vec<Option<Tick>>,
    /// For a firing rule whose condition is false: since when.
    clear_since: Vec<Option<Tick>>,
    /// For a quiet rule whose condition holds: since when (its `for` counts from here).
    pending_since: Vec<Option<Tick>>,
}

impl Alerting {
    pub fn new(rules: Vec<AlertRule>) -> Self {
        Self {
            firing_since: vec![None; rules.len()],
            clear_since: vec![None; rules.len()],
            pending_since: vec![None; rules.len()],
            rules,
        }
    }

    pub fn rules(&self) -> &[AlertRule] {
        &self.rules
    }

    /// Rules firing now, with the tick each started.
    pub fn firing(&self) -> impl Iterator<Item = (&AlertRule, Tick)> {
        self.rules
            .iter()
            .zip(&self.firing_since)
            .filter_map(|(rule, since)| since.map(|tick| (rule, tick)))
    }

    /// Evaluates every rule at `tick` and returns the alerts that changed state.
    pub fn evaluate(&mut self, tick: Tick, counts: &RollingCounts, target: f64) -> Vec<AlertEvent> {
        let mut events = Vec::new();
        self.evaluate_each(tick, counts, target, &mut |event| events.push(event));
        events
    }

    /// [`Self::evaluate`], handing each alert that changed state to `changed`: a tick
    /// evaluates every SLO's rules, and almost always nothing changes, so the simulation
    /// makes no list to hand back and drop (one code for both, through a `dyn`: a call per
    /// change, which is rare).
    pub fn evaluate_each(
        &mut self,
        tick: Tick,
        counts: &RollingCounts,
        target: f64,
        changed: &mut dyn FnMut(AlertEvent),
    ) {
        // Every window ends at this tick: its end is looked up once for all the rules.
        let end = counts.window_end(tick);
        let burn = |window| {
            let (good, valid) = counts.window_back(end, window);
            slo::burn_rate(good, valid, target)
        };
        for (index, rule) in self.rules.iter().enumerate() {
            // Whether a window's burn rate reaches the rule's: most windows are far under it
            // or (while the budget burns) far over, which a multiplication shows without the
            // burn rate's two divisions (see `Reach::of`); the burn rates themselves are
            // worked out only for an event.
            let reaches = |window| match Reach::of(counts.window_back(end, window), rule, target) {
                Reach::FarUnder => false,
                Reach::FarOver => true,
                Reach::Near => burn(window) >= rule.burn_rate,
            };
            // A short window under the threshold settles the rule: a quiet rule cannot fire,
            // and a firing one is not breached.
            let quiet = self.firing_since[index].is_none();
            let short_breached = reaches(rule.short_ticks);
            if quiet && !short_breached {
                self.clear_since[index] = None;
                self.pending_since[index] = None;
                continue;
            }
            let breached = short_breached && reaches(rule.long_ticks);
            self.pending_since[index] = match (breached, self.pending_since[index]) {
                (false, _) => None,
                (true, since) => since.or(Some(tick)),
            };
            let held_long_enough =
                self.pending_since[index].is_some_and(|since| tick - since >= rule.for_ticks);
            if breached || self.firing_since[index].is_none() {
                self.clear_since[index] = None;
            } else if self.clear_since[index].is_none() {
                self.clear_since[index] = Some(tick);
            }
            let clear_long_enough = self.clear_since[index]
                .is_some_and(|since| tick + 1 - since >= rule.keep_firing_ticks);
            let kind = match (self.firing_since[index], breached) {
                (None, true) if held_long_enough => AlertEventKind::Fired,
                (Some(_), false) if clear_long_enough => AlertEventKind::Resolved,
                _ => continue,
            };
            self.clear_since[index] = None;
            self.firing_since[index] = (kind == AlertEventKind::Fired).then_some(tick);
            let hour = ClockTime::at(tick).hour;
            let (long_burn, short_burn) = (burn(rule.long_ticks), burn(rule.short_ticks));
            changed(AlertEvent {
                tick,
                slo: 0,
                rule: index,
                severity: rule.severity,
                rule_name: rule.name.clone(),
                kind,
                long_burn,
                short_burn,
                threshold: rule.burn_rate,
                night: !(7..22).contains(&hour),
            });
        }
    }
}

/// Where a window's burn rate stands against a rule's threshold, when a multiplication can
/// tell: bad events against threshold × (1 − target) × valid events, with a margin of 1e-9
/// either side that dwarfs the rounding of the burn rate's two divisions (a few 1e-16), so
/// the burn rate they give is on the same side. `Near` is left to the burn rate itself.
enum Reach {
    FarUnder,
    FarOver,
    Near,
}

impl Reach {
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    fn of((good, valid): (u64, u64), rule: &AlertRule, target: f64) -> Reach {
        // Bad events per valid one at the threshold, less and more the margin.
        let at = rule.burn_rate * (1.0 - target);
        let (under, over) = (at * (1.0 - 1e-9), at * (1.0 + 1e-9));
        let settles = rule.burn_rate > 0.0
            && 1.0 - target > 0.0
            && under >= f64::MIN_POSITIVE
            && over.is_finite();
        if !settles {
            return Reach::Near;
        }
        let bad = (valid - good.min(valid)) as f64;
        let valid = valid as f64;
        if bad < under * valid {
            Reach::FarUnder
        } else if bad > over * valid {
            Reach::FarOver
        } else {
            Reach::Near
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::TICKS_PER_DAY;

    #[test]
    fn a_reach_settled_by_multiplication_agrees_with_the_burn_rate() {
        // Windows at and around each rule's threshold, from a few events to 2^60: whatever
        // `Reach::of` settles without the burn rate, the burn rate says too; and a window 1 %
        // away from the threshold is settled (only those within 1e-9 of it are left).
        for target in [0.999, 0.99, 0.9995, 0.99999, 0.5] {
            for rule in default_rules(28).iter().chain(&default_rules(30)) {
                for valid in [1_u64, 7, 1000, 86_400, 1_000_003, 1 << 40, 1 << 60] {
                    let at = rule.burn_rate * (1.0 - target) * valid as f64;
                    let near_at = (at as u64).saturating_sub(3)..=(at as u64 + 3).min(valid);
                    let far = [at * 0.99, at * 1.01].map(|bad| bad as u64);
                    for bad in near_at.chain(far.into_iter().filter(|&bad| bad <= valid)) {
                        let counts = (valid - bad, valid);
                        let burn = slo::burn_rate(counts.0, counts.1, target);
                        match Reach::of(counts, rule, target) {
                            Reach::FarUnder => assert!(burn < rule.burn_rate, "{counts:?}"),
                            Reach::FarOver => assert!(burn >= rule.burn_rate, "{counts:?}"),
                            Reach::Near => assert!(
                                (bad as f64 - at).abs() <= 1e-9 * at + 1.0,
                                "{counts:?} is far from {at} and left to the burn rate"
                            ),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn factors_follow_the_workbook_for_30_and_28_days() {
        let rates = |days| {
            default_rules(days)
                .iter()
                .map(|r| r.burn_rate)
                .collect::<Vec<_>>()
        };
        for (got, want) in rates(30).iter().zip([14.4, 6.0, 3.0, 1.0]) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        for (got, want) in rates(28).iter().zip([13.44, 5.6, 2.8, 0.9333]) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
        let names: Vec<_> = default_rules(28).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["1h/5m", "6h/30m", "1d/2h", "3d/6h"]);
    }

    /// A window of clean history, then a constant burn `burn` from tick 0 on; returns the
    /// tick each rule first fired (relative to the onset), running for `ticks`.
    fn first_firing(burn: f64, target: f64, ticks: u32) -> Vec<Option<Tick>> {
        let history = 28 * TICKS_PER_DAY;
        let valid = 100_000u64;
        let mut counts = RollingCounts::clean_history(history, ticks, valid);
        let bad = crate::math::round(burn * (1.0 - target) * valid as f64) as u64;
        let mut alerting = Alerting::new(default_rules(28));
        let mut fired = vec![None; 4];
        for tick in 0..ticks {
            counts.push(valid - bad, valid);
            for event in alerting.evaluate(tick, &counts, target) {
                if event.kind == AlertEventKind::Fired && fired[event.rule].is_none() {
                    fired[event.rule] = Some(tick);
                }
            }
        }
        fired
    }

    #[test]
    fn an_alert_fires_after_threshold_over_burn_of_its_long_window() {
        // Constant burn b ≥ f from a clean start: the long window's average reaches f after
        // f/b of the window (DOMAIN.md: budget spent when an alert fires = b × long / period).
        let target = 0.999;
        let burn = 20.0;
        let rules = default_rules(28);
        let fired = first_firing(burn, target, 4 * TICKS_PER_DAY);
        for (rule, fired_at) in rules.iter().zip(&fired) {
            let expected = rule.burn_rate / burn * f64::from(rule.long_ticks);
            let got = f64::from(fired_at.expect("burn 20 exceeds every threshold") + 1);
            // Within one tick (the tick that crosses the threshold counts as firing).
            assert!(
                (got - expected).abs() <= 1.0,
                "{}: fired after {got} ticks, expected {expected}",
                rule.name
            );
        }
    }

    #[test]
    fn no_alert_fires_below_its_threshold() {
        // Burn 5: below the 1h page (13.44) and the 6h page (5.6), above both tickets.
        let fired = first_firing(5.0, 0.999, 4 * TICKS_PER_DAY);
        assert_eq!(fired[0], None);
        assert_eq!(fired[1], None);
        assert!(fired[2].is_some() && fired[3].is_some());
    }

    #[test]
    fn an_alert_resolves_when_the_short_window_recovers() {
        let target = 0.999;
        let history = TICKS_PER_DAY;
        let mut counts = RollingCounts::clean_history(history, TICKS_PER_DAY, 1000);
        let mut alerting = Alerting::new(default_rules(28));
        let mut events = Vec::new();
        for tick in 0..TICKS_PER_DAY {
            // An hour-long outage of 5 % errors (burn 50) starting at 01:00.
            let bad = if (TICKS_PER_HOUR..2 * TICKS_PER_HOUR).contains(&tick) {
                50
            } else {
                0
            };
            counts.push(1000 - bad, 1000);
            events.extend(alerting.evaluate(tick, &counts, target));
        }
        let page: Vec<_> = events.iter().filter(|e| e.rule == 0).collect();
        assert_eq!(page.len(), 2, "{page:?}");
        assert_eq!(page[0].kind, AlertEventKind::Fired);
        assert!(page[0].night, "01:00 is night");
        assert_eq!(page[1].kind, AlertEventKind::Resolved);
        // The 5-minute window's burn drops under 13.44 within 5 minutes of the end, then
        // stays there for another 5 minutes before the page resolves.
        let resolved_after = page[1].tick - 2 * TICKS_PER_HOUR;
        assert!(
            resolved_after <= 10 * TICKS_PER_MINUTE,
            "{resolved_after} ticks"
        );
        assert!(
            resolved_after >= 5 * TICKS_PER_MINUTE,
            "{resolved_after} ticks"
        );
        assert_eq!(alerting.firing().count(), 0);
    }
}
