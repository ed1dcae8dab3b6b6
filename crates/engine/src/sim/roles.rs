//! The roles' clockwork each tick: the pipeline moves, the teams'
//! hours and toil accrue, and the error budget policy freezes or thaws deploys.

use crate::clock::{Tick, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE};
use crate::delivery::{CanaryCheck, PipelineNews, Stage, Strategy};
use crate::guidance::{GuidanceSpec, Now};
use crate::outcomes::{FeatureOutcome, TeamOutcome};
use crate::scenario::FreezeRule;
use crate::team::{Investment, Toil, TOIL_HOUR};

use super::{Event, EventKind, Freeze, TickRecord, World};

/// The canary analysis notices this much slowdown (25 %; 10 % with observability).
const LATENCY_TOLERANCE: f64 = 0.25;
const LATENCY_TOLERANCE_OBSERVED: f64 = 0.10;

impl World {
    /// Moves changes through the pipeline and sets what live defects do this tick. Once
    /// every deploy has settled their effects stay as they are (a settled deploy's defect
    /// does not change with time: leaks are never settled) until an action changes a
    /// deploy, so most ticks of a run skip it all.
    pub(super) fn run_delivery(&mut self, tick: Tick) {
        if self.delivery_at_rest {
            debug_assert!(
                !self.delivery.in_motion()
                    && self.change_effects
                        == self
                            .delivery
                            .effects(tick, self.scenario.delivery.defect_error_ratio.0),
                "tick {tick}: the pipeline's effects changed at rest"
            );
            return;
        }
        if self.delivery.deploys.is_empty() {
            return;
        }
        let entry = self.scenario.topology().entry;
        if self.delivery.in_motion() {
            self.advance_delivery(tick, entry);
        } else {
            debug_assert!(
                {
                    let mut moved = self.delivery.clone();
                    let auto_restart = self.team.has(Investment::AutomateRestarts);
                    let (timings, check) = (self.timings(), self.canary_check());
                    let news = moved.advance(tick, &timings, &check, auto_restart);
                    news.is_empty() && moved.deploys == self.delivery.deploys
                },
                "tick {tick}: a settled pipeline moved"
            );
        }
        self.change_effects = self
            .delivery
            .effects(tick, self.scenario.delivery.defect_error_ratio.0);
        self.services[entry].change_slowdown = self.change_effects.slowdown;
        self.delivery_at_rest = !self.delivery.in_motion();
    }

    /// Moves the deploys in the pipeline along, and logs what they did.
    fn advance_delivery(&mut self, tick: Tick, entry: usize) {
        let check = self.canary_check();
        let timings = self.timings();
        let auto_restart = self.team.has(Investment::AutomateRestarts);
        for news in self.delivery.advance(tick, &timings, &check, auto_restart) {
            let text = match news {
                PipelineNews::Text(text) => text,
                PipelineNews::Crashed(text) => {
                    self.cache_warmth[entry] = 0.0;
                    self.team.toil(Toil::ManualRestart, 1.0);
                    text
                }
            };
            self.events.push(Event {
                tick,
                kind: EventKind::Delivery,
                text,
            });
        }
    }

    /// What the canary analysis compares a change against now: the entry's live latency
    /// and the headline SLO's allowed error ratio.
    pub fn canary_check(&self) -> CanaryCheck {
        let entry = self.scenario.topology().entry;
        let spec = &self.scenario.services[entry];
        let baseline = self.service_ticks[entry].latency.mean;
        let service_seconds = spec.service_seconds() * self.services[entry].slowdown;
        CanaryCheck {
            allowed_error_ratio: 1.0 - self.scenario.primary_slo().target.0,
            typical_error_ratio: self.scenario.delivery.defect_error_ratio.0,
            baseline_seconds: if baseline > 0.0 {
                baseline
            } else {
                service_seconds
            },
            service_seconds,
            latency_tolerance: if self.team.has(Investment::Observability) {
                LATENCY_TOLERANCE_OBSERVED
            } else {
                LATENCY_TOLERANCE
            },
        }
    }

    /// After the tick: hours accrue, daily toil is booked, costs and impact add up, and
    /// the error budget policy looks at the budget once a minute.
    pub(super) fn run_team(&mut self, tick: Tick, record: &TickRecord) {
        self.team.accrue();
        if tick % TICKS_PER_DAY == TOIL_HOUR * TICKS_PER_HOUR {
            let services = self.services.len() as f64;
            self.team.toil(Toil::CertificateRenewal, services);
            self.team.toil(Toil::DiskCleanup, services);
        }
        let mut replicas: u32 = self.services.iter().map(|s| s.replicas).sum();
        // At rest no blue/green fleet is doubled (a doubled one is in motion).
        debug_assert!(!(self.delivery_at_rest && self.delivery.double_fleet()));
        if !self.delivery_at_rest && self.delivery.double_fleet() {
            replicas += self.replicas();
        }
        self.replica_ticks += f64::from(replicas);
        if record.offered > 0 {
            self.impaired_ticks += 1.0 - record.sli();
        }
        if (tick + 1) % TICKS_PER_MINUTE == 0 {
            self.follow_guidance(tick + 1);
        }
        if tick % TICKS_PER_MINUTE == 0 && self.scenario.policy.freeze == FreezeRule::Automatic {
            let spent = record.budget_remaining <= 0.0;
            let text = match self.frozen {
                None if spent => {
                    self.frozen = Some(Freeze::ByPolicy);
                    "Error budget policy: the budget is spent, so deploys are frozen until the SLO is met again (rollbacks, hotfixes and P0 fixes only; DevOps may ask the SRE for an exception)"
                }
                Some(Freeze::ByPolicy) if !spent => {
                    self.frozen = None;
                    "Error budget policy: back within the SLO, deploys thaw"
                }
                _ => return,
            };
            self.events.push(Event {
                tick,
                kind: EventKind::Policy,
                text: text.to_string(),
            });
            // A request still waiting lapses with the thaw, after the policy says so.
            if self.frozen.is_none() {
                if let Some(lapsed) = self.thaw() {
                    self.events.push(Event {
                        tick,
                        kind: EventKind::Policy,
                        text: lapsed,
                    });
                }
            }
        }
    }

    /// Marks the guidance steps whose triggers have happened by `tick` (checked once a
    /// minute: a step waits at most a simulated minute).
    pub(super) fn follow_guidance(&mut self, tick: Tick) {
        if self.guidance_shown.iter().all(Option::is_some) {
            return;
        }
        let now = Now {
            tick,
            budget_remaining: self
                .records
                .last()
                .map_or(1.0, |r| f64::from(r.budget_remaining)),
            pages: self.pages_fired().0,
            deploys_live: self.delivery.deploys.iter().any(|d| d.live_at.is_some()),
            frozen: self.frozen.is_some(),
            incidents_mitigated: self.incidents.all().iter().any(|i| !i.is_open()),
        };
        for (shown, step) in self.guidance_shown.iter_mut().zip(&self.scenario.guidance) {
            if shown.is_none() && step.when.get_ref().fired(&now) {
                *shown = Some(tick);
            }
        }
    }

    /// The guidance steps shown so far, each with the tick it showed at, in that order.
    pub fn guidance(&self) -> Vec<(Tick, &GuidanceSpec)> {
        let mut shown: Vec<(Tick, &GuidanceSpec)> = self
            .guidance_shown
            .iter()
            .zip(&self.scenario.guidance)
            .filter_map(|(at, step)| at.map(|at| (at, step)))
            .collect();
        crate::order::sort_by_key(&mut shown, |(at, _)| *at);
        shown
    }

    /// Features in users' hands and their value.
    pub fn features_outcome(&self) -> FeatureOutcome {
        let in_use = self.delivery.deploys.iter().filter(|d| {
            d.stage == Stage::Live
                && d.feature.is_some()
                && (d.strategy != Strategy::FeatureFlag || d.flag_on)
        });
        let (mut shipped, mut value) = (0, 0);
        for d in in_use {
            shipped += 1;
            value += self.delivery.feature_of(d).map_or(0, |f| f.value);
        }
        FeatureOutcome {
            shipped,
            value,
            backlog_left: (self.delivery.backlog.len() - self.delivery.next_feature) as u32,
        }
    }

    pub fn team_outcome(&self) -> TeamOutcome {
        let (pages, pages_night) = self.pages_fired();
        TeamOutcome {
            toil_share: self.team.toil_share(),
            toil_hours: self.team.devops.toil + self.team.sre.toil,
            pages_day: pages - pages_night,
            pages_night,
            incidents: self.incidents.all().len() as u32,
            devops_hours_free: self.team.devops.available,
            sre_hours_free: self.team.sre.available,
        }
    }
}
