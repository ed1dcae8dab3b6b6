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
#[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
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
/// history, so a 28-day window is full from the first tick of the run. The history repeats
/// (a calm day, or a calm week where the traffic has a weekly pattern, again and again), so
/// it is kept as one period's running totals and read in closed form: its cost is a
/// period's numbers, not the window's ticks.
#[derive(Debug, Clone)]
pub struct RollingCounts {
    history: History,
    /// (good, valid) in the whole history: added to every run total.
    history_total: (u64, u64),
    /// `valid_total[i]` = valid events in the run's ticks before tick i.
    valid_total: Vec<u64>,
    good_total: Vec<u64>,
}

/// The window's history before the run: valid events that repeat with a period (a day or a
/// week of ticks), of which a fixed share was bad.
#[derive(Debug, Clone)]
struct History {
    ticks: u32,
    /// `period_total[i]` = valid events in the period's slots before slot i; its last entry
    /// is the whole period's.
    period_total: Vec<u64>,
    /// The slot of the period the history's first tick falls in.
    first: usize,
    /// Share of valid events that were bad, in [0, 1].
    bad_share: f64,
}

impl History {
    /// (good, valid) in the history's first `ticks` ticks. Bad events are the share of the
    /// valid ones rounded down, over the whole stretch: the same as carrying each tick's
    /// fraction of a bad event to the next (rounding each tick would leave it spotless).
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    fn before(&self, ticks: u32) -> (u64, u64) {
        let period = self.period_total.len() - 1;
        let total = self.period_total[period];
        let (whole, rest) = (ticks as usize / period, ticks as usize % period);
        let end = self.first + rest;
        let partial = if end <= period {
            self.period_total[end] - self.period_total[self.first]
        } else {
            total - self.period_total[self.first] + self.period_total[end - period]
        };
        let valid = whole as u64 * total + partial;
        let bad = (crate::math::floor(valid as f64 * self.bad_share) as u64).min(valid);
        (valid - bad, valid)
    }
}

/// The end of windows at one tick (see [`RollingCounts::window_end`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WindowEnd {
    /// The slot after the window's last tick.
    slot: usize,
    /// Good and valid events in all slots before it.
    good: u64,
    valid: u64,
}

impl RollingCounts {
    /// A window whose `history_ticks` before the run repeat `period` (valid events per tick;
    /// the history's first tick is slot `first` of it), with `bad_share` of them bad; room
    /// for `run_ticks` ticks of the run. An empty period is a history with no events.
    pub fn with_history(
        history_ticks: u32,
        run_ticks: u32,
        period: &[u64],
        first: usize,
        bad_share: f64,
    ) -> Self {
        let mut period_total = Vec::with_capacity(period.len() + 1);
        period_total.push(0);
        for valid in if period.is_empty() { &[0][..] } else { period } {
            period_total.push(period_total[period_total.len() - 1] + valid);
        }
        let history = History {
            ticks: history_ticks,
            first: first % (period_total.len() - 1),
            period_total,
            // A NaN share counts nothing bad, never a NaN count.
            bad_share: if bad_share.is_nan() {
                0.0
            } else {
                bad_share.clamp(0.0, 1.0)
            },
        };
        let capacity = run_ticks as usize + 1;
        let mut valid_total = Vec::with_capacity(capacity);
        let mut good_total = Vec::with_capacity(capacity);
        valid_total.push(0);
        good_total.push(0);
        Self {
            history_total: history.before(history_ticks),
            history,
            valid_total,
            good_total,
        }
    }

    /// A window whose history is `history_ticks` ticks of `valid` events each, all good.
    pub fn clean_history(history_ticks: u32, run_ticks: u32, valid: u64) -> Self {
        Self::with_history(history_ticks, run_ticks, &[valid], 0, 0.0)
    }

    /// Appends the next run tick's counts.
    pub fn push(&mut self, good: u64, valid: u64) {
        let last = self.valid_total.len() - 1;
        self.valid_total.push(self.valid_total[last] + valid);
        self.good_total
            .push(self.good_total[last] + good.min(valid));
    }

    /// Number of run ticks recorded so far.
    pub fn run_ticks(&self) -> u32 {
        (self.valid_total.len() - 1) as u32
    }

    /// (good, valid) in all slots before `slot` (slot 0 = the oldest tick of the history;
    /// the run's tick t is slot `history_ticks` + t).
    #[inline(always)] // on the tick's hot path: see "Speed in the page" in docs/architecture.md
    fn before(&self, slot: usize) -> (u64, u64) {
        let history = self.history.ticks as usize;
        if slot <= history {
            self.history.before(slot as u32)
        } else {
            let (good, valid) = self.history_total;
            (
                good + self.good_total[slot - history],
                valid + self.valid_total[slot - history],
            )
        }
    }

    /// (good, valid) over the last `window` ticks up to and including run tick `now`
    /// (history included where the window reaches back before the run).
    pub fn window(&self, now: Tick, window: u32) -> (u64, u64) {
        self.window_back(self.window_end(now), window)
    }

    /// Where windows ending at run tick `now` end: its slot and the totals before it. Alerts
    /// ask for several windows per tick, all ending there; found once, each window is then
    /// one look-up ([`Self::window_back`]) instead of two.
    #[inline(always)]
    pub(crate) fn window_end(&self, now: Tick) -> WindowEnd {
        let history = self.history.ticks as usize;
        let slot = (history + now as usize + 1).min(history + self.valid_total.len() - 1);
        let (good, valid) = self.before(slot);
        WindowEnd { slot, good, valid }
    }

    /// (good, valid) over the last `window` ticks up to `end`.
    #[inline(always)]
    pub(crate) fn window_back(&self, end: WindowEnd, window: u32) -> (u64, u64) {
        let (good_start, valid_start) = self.before(end.slot.saturating_sub(window as usize));
        (end.good - good_start, end.valid - valid_start)
    }

    /// (good, valid) over the run's own ticks (history left out).
    pub fn run_totals(&self) -> (u64, u64) {
        let last = self.valid_total.len() - 1;
        (self.good_total[last], self.valid_total[last])
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
        let mut counts = RollingCounts::clean_history(3, 4, 10); // 3 clean slots
        counts.push(5, 10); // run tick 0
        counts.push(0, 10); // run tick 1
        assert_eq!(counts.run_ticks(), 2);
        assert_eq!(counts.window(1, 2), (5, 20));
        assert_eq!(counts.window(1, 3), (15, 30));
        assert_eq!(counts.window(0, 100), (35, 40));
    }

    #[test]
    fn a_repeating_history_reads_as_if_each_tick_were_kept() {
        // A period of 3 ticks (1, 2, 3 valid events), starting at its slot 2, a third bad,
        // over 7 ticks of history: 3 | 1 2 3 | 1 2 3 is valid 15 in all, bad ⌊15 / 3⌋ = 5.
        let counts = RollingCounts::with_history(7, 0, &[1, 2, 3], 2, 1.0 / 3.0);
        let expected_valid = [3, 1, 2, 3, 1, 2, 3];
        let mut carried = 0.0;
        let mut bad_so_far = 0;
        for (ticks, _) in expected_valid.iter().enumerate() {
            let valid: u64 = expected_valid[..=ticks].iter().sum();
            carried += expected_valid[ticks] as f64 / 3.0;
            bad_so_far += carried.floor() as u64;
            carried -= carried.floor();
            let (good, read) = counts.history.before(ticks as u32 + 1);
            assert_eq!(read, valid, "{ticks}");
            assert_eq!(read - good, bad_so_far, "{ticks}");
        }
        assert_eq!(
            counts.window(0, 100),
            (10, 15),
            "nothing run yet: the history"
        );
        // A NaN share counts nothing bad, an empty period nothing at all.
        assert_eq!(
            RollingCounts::with_history(5, 0, &[4], 0, f64::NAN).history_total,
            (20, 20)
        );
        assert_eq!(
            RollingCounts::with_history(5, 0, &[], 0, 0.5).history_total,
            (0, 0)
        );
    }

    #[test]
    fn a_day_kept_once_reads_as_the_same_day_kept_seven_times() {
        // The engine keeps a day's history when the traffic repeats daily, a week's when not:
        // the same history kept either way gives every window the same numbers.
        let day: Vec<u64> = (0..12).map(|t| 100 + (t * 37) % 11).collect();
        let week = day.repeat(7);
        let (history, run) = (30, 20);
        let first_day = (-30_i64).rem_euclid(12) as usize;
        let first_week = (-30_i64).rem_euclid(84) as usize;
        let mut by_day = RollingCounts::with_history(history, run, &day, first_day, 0.013);
        let mut by_week = RollingCounts::with_history(history, run, &week, first_week, 0.013);
        assert_eq!(by_day.history_total, by_week.history_total);
        for tick in 0..run {
            by_day.push(90, 95 + u64::from(tick % 3));
            by_week.push(90, 95 + u64::from(tick % 3));
            for window in [1, 5, 12, 29, 30, 31, 49, 50, 80] {
                assert_eq!(by_day.window(tick, window), by_week.window(tick, window));
            }
        }
    }
}
