//! The DevOps side: a feature backlog, a pipeline (build → test → canary → rollout) whose
//! stage durations make the lead time, deploy strategies, and the defects changes carry.
//!
//! A deploy's `exposure` is the share of requests its new code serves. A defect acts in
//! proportion to it, which is why a canary (5 %) or a dark feature flag (0 %) limits the
//! harm a bad change does, and why a rollback ends it.

use serde::{Deserialize, Serialize};

use crate::clock::{Tick, TICKS_PER_HOUR};
use crate::error::ActionError;
use crate::scenario::DeliverySpec;

mod backlog;
mod pipeline;

pub use backlog::{backlog, Defect, DefectKind, Feature, LEAK_HOURS};
pub use pipeline::{CanaryCheck, Deploy, Stage, Timings, BLUE_KEPT_TICKS, CANARY_MAX_BURN};

/// How a change reaches users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Every replica switches at once when tests pass.
    #[default]
    AllAtOnce,
    /// Replicas switch one after another over the rollout time.
    Rolling,
    /// A small share of traffic first; automated analysis stops it if the canary burns
    /// budget or runs slow, else it rolls out.
    Canary,
    /// A second full fleet (green) starts; traffic switches at once and can switch back
    /// at once while blue is kept; costs double replicas meanwhile.
    BlueGreen,
    /// The code ships dark; a flag turns it on for everyone, or off (kill switch), at once.
    FeatureFlag,
}

impl Strategy {
    pub const ALL: [Strategy; 5] = [
        Strategy::AllAtOnce,
        Strategy::Rolling,
        Strategy::Canary,
        Strategy::BlueGreen,
        Strategy::FeatureFlag,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Strategy::AllAtOnce => "all_at_once",
            Strategy::Rolling => "rolling",
            Strategy::Canary => "canary",
            Strategy::BlueGreen => "blue_green",
            Strategy::FeatureFlag => "feature_flag",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strategy::AllAtOnce => "All at once",
            Strategy::Rolling => "Rolling",
            Strategy::Canary => "Canary",
            Strategy::BlueGreen => "Blue/green",
            Strategy::FeatureFlag => "Feature flag",
        }
    }

    pub fn parse(text: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.id() == text)
    }

    /// Index for the action encoding (never reorder).
    pub fn code(self) -> u32 {
        match self {
            Strategy::AllAtOnce => 0,
            Strategy::Rolling => 1,
            Strategy::Canary => 2,
            Strategy::BlueGreen => 3,
            Strategy::FeatureFlag => 4,
        }
    }
}

/// What live changes do to a service right now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeEffects {
    pub error_ratio: f64,
    pub slowdown: f64,
    /// (share of requests, seconds added) of each latency regression.
    pub added: [(f64, f64); 4],
}

impl Default for ChangeEffects {
    fn default() -> Self {
        Self {
            error_ratio: 0.0,
            slowdown: 1.0,
            added: [(0.0, 0.0); 4],
        }
    }
}

/// The backlog and every deploy of the run.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub backlog: Vec<Feature>,
    /// Index of the next backlog feature to ship.
    pub next_feature: usize,
    pub deploys: Vec<Deploy>,
}

/// One step's news from the pipeline.
pub enum PipelineNews {
    Text(String),
    /// A leak ran out of memory: the service restarted (cold cache).
    Crashed(String),
}

impl Delivery {
    pub fn new(spec: &DeliverySpec, seed: u64) -> Self {
        Self {
            backlog: backlog(spec, seed),
            next_feature: 0,
            deploys: Vec::new(),
        }
    }

    /// The next feature to ship, if the backlog is not empty.
    pub fn next(&self) -> Option<&Feature> {
        self.backlog.get(self.next_feature)
    }

    /// The feature that can ship now, or why none can (the pipeline is busy, or the
    /// backlog is empty).
    pub fn ready(&self) -> Result<&Feature, ActionError> {
        if let Some(busy) = self.in_pipeline() {
            return Err(ActionError::Refused(format!(
                "the pipeline is busy: deploy #{} is in its {} stage",
                busy.number,
                busy.stage.label()
            )));
        }
        self.next()
            .ok_or_else(|| ActionError::Refused("the backlog is empty".to_string()))
    }

    /// The backlog feature a deploy ships (None for a hotfix).
    pub fn feature_of(&self, deploy: &Deploy) -> Option<&Feature> {
        let number = deploy.feature?;
        self.backlog.get(number.checked_sub(1)? as usize)
    }

    /// The change moving through the pipeline now (one at a time; hotfixes excepted).
    pub fn in_pipeline(&self) -> Option<&Deploy> {
        self.deploys
            .iter()
            .find(|d| d.stage.in_pipeline() && d.hotfix_of.is_none())
    }

    /// Commits the next feature; `defect` is what it carries (decided by the caller's
    /// test level).
    pub fn ship(
        &mut self,
        tick: Tick,
        strategy: Strategy,
        timings: &Timings,
        defect: Option<Defect>,
    ) -> Result<&Deploy, ActionError> {
        let feature = self.ready()?.number;
        self.next_feature += 1;
        Ok(self.push(tick, strategy, timings, defect, Some(feature), None))
    }

    /// Commits a hotfix for deploy `of`; it skips the canary and goes out at once.
    pub fn hotfix(&mut self, tick: Tick, of: u32, timings: &Timings) -> &Deploy {
        self.push(tick, Strategy::AllAtOnce, timings, None, None, Some(of))
    }

    fn push(
        &mut self,
        tick: Tick,
        strategy: Strategy,
        timings: &Timings,
        defect: Option<Defect>,
        feature: Option<u32>,
        hotfix_of: Option<u32>,
    ) -> &Deploy {
        self.deploys.push(Deploy {
            number: self.deploys.len() as u32 + 1,
            feature,
            hotfix_of,
            strategy,
            committed_at: tick,
            stage: Stage::Build,
            stage_ends: tick + timings.build,
            exposure: 0.0,
            live_at: None,
            flag_on: false,
            defect,
            defect_shipped: defect,
            failed_at: None,
            recovered_at: None,
            blue_until: None,
            leak_since: tick,
        });
        self.deploys.last().expect("just pushed")
    }

    /// Whether [`Self::advance`] has anything to do: some deploy is not settled
    /// ([`Deploy::settled`]). Most ticks of a run it has not, and the pipeline's timings and
    /// the canary's yardstick need not be worked out for it.
    pub fn in_motion(&self) -> bool {
        self.deploys.iter().any(|d| !d.settled())
    }

    /// Moves every deploy along at `tick`; returns what the event log should say.
    pub fn advance(
        &mut self,
        tick: Tick,
        timings: &Timings,
        check: &CanaryCheck,
        auto_restart: bool,
    ) -> Vec<PipelineNews> {
        let mut news = Vec::new();
        let mut fixed = Vec::new();
        for d in &mut self.deploys {
            if d.stage == Stage::Live && d.blue_until.is_some_and(|t| tick >= t) {
                d.blue_until = None;
            }
            if d.leaks() {
                let hours = f64::from(tick - d.leak_since) / f64::from(TICKS_PER_HOUR);
                // Automated restarts recycle a leaking process at half way; otherwise it
                // runs until it is out of memory and crashes.
                let limit = if auto_restart {
                    LEAK_HOURS / 2.0
                } else {
                    LEAK_HOURS
                };
                if hours >= limit {
                    d.leak_since = tick;
                    news.push(if auto_restart {
                        PipelineNews::Text(format!(
                            "Automated restart: deploy #{}'s processes were recycled before running out of memory",
                            d.number
                        ))
                    } else {
                        PipelineNews::Crashed(format!(
                            "Out of memory: deploy #{}'s processes crashed and restarted (cold caches)",
                            d.number
                        ))
                    });
                }
            }
            if tick < d.stage_ends {
                if d.stage == Stage::Rollout && d.strategy != Strategy::BlueGreen {
                    let start = d.stage_ends - timings.rollout;
                    let from = if d.strategy == Strategy::Canary {
                        timings.canary_share
                    } else {
                        0.0
                    };
                    let progress = f64::from(tick - start) / f64::from(timings.rollout);
                    d.exposure = from + (1.0 - from) * progress;
                } else if d.stage == Stage::RollingBack {
                    let left = f64::from(d.stage_ends - tick) / f64::from(timings.rollback);
                    d.exposure = d.exposure.min(left);
                }
                continue;
            }
            let go_live = |d: &mut Deploy, news: &mut Vec<PipelineNews>| {
                d.stage = Stage::Live;
                d.live_at = Some(tick);
                d.leak_since = tick;
                d.exposure = if d.strategy == Strategy::FeatureFlag {
                    0.0
                } else {
                    1.0
                };
                let what = match (d.hotfix_of, d.strategy) {
                    (Some(of), _) => format!("Hotfix deploy #{} is live: it repairs deploy #{of}", d.number),
                    (None, Strategy::FeatureFlag) => format!(
                        "Deploy #{} is in production, dark: turn its feature flag on to release it",
                        d.number
                    ),
                    (None, Strategy::BlueGreen) => format!(
                        "Deploy #{} is live: traffic switched to the green fleet (blue kept for an hour)",
                        d.number
                    ),
                    (None, _) => format!("Deploy #{} is live for all users", d.number),
                };
                news.push(PipelineNews::Text(what));
            };
            match d.stage {
                Stage::Build => {
                    d.stage = Stage::Test;
                    d.stage_ends = tick + timings.test;
                }
                Stage::Test => match d.strategy {
                    _ if d.hotfix_of.is_some() => go_live(d, &mut news),
                    Strategy::AllAtOnce | Strategy::FeatureFlag => go_live(d, &mut news),
                    Strategy::Rolling | Strategy::BlueGreen => {
                        d.stage = Stage::Rollout;
                        d.stage_ends = tick + timings.rollout;
                    }
                    Strategy::Canary => {
                        d.stage = Stage::Canary;
                        d.stage_ends = tick + timings.canary;
                        d.exposure = timings.canary_share;
                        d.leak_since = tick;
                        news.push(PipelineNews::Text(format!(
                            "Deploy #{} canary: {:.0} % of requests for {} min, then automated analysis",
                            d.number,
                            timings.canary_share * 100.0,
                            timings.canary * crate::clock::TICK_SECONDS / 60
                        )));
                    }
                },
                Stage::Canary => {
                    let hours = f64::from(timings.canary) / f64::from(TICKS_PER_HOUR);
                    match check.verdict(d.defect.as_ref(), hours) {
                        Some(why) => {
                            d.stage = Stage::StoppedByCanary;
                            d.exposure = 0.0;
                            news.push(PipelineNews::Text(format!(
                                "Canary analysis stopped deploy #{}: {why}; it never reached everyone",
                                d.number
                            )));
                        }
                        None => {
                            d.stage = Stage::Rollout;
                            d.stage_ends = tick + timings.rollout;
                            news.push(PipelineNews::Text(format!(
                                "Deploy #{} passed canary analysis; rolling out",
                                d.number
                            )));
                        }
                    }
                }
                Stage::Rollout => {
                    if d.strategy == Strategy::BlueGreen {
                        d.blue_until = Some(tick + BLUE_KEPT_TICKS);
                    }
                    go_live(d, &mut news);
                }
                Stage::RollingBack => {
                    d.stage = Stage::RolledBack;
                    d.exposure = 0.0;
                    d.recovered_at.get_or_insert(tick);
                    news.push(PipelineNews::Text(format!(
                        "Rollback of deploy #{} complete: all traffic is on the previous version",
                        d.number
                    )));
                }
                Stage::Live | Stage::RolledBack | Stage::StoppedByCanary => {}
            }
            if let (Stage::Live, Some(of)) = (d.stage, d.hotfix_of) {
                if d.live_at == Some(tick) {
                    fixed.push(of);
                }
            }
        }
        for of in fixed {
            if let Some(target) = self.deploys.iter_mut().find(|d| d.number == of) {
                target.defect = None;
                target.recovered_at.get_or_insert(tick);
            }
        }
        news
    }

    /// The deploy a rollback would undo (its index): the newest live one that is not a
    /// hotfix; or why there is none.
    pub fn to_roll_back(&self) -> Result<usize, ActionError> {
        self.deploys
            .iter()
            .rposition(|d| d.is_live() && d.hotfix_of.is_none())
            .ok_or(ActionError::NothingToRollBack)
    }

    /// Starts undoing the newest live deploy (not a hotfix); returns what was done.
    pub fn roll_back(&mut self, tick: Tick, timings: &Timings) -> Result<String, ActionError> {
        let i = self.to_roll_back()?;
        let d = &mut self.deploys[i];
        d.failed_at.get_or_insert(tick);
        let instant = d.blue_until.is_some() || d.strategy == Strategy::FeatureFlag;
        if instant {
            d.stage = Stage::RolledBack;
            d.exposure = 0.0;
            d.recovered_at.get_or_insert(tick);
            Ok(format!(
                "Rolled back deploy #{}: traffic switched back at once ({})",
                d.number,
                d.strategy.label()
            ))
        } else {
            d.stage = Stage::RollingBack;
            d.stage_ends = tick + timings.rollback;
            Ok(format!(
                "Rolling back deploy #{}: traffic moves to the previous version over {} min",
                d.number,
                timings.rollback * crate::clock::TICK_SECONDS / 60
            ))
        }
    }

    /// The deploy whose flag would turn `on` or off (its index), or why it cannot.
    pub fn flag_to_set(&self, number: u32, on: bool) -> Result<usize, ActionError> {
        let i = self
            .deploys
            .iter()
            .position(|d| d.number == number)
            .filter(|&i| {
                let d = &self.deploys[i];
                d.strategy == Strategy::FeatureFlag && d.is_live()
            })
            .ok_or_else(|| {
                ActionError::Refused(format!(
                    "deploy #{number} is not a feature-flagged deploy in production"
                ))
            })?;
        if self.deploys[i].flag_on == on {
            return Err(ActionError::AlreadySo(format!(
                "the flag of deploy #{number} is already {}",
                if on { "on" } else { "off" }
            )));
        }
        Ok(i)
    }

    /// Turns a feature flag on or off (the kill switch).
    pub fn set_flag(&mut self, tick: Tick, number: u32, on: bool) -> Result<String, ActionError> {
        let i = self.flag_to_set(number, on)?;
        let d = &mut self.deploys[i];
        d.flag_on = on;
        d.exposure = if on { 1.0 } else { 0.0 };
        if on {
            d.leak_since = tick;
            Ok(format!(
                "Feature flag of deploy #{number} on: released to every user"
            ))
        } else {
            // Turning a released feature off is the kill switch: the change needed help.
            if d.defect.is_some() || d.failed_at.is_some() {
                d.failed_at.get_or_insert(tick);
                d.recovered_at = Some(tick);
            }
            Ok(format!("Kill switch: feature flag of deploy #{number} off"))
        }
    }

    /// Deploys whose defects act on users now, marked failed when someone intervenes.
    pub fn effects(&self, tick: Tick, typical_error_ratio: f64) -> ChangeEffects {
        let mut effects = ChangeEffects::default();
        let mut slots = 0;
        for d in self.deploys.iter().filter(|d| d.harms()) {
            let defect = d.defect.expect("harms() checked it");
            let e = d.exposure;
            effects.error_ratio += e * defect.error_ratio(typical_error_ratio);
            let hours = f64::from(tick.saturating_sub(d.leak_since)) / f64::from(TICKS_PER_HOUR);
            effects.slowdown *= 1.0 + e * (defect.slowdown(hours) - 1.0);
            if defect.added_seconds() > 0.0 && slots < effects.added.len() {
                effects.added[slots] = (e, defect.added_seconds());
                slots += 1;
            }
        }
        effects.error_ratio = effects.error_ratio.min(1.0);
        effects
    }

    /// Restarting the service restarts leaking processes too.
    pub fn restart(&mut self, tick: Tick) {
        for d in &mut self.deploys {
            d.leak_since = tick;
        }
    }

    /// Extra replica-time blue/green costs now: a second fleet while green starts and
    /// while blue is kept.
    pub fn double_fleet(&self) -> bool {
        self.deploys.iter().any(|d| {
            d.strategy == Strategy::BlueGreen
                && (d.stage == Stage::Rollout || d.blue_until.is_some())
        })
    }
}
