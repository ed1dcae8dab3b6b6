//! Phase "measurement": each SLO counts the tick's good and valid events in its rolling
//! window (filled with a calm month before the run), evaluates its alerts, and the pager
//! opens and mitigates incidents. Also the live SLO readings.

use crate::alert_policy;
use crate::alerts::{AlertEvent, AlertEventKind, Alerting, Severity};
use crate::clock::{ClockTime, Tick, TICKS_PER_DAY, TICK_SECONDS};
use crate::incident::{Budget, Change};
use crate::math;
use crate::scenario::SliKind;
use crate::slo::{self, RollingCounts, BURN_WINDOWS};

use super::flow::SlowMemo;
use super::output::{Event, EventKind, SloStatus, TickRecord};
use super::{saturate, World};

/// An SLO being measured: its rolling counts and its alerts.
#[derive(Debug, Clone)]
pub(super) struct SloTrack {
    pub(super) service: usize,
    pub(super) counts: RollingCounts,
    pub(super) alerting: Alerting,
    /// Fraction of a good event carried to the next tick (latency SLIs count expected
    /// shares; carrying keeps rare slow requests from rounding away).
    pub(super) carry: f64,
    /// The last share of requests over the latency threshold (see `World::bad_share`).
    pub(super) slow: SlowMemo,
}

/// Expected visits to each service per user request, from a flowed tick.
pub(super) fn visits_per_request(calm: &World) -> Vec<f64> {
    let entry = calm.scenario.topology().entry;
    let users = calm.scratch[entry].arrivals.max(f64::MIN_POSITIVE);
    calm.scratch.iter().map(|s| s.arrivals / users).collect()
}

impl World {
    /// Each SLO's rolling window, filled with a calm month before the run: the expected
    /// traffic served as the model serves the day's mean rate, with no randomness, so the
    /// budget starts where a normal month would leave it.
    pub(super) fn history(&self) -> Vec<SloTrack> {
        let scenario = &self.scenario;
        let mut calm = self.clone();
        let seconds = f64::from(TICK_SECONDS);
        calm.flow(scenario.traffic.base_rps.0 * seconds, 1.0, seconds);
        let visits = visits_per_request(&calm);
        let run = scenario.run_ticks();
        // History has no growth, so it repeats every week, or every day when the traffic
        // has no weekly pattern: work one period out once, as whole requests reaching each
        // service. (The totals are the same either way: a week is seven equal days then.)
        let period_ticks = i64::from(self.expected.period_without_growth());
        let period: Vec<f64> = (-period_ticks..0)
            .map(|tick| self.expected.per_tick(tick))
            .collect();
        scenario
            .slos
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let service = scenario.topology().slo_service[i];
                let bad_share = calm.bad_share(service, spec, &mut None);
                let history = spec.window_days.0 * TICKS_PER_DAY;
                let valid_in_period: Vec<u64> = period
                    .iter()
                    .map(|expected| math::round(expected * visits[service]) as u64)
                    .collect();
                // The history ends where the run starts: its first tick is that many ticks
                // before tick 0, in the period's slots (slot 0 = the period before tick 0).
                let first = (-i64::from(history)).rem_euclid(period_ticks) as usize;
                let counts =
                    RollingCounts::with_history(history, run, &valid_in_period, first, bad_share);
                SloTrack {
                    service,
                    counts,
                    alerting: Alerting::new(alert_policy::rules_for(spec)),
                    carry: 0.0,
                    slow: None,
                }
            })
            .collect()
    }
    /// Counts this tick's good and valid events for every SLO and evaluates its alerts.
    /// Returns the headline SLO's error budget left (share), for the tick's record.
    pub(super) fn measure_slos(&mut self, tick: Tick) -> f64 {
        let several = self.slos.len() > 1;
        for i in 0..self.slos.len() {
            let spec = &self.scenario.slos[i];
            let s = self.slos[i].service;
            let served = self.service_ticks[s];
            let good = match spec.sli {
                SliKind::Availability => served.good,
                SliKind::Latency => {
                    let mut slow = self.slos[i].slow;
                    let bad_share = self.bad_share(s, spec, &mut slow);
                    self.slos[i].slow = slow;
                    let fluid = served.arrivals as f64 * (1.0 - bad_share) + self.slos[i].carry;
                    let whole = math::floor(fluid).max(0.0);
                    self.slos[i].carry = fluid - whole;
                    (whole as u64).min(served.arrivals)
                }
            };
            let track = &mut self.slos[i];
            track.counts.push(good, served.arrivals);
            let (events, alert_events) = (&mut self.events, &mut self.alert_events);
            let (pages_fired, night_pages_fired) =
                (&mut self.pages_fired, &mut self.night_pages_fired);
            let mut changed = |mut alert: AlertEvent| {
                alert.slo = i;
                let kind = match alert.kind {
                    AlertEventKind::Fired => EventKind::AlertFired(alert.severity),
                    AlertEventKind::Resolved => EventKind::AlertResolved(alert.severity),
                };
                let text = if several {
                    format!("{}: {}", spec.name, alert.describe())
                } else {
                    alert.describe()
                };
                if kind == EventKind::AlertFired(Severity::Page) {
                    *pages_fired += 1;
                    *night_pages_fired += u32::from(alert.night);
                }
                events.push(Event { tick, kind, text });
                alert_events.push(alert);
            };
            let (counts, target) = (&track.counts, spec.target.0);
            track
                .alerting
                .evaluate_each(tick, counts, target, &mut changed);
        }
        let pages_firing: usize = self
            .slos
            .iter()
            .map(|t| {
                t.alerting
                    .firing()
                    .filter(|(rule, _)| rule.severity == Severity::Page)
                    .count()
            })
            .sum();
        let night = !(7..22).contains(&ClockTime::at(tick).hour);
        let (good, valid) = self.slos[0]
            .counts
            .window(tick, self.scenario.window_ticks());
        let budget_remaining =
            slo::error_budget_remaining(good, valid, self.scenario.primary_slo().target.0);
        let budget = Budget {
            remaining: budget_remaining,
            postmortem_share: self.scenario.policy.postmortem_budget_share.0,
        };
        if let Some(change) = self.incidents.observe(tick, pages_firing, night, budget) {
            let text = match change {
                Change::Opened(n) => {
                    self.team.toil(crate::team::Toil::IncidentResponse, 1.0);
                    format!("Incident #{n} opened: the pager went off; acknowledge it to show someone is on it")
                }
                Change::Mitigated(n) => {
                    let incident = &self.incidents.all()[n as usize - 1];
                    let lasted = crate::clock::format_duration(
                        incident.seconds_to_mitigate().unwrap_or(0.0),
                    );
                    let ack = incident.seconds_to_acknowledge().map_or_else(
                        || "never acknowledged".to_string(),
                        |s| format!("acknowledged after {}", crate::clock::format_duration(s)),
                    );
                    format!(
                        "Incident #{n} mitigated after {lasted} ({ack}): no page firing any more"
                    )
                }
            };
            self.events.push(Event {
                tick,
                kind: EventKind::Incident,
                text,
            });
        }
        budget_remaining
    }
    /// Burn rate of the headline SLO over the `window` ticks up to and including `tick`
    /// (history included), for charts of burn over time. `tick` must have been simulated.
    pub fn burn_rate_at(&self, tick: Tick, window: u32) -> f64 {
        let (good, valid) = self.slos[0]
            .counts
            .window(tick.min(self.tick.saturating_sub(1)), window);
        slo::burn_rate(good, valid, self.scenario.primary_slo().target.0)
    }
    /// The headline SLO's live reading after the last simulated tick.
    pub fn slo_status(&self) -> SloStatus {
        self.slo_status_of(0)
    }
    /// Every SLO's live reading, in scenario order.
    pub fn slo_statuses(&self) -> Vec<SloStatus> {
        (0..self.slos.len())
            .map(|i| self.slo_status_of(i))
            .collect()
    }
    pub(super) fn slo_status_of(&self, i: usize) -> SloStatus {
        let spec = &self.scenario.slos[i];
        let counts = &self.slos[i].counts;
        let target = spec.target.0;
        let now = self.tick.saturating_sub(1);
        let window_ticks = spec.window_days.0 * TICKS_PER_DAY;
        let (good, valid) = counts.window(now, window_ticks);
        let budget_remaining = slo::error_budget_remaining(good, valid, target);
        let window_seconds = f64::from(window_ticks) * f64::from(TICK_SECONDS);
        let budget_total_seconds = slo::allowed_outage_seconds(target, window_seconds);
        let burn_rates: Vec<(String, f64)> = BURN_WINDOWS
            .iter()
            .map(|w| {
                let (g, v) = if self.tick == 0 {
                    (0, 0)
                } else {
                    counts.window(now, w.ticks)
                };
                (w.label.to_string(), slo::burn_rate(g, v, target))
            })
            .collect();
        let hourly_burn = burn_rates
            .iter()
            .find(|(label, _)| label == slo::BurnWindow::ONE_HOUR.label)
            .map_or(0.0, |(_, b)| *b);
        // At burn rate b the whole budget lasts window / b; what is left lasts that share.
        let time_to_exhaustion_seconds = (hourly_burn > 0.0 && budget_remaining > 0.0)
            .then(|| budget_remaining * window_seconds / hourly_burn);
        SloStatus {
            name: spec.name.clone(),
            sli: spec.sli,
            target,
            window_days: spec.window_days.0,
            window_sli: slo::sli(good, valid),
            budget_remaining,
            budget_total_seconds,
            budget_remaining_seconds: budget_remaining * budget_total_seconds,
            burn_rates,
            time_to_exhaustion_seconds,
        }
    }

    /// The tick's record for charts: the entry's traffic, capacity, latency percentiles,
    /// and the headline budget left (`budget_remaining`, as [`World::measure_slos`] found it).
    pub(super) fn record_tick(&self, tick: Tick, budget_remaining: f64) -> TickRecord {
        let seconds = f64::from(TICK_SECONDS);
        let entry_tick = self.service_ticks[self.scenario.topology().entry];
        let capacity = self.capacity_rps() * seconds;
        let latency_ms = self
            .quantiles
            .quantiles(&entry_tick.latency)
            .map(|q| (q * 1000.0) as f32);
        let record = TickRecord {
            offered: saturate(entry_tick.arrivals),
            good: saturate(entry_tick.good),
            capacity: saturate(capacity as u64),
            budget_remaining: budget_remaining as f32,
            latency_ms,
        };
        // Every number a tick produces is finite: the file format's limits and the
        // saturating counts make it so (tests/extremes.rs checks it at the extremes).
        debug_assert!(
            record.budget_remaining.is_finite() && record.latency_ms.iter().all(|l| l.is_finite()),
            "tick {tick}: {record:?}"
        );
        record
    }
}
