//! How numbers read on screen: percentages with enough digits to see a 99.9 % SLO move.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_burn_rates_read_well() {
        assert_eq!(percent(0.99912, 2), "99.91 %");
        assert_eq!(percent(-0.5, 1), "-50.0 %");
        assert_eq!(burn(14.4), "14.4×");
        assert_eq!(burn(1234.0), "1234×");
    }
}
