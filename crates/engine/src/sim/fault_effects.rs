//! Phase "faults in progress": the run's fault schedule (fixed by the seed) starts and ends
//! faults, and sets what the ones in progress do to each service this tick.

use crate::action_items::{ActionItems, Fix};
use crate::clock::Tick;
use crate::faults::{self, Effects, FaultKind};
use crate::team::{Investment, Team};

use super::output::{Event, EventKind};
use super::World;

/// How an automation the SRE team has invested in stops a fault of this kind before users
/// feel it, as the investment promises (see `Investment`), said after the service's name;
/// `None` when nothing in place stops it.
fn averted(kind: FaultKind, team: &Team, items: &ActionItems) -> Option<&'static str> {
    if items.has(Fix::Prevent { fault: kind }) {
        return Some("was about to fail the way it did before; the postmortem's fix stopped it");
    }
    let (investment, text) = match kind {
        FaultKind::CertificateExpiry => (
            Investment::AutomateCertificates,
            "had a TLS certificate due to expire; automated renewal replaced it in time",
        ),
        FaultKind::DiskFull => (
            Investment::AutomateDiskCleanup,
            "was filling its disk; the cleanup job freed the space in time",
        ),
        FaultKind::MemoryLeak => (
            Investment::AutomateRestarts,
            "started to leak memory; automated restarts recycled it before it slowed down",
        ),
        _ => return None,
    };
    team.has(investment).then_some(text)
}

impl World {
    /// Starts and ends faults, and sets what the ones in progress do this tick.
    pub(super) fn apply_faults(&mut self, tick: Tick) {
        let starting = self
            .faults
            .get(self.next_fault)
            .is_some_and(|f| f.start <= tick);
        if !starting && self.active_faults.is_empty() {
            return;
        }
        while let Some(fault) = self.faults.get(self.next_fault).copied() {
            if fault.start > tick {
                break;
            }
            self.next_fault += 1;
            if fault.ticks == 0 {
                continue;
            }
            let name = fault
                .service
                .map(|s| self.scenario.services[s].name.get_ref().as_str());
            if let Some(averted) = averted(fault.kind, &self.team, &self.action_items) {
                let text = format!("Fault avoided: {} {averted}", name.unwrap_or("users"));
                self.events.push(Event {
                    tick,
                    kind: EventKind::Fault,
                    text,
                });
                continue;
            }
            let index = self.next_fault - 1;
            let faster = Fix::FasterRepair { fault: fault.kind };
            if self.action_items.has(faster) {
                // The postmortem's alert and runbook: found sooner, repaired in half the time.
                self.faults[index].ticks = (fault.ticks / 2).max(1);
            }
            self.active_faults.push(index);
            self.started_faults.push(index);
            if let Some(s) = fault.service {
                // Restarts come back with a cold cache (their share of it, for one replica).
                let replicas = f64::from(self.services[s].replicas.max(1));
                match fault.kind {
                    FaultKind::InstanceCrash => self.cache_warmth[s] *= (replicas - 1.0) / replicas,
                    FaultKind::BadConfigPush => self.cache_warmth[s] = 0.0,
                    _ => {}
                }
            }
            let mut text = faults::describe_start(&self.faults[index], name);
            if self.action_items.has(faster) {
                text.push_str(" (the postmortem's runbook halves the repair)");
            }
            self.events.push(Event {
                tick,
                kind: EventKind::Fault,
                text,
            });
        }
        let mut ended = Vec::new();
        self.active_faults.retain(|&i| {
            let over = !self.faults[i].is_active(tick);
            if over {
                ended.push(i);
            }
            !over
        });
        for i in ended {
            let fault = self.faults[i];
            let name = fault.service.map_or("users", |s| {
                self.scenario.services[s].name.get_ref().as_str()
            });
            if let (FaultKind::MemoryLeak, Some(s)) = (fault.kind, fault.service) {
                // The leak ends the way leaks do: out of memory, a restart, a cold cache.
                self.cache_warmth[s] = 0.0;
            }
            let text = format!("Fault over: {} ({name})", fault.kind.label());
            self.events.push(Event {
                tick,
                kind: EventKind::Fault,
                text,
            });
        }
        let replicas: Vec<u32> = self.services.iter().map(|s| s.replicas).collect();
        let mut effects = Effects::none(self.services.len());
        let mut zone_down = vec![false; self.services.len()];
        for &i in &self.active_faults {
            let fault = &self.faults[i];
            if let (FaultKind::ZoneLoss, Some(s)) = (fault.kind, fault.service) {
                zone_down[s] = true;
                // Failed over: its replicas serve from healthy zones.
                if self.evacuated[s] {
                    continue;
                }
            }
            effects.add(fault, tick, &replicas);
        }
        // A fail-over lasts as long as its zone is down.
        for (evacuated, down) in self.evacuated.iter_mut().zip(zone_down) {
            *evacuated &= down;
        }
        for (s, state) in self.services.iter_mut().enumerate() {
            state.lost_replicas = effects.lost_replicas[s].min(state.replicas);
            state.slowdown = effects.slowdown[s];
        }
        self.fault_errors = effects.error_ratio;
        self.traffic_factor = effects.traffic;
        if self.active_faults.is_empty() {
            // Leave the fast path clean: nothing is in effect any more.
            for state in &mut self.services {
                state.lost_replicas = 0;
                state.slowdown = 1.0;
            }
        }
    }
}
