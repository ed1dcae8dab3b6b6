//! Incidents: what the pager turns into for the on-call person (SRE book ch. 11–14).
//!
//! An incident opens when a page fires and none is open; more pages while it is open join
//! it. The on-call acknowledges it (that time, from opening, is the time to acknowledge);
//! it is mitigated once no page alert is firing any more (time to mitigate, from opening).
//! Medians over a run are MTTA and MTTR as the product reports them.

use serde::Serialize;

use crate::clock::{Tick, TICK_SECONDS};

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// 1-based.
    pub number: u32,
    pub opened_at: Tick,
    /// Opened between 22:00 and 07:00: someone was woken up.
    pub night: bool,
    pub acknowledged_at: Option<Tick>,
    /// When the last page alert resolved.
    pub mitigated_at: Option<Tick>,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.mitigated_at.is_none()
    }

    /// Seconds from opening to acknowledgement.
    pub fn seconds_to_acknowledge(&self) -> Option<f64> {
        self.acknowledged_at.map(|at| seconds(at - self.opened_at))
    }

    /// Seconds from opening to mitigation.
    pub fn seconds_to_mitigate(&self) -> Option<f64> {
        self.mitigated_at.map(|at| seconds(at - self.opened_at))
    }
}

fn seconds(ticks: Tick) -> f64 {
    f64::from(ticks) * f64::from(TICK_SECONDS)
}

/// What changed when the pager was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Opened(u32),
    Mitigated(u32),
}

/// The run's incidents, in order.
#[derive(Debug, Clone, Default)]
pub struct Incidents {
    list: Vec<Incident>,
}

impl Incidents {
    pub fn all(&self) -> &[Incident] {
        &self.list
    }

    /// The incident open now, if any.
    pub fn open(&self) -> Option<&Incident> {
        self.list.last().filter(|i| i.is_open())
    }

    /// Follows the pager at `tick`: `pages_firing` page alerts are firing now; `night` says
    /// whether it is night.
    pub fn observe(&mut self, tick: Tick, pages_firing: usize, night: bool) -> Option<Change> {
        match (self.list.last_mut().filter(|i| i.is_open()), pages_firing) {
            (None, n) if n > 0 => {
                let number = self.list.len() as u32 + 1;
                self.list.push(Incident {
                    number,
                    opened_at: tick,
                    night,
                    acknowledged_at: None,
                    mitigated_at: None,
                });
                Some(Change::Opened(number))
            }
            (Some(open), 0) => {
                open.mitigated_at = Some(tick);
                Some(Change::Mitigated(open.number))
            }
            _ => None,
        }
    }

    /// Acknowledges the open incident; its number, or why not.
    pub fn acknowledge(&mut self, tick: Tick) -> Result<u32, &'static str> {
        let open = self
            .list
            .last_mut()
            .filter(|i| i.is_open())
            .ok_or("no incident is open: nothing to acknowledge")?;
        if open.acknowledged_at.is_some() {
            return Err("the open incident is already acknowledged");
        }
        open.acknowledged_at = Some(tick.max(open.opened_at));
        Ok(open.number)
    }

    pub fn summary(&self) -> IncidentSummary {
        let minutes = |f: fn(&Incident) -> Option<f64>| {
            median(self.list.iter().filter_map(f).map(|s| s / 60.0).collect())
        };
        IncidentSummary {
            count: self.list.len() as u32,
            at_night: self.list.iter().filter(|i| i.night).count() as u32,
            acknowledged: self
                .list
                .iter()
                .filter(|i| i.acknowledged_at.is_some())
                .count() as u32,
            mtta_minutes_median: minutes(Incident::seconds_to_acknowledge),
            mttr_minutes_median: minutes(Incident::seconds_to_mitigate),
        }
    }
}

/// Incidents over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentSummary {
    pub count: u32,
    pub at_night: u32,
    pub acknowledged: u32,
    /// Median minutes from page to acknowledgement, over acknowledged incidents.
    pub mtta_minutes_median: Option<f64>,
    /// Median minutes from page to mitigation, over mitigated incidents.
    pub mttr_minutes_median: Option<f64>,
}

/// The median (mean of the middle two for an even count); None when empty.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 0 {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_open_one_incident_that_mitigates_when_they_stop() {
        let mut incidents = Incidents::default();
        assert_eq!(incidents.observe(10, 0, false), None);
        assert_eq!(incidents.observe(11, 1, true), Some(Change::Opened(1)));
        assert_eq!(
            incidents.observe(12, 2, true),
            None,
            "a second page joins it"
        );
        assert_eq!(incidents.acknowledge(17), Ok(1));
        assert!(incidents.acknowledge(18).is_err(), "only once");
        assert_eq!(incidents.observe(71, 0, false), Some(Change::Mitigated(1)));
        assert!(incidents.acknowledge(72).is_err(), "nothing open");
        assert_eq!(incidents.observe(100, 1, false), Some(Change::Opened(2)));
        assert_eq!(incidents.observe(106, 0, false), Some(Change::Mitigated(2)));
        let summary = incidents.summary();
        assert_eq!(
            (summary.count, summary.at_night, summary.acknowledged),
            (2, 1, 1)
        );
        // Incident 1: acknowledged after 6 ticks = 1 minute; mitigated after 60 ticks =
        // 10 minutes. Incident 2: mitigated after 1 minute. Median of 10 and 1 = 5.5.
        assert_eq!(summary.mtta_minutes_median, Some(1.0));
        assert_eq!(summary.mttr_minutes_median, Some(5.5));
    }

    #[test]
    fn medians_of_odd_even_and_empty_lists() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
