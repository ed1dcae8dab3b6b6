//! The pipeline: where each deploy is, how long each stage takes, and what the canary
//! analysis catches.

use serde::Serialize;

use crate::clock::{ticks_from_seconds, Tick, TICKS_PER_HOUR};
use crate::scenario::PipelineSpec;

use super::{Defect, DefectKind, Strategy};

/// Where a deploy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Build,
    Test,
    /// Serving the canary share, analysed at the end.
    Canary,
    /// Moving traffic over (rolling, after a canary) or starting the green fleet.
    Rollout,
    /// In production (for a feature flag: deployed, dark unless the flag is on).
    Live,
    /// Traffic is moving back to the previous version.
    RollingBack,
    RolledBack,
    /// The canary analysis stopped it before it reached everyone.
    StoppedByCanary,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Build => "build",
            Stage::Test => "test",
            Stage::Canary => "canary",
            Stage::Rollout => "rollout",
            Stage::Live => "live",
            Stage::RollingBack => "rolling back",
            Stage::RolledBack => "rolled back",
            Stage::StoppedByCanary => "stopped by canary",
        }
    }

    /// Still on its way through the pipeline.
    pub fn in_pipeline(self) -> bool {
        matches!(
            self,
            Stage::Build | Stage::Test | Stage::Canary | Stage::Rollout
        )
    }
}

/// One change on its way to production, or in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deploy {
    /// 1-based deploy number.
    pub number: u32,
    /// The backlog feature it ships; None for a hotfix.
    pub feature: Option<u32>,
    /// The deploy a hotfix repairs.
    pub hotfix_of: Option<u32>,
    pub strategy: Strategy,
    /// When it was committed (the lead time starts here).
    pub committed_at: Tick,
    pub stage: Stage,
    /// When the current stage ends (or ended).
    pub stage_ends: Tick,
    /// Share of requests the new code serves now (0–1).
    pub exposure: f64,
    /// When it reached production (the lead time ends here).
    pub live_at: Option<Tick>,
    /// Feature flags only: whether the flag is on.
    pub flag_on: bool,
    /// Hidden from players until it shows on the charts; a hotfix clears it.
    pub defect: Option<Defect>,
    /// The defect it was committed with (kept after a hotfix, for the debrief).
    pub defect_shipped: Option<Defect>,
    /// When someone first had to intervene (rollback, hotfix, flag off): a failed change.
    pub failed_at: Option<Tick>,
    /// When that intervention took effect: users are back on good code.
    pub recovered_at: Option<Tick>,
    /// Blue/green: the old fleet is kept (instant switch back) until this tick.
    pub blue_until: Option<Tick>,
    /// Memory leaks: when the process last started fresh.
    pub leak_since: Tick,
}

impl Deploy {
    /// Whether its code serves users, or could at once (a dark flag).
    pub fn is_live(&self) -> bool {
        self.stage == Stage::Live
    }

    /// Whether its defect still acts on users.
    pub fn harms(&self) -> bool {
        self.defect.is_some() && self.exposure > 0.0
    }

    /// Whether it has come to rest: its pipeline is over, no blue fleet is kept and no leak
    /// fills its memory, so nothing happens to it as ticks pass until someone acts on it
    /// (a rollback, a flag, a hotfix's deploy).
    pub fn settled(&self) -> bool {
        matches!(
            self.stage,
            Stage::Live | Stage::RolledBack | Stage::StoppedByCanary
        ) && self.blue_until.is_none()
            && !self.leaks()
    }

    /// Whether its code leaks memory where it serves users: it fills as time passes.
    pub fn leaks(&self) -> bool {
        self.exposure > 0.0
            && self
                .defect
                .is_some_and(|defect| defect.kind == DefectKind::MemoryLeak)
    }
}

/// Minutes → ticks, at least one.
fn minutes(m: f64) -> Tick {
    ticks_from_seconds(crate::math::round(m * 60.0) as u64).max(1)
}

/// Stage durations in ticks, after investments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timings {
    pub build: Tick,
    pub test: Tick,
    pub canary: Tick,
    pub canary_share: f64,
    pub rollout: Tick,
    pub rollback: Tick,
}

impl Timings {
    /// How long a rollback takes, whole minutes.
    pub fn rollback_minutes(&self) -> u32 {
        self.rollback * crate::clock::TICK_SECONDS / 60
    }

    /// `automated`: deploy automation halves building, testing, rolling out and back.
    pub fn new(spec: &PipelineSpec, automated: bool) -> Self {
        let factor = if automated { 0.5 } else { 1.0 };
        Self {
            build: minutes(spec.build_minutes.0 * factor),
            test: minutes(spec.test_minutes.0 * factor),
            canary: minutes(spec.canary_minutes.0),
            canary_share: spec.canary_share.0,
            rollout: minutes(spec.rollout_minutes.0 * factor),
            rollback: minutes(spec.rollback_minutes.0 * factor),
        }
    }

    /// Ticks from commit to production for a strategy.
    pub fn lead_ticks(&self, strategy: Strategy) -> Tick {
        let tested = self.build + self.test;
        match strategy {
            Strategy::AllAtOnce | Strategy::FeatureFlag => tested,
            Strategy::Rolling | Strategy::BlueGreen => tested + self.rollout,
            Strategy::Canary => tested + self.canary + self.rollout,
        }
    }
}

/// How long blue/green keeps the old fleet after switching, ticks (1 hour).
pub const BLUE_KEPT_TICKS: Tick = TICKS_PER_HOUR;

/// What the canary analysis compares, from the live baseline.
#[derive(Debug, Clone, Copy)]
pub struct CanaryCheck {
    /// The SLO's allowed error ratio (1 − target).
    pub allowed_error_ratio: f64,
    /// Typical extra error ratio of a defect (scenario).
    pub typical_error_ratio: f64,
    /// Mean latency of the old code, seconds.
    pub baseline_seconds: f64,
    /// Mean service time of the old code, seconds.
    pub service_seconds: f64,
    /// Latency growth the analysis notices (0.25 = 25 %; better observability, less).
    pub latency_tolerance: f64,
}

/// The canary stops a change burning budget at more than this rate on its own traffic.
pub const CANARY_MAX_BURN: f64 = 2.0;

impl CanaryCheck {
    /// Why the analysis stops a canary after `hours` with `defect`, or None if it passes.
    pub fn verdict(&self, defect: Option<&Defect>, hours: f64) -> Option<String> {
        let defect = defect?;
        let burn = defect.error_ratio(self.typical_error_ratio) / self.allowed_error_ratio;
        if burn > CANARY_MAX_BURN {
            return Some(format!(
                "its requests failed at {burn:.0}× the budget's rate"
            ));
        }
        let extra = defect.added_seconds() + self.service_seconds * (defect.slowdown(hours) - 1.0);
        let growth = extra / self.baseline_seconds.max(1e-6);
        (growth > self.latency_tolerance).then(|| {
            format!(
                "its requests were {:.0} % slower than the old version's",
                growth * 100.0
            )
        })
    }
}
