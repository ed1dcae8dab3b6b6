//! Service level objectives: SLI, error budget and burn rate, as the SRE Workbook defines them
//! (DOMAIN.md, "SLIs, SLOs, error budgets" and "Burn rate").
//!
//! The functions here are pure maths on event counts so they can be checked against the
//! workbook's worked examples; `RollingCounts` answers "how many good / valid events in the
//! last N ticks" in constant time so every window can be read on every tick.

use serde::Serialize;

use crate::clock::{Tick, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICK_SECONDS};

/// SLI = good events / valid events (DOMAIN.md). With no valid events nothing was promised,
/// so the SLI is 1 (perfect) rather than undefined.
pub fn sli(good: u64, valid: u64) -> f64 {
    if valid == 0 {
        1.0
    } else {
        good as f64 / valid as f64
    }
}

/// Error budget = (1 − target) × valid events: the bad events the SLO allows (DOMAIN.md:
/// 99.9 % over 1 M requests allows 1,000 failed requests).
pub fn allowed_bad_events(valid: u64, target: f64) -> f64 {
    (1.0 - target) * valid as f64
}

/// Share of the error budget still unspent: 1 − bad / allowed. Goes below zero when the SLO
/// is missed (the budget is overspent). With no valid events the budget is whole.
pub fn error_budget_remaining(good: u64, valid: u64, target: f64) -> f64 {
    let allowed = allowed_bad_events(valid, target);
    if allowed <= 0.0 {
        return 1.0;
    }
    1.0 - (valid - good.min(valid)) as f64 / allowed
}

/// Burn rate = observed error ratio / (1 − target). 1 spends exactly the budget in one SLO
/// window (DOMAIN.md).
pub fn burn_rate(good: u64, valid: u64, target: f64) -> f64 {
    if valid == 0 {
        return 0.0;
    }
    let error_ratio = (valid - good.min(valid)) as f64 / valid as f64;
    error_ratio / (1.0 - target)
}

/// Full-outage time the budget allows over a window, in seconds: (1 − target) × window.
/// DOMAIN.md: 99.9 % over 30 days → 43 m 12 s.
pub fn allowed_outage_seconds(target: f64, window_seconds: f64) -> f64 {
    (1.0 - target) * window_seconds
}

/// The burn-rate windows the product reads, shortest first (SRE Workbook ch. 5 table).
pub const BURN_WINDOWS: [BurnWindow; 7] = [
    BurnWindow::new("5m", 5 * TICKS_PER_MINUTE),
    BurnWindow::new("30m", 30 * TICKS_PER_MINUTE),
    BurnWindow::new("1h", TICKS_PER_HOUR),
    BurnWindow::new("2h", 2 * TICKS_PER_HOUR),
    BurnWindow::new("6h", 6 * TICKS_PER_HOUR),
    BurnWindow::new("1d", 24 * TICKS_PER_HOUR),
    BurnWindow::new("3d", 72 * TICKS_PER_HOUR),
];

/// A named look-back window for burn rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BurnWindow {
    pub label: &'static str,
    /// Length in ticks.
    pub ticks: u32,
}

impl BurnWindow {
    /// The windows readers ask for by name (the first, third, fifth and sixth of
    /// [`BURN_WINDOWS`]): a typed window, never a label looked up as text.
    pub const FIVE_MINUTES: BurnWindow = BURN_WINDOWS[0];
    pub const ONE_HOUR: BurnWindow = BURN_WINDOWS[2];
    pub const SIX_HOURS: BurnWindow = BURN_WINDOWS[4];
    pub const ONE_DAY: BurnWindow = BURN_WINDOWS[5];

    pub const fn new(label: &'static str, ticks: u32) -> Self {
        Self { label, ticks }
    }

    /// Length in simulated seconds.
    pub fn seconds(&self) -> u64 {
        u64::from(self.ticks) * u64::from(TICK_SECONDS)
    }
}

/// Good and valid event counts per tick, kept as running totals so any window's sums cost
/// two subtractions. Ticks before the run (`history_ticks` of them) hold the SLO window's
/// history, so a 28-day window is full from the first tick of the run.
#[derive(Debug, Clone)]
pub struct RollingCounts {
    history_ticks: u32,
    /// `valid_total[i]` = valid events in all slots before slot i (slot 0 = oldest history).
    valid_total: Vec<u64>,
    good_total: Vec<u64>,
}

impl RollingCounts {
    pub fn new(history_ticks: u32, run_ticks: u32) -> Self {
        let capacity = (history_ticks + run_ticks) as usize + 1;
        let mut valid_total = Vec::with_capacity(capacity);
        let mut good_total = Vec::with_capacity(capacity);
        valid_total.push(0);
        good_total.push(0);
        Self {
            history_ticks,
            valid_total,
            good_total,
        }
    }

    /// Appends the next slot's counts (history first, then each run tick in order).
    pub fn push(&mut self, good: u64, valid: u64) {
        let last = self.valid_total.len() - 1;
        self.valid_total.push(self.valid_total[last] + valid);
        self.good_total
            .push(self.good_total[last] + good.min(valid));
    }

    /// Number of run ticks recorded so far.
    pub fn run_ticks(&self) -> u32 {
        ((self.valid_total.len() - 1) as u32).saturating_sub(self.history_ticks)
    }

    /// (good, valid) over the last `window` ticks up to and including run tick `now`
    /// (history included where the window reaches back before the run).
    pub fn window(&self, now: Tick, window: u32) -> (u64, u64) {
        let end = (self.history_ticks + now + 1) as usize;
        let end = end.min(self.valid_total.len() - 1);
        let start = end.saturating_sub(window as usize);
        (
            self.good_total[end] - self.good_total[start],
            self.valid_total[end] - self.valid_total[start],
        )
    }

    /// (good, valid) over the run's own ticks (history left out).
    pub fn run_totals(&self) -> (u64, u64) {
        let start = (self.history_ticks as usize).min(self.valid_total.len() - 1);
        let end = self.valid_total.len() - 1;
        (
            self.good_total[end] - self.good_total[start],
            self.valid_total[end] - self.valid_total[start],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: f64 = 86_400.0;

    #[test]
    fn workbook_budget_example() {
        // DOMAIN.md: 99.9 % over 1 M requests allows 1,000 failed requests.
        assert!((allowed_bad_events(1_000_000, 0.999) - 1000.0).abs() < 1e-6);
        // 250 failures spend a quarter of it.
        let left = error_budget_remaining(1_000_000 - 250, 1_000_000, 0.999);
        assert!((left - 0.75).abs() < 1e-9, "{left}");
        // 2,000 failures overspend it by 100 %.
        let left = error_budget_remaining(1_000_000 - 2000, 1_000_000, 0.999);
        assert!((left + 1.0).abs() < 1e-9, "{left}");
    }

    #[test]
    fn allowed_outage_matches_workbook_table() {
        // DOMAIN.md: allowed full-outage time per 30 days.
        let cases = [
            (0.99, 7.0 * 3600.0 + 12.0 * 60.0),
            (0.999, 43.0 * 60.0 + 12.0),
            (0.9995, 21.0 * 60.0 + 36.0),
            (0.9999, 4.0 * 60.0 + 19.2),
            (0.99999, 25.92),
        ];
        for (target, expected) in cases {
            let got = allowed_outage_seconds(target, 30.0 * DAY);
            assert!(
                (got - expected).abs() < 0.01,
                "{target}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn burn_rate_and_time_to_exhaustion() {
        // Burn rate = error ratio / (1 − SLO). 0.2 % errors at 99.9 % burns at 2.
        assert!((burn_rate(998, 1000, 0.999) - 2.0).abs() < 1e-9);
        // DOMAIN.md at 99.9 % over 30 d: burn 2 → 15 d, burn 10 → 3 d, burn 1000 → 43 min.
        for (burn, days) in [(2.0, 15.0), (10.0, 3.0), (1000.0, 0.03)] {
            let exhausted_after = 30.0 * DAY / burn;
            assert!((exhausted_after - days * DAY).abs() < 0.001 * DAY, "{burn}");
        }
        assert_eq!(burn_rate(0, 0, 0.999), 0.0);
    }

    #[test]
    fn sli_of_nothing_is_perfect() {
        assert_eq!(sli(0, 0), 1.0);
        assert!((sli(999, 1000) - 0.999).abs() < 1e-12);
    }

    #[test]
    fn rolling_window_sums_include_history() {
        let mut counts = RollingCounts::new(3, 4);
        for _ in 0..3 {
            counts.push(10, 10); // history: 3 clean slots
        }
        counts.push(5, 10); // run tick 0
        counts.push(0, 10); // run tick 1
        assert_eq!(counts.run_ticks(), 2);
        assert_eq!(counts.window(1, 2), (5, 20));
        assert_eq!(counts.window(1, 3), (15, 30));
        assert_eq!(counts.window(0, 100), (35, 40));
    }
}
