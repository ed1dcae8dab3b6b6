//! Objectives: what a scenario asks of the player, measurable from the run, with a live
//! status (on track, behind, met, missed) the app shows and the debrief judges.

use serde::Serialize;

pub use crate::scenario::ObjectiveSpec;
use crate::sim::{SloStatus, World};

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

/// What objectives judge a run by: a few facts read from it, nothing more.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Whether the run is over (an objective is then met or missed for good).
    pub finished: bool,
    /// Every SLO's live reading, in scenario order (the headline first).
    pub slos: Vec<SloStatus>,
    /// Features in users' hands.
    pub features_shipped: u32,
    /// Pages fired at night (22:00–07:00).
    pub night_pages: u32,
    /// Share of both teams' hours spent on toil, 0–1.
    pub toil_share: f64,
}

impl Facts {
    pub fn of(world: &World) -> Self {
        Self {
            finished: world.is_finished(),
            slos: world.slo_statuses(),
            features_shipped: world.features_outcome().shipped,
            night_pages: world.pages_fired().1,
            toil_share: world.team().toil_share(),
        }
    }
}

impl ObjectiveSpec {
    /// The objective judged on `facts` about a run so far.
    pub fn status(&self, facts: &Facts) -> ObjectiveStatus {
        let over = facts.finished;
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
                let statuses = &facts.slos;
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
                let left = facts.slos[0].budget_remaining;
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
                let shipped = facts.features_shipped;
                ObjectiveStatus {
                    goal: format!("Put {} features in users' hands", at_least.0),
                    measured: format!("{shipped} in use"),
                    progress: judge(shipped >= at_least.0, false),
                }
            }
            ObjectiveSpec::NightPages { at_most } => {
                let night = facts.night_pages;
                let ok = night <= at_most.0;
                ObjectiveStatus {
                    goal: format!("Page the on-call at night at most {} time(s)", at_most.0),
                    measured: format!("{night} night page(s)"),
                    // Pages never un-fire: once over, it is lost.
                    progress: judge(ok, !ok),
                }
            }
            ObjectiveSpec::ToilShare { at_most } => {
                let share = facts.toil_share;
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
pub fn statuses(world: &World) -> Vec<ObjectiveStatus> {
    let objectives = &world.scenario().objectives;
    if objectives.is_empty() {
        return Vec::new();
    }
    let facts = Facts::of(world);
    objectives.iter().map(|o| o.status(&facts)).collect()
}

/// Whether a finished run met every objective of its scenario.
pub fn all_met(world: &World) -> bool {
    statuses(world).iter().all(|s| s.progress == Progress::Met)
}
