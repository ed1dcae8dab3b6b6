//! Open-loop traffic: how many requests arrive, whatever the service does with them.
//!
//! The expected rate follows a daily wave and a steady growth; the count in each tick is a
//! Poisson draw around it, from the traffic stream alone, so player actions never change
//! the traffic a run faces (common random numbers).

use std::rc::Rc;

use rand_distr::{Distribution, Poisson, StandardNormal};

use crate::clock::{TICKS_PER_DAY, TICK_SECONDS};
use crate::math;
use crate::rng::TickRng;
use crate::scenario::TrafficSpec;

/// Expected arrival rate, requests per second, at a tick relative to the run's start
/// (negative ticks are the SLO window's history before the run, at base level).
pub fn expected_rps(spec: &TrafficSpec, tick: i64) -> f64 {
    let wave = daily_wave(spec, tick.rem_euclid(i64::from(TICKS_PER_DAY)));
    Trend::of(spec).at(wave, tick)
}

/// The daily wave's factor at a tick of the day: 1 at the mean, 1 ± amplitude at the peak
/// and the trough.
fn daily_wave(spec: &TrafficSpec, tick_of_day: i64) -> f64 {
    let hour = tick_of_day as f64 * 24.0 / f64::from(TICKS_PER_DAY);
    let phase = 2.0 * math::PI * (hour - spec.peak_hour.0) / 24.0;
    1.0 + spec.diurnal_amplitude.0 * math::cos(phase)
}

/// What the rate does beyond the daily wave: its base, the day of the week, the growth.
#[derive(Debug, Clone, Copy)]
struct Trend {
    /// Requests per second at the wave's mean, on day 0.
    base_rps: f64,
    /// Factor per day of the week, Monday first.
    weekly: [f64; 7],
    /// Share of the base added per day of the run.
    growth_per_day: f64,
}

impl Trend {
    fn of(spec: &TrafficSpec) -> Self {
        Self {
            base_rps: spec.base_rps.0,
            weekly: spec.weekly.map_or([1.0; 7], |days| days.map(|d| d.0)),
            growth_per_day: spec.growth_per_day.0,
        }
    }

    /// The expected rate at `tick`, given the daily wave's factor there, requests per second.
    fn at(&self, wave: f64, tick: i64) -> f64 {
        let ticks_per_day = i64::from(TICKS_PER_DAY);
        let days_elapsed = tick.max(0) as f64 / ticks_per_day as f64;
        let growth = 1.0 + self.growth_per_day * days_elapsed;
        // Tick 0 is a Monday; history before the run follows the same week.
        let weekday = tick.div_euclid(ticks_per_day).rem_euclid(7) as usize;
        self.base_rps * wave * self.weekly[weekday] * growth
    }
}

/// [`expected_rps`] with the daily wave worked out once for each tick of the day: a run
/// asks every tick, and the cosine was a tenth of a tick's fixed cost. Same bits.
#[derive(Debug, Clone)]
pub struct ExpectedTraffic {
    trend: Trend,
    /// [`daily_wave`] at each tick of the day (shared by clones of a run).
    wave: Rc<[f64]>,
}

impl ExpectedTraffic {
    pub fn new(spec: &TrafficSpec) -> Self {
        Self {
            trend: Trend::of(spec),
            wave: (0..i64::from(TICKS_PER_DAY))
                .map(|t| daily_wave(spec, t))
                .collect(),
        }
    }

    /// Expected arrival rate at `tick`, requests per second, as [`expected_rps`].
    pub fn rps(&self, tick: i64) -> f64 {
        let wave = self.wave[tick.rem_euclid(i64::from(TICKS_PER_DAY)) as usize];
        self.trend.at(wave, tick)
    }

    /// Expected arrivals in the tick, requests.
    pub fn per_tick(&self, tick: i64) -> f64 {
        self.rps(tick) * f64::from(TICK_SECONDS)
    }

    /// Ticks after which the rate repeats when nothing grows (the SLO window's history
    /// before the run): a day when every day of the week has the same factor, else a week.
    pub fn period_without_growth(&self) -> u32 {
        let weekly = self.trend.weekly;
        if weekly.iter().all(|&day| day == weekly[0]) {
            TICKS_PER_DAY
        } else {
            7 * TICKS_PER_DAY
        }
    }
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
    Arrivals::default().sample(expected, rng)
}

/// [`arrivals`], keeping the last Poisson distribution set up: a steady rate asks for the
/// same one tick after tick, and setting it up costs two square roots and five divisions.
#[derive(Debug, Clone, Default)]
pub struct Arrivals {
    /// Bits of the expected count (requests) the distribution is for; `None` when it
    /// has none (a zero or non-finite rate: nothing arrives).
    last: Option<(u64, Option<Poisson<f64>>)>,
}

impl Arrivals {
    pub fn sample(&mut self, expected: f64, rng: &mut TickRng) -> u64 {
        let poisson = match self.last {
            Some((bits, poisson)) if bits == expected.to_bits() => poisson,
            _ => {
                let poisson = Poisson::new(expected).ok();
                self.last = Some((expected.to_bits(), poisson));
                poisson
            }
        };
        // Only a zero or non-finite rate has none: no requests arrive.
        poisson.map_or(0, |poisson| poisson.sample(rng) as u64)
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

    /// The tabulated wave gives `expected_rps`'s bits at every tick of a fortnight, the
    /// history before the run included.
    #[test]
    fn expected_traffic_is_expected_rps_bit_for_bit() {
        let mut s = spec(0.37, 0.05);
        s.peak_hour = HourOfDay(13.25);
        let table = ExpectedTraffic::new(&s);
        for tick in -i64::from(7 * TICKS_PER_DAY)..i64::from(7 * TICKS_PER_DAY) {
            assert_eq!(
                table.rps(tick).to_bits(),
                expected_rps(&s, tick).to_bits(),
                "{tick}"
            );
        }
    }

    #[test]
    fn history_repeats_daily_unless_the_days_of_the_week_differ() {
        let mut s = spec(0.37, 0.0);
        assert_eq!(
            ExpectedTraffic::new(&s).period_without_growth(),
            TICKS_PER_DAY
        );
        // The same factor every day is still a daily repeat; one day apart makes it weekly.
        s.weekly = Some([crate::scenario::NonNegative(0.8); 7]);
        assert_eq!(
            ExpectedTraffic::new(&s).period_without_growth(),
            TICKS_PER_DAY
        );
        let table = ExpectedTraffic::new(&s);
        let day = i64::from(TICKS_PER_DAY);
        for tick in -7 * day..0 {
            assert_eq!(
                table.rps(tick).to_bits(),
                table.rps(tick.rem_euclid(day) - day).to_bits()
            );
        }
        let mut weekend = [crate::scenario::NonNegative(1.0); 7];
        weekend[6] = crate::scenario::NonNegative(0.6);
        s.weekly = Some(weekend);
        assert_eq!(
            ExpectedTraffic::new(&s).period_without_growth(),
            7 * TICKS_PER_DAY
        );
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
