//! The backlog: features with their value and the defect each change may carry, drawn
//! from the seed.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::rng::{Process, Stream};
use crate::scenario::DeliverySpec;

/// What a defect does, each with its own signature on the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefectKind {
    /// A share of requests fail (availability dips, flat).
    ErrorRate,
    /// Every request on the new code waits on something slow (latency rises at any load).
    LatencyRegression,
    /// The new code slows as memory fills, until it crashes and restarts (a sawtooth).
    MemoryLeak,
    /// The new code needs more CPU per request (capacity drops; latency only near the peak).
    CapacityRegression,
    /// A bad configuration: many requests fail at once.
    ConfigOutage,
}

impl DefectKind {
    const ALL: [DefectKind; 5] = [
        DefectKind::ErrorRate,
        DefectKind::LatencyRegression,
        DefectKind::MemoryLeak,
        DefectKind::CapacityRegression,
        DefectKind::ConfigOutage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DefectKind::ErrorRate => "error-rate increase",
            DefectKind::LatencyRegression => "latency regression",
            DefectKind::MemoryLeak => "memory leak",
            DefectKind::CapacityRegression => "capacity regression",
            DefectKind::ConfigOutage => "config outage",
        }
    }
}

/// A defect a change carries; `severity` is from 0.5 to 1.5.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Defect {
    pub kind: DefectKind,
    pub severity: f64,
}

/// Hours a leaking process takes to run out of memory, at full exposure.
pub const LEAK_HOURS: f64 = 8.0;
/// Extra latency a latency regression adds to each request it touches, seconds (× severity).
const REGRESSION_SECONDS: f64 = 0.2;
/// Service-time growth of a capacity regression (× severity): 1.17–1.52×.
const CAPACITY_REGRESSION: f64 = 0.35;
/// Share of requests a config outage fails (× severity), on the code it reaches.
const CONFIG_OUTAGE_ERRORS: f64 = 0.5;
/// Service-time growth of a leak just before it runs out of memory (× severity).
const LEAK_SLOWDOWN: f64 = 2.0;

impl Defect {
    /// Extra share of the new code's requests that fail.
    pub fn error_ratio(&self, typical: f64) -> f64 {
        match self.kind {
            DefectKind::ErrorRate => (typical * self.severity).min(1.0),
            DefectKind::ConfigOutage => (CONFIG_OUTAGE_ERRORS * self.severity).min(1.0),
            _ => 0.0,
        }
    }

    /// Service-time multiplier on the new code, `hours_running` after it went live.
    pub fn slowdown(&self, hours_running: f64) -> f64 {
        match self.kind {
            DefectKind::CapacityRegression => 1.0 + CAPACITY_REGRESSION * self.severity,
            DefectKind::MemoryLeak => {
                1.0 + LEAK_SLOWDOWN * self.severity * (hours_running / LEAK_HOURS).min(1.0)
            }
            _ => 1.0,
        }
    }

    /// Seconds added to each request on the new code.
    pub fn added_seconds(&self) -> f64 {
        match self.kind {
            DefectKind::LatencyRegression => REGRESSION_SECONDS * self.severity,
            _ => 0.0,
        }
    }
}

/// One item of the backlog. Its risk and defect are fixed by the seed; testing lowers the
/// chance the defect reaches production.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feature {
    /// 1-based.
    pub number: u32,
    pub name: String,
    /// Business value, points.
    pub value: u32,
    /// Engineer-hours to build it.
    pub effort_hours: f64,
    /// This feature's defect chance relative to the scenario's (0.5–1.5).
    pub risk: f64,
    /// The draw the defect chance is compared with (fixed per feature).
    draw: f64,
    kind: DefectKind,
    severity: f64,
}

impl Feature {
    /// Chance it carries its defect into production, for a scenario chance and a test
    /// factor (1 = no extra tests; lower with test investment).
    pub fn defect_chance(&self, base: f64, test_factor: f64) -> f64 {
        (base * self.risk * test_factor).min(1.0)
    }

    /// The defect it ships with, if any: the same draw decides for every test level, so
    /// investing in tests only ever removes defects.
    pub fn defect(&self, base: f64, test_factor: f64) -> Option<Defect> {
        (self.draw < self.defect_chance(base, test_factor)).then_some(Defect {
            kind: self.kind,
            severity: self.severity,
        })
    }
}

const FEATURE_NAMES: [&str; 24] = [
    "Gift cards",
    "Saved carts",
    "One-click reorder",
    "Wish lists",
    "Product reviews",
    "Live stock badges",
    "Express checkout",
    "Address autocomplete",
    "Dark mode",
    "Order tracking",
    "Loyalty points",
    "Search suggestions",
    "Bundle offers",
    "Price alerts",
    "Guest checkout",
    "Store pickup",
    "Multi-currency",
    "Recently viewed",
    "Size guide",
    "Back-in-stock emails",
    "Referral codes",
    "Split payments",
    "Returns portal",
    "Product videos",
];

/// The backlog for a seed: the same features, efforts and hidden defects in every run of it.
pub fn backlog(spec: &DeliverySpec, seed: u64) -> Vec<Feature> {
    let stream = Stream::new(seed, Process::Backlog);
    (1..=spec.features.0)
        .map(|number| {
            let mut rng = stream.at(u64::from(number));
            let index = (number - 1) as usize;
            let name = match FEATURE_NAMES.get(index) {
                Some(name) => (*name).to_string(),
                None => format!("{} v{}", FEATURE_NAMES[index % 24], index / 24 + 1),
            };
            Feature {
                number,
                name,
                value: rng.random_range(1..=8),
                // 4 to 40 hours, in whole hours.
                effort_hours: f64::from(rng.random_range(4..=40u32)),
                risk: 0.5 + rng.random::<f64>(),
                draw: rng.random(),
                kind: DefectKind::ALL[rng.random_range(0..DefectKind::ALL.len())],
                severity: 0.5 + rng.random::<f64>(),
            }
        })
        .collect()
}
