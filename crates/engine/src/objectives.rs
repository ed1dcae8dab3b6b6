//! Objectives: what a scenario asks of the player, measurable from the run, with a live
//! status (on track, behind, met, missed) the app shows and the debrief judges.

use serde::Serialize;

pub use crate::scenario::ObjectiveSpec;
use crate::sim::Simulation;

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
