//! Triage by harm: when an incident has more than one service failing on its own, which
//! does the SRE work first? ("Triage by potential harm", DOMAIN.md and ROLES.md.) The pager
//! orders the services in trouble by the requests each fails per second; the record keeps
//! the order in which the SRE started working them, set against that order.

use serde::Serialize;

use crate::clock::Tick;

/// A service failing requests on its own (not because a dependency failed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Harm {
    /// The service's index in the scenario.
    pub service: usize,
    pub name: String,
    /// Requests it failed on its own in the last tick, per second: turned away, dropped
    /// from its queue, or failed by its own errors and faults.
    pub failing_rps: f64,
}

/// A service is in trouble when it fails at least this share of its requests on its own.
pub const TROUBLE_SHARE: f64 = 0.005;

/// The moment the SRE first worked a service during an incident with several in trouble.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriageStep {
    pub tick: Tick,
    /// The incident open at the time.
    pub incident: u32,
    /// The service worked (its index, and its name).
    pub worked: usize,
    pub worked_name: String,
    /// The services in trouble at that moment, most harm first.
    pub by_harm: Vec<Harm>,
}

impl TriageStep {
    /// The worked service's place in the order of harm (0: the worst), if it was in trouble.
    pub fn rank(&self) -> Option<usize> {
        self.by_harm.iter().position(|h| h.service == self.worked)
    }

    /// Whether the SRE went for the worst harm first.
    pub fn worst_first(&self) -> bool {
        self.rank() == Some(0)
    }
}
