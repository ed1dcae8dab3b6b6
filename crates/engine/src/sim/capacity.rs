//! Phase "capacity": replicas that finished booting start serving, fail-overs complete,
//! and target-tracking autoscalers decide once a simulated minute.

use crate::action_items::Fix;
use crate::clock::{ticks_from_seconds, Tick, TICKS_PER_MINUTE};
use crate::math;
use crate::service::MAX_REPLICAS;

use super::output::{Event, EventKind};
use super::World;

/// What an autoscaler remembers.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct AutoscalerState {
    pub(super) last_change: Option<Tick>,
    /// Σ utilisation over this minute's ticks.
    pub(super) utilization_sum: f64,
}

impl World {
    /// Replicas that finished booting start serving.
    pub(super) fn bring_up_replicas(&mut self, tick: Tick) {
        for (s, state) in self.services.iter_mut().enumerate() {
            let ready: u32 = state
                .provisioning
                .iter()
                .filter(|(at, _)| *at <= tick)
                .map(|(_, n)| n)
                .sum();
            if ready > 0 {
                state.provisioning.retain(|(at, _)| *at > tick);
                let from = state.replicas;
                state.replicas = (state.replicas + ready).min(MAX_REPLICAS);
                let name = self.scenario.services[s].name.get_ref();
                self.events.push(Event {
                    tick,
                    kind: EventKind::Autoscaler,
                    text: format!(
                        "Autoscaler: {name} now serves with {} replicas (was {from})",
                        state.replicas
                    ),
                });
            }
        }
    }
    /// Target-tracking autoscalers, evaluated once a simulated minute on the minute's mean
    /// utilisation: desired = ⌈replicas × utilisation / target⌉, within min–max; new
    /// replicas serve after the provisioning delay; no change within the cooldown.
    pub(super) fn autoscale(&mut self, tick: Tick) {
        for (s, spec) in self.scenario.services.iter().enumerate() {
            let Some(autoscale) = &self.autoscale[s] else {
                continue;
            };
            let state = &mut self.autoscalers[s];
            state.utilization_sum += self.service_ticks[s].utilization;
            if (tick + 1) % TICKS_PER_MINUTE != 0 {
                continue;
            }
            let utilization =
                std::mem::take(&mut state.utilization_sum) / f64::from(TICKS_PER_MINUTE);
            let cooldown = ticks_from_seconds(autoscale.cooldown_seconds.0 as u64);
            if state.last_change.is_some_and(|at| tick < at + cooldown) {
                continue;
            }
            let service = &mut self.services[s];
            let booting: u32 = service.provisioning.iter().map(|(_, n)| n).sum();
            let planned = service.replicas + booting;
            let busy = f64::from(service.serving_replicas()) * utilization;
            let desired = (math::ceil(busy / autoscale.target_utilization.0.max(0.01)) as u32)
                .clamp(autoscale.min_replicas.0, autoscale.max_replicas.0);
            let name = spec.name.get_ref();
            let text = if desired > planned {
                // Reserved capacity (a postmortem's item) is warm: it serves at once.
                let seconds = if self.action_items.has(Fix::CapacityReservation) {
                    0.0
                } else {
                    autoscale.provisioning_seconds.0
                };
                let delay = ticks_from_seconds(seconds as u64);
                service
                    .provisioning
                    .push((tick + 1 + delay, desired - planned));
                format!(
                    "Autoscaler: {name} at {:.0} % utilisation (target {:.0} %); starting {} replicas, ready in {}",
                    utilization * 100.0,
                    autoscale.target_utilization.0 * 100.0,
                    desired - planned,
                    crate::clock::format_duration(seconds)
                )
            } else if desired < service.replicas && booting == 0 {
                let from = service.replicas;
                service.replicas = desired;
                format!(
                    "Autoscaler: {name} at {:.0} % utilisation; scaled in from {from} to {desired} replicas",
                    utilization * 100.0
                )
            } else {
                continue;
            };
            state.last_change = Some(tick);
            self.events.push(Event {
                tick,
                kind: EventKind::Autoscaler,
                text,
            });
        }
    }

    /// Fail-overs whose replicas are now serving in healthy zones.
    pub(super) fn finish_failovers(&mut self, tick: Tick) {
        // Nearly every tick has none: skip the partition and its bookkeeping.
        if self.failing_over.is_empty() {
            return;
        }
        let (done, waiting): (Vec<_>, Vec<_>) =
            self.failing_over.iter().partition(|(_, at)| *at <= tick);
        self.failing_over = waiting;
        for (s, _) in done {
            self.evacuated[s] = true;
            self.events.push(Event {
                tick,
                kind: EventKind::Action,
                text: format!(
                    "Fail-over done: {} serves from healthy zones",
                    self.scenario.services[s].name.get_ref()
                ),
            });
        }
    }
}
