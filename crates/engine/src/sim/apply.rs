//! Actions: what each command does to the world, what it costs, and why it may be refused.

use crate::action::{Action, ActionError, Actor, StampedAction, MAX_REPLICAS};
use crate::clock::{ticks_from_seconds, TICKS_PER_MINUTE};
use crate::delivery::{Strategy, Timings};
use crate::faults::FaultKind;
use crate::scenario::{AutoscaleSpec, Bounded, FreezeRule, NonNegative, Ratio, Role};
use crate::team::{Investment, Toil, POSTMORTEM_HOURS};

use super::{on_off, Event, EventKind, Freeze, World};

/// Minutes a fail-over takes (half with runbooks).
const FAILOVER_MINUTES: u32 = 10;

impl World {
    /// Applies an action at the current tick for `by`, or says why it cannot be done.
    pub(crate) fn apply_by(&mut self, by: Actor, action: Action) -> Result<&Event, ActionError> {
        if self.is_finished() {
            return Err(ActionError::RunOver);
        }
        if let (Some(mine), Some(theirs)) = (by.role, action.role()) {
            if mine != theirs {
                return Err(ActionError::NotYourRole(theirs.label()));
            }
        }
        let tick = self.tick;
        let text = match action {
            Action::ScaleTo { replicas, service } => {
                let s = match service {
                    Some(s) => self.service_index(s)?,
                    None => self.scenario.topology().entry,
                };
                self.scale_to(s, replicas)?
            }
            Action::ShipFeature { strategy } => self.ship_feature(strategy)?,
            Action::RollBack => {
                let timings = self.timings();
                self.delivery.roll_back(tick, &timings)?
            }
            Action::Hotfix => self.hotfix()?,
            Action::SetFlag { deploy, on } => {
                if on {
                    self.deploys_allowed()?;
                }
                self.delivery.set_flag(tick, deploy, on)?
            }
            Action::Invest { investment } => {
                self.team.invest(investment).map_err(ActionError::Refused)?;
                format!(
                    "Invested {:.0} {} engineer-hours in {}: {}",
                    investment.hours(),
                    investment.role().label(),
                    investment.label().to_ascii_lowercase(),
                    investment.explain()
                )
            }
            Action::SetAutoscaler {
                service,
                target_percent,
                max_replicas,
            } => {
                let s = self.service_index(service)?;
                self.set_autoscaler(s, target_percent, max_replicas)?
            }
            Action::Restart { service } => {
                let s = self.service_index(service)?;
                self.restart(s)
            }
            Action::FailOver { service } => {
                let s = self.service_index(service)?;
                self.fail_over(s)?
            }
            Action::WarmCache { service } => {
                let s = self.service_index(service)?;
                self.warm_cache(s)?
            }
            Action::SetDeployFreeze { on } => self.set_freeze(on)?,
            Action::ResolveIncident => {
                let n = self.incidents.resolve(tick).map_err(ActionError::Refused)?;
                format!("Resolved incident #{n}")
            }
            Action::WritePostmortem => {
                let owed = self
                    .incidents
                    .postmortem_owed()
                    .ok_or(ActionError::NotNow("no incident owes a postmortem"))?
                    .number;
                self.team
                    .spend(Role::Sre, POSTMORTEM_HOURS, "a postmortem")
                    .map_err(ActionError::Refused)?;
                self.incidents
                    .write_postmortem(tick)
                    .map_err(ActionError::NotNow)?;
                format!("Postmortem of incident #{owed} written ({POSTMORTEM_HOURS:.0} SRE hours), with its action items")
            }
            Action::SetLoadShedding { service, on } => {
                let s = self.service_index(service)?;
                let name = self.scenario.services[s].name.get_ref().clone();
                let state = &mut self.services[s];
                if state.load_shedding == on {
                    return Err(ActionError::AlreadySo(format!(
                        "load shedding on {name} is already {}",
                        on_off(on)
                    )));
                }
                state.load_shedding = on;
                format!("Load shedding on {name} switched {}", on_off(on))
            }
            Action::SetCircuitBreaker { service, on } => {
                let s = self.service_index(service)?;
                let name = self.scenario.services[s].name.get_ref().clone();
                if self.breaker_enabled[s] == on {
                    return Err(ActionError::AlreadySo(format!(
                        "the circuit breaker on {name} is already {}",
                        on_off(on)
                    )));
                }
                self.breaker_enabled[s] = on;
                format!("Circuit breaker on calls to {name} switched {}", on_off(on))
            }
            Action::SetRetries { on } => {
                if self.retries_enabled == on {
                    return Err(ActionError::AlreadySo(format!(
                        "retries are already {}",
                        on_off(on)
                    )));
                }
                self.retries_enabled = on;
                format!(
                    "Retries switched {} for every client and service",
                    on_off(on)
                )
            }
            Action::AcknowledgePage => {
                // The pager showed the incident at the end of the last simulated tick: an
                // acknowledgement now answers that tick (0 s when done at once).
                let seen = self.tick.saturating_sub(1);
                let n = self
                    .incidents
                    .acknowledge(seen)
                    .map_err(ActionError::NotNow)?;
                format!("Acknowledged incident #{n}: you are on it")
            }
            Action::SetRateLimit { service, rps } => {
                let s = self.service_index(service)?;
                let name = self.scenario.services[s].name.get_ref().clone();
                let limit = (rps > 0).then_some(f64::from(rps));
                if self.services[s].rate_limit_rps == limit {
                    return Err(ActionError::AlreadySo(format!(
                        "{name}'s rate limit is already that"
                    )));
                }
                self.services[s].rate_limit_rps = limit;
                match limit {
                    Some(_) => format!("Rate limit on {name}: at most {rps} requests/s admitted"),
                    None => format!("Rate limit on {name} removed"),
                }
            }
        };
        let stamped = StampedAction { tick, action, by };
        self.hasher.update(b"action");
        self.hasher.update(&self.tick.to_le_bytes());
        self.hasher.update(&action.encode());
        self.actions.push(stamped);
        let text = match by.bot {
            Some(policy) => format!(
                "{} bot ({}): {text}",
                by.role.map_or("", Role::label),
                policy.label().to_ascii_lowercase()
            ),
            None => text,
        };
        self.events.push(Event {
            tick,
            kind: EventKind::Action,
            text,
        });
        Ok(self.events.last().expect("an event was just pushed"))
    }

    fn service_index(&self, service: u16) -> Result<usize, ActionError> {
        let s = usize::from(service);
        if s < self.services.len() {
            Ok(s)
        } else {
            Err(ActionError::UnknownService(service))
        }
    }

    fn scale_to(&mut self, s: usize, replicas: u32) -> Result<String, ActionError> {
        if !(1..=MAX_REPLICAS).contains(&replicas) {
            return Err(ActionError::ReplicasOutOfRange(replicas));
        }
        let from = self.services[s].replicas;
        if replicas == from {
            return Err(ActionError::NoChange(replicas));
        }
        self.services[s].replicas = replicas;
        let spec = &self.scenario.services[s];
        let capacity = self.services[s].capacity_rps(spec);
        Ok(format!(
            "Scaled {} from {from} to {replicas} replicas (capacity {capacity:.0} requests/s)",
            spec.name.get_ref()
        ))
    }

    /// Stage durations now, after investments.
    pub fn timings(&self) -> Timings {
        let mut timings = Timings::new(
            &self.scenario.delivery.pipeline,
            self.team.has(Investment::DeployAutomation),
        );
        if self.team.has(Investment::Runbooks) {
            timings.rollback = (timings.rollback / 2).max(1);
        }
        timings
    }

    /// Why deploys are not allowed now, if they are not.
    pub fn deploys_allowed(&self) -> Result<(), ActionError> {
        match self.frozen {
            None => Ok(()),
            Some(Freeze::ByPolicy) => Err(ActionError::Refused(
                "deploys are frozen: the error budget is spent (policy); rollbacks and hotfixes only, until the SLO is met again".to_string(),
            )),
            Some(Freeze::BySre) => Err(ActionError::Refused(
                "deploys are frozen by the SRE to protect the error budget; rollbacks and hotfixes only".to_string(),
            )),
        }
    }

    fn ship_feature(&mut self, strategy: Strategy) -> Result<String, ActionError> {
        self.deploys_allowed()?;
        // Checked before the hours are spent: a refused ship costs nothing.
        let feature = self.delivery.ready()?.clone();
        self.team
            .spend(Role::Devops, feature.effort_hours, &feature.name)
            .map_err(ActionError::Refused)?;
        self.team.toil(Toil::ManualDeploy, 1.0);
        let defect = feature.defect(
            self.scenario.delivery.defect_probability.0,
            self.team.test_factor(),
        );
        let timings = self.timings();
        let deploy = self.delivery.ship(self.tick, strategy, &timings, defect)?;
        Ok(format!(
            "Committed \"{}\" ({:.0} h of work) as deploy #{}: {}, in production in {} min",
            feature.name,
            feature.effort_hours,
            deploy.number,
            strategy.label().to_ascii_lowercase(),
            timings.lead_ticks(strategy) / TICKS_PER_MINUTE
        ))
    }

    fn hotfix(&mut self) -> Result<String, ActionError> {
        let tick = self.tick;
        let (of, effort) = {
            let target = self
                .delivery
                .deploys
                .iter()
                .rev()
                .find(|d| d.is_live() && d.hotfix_of.is_none())
                .ok_or(ActionError::NotNow("no live deploy to fix"))?;
            let effort = self
                .delivery
                .feature_of(target)
                .map_or(4.0, |f| (f.effort_hours / 4.0).max(2.0));
            (target.number, effort)
        };
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
            .spend(Role::Devops, effort, "a hotfix")
            .map_err(ActionError::Refused)?;
        if let Some(target) = self.delivery.deploys.iter_mut().find(|d| d.number == of) {
            target.failed_at.get_or_insert(tick);
        }
        let timings = self.timings();
        let number = self.delivery.hotfix(tick, of, &timings).number;
        Ok(format!(
            "Hotfix for deploy #{of} committed as deploy #{number} ({effort:.0} h): live in {} min, no canary",
            (timings.build + timings.test) / TICKS_PER_MINUTE
        ))
    }

    fn set_autoscaler(
        &mut self,
        s: usize,
        target_percent: u32,
        max_replicas: u32,
    ) -> Result<String, ActionError> {
        let name = self.scenario.services[s].name.get_ref().clone();
        if max_replicas == 0 {
            if self.autoscale[s].take().is_none() {
                return Err(ActionError::AlreadySo(format!("{name} has no autoscaler")));
            }
            return Ok(format!("Autoscaler of {name} switched off"));
        }
        if !(10..=95).contains(&target_percent) {
            return Err(ActionError::Refused(format!(
                "target utilisation must be 10–95 %, not {target_percent} %"
            )));
        }
        if max_replicas > MAX_REPLICAS {
            return Err(ActionError::ReplicasOutOfRange(max_replicas));
        }
        let old = self.autoscale[s].clone();
        let min = old
            .as_ref()
            .map_or(1, |a| a.min_replicas.0)
            .min(max_replicas);
        let spec = AutoscaleSpec {
            target_utilization: Ratio(f64::from(target_percent) / 100.0),
            min_replicas: Bounded(min),
            max_replicas: Bounded(max_replicas),
            provisioning_seconds: old
                .as_ref()
                .map_or(NonNegative(120.0), |a| a.provisioning_seconds),
            cooldown_seconds: old
                .as_ref()
                .map_or(NonNegative(300.0), |a| a.cooldown_seconds),
        };
        if old.as_ref() == Some(&spec) {
            return Err(ActionError::AlreadySo(format!(
                "{name}'s autoscaler already has these settings"
            )));
        }
        self.autoscale[s] = Some(spec);
        Ok(format!(
            "Autoscaler of {name}: aim for {target_percent} % utilisation, {min}–{max_replicas} replicas"
        ))
    }

    /// A rolling restart: leaks start over, caches lose what each restarted replica held.
    fn restart(&mut self, s: usize) -> String {
        let tick = self.tick;
        if s == self.scenario.topology().entry {
            self.delivery.restart(tick);
        }
        // A leak fault ends with the restart (the process starts with empty memory).
        for &i in &self.active_faults {
            let fault = &mut self.faults[i];
            if fault.kind == FaultKind::MemoryLeak && fault.service == Some(s) {
                fault.ticks = (tick - fault.start).max(1);
            }
        }
        self.cache_warmth[s] *= 0.5;
        let toil = self.team.toil(Toil::ManualRestart, 1.0);
        let name = self.scenario.services[s].name.get_ref();
        if toil > 0.0 {
            format!("Rolling restart of {name} (30 min of manual toil); caches cool a little")
        } else {
            format!("Rolling restart of {name} (automated); caches cool a little")
        }
    }

    fn fail_over(&mut self, s: usize) -> Result<String, ActionError> {
        let name = self.scenario.services[s].name.get_ref().clone();
        let zone_down = self.active_faults.iter().any(|&i| {
            self.faults[i].kind == FaultKind::ZoneLoss && self.faults[i].service == Some(s)
        });
        if !zone_down {
            return Err(ActionError::Refused(format!(
                "no zone is down for {name}: failing over moves work out of a lost zone"
            )));
        }
        if self.evacuated[s] || self.failing_over.iter().any(|(f, _)| *f == s) {
            return Err(ActionError::AlreadySo(format!(
                "{name} is already failing over"
            )));
        }
        let minutes = if self.team.has(Investment::Runbooks) {
            FAILOVER_MINUTES / 2
        } else {
            FAILOVER_MINUTES
        };
        self.failing_over
            .push((s, self.tick + ticks_from_seconds(u64::from(minutes) * 60)));
        Ok(format!(
            "Failing over {name}: its lost replicas start in healthy zones, serving in {minutes} min"
        ))
    }

    fn warm_cache(&mut self, s: usize) -> Result<String, ActionError> {
        let name = self.scenario.services[s].name.get_ref().clone();
        if self.scenario.services[s].cache.is_none() {
            return Err(ActionError::Refused(format!("{name} has no cache")));
        }
        if self.cache_warmth[s] > 0.95 {
            return Err(ActionError::AlreadySo(format!(
                "{name}'s cache is already warm"
            )));
        }
        self.team
            .spend(Role::Sre, 1.0, "warming a cache")
            .map_err(ActionError::Refused)?;
        self.cache_warmth[s] = 1.0;
        Ok(format!(
            "Loaded {name}'s cache from a snapshot (1 SRE hour): it answers from cache again"
        ))
    }

    fn set_freeze(&mut self, on: bool) -> Result<String, ActionError> {
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
            (None, true) => {
                self.frozen = Some(Freeze::BySre);
                Ok("Deploys frozen by the SRE to protect the error budget".to_string())
            }
            (Some(Freeze::BySre), false) => {
                self.frozen = None;
                Ok("Deploys thawed by the SRE".to_string())
            }
        }
    }
}
