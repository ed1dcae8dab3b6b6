//! Postmortem action items: what a postmortem asks the teams to fix, as DevOps backlog work
//! with hours and a stated effect on the model (SRE book ch. 15; DOMAIN.md, "Error budget
//! policy": an incident spending over 20 % of the budget gets a postmortem with at least one
//! P0 action item, and P0 fixes may ship during a freeze).
//!
//! The world finds an incident's causes in its record (a defective deploy, the faults in
//! progress, retries amplifying an overload, a surge) and [`ActionItems::add`] turns them
//! into items; shipping one (DevOps) makes its effect hold from then on.

use serde::Serialize;

use crate::clock::Tick;
use crate::faults::FaultKind;
pub use crate::scenario::Priority;
use crate::scenario::{ActionItemSpec, FixName};

/// At most this many items come out of one postmortem (the few that matter most).
pub const ITEMS_PER_POSTMORTEM: usize = 3;

/// Retry budget a shipped retry-budget item sets: retries stay under 10 % of requests
/// (SRE book ch. 22; DOMAIN.md, "Retries").
pub const RETRY_BUDGET_RATIO: f64 = 0.1;

/// What an item changes once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// A defective change went to everyone at once: later all-at-once deploys go through a
    /// canary step first.
    CanaryStep,
    /// A defect reached users: a regression test for it; the chance a feature ships with a
    /// defect halves.
    RegressionTests,
    /// Retries amplified an overload: every client and service keeps a retry budget of
    /// [`RETRY_BUDGET_RATIO`] of its requests.
    RetryBudget,
    /// A surge or an overload outran capacity: reserved capacity, so autoscaled replicas
    /// serve at once instead of after their provisioning delay.
    CapacityReservation,
    /// A fault with a known, removable cause (expiring certificates, full disks, a leak, an
    /// unchecked config push): an alert ahead of time and the fix, so it does not recur.
    Prevent { fault: FaultKind },
    /// A fault that cannot be designed away (a crash, a lost zone, a dependency): an alert
    /// and a runbook, so the next one is repaired in half the time.
    FasterRepair { fault: FaultKind },
}

impl Fix {
    /// The fix a scenario's seeded item names (checked when the scenario was read: a
    /// `fault` comes with `prevent` and `faster_repair`, and only with them).
    pub fn seeded(spec: &ActionItemSpec) -> Fix {
        let fault = spec.fault.unwrap_or(FaultKind::InstanceCrash);
        match spec.fix {
            FixName::CanaryStep => Fix::CanaryStep,
            FixName::RegressionTests => Fix::RegressionTests,
            FixName::RetryBudget => Fix::RetryBudget,
            FixName::CapacityReservation => Fix::CapacityReservation,
            FixName::Prevent => Fix::Prevent { fault },
            FixName::FasterRepair => Fix::FasterRepair { fault },
        }
    }

    /// The fix a fault calls for.
    pub fn for_fault(fault: FaultKind) -> Fix {
        match fault {
            FaultKind::CertificateExpiry
            | FaultKind::DiskFull
            | FaultKind::MemoryLeak
            | FaultKind::BadConfigPush => Fix::Prevent { fault },
            FaultKind::TrafficSurge => Fix::CapacityReservation,
            _ => Fix::FasterRepair { fault },
        }
    }

    /// DevOps engineer-hours it takes to ship.
    pub fn hours(self) -> f64 {
        match self {
            Fix::CanaryStep => 6.0,
            Fix::RegressionTests => 8.0,
            Fix::RetryBudget => 4.0,
            Fix::CapacityReservation => 6.0,
            Fix::Prevent { .. } => 6.0,
            Fix::FasterRepair { .. } => 4.0,
        }
    }

    /// What it is, for the backlog.
    pub fn label(self) -> &'static str {
        match self {
            Fix::CanaryStep => "Canary step for every deploy",
            Fix::RegressionTests => "Regression tests for the defect",
            Fix::RetryBudget => "Retry budget on every client",
            Fix::CapacityReservation => "Capacity reservation",
            Fix::Prevent { fault } => match fault {
                FaultKind::CertificateExpiry => "Certificate-expiry alert and rotation runbook",
                FaultKind::DiskFull => "Disk-usage alert and log rotation",
                FaultKind::MemoryLeak => "Fix the memory leak",
                FaultKind::BadConfigPush => "Validate configs before they roll out",
                _ => "Remove the fault's cause",
            },
            Fix::FasterRepair { fault } => match fault {
                FaultKind::InstanceCrash => "Crash alert and restart runbook",
                FaultKind::ZoneLoss => "Zone-loss alert and fail-over runbook",
                FaultKind::DependencyOutage => "Dependency-outage alert and runbook",
                FaultKind::DependencySlowdown => "Dependency-latency alert and runbook",
                FaultKind::BadConfigPush => "Config-push alert and rollback runbook",
                _ => "Alert and repair runbook",
            },
        }
    }

    /// Its effect on the service once shipped.
    pub fn effect(self) -> &'static str {
        match self {
            Fix::CanaryStep => "all-at-once deploys go through a canary first",
            Fix::RegressionTests => "halves the chance a feature ships with a defect",
            Fix::RetryBudget => "retries stay under 10 % of requests: no more retry storms",
            Fix::CapacityReservation => {
                "autoscaled replicas serve at once, without the provisioning delay"
            }
            Fix::Prevent { .. } => "this fault does not happen again",
            Fix::FasterRepair { .. } => "the next fault of this kind lasts half as long",
        }
    }
}

/// One action item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ActionItem {
    /// 1-based, over the run.
    pub number: u32,
    /// The incident whose postmortem asked for it (0: seeded by the scenario).
    pub incident: u32,
    #[serde(flatten)]
    pub fix: Fix,
    pub priority: Priority,
    /// DevOps engineer-hours it takes.
    pub hours: f64,
    /// When DevOps shipped it (its effect holds from then on).
    pub shipped_at: Option<Tick>,
}

/// Every action item of a run, in the order postmortems asked for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionItems {
    list: Vec<ActionItem>,
}

impl ActionItems {
    /// The backlog a scenario starts with: its `[[action_items]]` (incident 0).
    pub fn seeded(specs: &[ActionItemSpec]) -> Self {
        let mut items = Self::default();
        for spec in specs {
            let fix = Fix::seeded(spec);
            let hours = spec.hours.map_or(fix.hours(), |h| f64::from(h.0));
            items.push(0, fix, spec.priority, hours);
        }
        items
    }

    pub fn all(&self) -> &[ActionItem] {
        &self.list
    }

    /// Adds the items a postmortem of `incident` asks for: one per distinct fix among
    /// `causes` (most important first), at most [`ITEMS_PER_POSTMORTEM`]; the first is P0
    /// when `p0` (the incident spent more than the policy's share of the budget). A fix
    /// already asked for and not shipped is not asked for twice. Returns how many it added.
    pub fn add(&mut self, incident: u32, causes: &[Fix], p0: bool) -> usize {
        let before = self.list.len();
        for &fix in causes {
            if self.list.len() - before == ITEMS_PER_POSTMORTEM {
                break;
            }
            let asked = self
                .list
                .iter()
                .any(|i| i.fix == fix && i.shipped_at.is_none());
            if asked || self.has(fix) {
                continue;
            }
            let priority = if p0 && self.list.len() == before {
                Priority::P0
            } else {
                Priority::P1
            };
            self.push(incident, fix, priority, fix.hours());
        }
        self.list.len() - before
    }

    /// Adds one item as given (a scenario's seeded backlog).
    pub fn push(&mut self, incident: u32, fix: Fix, priority: Priority, hours: f64) {
        self.list.push(ActionItem {
            number: self.list.len() as u32 + 1,
            incident,
            fix,
            priority,
            hours,
            shipped_at: None,
        });
    }

    /// The item numbered `number` if it waits to ship, or why not.
    pub fn to_ship(&self, number: u32) -> Result<&ActionItem, String> {
        let item = self
            .list
            .iter()
            .find(|i| i.number == number)
            .ok_or_else(|| format!("there is no action item #{number}"))?;
        match item.shipped_at {
            Some(_) => Err(format!("action item #{number} has already shipped")),
            None => Ok(item),
        }
    }

    /// Marks item `number` shipped at `tick`.
    pub fn ship(&mut self, number: u32, tick: Tick) -> Result<ActionItem, String> {
        self.to_ship(number)?;
        let item = self
            .list
            .iter_mut()
            .find(|i| i.number == number)
            .expect("checked");
        item.shipped_at = Some(tick);
        Ok(*item)
    }

    /// Whether a shipped item gives this fix.
    pub fn has(&self, fix: Fix) -> bool {
        self.list
            .iter()
            .any(|i| i.fix == fix && i.shipped_at.is_some())
    }

    /// Items waiting to ship, P0 first.
    pub fn waiting(&self) -> impl Iterator<Item = &ActionItem> {
        let open = |p: Priority| {
            self.list
                .iter()
                .filter(move |i| i.shipped_at.is_none() && i.priority == p)
        };
        open(Priority::P0).chain(open(Priority::P1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postmortem_asks_for_up_to_three_distinct_fixes_the_first_p0() {
        let mut items = ActionItems::default();
        let causes = [
            Fix::CanaryStep,
            Fix::RegressionTests,
            Fix::CanaryStep,
            Fix::RetryBudget,
            Fix::CapacityReservation,
        ];
        assert_eq!(items.add(1, &causes, true), 3);
        let priorities: Vec<_> = items.all().iter().map(|i| (i.fix, i.priority)).collect();
        assert_eq!(
            priorities,
            [
                (Fix::CanaryStep, Priority::P0),
                (Fix::RegressionTests, Priority::P1),
                (Fix::RetryBudget, Priority::P1)
            ]
        );
        assert_eq!(items.add(2, &[Fix::CanaryStep], false), 0, "asked already");
        assert!(!items.has(Fix::CanaryStep));
        assert_eq!(items.ship(1, 40).map(|i| i.shipped_at), Ok(Some(40)));
        assert!(items.has(Fix::CanaryStep));
        assert!(items.ship(1, 41).is_err(), "only once");
        assert!(items.to_ship(9).is_err());
        assert_eq!(items.add(3, &[Fix::CanaryStep], true), 0, "shipped already");
        let waiting: Vec<u32> = items.waiting().map(|i| i.number).collect();
        assert_eq!(waiting, [2, 3]);
    }

    #[test]
    fn faults_call_for_prevention_or_faster_repair() {
        assert_eq!(
            Fix::for_fault(FaultKind::CertificateExpiry),
            Fix::Prevent {
                fault: FaultKind::CertificateExpiry
            }
        );
        assert_eq!(
            Fix::for_fault(FaultKind::ZoneLoss),
            Fix::FasterRepair {
                fault: FaultKind::ZoneLoss
            }
        );
        assert_eq!(
            Fix::for_fault(FaultKind::TrafficSurge),
            Fix::CapacityReservation
        );
    }
}
