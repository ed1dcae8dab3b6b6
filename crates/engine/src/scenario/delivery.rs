//! How features reach production and who has the hours to do the work: the delivery
//! pipeline, the two teams, and the error budget policy they agreed on.

use serde::{Deserialize, Serialize};

use super::faults::FaultKind;
use super::values::{Bounded, Positive, Ratio};

/// The feature backlog and the pipeline it ships through (all but the defect numbers
/// have defaults, so a scenario says only what matters to its lesson).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySpec {
    /// Chance that a feature carries a defect before any test investment (0–1); each
    /// feature's own risk is drawn between half and one and a half times this.
    pub defect_probability: Ratio,
    /// Extra share of requests a typical error-rate defect makes fail (0–1); each defect
    /// draws between half and one and a half times this.
    pub defect_error_ratio: Ratio,
    /// Features in the backlog.
    #[serde(default = "default_features")]
    pub features: Bounded<1, 100>,
    #[serde(default)]
    pub pipeline: PipelineSpec,
}

fn default_features() -> Bounded<1, 100> {
    Bounded(24)
}

/// Stage durations of the delivery pipeline, minutes; they add up to the lead time.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PipelineSpec {
    pub build_minutes: Positive<10_080>,
    pub test_minutes: Positive<10_080>,
    /// How long a canary serves its share before the automated analysis decides.
    pub canary_minutes: Positive<10_080>,
    /// Share of requests the canary serves (0–1).
    pub canary_share: Ratio,
    /// A rolling rollout moves all traffic to the new version over this long.
    pub rollout_minutes: Positive<10_080>,
    /// Undoing a deploy (except blue/green and flags, which switch back at once).
    pub rollback_minutes: Positive<10_080>,
}

impl Default for PipelineSpec {
    fn default() -> Self {
        Self {
            build_minutes: Positive(10.0),
            test_minutes: Positive(30.0),
            canary_minutes: Positive(30.0),
            canary_share: Ratio(0.05),
            rollout_minutes: Positive(20.0),
            rollback_minutes: Positive(10.0),
        }
    }
}

/// The two teams and their hours.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TeamSpec {
    pub devops_engineers: Bounded<0, 50>,
    pub sre_engineers: Bounded<0, 50>,
    /// Hours of focused work each engineer gives a day (the rest is meetings, reviews…).
    pub hours_per_engineer_per_day: Positive<24>,
}

impl Default for TeamSpec {
    fn default() -> Self {
        Self {
            devops_engineers: Bounded(4),
            sre_engineers: Bounded(2),
            hours_per_engineer_per_day: Positive(6.0),
        }
    }
}

/// Who freezes deploys when the error budget is spent (DOMAIN.md, error budget policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FreezeRule {
    /// Deploys freeze by themselves when the budget is spent and thaw when back within SLO;
    /// the SRE may also freeze earlier.
    Automatic,
    /// Only the SRE freezes and thaws.
    BySre,
    /// No policy: nothing ever freezes.
    Off,
}

/// The error budget policy the teams agreed on.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BudgetPolicySpec {
    pub freeze: FreezeRule,
    /// An incident that spends more than this share of the budget needs a postmortem
    /// (the workbook's example policy says 20 %).
    pub postmortem_budget_share: Ratio,
}

impl Default for BudgetPolicySpec {
    fn default() -> Self {
        Self {
            freeze: FreezeRule::Automatic,
            postmortem_budget_share: Ratio(0.2),
        }
    }
}

/// How urgent an action item is (error budget policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Must be done; ships even during a freeze.
    P0,
    /// Should be done; waits for the freeze to end.
    #[default]
    P1,
}

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
        }
    }
}

/// An action item the DevOps backlog starts with (`[[action_items]]`): a fix an earlier
/// postmortem asked for, shipped like a postmortem's own.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItemSpec {
    /// What it changes once shipped.
    pub fix: FixName,
    /// The fault kind a `prevent` or `faster_repair` item is about (those two only).
    #[serde(default)]
    pub fault: Option<FaultKind>,
    /// `p0` ships even in a freeze; `p1` waits for the thaw.
    #[serde(default)]
    pub priority: Priority,
    /// DevOps engineer-hours it takes (1–100); the fix's usual hours when left out.
    #[serde(default)]
    pub hours: Option<Bounded<1, 100>>,
}

/// The fixes an item can make (what each does: `action_items.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixName {
    /// All-at-once deploys go through a canary first.
    CanaryStep,
    /// The chance a feature ships with a defect halves.
    RegressionTests,
    /// Retries stay under 10 % of requests.
    RetryBudget,
    /// Autoscaled replicas serve without the provisioning delay.
    CapacityReservation,
    /// Faults of the item's `fault` kind no longer happen.
    Prevent,
    /// Faults of the item's `fault` kind last half as long.
    FasterRepair,
}

impl FixName {
    /// Whether the fix is about one fault kind (and so needs `fault`).
    pub fn names_a_fault(self) -> bool {
        matches!(self, FixName::Prevent | FixName::FasterRepair)
    }
}
