//! Objectives: what a scenario asks of the player, measurable from the run, with a live
//! status (on track, behind, met, missed) the app shows and the debrief judges.

use serde::{Deserialize, Serialize};

use crate::scenario::{Bounded, Ratio};
use crate::sim::Simulation;

/// One objective as a scenario file writes it (`[[objectives]]` with a `kind`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "RawObjective"
)]
pub enum ObjectiveSpec {
    /// End the run with every SLO inside its error budget.
    SlosMet,
    /// End the run with at least this share of the headline SLO's budget left.
    BudgetLeft { at_least: Ratio },
    /// Have at least this many features in users' hands at the end.
    FeaturesShipped { at_least: Bounded<1, 100> },
    /// Wake the on-call at most this many times (pages at night, 22:00–07:00).
    NightPages { at_most: Bounded<0, 1000> },
    /// Keep toil at or under this share of both teams' hours.
    ToilShare { at_most: Ratio },
}

/// An objective as read, before its kind decides which number it needs. Read flat rather
/// than as a tagged enum: serde's tagged enums buffer every field, which cost 14 KB of the
/// shipped wasm; this costs a fraction, with the same messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    kind: Kind,
    #[serde(default)]
    at_least: Option<f64>,
    #[serde(default)]
    at_most: Option<f64>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    SlosMet,
    BudgetLeft,
    FeaturesShipped,
    NightPages,
    ToilShare,
}

impl TryFrom<RawObjective> for ObjectiveSpec {
    type Error = String;

    fn try_from(raw: RawObjective) -> Result<Self, String> {
        // The one number each kind takes, by name; any other is refused as serde would.
        let (wanted, other) = match raw.kind {
            Kind::SlosMet => (None, [("at_least", raw.at_least), ("at_most", raw.at_most)]),
            Kind::BudgetLeft | Kind::FeaturesShipped => (
                Some(("at_least", raw.at_least)),
                [("at_most", raw.at_most), ("", None)],
            ),
            Kind::NightPages | Kind::ToilShare => (
                Some(("at_most", raw.at_most)),
                [("at_least", raw.at_least), ("", None)],
            ),
        };
        if let Some((name, _)) = other.iter().find(|(_, v)| v.is_some()) {
            return Err(format!("unknown field `{name}` for this kind of objective"));
        }
        let value = match wanted {
            None => 0.0,
            Some((name, value)) => value.ok_or_else(|| format!("missing field `{name}`"))?,
        };
        let ratio = || {
            (0.0..=1.0)
                .contains(&value)
                .then_some(Ratio(value))
                .ok_or_else(|| format!("expected a number from 0 to 1, found {value}"))
        };
        let whole = |min: u32, max: u32| {
            (value.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&value))
                .then_some(value as u32)
                .ok_or_else(|| {
                    format!("expected a whole number from {min} to {max}, found {value}")
                })
        };
        Ok(match raw.kind {
            Kind::SlosMet => ObjectiveSpec::SlosMet,
            Kind::BudgetLeft => ObjectiveSpec::BudgetLeft { at_least: ratio()? },
            Kind::FeaturesShipped => ObjectiveSpec::FeaturesShipped {
                at_least: Bounded(whole(1, 100)?),
            },
            Kind::NightPages => ObjectiveSpec::NightPages {
                at_most: Bounded(whole(0, 1000)?),
            },
            Kind::ToilShare => ObjectiveSpec::ToilShare { at_most: ratio()? },
        })
    }
}

/// Where an objective stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Met so far; the run is not over.
    OnTrack,
    /// Not met now, but it still can be.
    Behind,
    Met,
    Missed,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::OnTrack => "on track",
            Progress::Behind => "behind",
            Progress::Met => "met",
            Progress::Missed => "missed",
        }
    }
}

/// An objective's live reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveStatus {
    /// What is asked, in words.
    pub goal: String,
    /// What the run shows now, in words.
    pub measured: String,
    pub progress: Progress,
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

impl ObjectiveSpec {
    /// The objective read from the run so far.
    pub fn status(&self, sim: &Simulation) -> ObjectiveStatus {
        let over = sim.is_finished();
        // Ok now → on track (met once the run is over); not ok → behind (missed at the end);
        // `lost`: can no longer be met, whatever happens.
        let judge = |ok: bool, lost: bool| match (ok, over || lost) {
            (true, false) => Progress::OnTrack,
            (true, true) => Progress::Met,
            (false, false) => Progress::Behind,
            (false, true) => Progress::Missed,
        };
        match self {
            ObjectiveSpec::SlosMet => {
                let statuses = sim.slo_statuses();
                let worst = statuses
                    .iter()
                    .map(|s| s.budget_remaining)
                    .fold(f64::INFINITY, f64::min);
                ObjectiveStatus {
                    goal: if statuses.len() > 1 {
                        "Keep every SLO within its error budget".to_string()
                    } else {
                        format!("Keep {} within its error budget", statuses[0].name)
                    },
                    measured: statuses
                        .iter()
                        .map(|s| {
                            format!(
                                "{}: {} of the budget left",
                                s.name,
                                percent(s.budget_remaining)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    progress: judge(worst >= 0.0, false),
                }
            }
            ObjectiveSpec::BudgetLeft { at_least } => {
                let left = sim.slo_status().budget_remaining;
                ObjectiveStatus {
                    goal: format!(
                        "End with at least {} of the error budget left",
                        percent(at_least.0)
                    ),
                    measured: format!("{} left", percent(left)),
                    progress: judge(left >= at_least.0, false),
                }
            }
            ObjectiveSpec::FeaturesShipped { at_least } => {
                let shipped = sim.features_outcome().shipped;
                ObjectiveStatus {
                    goal: format!("Put {} features in users' hands", at_least.0),
                    measured: format!("{shipped} in use"),
                    progress: judge(shipped >= at_least.0, false),
                }
            }
            ObjectiveSpec::NightPages { at_most } => {
                let night = sim.pages_fired().1;
                let ok = night <= at_most.0;
                ObjectiveStatus {
                    goal: format!("Page the on-call at night at most {} time(s)", at_most.0),
                    measured: format!("{night} night page(s)"),
                    // Pages never un-fire: once over, it is lost.
                    progress: judge(ok, !ok),
                }
            }
            ObjectiveSpec::ToilShare { at_most } => {
                let share = sim.team().toil_share();
                ObjectiveStatus {
                    goal: format!("Keep toil at or under {} of team hours", percent(at_most.0)),
                    measured: format!("{} so far", percent(share)),
                    progress: judge(share <= at_most.0, false),
                }
            }
        }
    }
}

/// Every objective of the run's scenario, read now.
pub fn statuses(sim: &Simulation) -> Vec<ObjectiveStatus> {
    sim.scenario()
        .objectives
        .iter()
        .map(|o| o.status(sim))
        .collect()
}

/// Whether a finished run met every objective of its scenario.
pub fn all_met(sim: &Simulation) -> bool {
    statuses(sim).iter().all(|s| s.progress == Progress::Met)
}
