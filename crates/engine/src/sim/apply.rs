//! Actions: what each command does to the world and what it costs. Whether it may be done
//! at all is asked first, of [`refusals`](super::refusals): nothing below runs for a
//! refused action.

use crate::action::{Action, ActionError, Actor, StampedAction};
use crate::action_items::Fix;
use crate::clock::{ticks_from_seconds, TICKS_PER_HOUR, TICKS_PER_MINUTE};
use crate::delivery::{Strategy, Timings};
use crate::faults::FaultKind;
use crate::freeze_request::{Answer, Decision};
use crate::scenario::Role;
use crate::team::{Investment, Toil};
use crate::triage::TriageStep;

use super::refusals::{AutoscalerChange, WARM_CACHE_HOURS};
use super::{on_off, Event, EventKind, Freeze, World};

/// Minutes a fail-over takes (half with runbooks).
const FAILOVER_MINUTES: u32 = 10;

impl World {
    /// Applies an action at the current tick for `by`, or says why it cannot be done.
    pub(crate) fn apply_by(&mut self, by: Actor, action: Action) -> Result<&Event, ActionError> {
        self.check(by, action)?;
        // Any action may change a deploy (ship, roll back, flag, hotfix, restart): the
        // next tick works the pipeline's effects out again.
        self.delivery_at_rest = false;
        self.note_triage(action);
        let tick = self.tick;
        // Checked: the sub-models below still answer with a Result, but cannot refuse now.
        let text = match action {
            Action::ScaleTo { replicas, service } => {
                let s = service.map_or(self.scenario.topology().entry, usize::from);
                self.scale_to(s, replicas)
            }
            Action::ShipFeature { strategy } => self.ship_feature(strategy)?,
            Action::RollBack => {
                let timings = self.timings();
                self.delivery.roll_back(tick, &timings)?
            }
            Action::Hotfix => self.hotfix()?,
            Action::SetFlag { deploy, on } => self.delivery.set_flag(tick, deploy, on)?,
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
            } => self.set_autoscaler(usize::from(service), target_percent, max_replicas)?,
            Action::Restart { service } => self.restart(usize::from(service)),
            Action::FailOver { service } => self.fail_over(usize::from(service)),
            Action::WarmCache { service } => self.warm_cache(usize::from(service))?,
            Action::SetDeployFreeze { on } => self.set_freeze(on),
            Action::ResolveIncident => {
                let n = self.incidents.resolve(tick).map_err(ActionError::Refused)?;
                format!("Resolved incident #{n}")
            }
            Action::WritePostmortem => self.write_postmortem().map_err(ActionError::Refused)?,
            Action::ShipActionItem { item } => {
                self.ship_action_item(item).map_err(ActionError::Refused)?
            }
            Action::AskToShip { strategy } => self.ask_to_ship(strategy)?,
            Action::AnswerFreezeRequest { approve } => self.answer_freeze_request(approve)?,
            Action::SetLoadShedding { service, on } => {
                let s = usize::from(service);
                self.services[s].load_shedding = on;
                format!(
                    "Load shedding on {} switched {}",
                    self.service_name(s),
                    on_off(on)
                )
            }
            Action::SetCircuitBreaker { service, on } => {
                let s = usize::from(service);
                self.breaker_enabled[s] = on;
                format!(
                    "Circuit breaker on calls to {} switched {}",
                    self.service_name(s),
                    on_off(on)
                )
            }
            Action::SetRetries { on } => {
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
                let s = usize::from(service);
                let limit = (rps > 0).then_some(f64::from(rps));
                self.services[s].rate_limit_rps = limit;
                let name = self.service_name(s);
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

    fn scale_to(&mut self, s: usize, replicas: u32) -> String {
        let from = self.services[s].replicas;
        self.services[s].replicas = replicas;
        let spec = &self.scenario.services[s];
        let capacity = self.services[s].capacity_rps(spec);
        format!(
            "Scaled {} from {from} to {replicas} replicas (capacity {capacity:.0} requests/s)",
            spec.name.get_ref()
        )
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

    fn ship_feature(&mut self, strategy: Strategy) -> Result<String, ActionError> {
        self.feature_to_ship()?;
        self.ship_next(strategy)
    }

    /// Commits the next feature to the pipeline (checked: it may ship, freeze aside).
    fn ship_next(&mut self, strategy: Strategy) -> Result<String, ActionError> {
        let feature = self.feature_ready()?.clone();
        // A postmortem's canary step puts an all-at-once change through a canary.
        let strategy = match strategy {
            Strategy::AllAtOnce if self.action_items.has(Fix::CanaryStep) => Strategy::Canary,
            chosen => chosen,
        };
        let regression_tests = if self.action_items.has(Fix::RegressionTests) {
            0.5
        } else {
            1.0
        };
        self.team
            .spend(Role::Devops, feature.effort_hours, &feature.name)
            .map_err(ActionError::Refused)?;
        self.team.toil(Toil::ManualDeploy, 1.0);
        let defect = feature.defect(
            self.scenario.delivery.defect_probability.0,
            self.team.test_factor() * regression_tests,
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
        let (of, effort) = self.hotfix_to_make()?;
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
        let change = self.autoscaler_change(s, target_percent, max_replicas)?;
        let name = self.service_name(s).to_string();
        Ok(match change {
            AutoscalerChange::Off => {
                self.autoscale[s] = None;
                format!("Autoscaler of {name} switched off")
            }
            AutoscalerChange::To(spec) => {
                let min = spec.min_replicas.0;
                self.autoscale[s] = Some(spec);
                format!(
                    "Autoscaler of {name}: aim for {target_percent} % utilisation, {min}–{max_replicas} replicas"
                )
            }
        })
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
        let name = self.service_name(s);
        if toil > 0.0 {
            format!("Rolling restart of {name} (30 min of manual toil); caches cool a little")
        } else {
            format!("Rolling restart of {name} (automated); caches cool a little")
        }
    }

    fn fail_over(&mut self, s: usize) -> String {
        let minutes = if self.team.has(Investment::Runbooks) {
            FAILOVER_MINUTES / 2
        } else {
            FAILOVER_MINUTES
        };
        self.failing_over
            .push((s, self.tick + ticks_from_seconds(u64::from(minutes) * 60)));
        format!(
            "Failing over {}: its lost replicas start in healthy zones, serving in {minutes} min",
            self.service_name(s)
        )
    }

    fn warm_cache(&mut self, s: usize) -> Result<String, ActionError> {
        self.team
            .spend(Role::Sre, WARM_CACHE_HOURS, "warming a cache")
            .map_err(ActionError::Refused)?;
        self.cache_warmth[s] = 1.0;
        Ok(format!(
            "Loaded {}'s cache from a snapshot (1 SRE hour): it answers from cache again",
            self.service_name(s)
        ))
    }

    /// Freezes or thaws deploys by the SRE's hand (checked: the policy allows it).
    fn set_freeze(&mut self, on: bool) -> String {
        if on {
            self.frozen = Some(Freeze::BySre);
            "Deploys frozen by the SRE to protect the error budget".to_string()
        } else {
            match self.thaw() {
                Some(lapsed) => format!("Deploys thawed by the SRE. {lapsed}"),
                None => "Deploys thawed by the SRE".to_string(),
            }
        }
    }

    /// DevOps asks the SRE for an exception to ship the next feature during the freeze
    /// (checked: frozen, none waits, the feature could ship).
    fn ask_to_ship(&mut self, strategy: Strategy) -> Result<String, ActionError> {
        let feature = self.feature_to_ask_for()?.name.clone();
        let number = self
            .freeze_requests
            .ask(self.tick, feature.clone(), strategy);
        Ok(format!(
            "Request #{number}: DevOps asks the SRE for an exception to the freeze, to ship \"{feature}\" ({})",
            strategy.label().to_ascii_lowercase()
        ))
    }

    /// The SRE answers the waiting request; an approval ships its feature through the
    /// freeze at once (checked: a request waits, and an approved feature can ship).
    fn answer_freeze_request(&mut self, approve: bool) -> Result<String, ActionError> {
        let answer = self.freeze_answer(if approve {
            Decision::Approved
        } else {
            Decision::Declined
        });
        let strategy = self.freeze_requests.waiting().map(|r| r.strategy);
        let shipped = match strategy {
            Some(strategy) if approve => Some(self.ship_next(strategy)?),
            _ => None,
        };
        let request = self
            .freeze_requests
            .answer(answer)
            .ok_or(ActionError::NotNow(
                "no request to ship through the freeze is waiting",
            ))?;
        let text = format!(
            "Request #{} to ship \"{}\" during the freeze {} by the SRE, {}",
            request.number,
            request.feature,
            answer.decision.label(),
            answer.reasons()
        );
        Ok(match shipped {
            Some(shipped) => format!("{text}. {shipped}"),
            None => text,
        })
    }

    /// An answer given now, with the record's reasons (the pager shows them beside a
    /// waiting request before anyone answers).
    pub fn freeze_answer(&self, decision: Decision) -> Answer {
        Answer {
            at: self.tick,
            decision,
            budget_left: self
                .records
                .last()
                .map_or(1.0, |r| f64::from(r.budget_remaining)),
            burn_rate_1h: self.burn_rate_at(self.tick, TICKS_PER_HOUR),
            incident_open: self.incidents.open().is_some(),
        }
    }

    /// Deploys thaw: a request still waiting lapses (DevOps ships as usual). Returns the
    /// sentence for the record when one lapsed.
    pub(super) fn thaw(&mut self) -> Option<String> {
        self.frozen = None;
        let lapsed = self.freeze_answer(Decision::Lapsed);
        let request = self.freeze_requests.answer(lapsed)?;
        Some(format!(
            "Request #{} to ship \"{}\" lapsed: deploys thawed before the SRE answered",
            request.number, request.feature
        ))
    }

    /// Records the first time the SRE works a service during an incident with more than
    /// one service in trouble, against the order of harm at that moment.
    fn note_triage(&mut self, action: Action) {
        let entry = self.scenario.topology().entry;
        let Some(service) = action.service(entry) else {
            return;
        };
        let Some(incident) = self.incidents.open().map(|i| i.number) else {
            return;
        };
        // A service already worked in this incident is being repaired (a fail-over takes
        // minutes to serve); the choice is among the others still failing.
        if self.worked_this_incident(service) {
            return;
        }
        let mut by_harm = self.harm();
        by_harm.retain(|h| !self.worked_this_incident(h.service));
        if by_harm.len() < 2 {
            return;
        }
        self.triage.push(TriageStep {
            tick: self.tick,
            incident,
            worked: service,
            worked_name: self.service_name(service).to_string(),
            by_harm,
        });
    }
}
