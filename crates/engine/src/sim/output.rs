//! What a run puts out as it goes: tick records, the event log, live SLO readings.

use serde::Serialize;

use crate::alerts::Severity;
use crate::clock::Tick;
use crate::scenario::SliKind;
use crate::slo;

/// What happened in one tick, kept for charts and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TickRecord {
    /// Requests that arrived (valid events).
    pub offered: u32,
    /// Requests served successfully (good events).
    pub good: u32,
    /// Requests the replicas could serve in this tick.
    pub capacity: u32,
    /// Error budget of the headline SLO left after this tick, as a share of the whole
    /// budget (can be negative).
    pub budget_remaining: f32,
    /// Latency users saw at the entry, milliseconds: median, 90th and 99th percentile.
    pub latency_ms: [f32; 3],
}

impl TickRecord {
    /// The availability SLI of this tick alone.
    pub fn sli(&self) -> f64 {
        slo::sli(u64::from(self.good), u64::from(self.offered))
    }
}

/// Something the event log shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub tick: Tick,
    pub kind: EventKind,
    pub text: String,
}

/// What kind of thing happened, so the log can mark it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Someone acted on the world.
    Action,
    /// An alert fired.
    AlertFired(Severity),
    /// An alert resolved.
    AlertResolved(Severity),
    /// A protection (circuit breaker, load shedding…) changed state by itself.
    Protection,
    /// A fault started or ended.
    Fault,
    /// An autoscaler changed the replicas.
    Autoscaler,
    /// An incident opened or was mitigated.
    Incident,
    /// A change moved through the pipeline.
    Delivery,
    /// The error budget policy froze or thawed deploys.
    Policy,
}

/// A live reading of the SLO, for headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloStatus {
    pub name: String,
    pub sli: SliKind,
    /// Target share of good requests.
    pub target: f64,
    /// Rolling window, days.
    pub window_days: u32,
    /// SLI over the rolling window (history before the run included), 0–1.
    pub window_sli: f64,
    /// Share of the error budget unspent in the rolling window (negative when overspent).
    pub budget_remaining: f64,
    /// The whole budget as full-outage time over the window, seconds.
    pub budget_total_seconds: f64,
    /// What is left of it, seconds (negative when overspent).
    pub budget_remaining_seconds: f64,
    /// Burn rate over each window of `slo::BURN_WINDOWS`, same order.
    pub burn_rates: Vec<(String, f64)>,
    /// Seconds until the budget is gone at the last hour's burn rate; None if not burning
    /// or already gone.
    pub time_to_exhaustion_seconds: Option<f64>,
}

/// Who froze deploys (error budget policy, DOMAIN.md): the policy itself when the budget is
/// spent, or the SRE by hand. A policy freeze thaws only when the SLO is met again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freeze {
    ByPolicy,
    BySre,
}

impl SloStatus {
    /// The burn rate over `window` (0 when the status has no such window).
    pub fn burn_rate(&self, window: slo::BurnWindow) -> f64 {
        self.burn_rates
            .iter()
            .find(|(label, _)| label == window.label)
            .map_or(0.0, |(_, rate)| *rate)
    }
}

/// Latency percentiles recorded per tick: median, 90th, 99th.
pub const TICK_PERCENTILES: [f64; 3] = [0.5, 0.9, 0.99];
