//! How numbers read on screen: percentages with enough digits to see a 99.9 % SLO move.

#[cfg(test)]
use ops_dojo_engine::scorecard::METRICS;
use ops_dojo_engine::scorecard::{Metric, Unit};

/// A share (0–1) as a percentage with `digits` decimals, e.g. 0.99912 → "99.91 %".
pub fn percent(share: f64, digits: usize) -> String {
    format!("{:.*} %", digits, share * 100.0)
}

/// A burn rate, e.g. "14.4×"; tiny rates read as "0.0×" rather than scientific notation.
pub fn burn(rate: f64) -> String {
    if rate >= 100.0 {
        format!("{rate:.0}×")
    } else {
        format!("{rate:.1}×")
    }
}

/// A count with thousands separators: 1,234,567 (the engine's, so both say it alike).
pub use ops_dojo_engine::report::count;

/// A scorecard value in its unit: shares just under 100 % get three decimals (99.912 %), counts
/// keep a decimal only when they have one (a class median of 2.5 pages).
pub fn metric_value(metric: &Metric, value: f64) -> String {
    let number = |v: f64| {
        // A median of counts may fall halfway: a tenth matters for "2.5 pages", not for
        // "9,950,198.5 requests".
        if (v.fract() == 0.0 || v.abs() >= 1000.0) && v.abs() < 1e15 {
            count(v.abs().round() as u64)
        } else {
            format!("{v:.1}")
        }
    };
    match metric.unit {
        Unit::Share if (0.99..1.0).contains(&value) => percent(value, 3),
        Unit::Share => percent(value, 1),
        Unit::Count if value < 0.0 => format!("-{}", number(-value)),
        Unit::Count => number(value),
        Unit::Hours => format!("{value:.1} h"),
        Unit::Minutes => format!("{value:.0} min"),
        Unit::Points => format!("{} points", number(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_burn_rates_read_well() {
        assert_eq!(percent(0.99912, 2), "99.91 %");
        assert_eq!(percent(-0.5, 1), "-50.0 %");
        assert_eq!(burn(14.4), "14.4×");
        assert_eq!(burn(1234.0), "1234×");
        assert_eq!(count(77_746_793), "77,746,793");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        let by_id = |id: &str| *METRICS.iter().find(|m| m.id == id).expect("a metric");
        assert_eq!(metric_value(&by_id("slo_attainment"), 0.99912), "99.912 %");
        assert_eq!(metric_value(&by_id("budget_left"), -0.25), "-25.0 %");
        assert_eq!(metric_value(&by_id("change_failure_rate"), 1.0), "100.0 %");
        assert_eq!(metric_value(&by_id("pages"), 2.5), "2.5");
        assert_eq!(metric_value(&by_id("failed_requests"), 12345.0), "12,345");
        assert_eq!(
            metric_value(&by_id("failed_requests"), 9_950_198.5),
            "9,950,199"
        );
        assert_eq!(metric_value(&by_id("lead_time_median"), 3.3), "3.3 h");
        assert_eq!(metric_value(&by_id("feature_value"), 17.0), "17 points");
    }
}

/// A look-back window in ticks as the charts name it: "5 m", "6 h", "3 d".
pub fn window_words(ticks: u32) -> String {
    use ops_dojo_engine::clock::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE};
    if ticks % TICKS_PER_DAY == 0 {
        format!("{} d", ticks / TICKS_PER_DAY)
    } else if ticks % TICKS_PER_HOUR == 0 {
        format!("{} h", ticks / TICKS_PER_HOUR)
    } else {
        format!("{} m", ticks / TICKS_PER_MINUTE)
    }
}

/// A short span of time for plans and delays: "40 min", "1 h 30 min", "2 h".
pub fn span_minutes(minutes: f64) -> String {
    let total = minutes.round().max(0.0) as u64;
    match (total / 60, total % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod span_tests {
    use super::span_minutes;

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span_minutes(40.0), "40 min");
        assert_eq!(span_minutes(90.0), "1 h 30 min");
        assert_eq!(span_minutes(120.0), "2 h");
    }
}
