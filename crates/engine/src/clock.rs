//! Simulated time: integer ticks of fixed length, and how a tick reads on a clock.
//!
//! Time is never a float: comparing ticks is exact, and a tick count is the same on every
//! platform. The shell (app or CLI) decides how fast ticks pass in real time.

use serde::Serialize;

/// Seconds of simulated time in one tick. Thirty seconds is a common interval at which
/// Prometheus evaluates recording and alerting rules, so the simulated monitoring sees what a
/// real one would; it keeps a 28-day month at 80,640 ticks (a third of the work of 10-second
/// ticks, with the same totals: see the Performance section of the README) while the
/// shortest burn-rate window (5 minutes) still spans 10.
pub const TICK_SECONDS: u32 = 30;

/// [`TICK_SECONDS`] as the page and the CLI write it ("the worst 30 s"); a test keeps the two
/// in step.
pub const TICK_LABEL: &str = "30 s";

/// Ticks in one simulated minute, hour and day.
pub const TICKS_PER_MINUTE: u32 = 60 / TICK_SECONDS;
pub const TICKS_PER_HOUR: u32 = 60 * TICKS_PER_MINUTE;
pub const TICKS_PER_DAY: u32 = 24 * TICKS_PER_HOUR;

/// A point in simulated time. Tick 0 is Monday of week 1 at 00:00.
pub type Tick = u32;

/// Converts a duration in simulated seconds to whole ticks (rounding down, at least 1).
pub fn ticks_from_seconds(seconds: u64) -> u32 {
    let ticks = seconds / u64::from(TICK_SECONDS);
    u32::try_from(ticks).unwrap_or(u32::MAX).max(1)
}

/// Reads a time of day written "HH:MM" (two digits each, 00:00 to 23:59) into hours and
/// minutes. The one reader of times in scenario files (faults' `at`, guidance's "day 2
/// 10:00"), and a strict one: no signs, no spaces, no single digits.
pub fn parse_hh_mm(text: &str) -> Option<(u32, u32)> {
    let (hours, minutes) = text.split_once(':')?;
    let two_digits = |part: &str| {
        (part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (hours, minutes) = (two_digits(hours)?, two_digits(minutes)?);
    (hours < 24 && minutes < 60).then_some((hours, minutes))
}

/// Reads a whole number written in plain digits (no sign), as a day of the run.
pub fn parse_digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// What a clock on the wall of the simulated office shows at a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockTime {
    /// Day of the run, starting at 1.
    pub day: u32,
    /// Hour of the day, 0–23.
    pub hour: u32,
    /// Minute of the hour, 0–59.
    pub minute: u32,
}

impl ClockTime {
    pub fn at(tick: Tick) -> Self {
        let day = tick / TICKS_PER_DAY + 1;
        let in_day = tick % TICKS_PER_DAY;
        Self {
            day,
            hour: in_day / TICKS_PER_HOUR,
            minute: (in_day % TICKS_PER_HOUR) / TICKS_PER_MINUTE,
        }
    }

    /// Name of the weekday: the run starts on a Monday.
    pub fn weekday(&self) -> &'static str {
        const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        NAMES[((self.day - 1) % 7) as usize]
    }

    /// Hour of the day as a fraction, e.g. 14.5 for 14:30.
    pub fn hour_of_day(tick: Tick) -> f64 {
        f64::from(tick % TICKS_PER_DAY) / f64::from(TICKS_PER_HOUR)
    }
}

/// A window as rule names and Prometheus write it: 5m, 2h, 1d, 90m.
pub fn minutes_label(minutes: u32) -> String {
    if minutes % (24 * 60) == 0 {
        format!("{}d", minutes / (24 * 60))
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Day {} ({}) · {:02}:{:02}",
            self.day,
            self.weekday(),
            self.hour,
            self.minute
        )
    }
}

/// Formats a duration in seconds the way people read budgets: "3d 4h", "43m 12s", "26s".
pub fn format_duration(seconds: f64) -> String {
    let negative = seconds < 0.0;
    let total = crate::math::round(seconds.abs()) as u64;
    let (d, h, m, s) = (
        total / 86_400,
        (total % 86_400) / 3_600,
        (total % 3_600) / 60,
        total % 60,
    );
    let text = if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    };
    if negative {
        format!("−{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tick_label_names_the_tick_length() {
        assert_eq!(TICK_LABEL, format!("{TICK_SECONDS} s"));
    }

    #[test]
    fn clock_reads_day_and_time() {
        assert_eq!(ClockTime::at(0).to_string(), "Day 1 (Mon) · 00:00");
        let t = TICKS_PER_DAY + 14 * TICKS_PER_HOUR + 5 * TICKS_PER_MINUTE;
        assert_eq!(ClockTime::at(t).to_string(), "Day 2 (Tue) · 14:05");
        assert_eq!(ClockTime::at(7 * TICKS_PER_DAY).weekday(), "Mon");
    }

    #[test]
    fn durations_read_like_the_workbook() {
        // DOMAIN.md: 99.9 % over 30 days allows 43 m 12 s of full outage.
        assert_eq!(format_duration(43.0 * 60.0 + 12.0), "43m 12s");
        assert_eq!(format_duration(7.0 * 3600.0 + 12.0 * 60.0), "7h 12m");
        assert_eq!(format_duration(26.0), "26s");
        assert_eq!(format_duration(-90.0), "−1m 30s");
        assert_eq!(format_duration(3.0 * 86_400.0 + 4.0 * 3600.0), "3d 4h");
    }
}
