//! The DevOps side: a feature backlog, a pipeline (build → test → canary → rollout) whose
//! stage durations make the lead time, deploy strategies, and the defects changes carry.
//!
//! A deploy's `exposure` is the share of requests its new code serves. A defect acts in
//! proportion to it, which is why a canary (5 %) or a dark feature flag (0 %) limits the
//! harm a bad change does, and why a rollback ends it.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::clock::{ticks_from_seconds, Tick, TICKS_PER_HOUR};
use crate::error::ActionError;
use crate::rng::{Process, Stream};
use crate::scenario::{DeliverySpec, PipelineSpec};

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
}

/// Minutes → ticks, at least one.
fn minutes(m: f64) -> Tick {
    ticks_from_seconds((m * 60.0).round() as u64).max(1)
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
            if let Some(defect) = d.defect.filter(|_| d.exposure > 0.0) {
                if defect.kind == DefectKind::MemoryLeak {
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

    /// Starts undoing the newest live deploy (not a hotfix); returns what was done.
    pub fn roll_back(&mut self, tick: Tick, timings: &Timings) -> Result<String, ActionError> {
        let d = self
            .deploys
            .iter_mut()
            .rev()
            .find(|d| d.is_live() && d.hotfix_of.is_none())
            .ok_or(ActionError::NothingToRollBack)?;
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

    /// Turns a feature flag on or off (the kill switch).
    pub fn set_flag(&mut self, tick: Tick, number: u32, on: bool) -> Result<String, ActionError> {
        let d = self
            .deploys
            .iter_mut()
            .find(|d| d.number == number)
            .filter(|d| d.strategy == Strategy::FeatureFlag && d.is_live())
            .ok_or_else(|| {
                ActionError::Refused(format!(
                    "deploy #{number} is not a feature-flagged deploy in production"
                ))
            })?;
        if d.flag_on == on {
            return Err(ActionError::AlreadySo(format!(
                "the flag of deploy #{number} is already {}",
                if on { "on" } else { "off" }
            )));
        }
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
