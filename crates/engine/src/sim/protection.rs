//! Phase "protection": caches warm with the misses they fill, and circuit breakers open on
//! failing services and test them again later.

use crate::clock::{ticks_from_seconds, Tick};

use super::output::{Event, EventKind};
use super::World;

/// A circuit breaker's state, kept on the service its callers protect themselves from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Breaker {
    Closed,
    /// Callers fail fast until this tick, then let a trial share through.
    Open {
        until: Tick,
    },
    HalfOpen,
}

/// Share of calls an half-open breaker lets through to test the water.
pub(super) const BREAKER_TRIAL_SHARE: f64 = 0.1;

impl World {
    /// Caches warm with the misses they manage to fill.
    pub(super) fn warm_caches(&mut self, seconds: f64) {
        for (s, spec) in self.scenario.services.iter().enumerate() {
            if let Some(cache) = &spec.cache {
                let filled = 1.0 - self.scratch[s].failure;
                let warming = seconds / (cache.warm_minutes.0 * 60.0) * filled;
                self.cache_warmth[s] = (self.cache_warmth[s] + warming).min(1.0);
            }
        }
    }
    /// Circuit breakers open when a service fails too much, and test it again later.
    pub(super) fn trip_breakers(&mut self, tick: Tick) {
        let entry = self.scenario.topology().entry;
        for (s, spec) in self.scenario.services.iter().enumerate() {
            let protection = &spec.protection;
            if s == entry || !self.breaker_enabled[s] {
                self.breakers[s] = Breaker::Closed;
                continue;
            }
            let failing = self.scratch[s].failure > protection.breaker_error_ratio.0
                && self.scratch[s].arrivals_whole > 0;
            let open_ticks = ticks_from_seconds(protection.breaker_open_seconds.0 as u64).max(1);
            let name = spec.name.get_ref();
            let (next, change) = match self.breakers[s] {
                Breaker::Closed if failing => (
                    Breaker::Open {
                        until: tick + open_ticks,
                    },
                    Some(format!(
                        "Circuit breaker opened: callers stop calling {name}"
                    )),
                ),
                Breaker::Open { until } if tick + 1 >= until => (Breaker::HalfOpen, None),
                Breaker::HalfOpen if failing => (
                    Breaker::Open {
                        until: tick + open_ticks,
                    },
                    None,
                ),
                Breaker::HalfOpen => (
                    Breaker::Closed,
                    Some(format!("Circuit breaker closed: {name} answers again")),
                ),
                state => (state, None),
            };
            self.breakers[s] = next;
            if let Some(text) = change {
                self.events.push(Event {
                    tick,
                    kind: EventKind::Protection,
                    text,
                });
            }
        }
    }
}
