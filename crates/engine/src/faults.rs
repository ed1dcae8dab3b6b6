//! Faults: things that go wrong in production, scheduled by the scenario or drawn from its
//! seed. The whole schedule is fixed when a run starts, from the seed alone, so two runs
//! with the same seed meet the same faults whatever the players do (common random numbers).

use rand::Rng;
use rand_distr::{Distribution, Poisson};
use serde::Serialize;

use crate::clock::{Tick, TICKS_PER_DAY, TICKS_PER_MINUTE};
use crate::rng::{Process, Stream};
use crate::scenario::Scenario;
pub use crate::scenario::{parse_time_of_day, FaultKind, FaultSpec, RandomFaults};

/// A fault placed in the run's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fault {
    pub kind: FaultKind,
    /// Index of the service it hits (None for a traffic surge).
    pub service: Option<usize>,
    pub start: Tick,
    /// Length, ticks.
    pub ticks: u32,
    pub magnitude: f64,
}

impl Fault {
    pub fn end(&self) -> Tick {
        self.start.saturating_add(self.ticks)
    }

    pub fn is_active(&self, tick: Tick) -> bool {
        (self.start..self.end()).contains(&tick)
    }

    /// How far along it is at `tick`, 0–1.
    pub fn progress(&self, tick: Tick) -> f64 {
        f64::from(tick.saturating_sub(self.start)) / f64::from(self.ticks.max(1))
    }
}

/// The run's whole fault schedule, sorted by start: the scenario's own faults, then those
/// drawn from the seed (a Poisson number per day, each at a uniform time, kind and service).
pub fn schedule(scenario: &Scenario, seed: u64) -> Vec<Fault> {
    let names = |name: &Option<crate::scenario::Spanned<String>>| {
        name.as_ref().and_then(|n| {
            scenario
                .services
                .iter()
                .position(|s| s.name.get_ref() == n.get_ref())
        })
    };
    let mut faults: Vec<Fault> = scenario
        .faults
        .iter()
        .map(|spec| {
            let minute = parse_time_of_day(spec.at.get_ref()).unwrap_or(0);
            let minutes = spec
                .duration_minutes
                .map_or(spec.kind.default_minutes(), |m| m.0);
            Fault {
                kind: spec.kind,
                service: names(&spec.service),
                start: (spec.day.get_ref().0 - 1) * TICKS_PER_DAY + minute * TICKS_PER_MINUTE,
                ticks: minutes * TICKS_PER_MINUTE,
                magnitude: spec
                    .magnitude
                    .map_or(spec.kind.default_magnitude(), |m| m.0),
            }
        })
        .collect();
    if let Some(random) = &scenario.random_faults {
        let kinds: &[FaultKind] = if random.kinds.is_empty() {
            &FaultKind::ALL
        } else {
            &random.kinds
        };
        let stream = Stream::new(seed, Process::Faults);
        let per_day = random.per_week.0 / 7.0;
        for day in 0..scenario.days.0 {
            let mut rng = stream.at(u64::from(day));
            let count = Poisson::new(per_day).map_or(0.0, |p| p.sample(&mut rng)) as u32;
            for _ in 0..count {
                let kind = kinds[rng.random_range(0..kinds.len())];
                let service = kind
                    .needs_service()
                    .then(|| rng.random_range(0..scenario.services.len()));
                faults.push(Fault {
                    kind,
                    service,
                    start: day * TICKS_PER_DAY + rng.random_range(0..TICKS_PER_DAY),
                    ticks: kind.default_minutes() * TICKS_PER_MINUTE,
                    magnitude: kind.default_magnitude(),
                });
            }
        }
    }
    crate::order::sort_by_key(&mut faults, |f| (f.start, f.kind));
    faults
}

/// What the faults active at one tick do to each service and to traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// Replicas out of service, per service.
    pub lost_replicas: Vec<u32>,
    /// Service-time multiplier, per service.
    pub slowdown: Vec<f64>,
    /// Extra share of requests failing, per service.
    pub error_ratio: Vec<f64>,
    /// Traffic multiplier.
    pub traffic: f64,
}

impl Effects {
    pub fn none(services: usize) -> Self {
        Self {
            lost_replicas: vec![0; services],
            slowdown: vec![1.0; services],
            error_ratio: vec![0.0; services],
            traffic: 1.0,
        }
    }

    /// Adds one active fault's effect at `tick`, for a service running `replicas`.
    pub fn add(&mut self, fault: &Fault, tick: Tick, replicas: &[u32]) {
        let Some(s) = fault.service else {
            if fault.kind == FaultKind::TrafficSurge {
                self.traffic *= fault.magnitude;
            }
            return;
        };
        let progress = fault.progress(tick);
        match fault.kind {
            FaultKind::InstanceCrash => self.lost_replicas[s] += 1,
            FaultKind::ZoneLoss => {
                let lost = crate::math::ceil(f64::from(replicas[s]) * fault.magnitude.min(1.0));
                self.lost_replicas[s] += lost as u32;
            }
            FaultKind::DependencyOutage | FaultKind::CertificateExpiry => {
                self.error_ratio[s] = 1.0;
            }
            FaultKind::DependencySlowdown => self.slowdown[s] *= fault.magnitude,
            FaultKind::TrafficSurge => self.traffic *= fault.magnitude,
            FaultKind::DiskFull => {
                self.error_ratio[s] += fault.magnitude.min(1.0) * progress;
            }
            FaultKind::BadConfigPush => self.error_ratio[s] += fault.magnitude.min(1.0),
            FaultKind::MemoryLeak => self.slowdown[s] *= 1.0 + fault.magnitude * progress,
        }
    }
}

/// What the event log says when a fault starts.
pub fn describe_start(fault: &Fault, service: Option<&str>) -> String {
    let name = service.unwrap_or("users");
    let minutes = fault.ticks / TICKS_PER_MINUTE;
    match fault.kind {
        FaultKind::InstanceCrash => format!("Fault: a replica of {name} crashed; it restarts in {minutes} min"),
        FaultKind::ZoneLoss => format!(
            "Fault: a zone went dark; {name} lost {:.0} % of its replicas for {minutes} min",
            fault.magnitude.min(1.0) * 100.0
        ),
        FaultKind::DependencyOutage => format!("Fault: {name} is down (every request fails) for {minutes} min"),
        FaultKind::DependencySlowdown => format!(
            "Fault: {name} slowed down: its work takes {:.1}× longer for {minutes} min",
            fault.magnitude
        ),
        FaultKind::TrafficSurge => format!(
            "Fault: traffic surge, {:.1}× the usual users for {minutes} min",
            fault.magnitude
        ),
        FaultKind::CertificateExpiry => format!(
            "Fault: {name}'s TLS certificate expired; every call fails until it is renewed ({minutes} min)"
        ),
        FaultKind::DiskFull => format!("Fault: {name}'s disk is filling up; writes start failing"),
        FaultKind::BadConfigPush => format!(
            "Fault: a bad config push to {name} fails {:.0} % of requests for {minutes} min",
            fault.magnitude.min(1.0) * 100.0
        ),
        FaultKind::MemoryLeak => format!("Fault: {name} leaks memory; it gets slower until it crashes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_parse_strictly() {
        assert_eq!(parse_time_of_day("14:30"), Some(870));
        assert_eq!(parse_time_of_day("00:00"), Some(0));
        for bad in ["24:00", "9:30", "12:60", "noon", "12-30", ""] {
            assert_eq!(parse_time_of_day(bad), None, "{bad}");
        }
    }
}
