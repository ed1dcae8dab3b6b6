//! Faults as a scenario file writes them: the catalogue of kinds with their defaults,
//! faults at fixed times (`[[faults]]`) and faults drawn from the seed (`[random_faults]`).
//! The run's schedule and what faults do are the business of `faults.rs`, one layer up.

use serde::{Deserialize, Serialize};

use super::values::{Bounded, NonNegative, Positive};
use super::Spanned;

/// The catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// One replica dies and restarts (its share of the cache comes back cold).
    InstanceCrash,
    /// A zone goes dark: a share of the replicas (`magnitude`, default ⅓) is gone.
    ZoneLoss,
    /// The service fails every request.
    DependencyOutage,
    /// The service's work takes `magnitude` times longer (default 5×).
    DependencySlowdown,
    /// Users send `magnitude` times the usual traffic (default 2×).
    TrafficSurge,
    /// Its TLS certificate expires: every request fails until it is renewed.
    CertificateExpiry,
    /// The disk fills up: failures grow from none to `magnitude` (default all).
    DiskFull,
    /// A bad configuration fails a share `magnitude` of requests (default 30 %) and
    /// restarts the service with a cold cache.
    BadConfigPush,
    /// Memory leaks: work slows down to `1 + magnitude` times (default 4×) over the
    /// fault, then the service crashes and restarts with a cold cache.
    MemoryLeak,
}

impl FaultKind {
    pub const ALL: [FaultKind; 9] = [
        FaultKind::InstanceCrash,
        FaultKind::ZoneLoss,
        FaultKind::DependencyOutage,
        FaultKind::DependencySlowdown,
        FaultKind::TrafficSurge,
        FaultKind::CertificateExpiry,
        FaultKind::DiskFull,
        FaultKind::BadConfigPush,
        FaultKind::MemoryLeak,
    ];

    /// How long it lasts when the scenario does not say, minutes.
    pub fn default_minutes(self) -> u32 {
        match self {
            FaultKind::InstanceCrash => 5,
            FaultKind::ZoneLoss => 60,
            FaultKind::DependencyOutage => 20,
            FaultKind::DependencySlowdown => 30,
            FaultKind::TrafficSurge => 15,
            FaultKind::CertificateExpiry => 120,
            FaultKind::DiskFull => 180,
            FaultKind::BadConfigPush => 20,
            FaultKind::MemoryLeak => 360,
        }
    }

    /// The largest magnitude a file may give, for kinds whose magnitude is a share (of the
    /// replicas lost, of the requests failed); None for factors (bounded by the field's own
    /// limit, 1,000).
    pub fn magnitude_limit(self) -> Option<f64> {
        match self {
            FaultKind::ZoneLoss | FaultKind::DiskFull | FaultKind::BadConfigPush => Some(1.0),
            _ => None,
        }
    }

    /// What a share-magnitude is a share of, for messages.
    pub fn magnitude_meaning(self) -> &'static str {
        match self {
            FaultKind::ZoneLoss => "the replicas lost",
            _ => "the requests that fail",
        }
    }

    /// Its size when the scenario does not say (meaning per kind, see the variants).
    pub fn default_magnitude(self) -> f64 {
        match self {
            FaultKind::ZoneLoss => 1.0 / 3.0,
            FaultKind::DependencySlowdown => 5.0,
            FaultKind::TrafficSurge => 2.0,
            FaultKind::DiskFull => 1.0,
            FaultKind::BadConfigPush => 0.3,
            FaultKind::MemoryLeak => 3.0,
            _ => 1.0,
        }
    }

    /// Whether it happens to one service (all but a traffic surge).
    pub fn needs_service(self) -> bool {
        self != FaultKind::TrafficSurge
    }

    pub fn label(self) -> &'static str {
        match self {
            FaultKind::InstanceCrash => "instance crash",
            FaultKind::ZoneLoss => "zone loss",
            FaultKind::DependencyOutage => "outage",
            FaultKind::DependencySlowdown => "slowdown",
            FaultKind::TrafficSurge => "traffic surge",
            FaultKind::CertificateExpiry => "certificate expiry",
            FaultKind::DiskFull => "disk full",
            FaultKind::BadConfigPush => "bad config push",
            FaultKind::MemoryLeak => "memory leak",
        }
    }
}

/// A fault at a given time, as the scenario file writes it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub kind: FaultKind,
    /// Service it hits (every kind but `traffic_surge`); checked against the services.
    #[serde(default)]
    pub service: Option<Spanned<String>>,
    /// Day of the run, from 1.
    pub day: Spanned<Bounded<1, 90>>,
    /// Time of day it starts, "HH:MM".
    pub at: Spanned<String>,
    /// How long it lasts, minutes (default per kind).
    #[serde(default)]
    pub duration_minutes: Option<Bounded<1, 10080>>,
    /// Its size (meaning per kind; default per kind).
    #[serde(default)]
    pub magnitude: Option<Positive<1_000>>,
}

/// Faults drawn at random from the seed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RandomFaults {
    /// Mean number of faults per simulated week.
    pub per_week: NonNegative<50>,
    /// Kinds to draw from (default: the whole catalogue).
    #[serde(default)]
    pub kinds: Vec<FaultKind>,
}

/// Parses "HH:MM" into minutes after midnight.
pub fn parse_time_of_day(text: &str) -> Option<u32> {
    crate::clock::parse_hh_mm(text).map(|(hours, minutes)| hours * 60 + minutes)
}
