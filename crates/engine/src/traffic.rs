//! Open-loop traffic: how many requests arrive, whatever the service does with them.
//!
//! The expected rate follows a daily wave and a steady growth; the count in each tick is a
//! Poisson draw around it, from the traffic stream alone, so player actions never change
//! the traffic a run faces (common random numbers).

use rand_distr::{Distribution, Poisson, StandardNormal};

use crate::clock::{TICKS_PER_DAY, TICK_SECONDS};
use crate::math;
use crate::rng::TickRng;
use crate::scenario::TrafficSpec;

/// Expected arrival rate, requests per second, at a tick relative to the run's start
/// (negative ticks are the SLO window's history before the run, at base level).
pub fn expected_rps(spec: &TrafficSpec, tick: i64) -> f64 {
    let ticks_per_day = i64::from(TICKS_PER_DAY);
    let hour = tick.rem_euclid(ticks_per_day) as f64 * 24.0 / ticks_per_day as f64;
    let phase = 2.0 * math::PI * (hour - spec.peak_hour.0) / 24.0;
    let diurnal = 1.0 + spec.diurnal_amplitude.0 * math::cos(phase);
    let days_elapsed = tick.max(0) as f64 / ticks_per_day as f64;
    let growth = 1.0 + spec.growth_per_day.0 * days_elapsed;
    // Tick 0 is a Monday; history before the run follows the same week.
    let weekday = tick.div_euclid(ticks_per_day).rem_euclid(7) as usize;
    let weekly = spec.weekly.map_or(1.0, |days| days[weekday].0);
    spec.base_rps.0 * diurnal * weekly * growth
}

/// The hour's random wobble around the expected rate: a log-normal factor with mean 1 and
/// log-standard-deviation `spec.noise`, drawn once per simulated hour from its own stream.
pub fn noise_factor(spec: &TrafficSpec, rng: &mut TickRng) -> f64 {
    let sigma = spec.noise.0;
    if sigma == 0.0 {
        return 1.0;
    }
    let z: f64 = StandardNormal.sample(rng);
    math::exp(sigma * z - sigma * sigma / 2.0)
}

/// Expected arrivals in one tick.
pub fn expected_per_tick(spec: &TrafficSpec, tick: i64) -> f64 {
    expected_rps(spec, tick) * f64::from(TICK_SECONDS)
}

/// Requests arriving in a tick: Poisson around the expected count.
pub fn arrivals(expected: f64, rng: &mut TickRng) -> u64 {
    match Poisson::new(expected) {
        Ok(poisson) => poisson.sample(rng) as u64,
        // Only a zero or non-finite rate lands here: no requests arrive.
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::TICKS_PER_HOUR;
    use crate::scenario::{HourOfDay, Ratio};

    fn spec(amplitude: f64, growth: f64) -> TrafficSpec {
        TrafficSpec {
            diurnal_amplitude: Ratio(amplitude),
            peak_hour: HourOfDay(15.0),
            growth_per_day: Ratio(growth),
            ..crate::scenario::TrafficSpec::constant(100.0)
        }
    }

    #[test]
    fn daily_wave_peaks_at_the_peak_hour() {
        let s = spec(0.5, 0.0);
        let peak = expected_rps(&s, i64::from(15 * TICKS_PER_HOUR));
        let trough = expected_rps(&s, i64::from(3 * TICKS_PER_HOUR));
        assert!((peak - 150.0).abs() < 1e-9, "{peak}");
        assert!((trough - 50.0).abs() < 1e-9, "{trough}");
    }

    #[test]
    fn growth_adds_a_share_of_base_per_day() {
        let s = spec(0.0, 0.04);
        let day_five = expected_rps(&s, i64::from(5 * TICKS_PER_DAY));
        assert!((day_five - 120.0).abs() < 1e-9, "{day_five}");
        assert!((expected_rps(&s, -1000) - 100.0).abs() < 1e-9);
    }
}
