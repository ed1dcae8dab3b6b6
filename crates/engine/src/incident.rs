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
    /// When the on-call closed it (after mitigation, and after its postmortem if owed).
    pub resolved_at: Option<Tick>,
    /// Share of the error budget left when it opened.
    budget_at_open: f64,
    /// Share of the whole error budget it spent, opening to mitigation.
    pub budget_spent: Option<f64>,
    pub postmortem: Postmortem,
}

/// Whether an incident needs a postmortem (error budget policy: over 20 % of the budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Postmortem {
    NotNeeded,
    Owed,
    Written(Tick),
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

/// The budget at a look at the pager, and the policy's postmortem threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Share of the error budget left now.
    pub remaining: f64,
    /// An incident spending more than this share owes a postmortem.
    pub postmortem_share: f64,
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
    pub fn observe(
        &mut self,
        tick: Tick,
        pages_firing: usize,
        night: bool,
        budget: Budget,
    ) -> Option<Change> {
        match (self.list.last_mut().filter(|i| i.is_open()), pages_firing) {
            (None, n) if n > 0 => {
                let number = self.list.len() as u32 + 1;
                self.list.push(Incident {
                    number,
                    opened_at: tick,
                    night,
                    acknowledged_at: None,
                    mitigated_at: None,
                    resolved_at: None,
                    budget_at_open: budget.remaining,
                    budget_spent: None,
                    postmortem: Postmortem::NotNeeded,
                });
                Some(Change::Opened(number))
            }
            (Some(open), 0) => {
                open.mitigated_at = Some(tick);
                let spent = (open.budget_at_open - budget.remaining).max(0.0);
                open.budget_spent = Some(spent);
                if spent > budget.postmortem_share {
                    open.postmortem = Postmortem::Owed;
                }
                Some(Change::Mitigated(open.number))
            }
            _ => None,
        }
    }

    /// The open incident an acknowledgement would answer (its index), or why there is none.
    fn to_acknowledge(&self) -> Result<usize, &'static str> {
        let last = self.list.len().checked_sub(1);
        let open = last
            .filter(|&i| self.list[i].is_open())
            .ok_or("no incident is open: nothing to acknowledge")?;
        if self.list[open].acknowledged_at.is_some() {
            return Err("the open incident is already acknowledged");
        }
        Ok(open)
    }

    /// Why the open incident cannot be acknowledged now, if it cannot.
    pub fn check_acknowledge(&self) -> Result<(), &'static str> {
        self.to_acknowledge().map(drop)
    }

    /// Acknowledges the open incident; its number, or why not.
    pub fn acknowledge(&mut self, tick: Tick) -> Result<u32, &'static str> {
        let i = self.to_acknowledge()?;
        let open = &mut self.list[i];
        open.acknowledged_at = Some(tick.max(open.opened_at));
        Ok(open.number)
    }

    /// The incident resolving would close (its index), or why there is none.
    fn to_resolve(&self) -> Result<usize, String> {
        let i = self
            .list
            .iter()
            .position(|i| !i.is_open() && i.resolved_at.is_none())
            .ok_or("no mitigated incident waits to be resolved")?;
        let incident = &self.list[i];
        if incident.postmortem == Postmortem::Owed {
            return Err(format!(
                "incident #{} spent {:.0} % of the error budget: the policy asks for a postmortem before it is closed",
                incident.number,
                incident.budget_spent.unwrap_or(0.0) * 100.0
            ));
        }
        Ok(i)
    }

    /// Why no incident can be resolved now, if none can.
    pub fn check_resolve(&self) -> Result<(), String> {
        self.to_resolve().map(drop)
    }

    /// Closes the oldest mitigated incident not yet resolved; its number, or why not.
    pub fn resolve(&mut self, tick: Tick) -> Result<u32, String> {
        let i = self.to_resolve()?;
        let incident = &mut self.list[i];
        incident.resolved_at = Some(tick);
        Ok(incident.number)
    }

    /// The oldest incident owing a postmortem.
    pub fn postmortem_owed(&self) -> Option<&Incident> {
        self.list.iter().find(|i| i.postmortem == Postmortem::Owed)
    }

    /// Records the postmortem of the oldest incident owing one.
    pub fn write_postmortem(&mut self, tick: Tick) -> Result<u32, &'static str> {
        let incident = self
            .list
            .iter_mut()
            .find(|i| i.postmortem == Postmortem::Owed)
            .ok_or("no incident owes a postmortem")?;
        incident.postmortem = Postmortem::Written(tick);
        Ok(incident.number)
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
            acknowledge_minutes: self
                .list
                .iter()
                .filter_map(Incident::seconds_to_acknowledge)
                .map(|s| s / 60.0)
                .collect(),
            mitigate_minutes: self
                .list
                .iter()
                .filter_map(Incident::seconds_to_mitigate)
                .map(|s| s / 60.0)
                .collect(),
            postmortems_owed: self
                .list
                .iter()
                .filter(|i| i.postmortem == Postmortem::Owed)
                .count() as u32,
            postmortems_written: self
                .list
                .iter()
                .filter(|i| matches!(i.postmortem, Postmortem::Written(_)))
                .count() as u32,
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
    /// Every time to acknowledge, minutes (medians hide the spread: DOMAIN.md, MTTx).
    pub acknowledge_minutes: Vec<f64>,
    /// Every time to mitigate, minutes.
    pub mitigate_minutes: Vec<f64>,
    pub postmortems_owed: u32,
    pub postmortems_written: u32,
}

/// The median (mean of the middle two for an even count); None when empty.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    crate::order::sort_by(&mut values, f64::total_cmp);
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

    const CALM: Budget = Budget {
        remaining: 0.9,
        postmortem_share: 0.2,
    };

    #[test]
    fn an_incident_spending_over_a_fifth_of_the_budget_owes_a_postmortem() {
        let mut incidents = Incidents::default();
        let at = |remaining| Budget {
            remaining,
            postmortem_share: 0.2,
        };
        incidents.observe(1, 1, false, at(0.9));
        incidents.observe(9, 0, false, at(0.75));
        assert_eq!(
            incidents.all()[0].postmortem,
            Postmortem::NotNeeded,
            "15 % spent"
        );
        assert_eq!(incidents.resolve(10), Ok(1));
        incidents.observe(20, 1, false, at(0.75));
        incidents.observe(29, 0, false, at(0.5));
        assert_eq!(
            incidents.all()[1].postmortem,
            Postmortem::Owed,
            "25 % spent"
        );
        assert!(incidents
            .resolve(30)
            .expect_err("owed")
            .contains("postmortem"));
        assert_eq!(incidents.write_postmortem(31), Ok(2));
        assert_eq!(incidents.resolve(32), Ok(2));
        let summary = incidents.summary();
        assert_eq!(
            (summary.postmortems_owed, summary.postmortems_written),
            (0, 1)
        );
    }

    #[test]
    fn pages_open_one_incident_that_mitigates_when_they_stop() {
        let mut incidents = Incidents::default();
        let minute = crate::clock::TICKS_PER_MINUTE;
        assert_eq!(incidents.observe(10, 0, false, CALM), None);
        assert_eq!(
            incidents.observe(11, 1, true, CALM),
            Some(Change::Opened(1))
        );
        assert_eq!(
            incidents.observe(12, 2, true, CALM),
            None,
            "a second page joins it"
        );
        assert_eq!(incidents.acknowledge(11 + minute), Ok(1));
        assert!(incidents.acknowledge(12 + minute).is_err(), "only once");
        assert_eq!(
            incidents.observe(11 + 10 * minute, 0, false, CALM),
            Some(Change::Mitigated(1))
        );
        assert!(
            incidents.acknowledge(12 + 10 * minute).is_err(),
            "nothing open"
        );
        assert_eq!(
            incidents.observe(100, 1, false, CALM),
            Some(Change::Opened(2))
        );
        assert_eq!(
            incidents.observe(100 + minute, 0, false, CALM),
            Some(Change::Mitigated(2))
        );
        let summary = incidents.summary();
        assert_eq!(
            (summary.count, summary.at_night, summary.acknowledged),
            (2, 1, 1)
        );
        // Incident 1: acknowledged after 1 minute; mitigated after 10 minutes. Incident 2:
        // mitigated after 1 minute. Median of 10 and 1 = 5.5.
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
