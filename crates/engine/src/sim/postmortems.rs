//! Postmortems and their action items: what caused an incident, read from the run's record,
//! and what shipping an item changes (see [`crate::action_items`]).

use crate::action_items::Fix;
use crate::clock::{Tick, TICKS_PER_MINUTE};
use crate::delivery::Strategy;
use crate::incident::Incident;
use crate::order;
use crate::scenario::{RetryPolicy, Role};
use crate::team::POSTMORTEM_HOURS;

use super::World;

/// Faults that started this long before the page count among its causes (a fault burns
/// budget for a while before a burn-rate alert fires), ticks.
const LEAD_TICKS: Tick = 30 * TICKS_PER_MINUTE;

impl World {
    /// Writes the postmortem of the oldest incident owing one, and files its action items
    /// in the DevOps backlog. Checked: the incident and the SRE hours are there.
    pub(super) fn write_postmortem(&mut self) -> Result<String, String> {
        let owed = self
            .incidents
            .postmortem_owed()
            .cloned()
            .ok_or("no incident owes a postmortem")?;
        self.team
            .spend(Role::Sre, POSTMORTEM_HOURS, "a postmortem")?;
        self.incidents.write_postmortem(self.tick)?;
        let p0 = owed.budget_spent.unwrap_or(0.0) > self.scenario.policy.postmortem_budget_share.0;
        let before = self.action_items.all().len();
        let added = self.action_items.add(owed.number, &self.causes(&owed), p0);
        let items: Vec<String> = self.action_items.all()[before..]
            .iter()
            .map(|i| {
                format!(
                    "{} {} ({:.0} h)",
                    i.priority.label(),
                    i.fix.label(),
                    i.hours
                )
            })
            .collect();
        let n = owed.number;
        Ok(match added {
            0 => format!("Postmortem of incident #{n} written ({POSTMORTEM_HOURS:.0} SRE hours): its fixes are already in the DevOps backlog or shipped"),
            _ => format!(
                "Postmortem of incident #{n} written ({POSTMORTEM_HOURS:.0} SRE hours); action items for DevOps: {}",
                items.join("; ")
            ),
        })
    }

    /// What the record says caused `incident`, most important first: a defective change
    /// (changes cause most outages, DOMAIN.md), retries amplifying an overload, the faults in
    /// progress (those that can be prevented first), and, when nothing else shows, the load
    /// outrunning capacity.
    fn causes(&self, incident: &Incident) -> Vec<Fix> {
        let from = incident.opened_at.saturating_sub(LEAD_TICKS);
        let to = incident.mitigated_at.unwrap_or(self.tick);
        let mut causes = Vec::new();
        for deploy in &self.delivery.deploys {
            let harmed = deploy.defect_shipped.is_some()
                && deploy.committed_at <= to
                && deploy.recovered_at.is_none_or(|at| at >= from);
            if harmed {
                if deploy.strategy == Strategy::AllAtOnce {
                    causes.push(Fix::CanaryStep);
                }
                causes.push(Fix::RegressionTests);
            }
        }
        // In range: `from` ≤ the opening ≤ the mitigation < the ticks recorded so far.
        let window = &self.records[from as usize..(to as usize).min(self.records.len())];
        let overloaded = window.iter().any(|r| r.offered > r.capacity);
        let unbudgeted = self.retry_policies().any(|p| p.budget_ratio.is_none());
        if overloaded && self.retries_enabled && unbudgeted {
            causes.push(Fix::RetryBudget);
        }
        let mut faults: Vec<Fix> = self
            .started_faults
            .iter()
            .map(|&i| &self.faults[i])
            .filter(|f| f.start < to && f.end() > from)
            .map(|f| Fix::for_fault(f.kind))
            .collect();
        // A cause that can be removed for good comes first, then one repaired faster.
        order::sort_by_key(&mut faults, |fix| match fix {
            Fix::Prevent { .. } => 0,
            Fix::FasterRepair { .. } => 1,
            _ => 2,
        });
        causes.extend(faults);
        if causes.is_empty() {
            causes.push(Fix::CapacityReservation);
        }
        causes
    }

    fn retry_policies(&self) -> impl Iterator<Item = &RetryPolicy> {
        let services = self
            .scenario
            .services
            .iter()
            .filter_map(|s| s.retry.as_ref());
        self.scenario.traffic.retry.iter().chain(services)
    }

    /// Ships action item `number` (checked: it waits, DevOps has the hours, a freeze lets
    /// it through): its hours are spent and its effect holds from now on.
    pub(super) fn ship_action_item(&mut self, number: u32) -> Result<String, String> {
        let item = *self.action_items.to_ship(number)?;
        self.team
            .spend(Role::Devops, item.hours, "an action item")?;
        self.action_items.ship(number, self.tick)?;
        // Read by the retries phase from now on (see `World::budgeted`).
        self.retry_budget |= item.fix == Fix::RetryBudget;
        Ok(format!(
            "Shipped {} action item #{number}, {} ({:.0} DevOps hours): {}",
            item.priority.label(),
            item.fix.label(),
            item.hours,
            item.fix.effect()
        ))
    }
}
