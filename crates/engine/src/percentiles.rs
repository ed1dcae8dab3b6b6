//! Run-long latency percentiles from per-tick distributions.
//!
//! Each tick's latency is a Gamma distribution ([`crate::latency`]); a run's latency is the
//! mixture of all of them, weighted by requests. Instead of keeping every tick, each adds
//! its distribution at fixed probability points (denser in the tail) to a log-spaced
//! histogram with 16 buckets per doubling, so a percentile read from it is within about 3 %
//! of the mixture's (the width of a bucket).

use serde::Serialize;

use crate::latency::{Latency, QuantileTable};

/// Probability points a tick's distribution is sampled at, and the share of requests each
/// stands for: 10 points over the lowest 90 %, 9 over the next 9 %, 5 over the top 1 %.
pub const HISTOGRAM_POINTS: [(f64, f64); 24] = {
    let mut points = [(0.0, 0.0); 24];
    let mut i = 0;
    while i < 10 {
        points[i] = ((i as f64 + 0.5) * 0.09, 0.09);
        i += 1;
    }
    while i < 19 {
        points[i] = (0.9 + ((i - 10) as f64 + 0.5) * 0.01, 0.01);
        i += 1;
    }
    while i < 24 {
        points[i] = (0.99 + ((i - 19) as f64 + 0.5) * 0.002, 0.002);
        i += 1;
    }
    points
};

/// Smallest and largest latency kept apart, as powers of two of a second (1 µs, 4096 s).
const MIN_EXPONENT: i32 = -20;
const MAX_EXPONENT: i32 = 11;
/// Buckets per doubling: 2^(mantissa bits used).
const SUB_BITS: u32 = 4;
const BUCKETS: usize = ((MAX_EXPONENT - MIN_EXPONENT + 1) as usize) << SUB_BITS;

/// A request-weighted latency histogram.
#[derive(Debug, Clone, Default)]
pub struct LatencyHistogram {
    buckets: Vec<f64>,
    requests: f64,
    /// Σ requests × mean latency, request·seconds.
    weighted_sum: f64,
}

impl LatencyHistogram {
    /// Adds `requests` requests whose latency follows `latency`.
    pub fn add(&mut self, table: &QuantileTable<24>, latency: &Latency, requests: f64) {
        if requests <= 0.0 {
            return;
        }
        if self.buckets.is_empty() {
            self.buckets = vec![0.0; BUCKETS];
        }
        self.requests += requests;
        self.weighted_sum += requests * latency.mean;
        for (value, (_, weight)) in table.quantiles(latency).iter().zip(&HISTOGRAM_POINTS) {
            self.buckets[bucket(*value)] += weight * requests;
        }
    }

    /// Requests added.
    pub fn requests(&self) -> f64 {
        self.requests
    }

    /// Mean latency, seconds (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.requests > 0.0 {
            self.weighted_sum / self.requests
        } else {
            0.0
        }
    }

    /// The `p` quantile, seconds (0 when empty). Each bucket's requests sit at its middle,
    /// at the middle of their cumulative share; between two buckets the quantile is
    /// interpolated on that share (the points a tick adds sit at the middles of the
    /// shares they stand for, so a single tick's quantiles come back closely).
    pub fn quantile(&self, p: f64) -> f64 {
        let goal = p * self.requests;
        let mut seen = 0.0;
        let mut previous: Option<(f64, f64)> = None;
        for (index, &count) in self.buckets.iter().enumerate() {
            if count <= 0.0 {
                continue;
            }
            let value = (lower_bound(index) + lower_bound(index + 1)) / 2.0;
            let middle = seen + count / 2.0;
            if middle >= goal {
                return match previous {
                    Some((before, before_value)) if middle > before => {
                        let t = (goal - before) / (middle - before);
                        before_value + t * (value - before_value)
                    }
                    _ => value,
                };
            }
            previous = Some((middle, value));
            seen += count;
        }
        previous.map_or(0.0, |(_, value)| value)
    }
}

/// Bucket of a latency in seconds, from the bits of the float (no logarithm needed).
fn bucket(seconds: f64) -> usize {
    let low = lower_bound(0);
    let clamped = seconds.clamp(low, lower_bound(BUCKETS) * 0.999_999);
    let bits = clamped.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023;
    let sub = ((bits >> (52 - SUB_BITS)) & ((1 << SUB_BITS) - 1)) as usize;
    (((exponent - MIN_EXPONENT) as usize) << SUB_BITS) + sub
}

/// Smallest latency, seconds, that falls in bucket `index`.
fn lower_bound(index: usize) -> f64 {
    let exponent = MIN_EXPONENT + (index >> SUB_BITS) as i32;
    let sub = (index & ((1 << SUB_BITS) - 1)) as f64;
    let octave = f64::from_bits(((exponent + 1023) as u64) << 52);
    octave * (1.0 + sub / f64::from(1u32 << SUB_BITS))
}

/// Latency over a run, milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

impl LatencySummary {
    pub fn of(histogram: &LatencyHistogram) -> Self {
        let ms = |seconds: f64| seconds * 1000.0;
        Self {
            mean: ms(histogram.mean()),
            p50: ms(histogram.quantile(0.5)),
            p90: ms(histogram.quantile(0.9)),
            p99: ms(histogram.quantile(0.99)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_the_range_in_order() {
        assert_eq!(bucket(lower_bound(37)), 37);
        assert_eq!(bucket(lower_bound(37) * 1.01), 37);
        assert_eq!(bucket(1e-9), 0);
        assert_eq!(bucket(1e9), BUCKETS - 1);
        let weights: f64 = HISTOGRAM_POINTS.iter().map(|(_, w)| w).sum();
        assert!((weights - 1.0).abs() < 1e-12);
    }

    #[test]
    fn percentiles_of_an_exponential_are_close_to_the_formula() {
        let table =
            QuantileTable::new(HISTOGRAM_POINTS.map(|(p, _)| p)).expect("probabilities in (0, 1)");
        let mut histogram = LatencyHistogram::default();
        // Exponential with mean 50 ms: p50 = 34.7 ms, p90 = 115 ms, p99 = 230 ms.
        let latency = Latency {
            mean: 0.05,
            variance: 0.0025,
        };
        histogram.add(&table, &latency, 1000.0);
        assert!((histogram.mean() - 0.05).abs() < 1e-12);
        for (p, want) in [(0.5, 0.034_657), (0.9, 0.115_129), (0.99, 0.230_259)] {
            let got = histogram.quantile(p);
            assert!((got / want - 1.0).abs() < 0.08, "p{p}: {got} vs {want}");
        }
    }
}
