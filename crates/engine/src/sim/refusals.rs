//! Why an action cannot be done now: every rule that refuses an action, in one place.
//!
//! [`World::refusal`] answers without changing anything, so a shell can grey out what is
//! refused and say why before anyone presses it; [`World::apply_by`](super::apply) asks the
//! same question first, so what a screen offers and what the world accepts never disagree.
//! The checks run in the order the effects would, and the first one that fails is the
//! answer: a refused action costs nothing and leaves no trace in the run.

use crate::action::{Action, ActionError, Actor, MAX_REPLICAS};
use crate::action_items::Priority;
use crate::delivery::Feature;
use crate::faults::FaultKind;
use crate::scenario::{AutoscaleSpec, Bounded, FreezeRule, NonNegative, Ratio, Role};
use crate::team::POSTMORTEM_HOURS;

use super::{on_off, Freeze, World};

/// Engineer-hours of SRE time that loading a cache snapshot takes.
pub(super) const WARM_CACHE_HOURS: f64 = 1.0;

/// What a change to a service's autoscaler amounts to, once it is allowed.
pub(super) enum AutoscalerChange {
    /// Switch it off.
    Off,
    /// Run it with these settings.
    To(AutoscaleSpec),
}

impl World {
    /// Why `by` cannot do `action` now, or `None` when it would be done. Changes nothing.
    pub fn refusal(&self, by: Actor, action: Action) -> Option<ActionError> {
        self.check(by, action).err()
    }

    /// `Ok` when `by` may do `action` now, else the first rule it breaks.
    pub(super) fn check(&self, by: Actor, action: Action) -> Result<(), ActionError> {
        if self.is_finished() {
            return Err(ActionError::RunOver);
        }
        if let (Some(mine), Some(theirs)) = (by.role, action.role()) {
            if mine != theirs {
                return Err(ActionError::NotYourRole(theirs.label()));
            }
        }
        match action {
            Action::ScaleTo { replicas, service } => {
                let s = match service {
                    Some(s) => self.service_index(s)?,
                    None => self.scenario.topology().entry,
                };
                self.check_scale(s, replicas)
            }
            Action::ShipFeature { .. } => self.feature_to_ship().map(drop),
            Action::RollBack => self.delivery.to_roll_back().map(drop),
            Action::Hotfix => self.hotfix_to_make().map(drop),
            Action::SetFlag { deploy, on } => {
                if on {
                    self.deploys_allowed()?;
                }
                self.delivery.flag_to_set(deploy, on).map(drop)
            }
            Action::Invest { investment } => self
                .team
                .check_invest(investment)
                .map_err(ActionError::Refused),
            Action::SetAutoscaler {
                service,
                target_percent,
                max_replicas,
            } => {
                let s = self.service_index(service)?;
                self.autoscaler_change(s, target_percent, max_replicas)
                    .map(drop)
            }
            Action::Restart { service } => self.service_index(service).map(drop),
            Action::FailOver { service } => {
                let s = self.service_index(service)?;
                self.check_fail_over(s)
            }
            Action::WarmCache { service } => {
                let s = self.service_index(service)?;
                self.check_warm_cache(s)
            }
            Action::SetDeployFreeze { on } => self.check_freeze(on),
            Action::ResolveIncident => self.incidents.check_resolve().map_err(ActionError::Refused),
            Action::WritePostmortem => {
                self.incidents
                    .postmortem_owed()
                    .ok_or(ActionError::NotNow("no incident owes a postmortem"))?;
                self.team
                    .check_spend(Role::Sre, POSTMORTEM_HOURS, "a postmortem")
                    .map_err(ActionError::Refused)
            }
            Action::ShipActionItem { item } => self.check_action_item(item),
            Action::AskToShip { .. } => self.feature_to_ask_for().map(drop),
            Action::AnswerFreezeRequest { approve } => self.check_answer(approve),
            Action::SetLoadShedding { service, on } => {
                let s = self.service_index(service)?;
                if self.services[s].load_shedding == on {
                    return Err(ActionError::AlreadySo(format!(
                        "load shedding on {} is already {}",
                        self.service_name(s),
                        on_off(on)
                    )));
                }
                Ok(())
            }
            Action::SetCircuitBreaker { service, on } => {
                let s = self.service_index(service)?;
                if self.breaker_enabled[s] == on {
                    return Err(ActionError::AlreadySo(format!(
                        "the circuit breaker on {} is already {}",
                        self.service_name(s),
                        on_off(on)
                    )));
                }
                Ok(())
            }
            Action::SetRetries { on } => {
                if self.retries_enabled == on {
                    return Err(ActionError::AlreadySo(format!(
                        "retries are already {}",
                        on_off(on)
                    )));
                }
                Ok(())
            }
            Action::AcknowledgePage => self
                .incidents
                .check_acknowledge()
                .map_err(ActionError::NotNow),
            Action::SetRateLimit { service, rps } => {
                let s = self.service_index(service)?;
                if self.services[s].rate_limit_rps == (rps > 0).then_some(f64::from(rps)) {
                    return Err(ActionError::AlreadySo(format!(
                        "{}'s rate limit is already that",
                        self.service_name(s)
                    )));
                }
                Ok(())
            }
        }
    }

    /// The service an action names (its index), or why there is no such service.
    pub(super) fn service_index(&self, service: u16) -> Result<usize, ActionError> {
        let s = usize::from(service);
        if s < self.services.len() {
            Ok(s)
        } else {
            Err(ActionError::UnknownService(service))
        }
    }

    pub(super) fn service_name(&self, s: usize) -> &str {
        self.scenario.services[s].name.get_ref()
    }

    fn check_scale(&self, s: usize, replicas: u32) -> Result<(), ActionError> {
        if !(1..=MAX_REPLICAS).contains(&replicas) {
            return Err(ActionError::ReplicasOutOfRange(replicas));
        }
        if replicas == self.services[s].replicas {
            return Err(ActionError::NoChange(replicas));
        }
        Ok(())
    }

    /// Why deploys are not allowed now, if they are not.
    pub fn deploys_allowed(&self) -> Result<(), ActionError> {
        match self.frozen {
            None => Ok(()),
            Some(Freeze::ByPolicy) => Err(ActionError::Refused(
                "deploys are frozen: the error budget is spent (policy); rollbacks, hotfixes and P0 fixes only, until the SLO is met again, or ask the SRE for an exception".to_string(),
            )),
            Some(Freeze::BySre) => Err(ActionError::Refused(
                "deploys are frozen by the SRE to protect the error budget; rollbacks, hotfixes and P0 fixes only, or ask the SRE for an exception".to_string(),
            )),
        }
    }

    /// Whether action item `number` may ship now: it waits, a freeze lets only P0 items
    /// through (error budget policy, DOMAIN.md), and DevOps has its hours.
    fn check_action_item(&self, number: u32) -> Result<(), ActionError> {
        let item = self
            .action_items
            .to_ship(number)
            .map_err(ActionError::Refused)?;
        if item.priority != Priority::P0 {
            self.deploys_allowed().map_err(|_| {
                ActionError::Refused(format!(
                    "deploys are frozen: only P0 fixes ship, and action item #{number} is {}",
                    item.priority.label()
                ))
            })?;
        }
        self.team
            .check_spend(Role::Devops, item.hours, "an action item")
            .map_err(ActionError::Refused)
    }

    /// The feature that would ship now, or why none may: deploys frozen, the pipeline busy
    /// or the backlog empty, or too few DevOps hours for its work.
    pub(super) fn feature_to_ship(&self) -> Result<&Feature, ActionError> {
        self.deploys_allowed()?;
        self.feature_ready()
    }

    /// The next feature, if the pipeline and DevOps' hours would let it ship (freeze aside).
    pub(super) fn feature_ready(&self) -> Result<&Feature, ActionError> {
        let feature = self.delivery.ready()?;
        self.team
            .check_spend(Role::Devops, feature.effort_hours, &feature.name)
            .map_err(ActionError::Refused)?;
        Ok(feature)
    }

    /// The feature a request to ship through the freeze would name, or why none may be
    /// asked for: deploys are not frozen (ship it), a request already waits, or the feature
    /// could not ship even if approved (pipeline, backlog, hours).
    pub(super) fn feature_to_ask_for(&self) -> Result<&Feature, ActionError> {
        if self.frozen.is_none() {
            return Err(ActionError::NotNow(
                "deploys are not frozen: ship the feature as usual",
            ));
        }
        if let Some(waiting) = self.freeze_requests.waiting() {
            return Err(ActionError::Refused(format!(
                "request #{} to ship \"{}\" is waiting for the SRE",
                waiting.number, waiting.feature
            )));
        }
        self.feature_ready()
    }

    /// Whether the SRE can answer now: a request waits and, to approve it, its feature can
    /// still ship (the pipeline is free and DevOps has the hours).
    fn check_answer(&self, approve: bool) -> Result<(), ActionError> {
        self.freeze_requests.waiting().ok_or(ActionError::NotNow(
            "no request to ship through the freeze is waiting",
        ))?;
        if approve {
            self.feature_ready()?;
        }
        Ok(())
    }

    /// The deploy a hotfix would fix and the DevOps hours it takes, or why none can be made.
    pub(super) fn hotfix_to_make(&self) -> Result<(u32, f64), ActionError> {
        let target = self
            .delivery
            .deploys
            .iter()
            .rev()
            .find(|d| d.is_live() && d.hotfix_of.is_none())
            .ok_or(ActionError::NotNow("no live deploy to fix"))?;
        let of = target.number;
        // A quarter of the feature's work, at least two hours (four for an unknown change).
        let effort = self
            .delivery
            .feature_of(target)
            .map_or(4.0, |f| (f.effort_hours / 4.0).max(2.0));
        if self
            .delivery
            .deploys
            .iter()
            .any(|d| d.hotfix_of == Some(of) && d.stage.in_pipeline())
        {
            return Err(ActionError::Refused(format!(
                "a hotfix for deploy #{of} is already in the pipeline"
            )));
        }
        self.team
            .check_spend(Role::Devops, effort, "a hotfix")
            .map_err(ActionError::Refused)?;
        Ok((of, effort))
    }

    /// What setting service `s`'s autoscaler to these values changes, or why it would not.
    /// `max_replicas` 0 switches it off.
    pub(super) fn autoscaler_change(
        &self,
        s: usize,
        target_percent: u32,
        max_replicas: u32,
    ) -> Result<AutoscalerChange, ActionError> {
        let old = self.autoscale[s].as_ref();
        if max_replicas == 0 {
            return match old {
                Some(_) => Ok(AutoscalerChange::Off),
                None => Err(ActionError::AlreadySo(format!(
                    "{} has no autoscaler",
                    self.service_name(s)
                ))),
            };
        }
        if !(10..=95).contains(&target_percent) {
            return Err(ActionError::Refused(format!(
                "target utilisation must be 10–95 %, not {target_percent} %"
            )));
        }
        if max_replicas > MAX_REPLICAS {
            return Err(ActionError::ReplicasOutOfRange(max_replicas));
        }
        // A new autoscaler boots replicas in 2 minutes and waits 5 between decisions; a
        // changed one keeps its own timings and floor.
        let spec = AutoscaleSpec {
            target_utilization: Ratio(f64::from(target_percent) / 100.0),
            min_replicas: Bounded(old.map_or(1, |a| a.min_replicas.0).min(max_replicas)),
            max_replicas: Bounded(max_replicas),
            provisioning_seconds: old.map_or(NonNegative(120.0), |a| a.provisioning_seconds),
            cooldown_seconds: old.map_or(NonNegative(300.0), |a| a.cooldown_seconds),
        };
        if old == Some(&spec) {
            return Err(ActionError::AlreadySo(format!(
                "{}'s autoscaler already has these settings",
                self.service_name(s)
            )));
        }
        Ok(AutoscalerChange::To(spec))
    }

    fn check_fail_over(&self, s: usize) -> Result<(), ActionError> {
        let zone_down = self.active_faults.iter().any(|&i| {
            self.faults[i].kind == FaultKind::ZoneLoss && self.faults[i].service == Some(s)
        });
        if !zone_down {
            return Err(ActionError::Refused(format!(
                "no zone is down for {}: failing over moves work out of a lost zone",
                self.service_name(s)
            )));
        }
        if self.evacuated[s] || self.failing_over.iter().any(|(f, _)| *f == s) {
            return Err(ActionError::AlreadySo(format!(
                "{} is already failing over",
                self.service_name(s)
            )));
        }
        Ok(())
    }

    fn check_warm_cache(&self, s: usize) -> Result<(), ActionError> {
        let name = self.service_name(s);
        if self.scenario.services[s].cache.is_none() {
            return Err(ActionError::Refused(format!("{name} has no cache")));
        }
        if self.cache_warmth[s] > 0.95 {
            return Err(ActionError::AlreadySo(format!(
                "{name}'s cache is already warm"
            )));
        }
        self.team
            .check_spend(Role::Sre, WARM_CACHE_HOURS, "warming a cache")
            .map_err(ActionError::Refused)
    }

    fn check_freeze(&self, on: bool) -> Result<(), ActionError> {
        if self.scenario.policy.freeze == FreezeRule::Off {
            return Err(ActionError::Refused(
                "this team has no error budget policy: deploys never freeze".to_string(),
            ));
        }
        match (self.frozen, on) {
            (Some(_), true) => Err(ActionError::AlreadySo(
                "deploys are already frozen".to_string(),
            )),
            (None, false) => Err(ActionError::AlreadySo("deploys are not frozen".to_string())),
            (Some(Freeze::ByPolicy), false) => Err(ActionError::Refused(
                "the policy froze deploys: they thaw once the SLO is met again".to_string(),
            )),
            (None, true) | (Some(Freeze::BySre), false) => Ok(()),
        }
    }
}
