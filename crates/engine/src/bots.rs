//! Bots: named, deterministic policies that play a role, so one person can play against
//! the other job (and tests and comparisons can play both).

pub use crate::action::Policy;
use crate::action::{Action, Actor, MAX_REPLICAS};
use crate::action_items::Priority;
use crate::clock::{Tick, TICKS_PER_HOUR, TICKS_PER_MINUTE};
use crate::delivery::Strategy;
use crate::faults::FaultKind;
use crate::incident::Postmortem;
use crate::scenario::Role;
use crate::sim::{Freeze, World};
use crate::team::{Investment, POSTMORTEM_HOURS};

/// What a bot playing `role` with `policy` does this minute (usually nothing).
pub fn decide(sim: &World, role: Role, policy: Policy) -> Vec<Action> {
    if policy == Policy::HandsOff {
        return Vec::new();
    }
    let view = View::of(sim);
    match role {
        Role::Devops => devops(sim, &view, policy),
        Role::Sre => sre(sim, &view, policy),
    }
}

/// What every bot looks at.
struct View {
    tick: Tick,
    /// Headline error budget left (share).
    budget: f64,
    /// Ticks since the open incident opened, if one is open.
    incident_age: Option<Tick>,
    /// The newest deploy whose code serves users: (number, ticks since it reached them).
    newest_live: Option<(u32, Tick)>,
}

impl View {
    fn of(sim: &World) -> Self {
        let tick = sim.tick();
        let newest_live = sim
            .deploys()
            .iter()
            .rev()
            .find(|d| d.is_live() && d.hotfix_of.is_none() && d.exposure > 0.0)
            .map(|d| (d.number, tick - d.live_at.unwrap_or(d.committed_at)));
        Self {
            tick,
            budget: sim
                .records()
                .last()
                .map_or(1.0, |r| f64::from(r.budget_remaining)),
            incident_age: sim.incidents().open().map(|i| tick - i.opened_at),
            newest_live,
        }
    }

    /// A page is open and a deploy reached users within `hours` before it: suspect it
    /// (changes cause about 70 % of outages, DOMAIN.md).
    fn suspect_deploy(&self, hours: u32) -> bool {
        match (self.incident_age, self.newest_live) {
            (Some(age), Some((_, live_for))) => live_for <= age + hours * TICKS_PER_HOUR,
            _ => false,
        }
    }
}

fn devops(sim: &World, view: &View, policy: Policy) -> Vec<Action> {
    let team = sim.team();
    let free = team.devops.available;
    // Roll back our own change when it seems to page.
    let rollback_window = match policy {
        Policy::Balanced => Some(2),
        Policy::BudgetGuard => Some(6),
        _ => None,
    };
    if rollback_window.is_some_and(|h| view.suspect_deploy(h))
        && view
            .incident_age
            .is_some_and(|age| age >= 5 * TICKS_PER_MINUTE)
    {
        return vec![Action::RollBack];
    }
    // Postmortem action items before anything new: every policy ships a P0 (the error
    // budget policy asks for it, even in a freeze); the careful ones take the P1s too.
    let next_item = sim.action_items().waiting().find(|i| {
        i.priority == Priority::P0 || (policy != Policy::ShipFast && sim.frozen().is_none())
    });
    if let Some(item) = next_item {
        return if item.hours <= free {
            vec![Action::ShipActionItem { item: item.number }]
        } else {
            Vec::new()
        };
    }
    let investments: &[Investment] = match policy {
        Policy::Balanced => &[Investment::TestCoverage],
        Policy::BudgetGuard => &[
            Investment::TestCoverage,
            Investment::Observability,
            Investment::DeployAutomation,
            Investment::TestCoverage,
        ],
        _ => &[],
    };
    // Investments in order, each level once (the list repeats an item for its 2nd level).
    let mut seen = [0u8; 7];
    for &investment in investments {
        let i = Investment::ALL
            .iter()
            .position(|x| *x == investment)
            .unwrap_or(0);
        seen[i] += 1;
        if team.level(investment) < seen[i] {
            return if free >= investment.hours() {
                vec![Action::Invest { investment }]
            } else {
                Vec::new()
            };
        }
    }
    if sim.frozen().is_some() {
        return ask_for_exception(sim, view, policy).into_iter().collect();
    }
    let hour = sim.clock().hour;
    let ready = sim.delivery().in_pipeline().is_none()
        && sim.frozen().is_none()
        && sim
            .delivery()
            .next()
            .is_some_and(|f| f.effort_hours <= free);
    let ship = match policy {
        Policy::ShipFast => ready.then_some(Strategy::AllAtOnce),
        Policy::Balanced => {
            (ready && view.budget > 0.25 && view.incident_age.is_none()).then_some(Strategy::Canary)
        }
        Policy::BudgetGuard => {
            (ready && view.budget > 0.5 && view.incident_age.is_none() && (9..17).contains(&hour))
                .then_some(Strategy::Canary)
        }
        Policy::HandsOff => None,
    };
    ship.map(|strategy| Action::ShipFeature { strategy })
        .into_iter()
        .collect()
}

/// During a freeze the bots that want to ship ask the SRE for an exception: ship-fast
/// whenever a feature is ready (again four hours after a decline), balanced when no
/// incident is open (again a day after a decline); the budget guard waits for the thaw.
fn ask_for_exception(sim: &World, view: &View, policy: Policy) -> Option<Action> {
    let (strategy, after_decline) = match policy {
        Policy::ShipFast => (Strategy::AllAtOnce, 4 * TICKS_PER_HOUR),
        Policy::Balanced if view.incident_age.is_none() => (Strategy::Canary, 24 * TICKS_PER_HOUR),
        _ => return None,
    };
    let requests = sim.freeze_requests();
    let declined_lately = requests
        .last_declined_at()
        .is_some_and(|at| view.tick < at + after_decline);
    let ask = Action::AskToShip { strategy };
    // A request already waiting is refused anyway; asked first, it spares the refusal's
    // sentence on every tick an SRE leaves a request unanswered.
    (!declined_lately && requests.waiting().is_none() && sim.refusal(Actor::ANYONE, ask).is_none())
        .then_some(ask)
}

/// How an SRE bot answers a request to ship through the freeze: ship-fast approves,
/// balanced approves only while no incident is open and the last hour burned less than
/// the budget allows (burn rate below 1), the budget guard declines.
fn approves_exception(sim: &World, view: &View, policy: Policy) -> bool {
    match policy {
        Policy::ShipFast => true,
        Policy::Balanced => {
            view.incident_age.is_none() && sim.burn_rate_at(view.tick, TICKS_PER_HOUR) < 1.0
        }
        _ => false,
    }
}

fn sre(sim: &World, view: &View, policy: Policy) -> Vec<Action> {
    let mut actions = Vec::new();
    let team = sim.team();
    let free = team.sre.available;
    // Pager: acknowledge after a policy's reaction time.
    let ack_minutes = match policy {
        Policy::ShipFast => 15,
        Policy::Balanced => 5,
        _ => 2,
    };
    if let (Some(age), Some(open)) = (view.incident_age, sim.incidents().open()) {
        if open.acknowledged_at.is_none() && age >= ack_minutes * TICKS_PER_MINUTE {
            actions.push(Action::AcknowledgePage);
        }
    }
    if sim.freeze_requests().waiting().is_some() {
        actions.push(Action::AnswerFreezeRequest {
            approve: approves_exception(sim, view, policy),
        });
    }
    let incidents = sim.incidents();
    if let Some(waiting) = incidents
        .all()
        .iter()
        .find(|i| !i.is_open() && i.resolved_at.is_none())
    {
        if waiting.postmortem != Postmortem::Owed {
            actions.push(Action::ResolveIncident);
        } else if policy != Policy::ShipFast && free >= POSTMORTEM_HOURS {
            actions.push(Action::WritePostmortem);
        }
    }
    // Mitigations a runbook lists: roll back a suspect change, fail over a lost zone,
    // restart a leaking service.
    if policy != Policy::ShipFast
        && view.suspect_deploy(3)
        && view
            .incident_age
            .is_some_and(|age| age >= 10 * TICKS_PER_MINUTE)
    {
        actions.push(Action::RollBack);
    }
    let scenario = sim.scenario();
    if policy != Policy::ShipFast && view.incident_age.is_some() {
        let mut mitigations: Vec<(usize, Action)> = sim
            .active_faults()
            .filter_map(|fault| {
                let s = fault.service?;
                let service = s as u16;
                match fault.kind {
                    FaultKind::ZoneLoss => Some((s, Action::FailOver { service })),
                    FaultKind::MemoryLeak => Some((s, Action::Restart { service })),
                    _ => None,
                }
            })
            .collect();
        // Triage by harm: the service failing the most requests on its own first.
        let harm = sim.harm();
        let rank = |s: usize| {
            harm.iter()
                .position(|h| h.service == s)
                .unwrap_or(harm.len())
        };
        crate::order::sort_by_key(&mut mitigations, |m| rank(m.0));
        actions.extend(mitigations.into_iter().map(|(_, action)| action));
    }
    if policy == Policy::BudgetGuard {
        for (s, warmth) in sim.cache_warmth().iter().enumerate() {
            if scenario.services[s].cache.is_some() && *warmth < 0.5 && free >= 1.0 {
                actions.push(Action::WarmCache { service: s as u16 });
            }
        }
        match sim.frozen() {
            None if view.budget < 0.25 => actions.push(Action::SetDeployFreeze { on: true }),
            Some(Freeze::BySre) if view.budget > 0.5 => {
                actions.push(Action::SetDeployFreeze { on: false })
            }
            _ => {}
        }
    }
    // Capacity, every ten minutes: add a quarter more replicas to a service past the
    // policy's utilisation, give one back when far below (never under the start).
    if view.tick % (10 * TICKS_PER_MINUTE) == 0 {
        let busy = match policy {
            Policy::ShipFast => 0.95,
            Policy::Balanced => 0.8,
            _ => 0.7,
        };
        for (s, (state, spec)) in sim.services().iter().zip(&scenario.services).enumerate() {
            if sim.autoscalers()[s].is_some() || !state.provisioning.is_empty() {
                continue;
            }
            let utilization = sim.service_ticks()[s].utilization;
            let replicas = state.replicas;
            let to = if utilization > busy {
                replicas + replicas.div_ceil(4)
            } else if utilization < busy / 2.5
                && replicas > spec.replicas.0
                && policy != Policy::ShipFast
            {
                replicas - 1
            } else {
                continue;
            };
            actions.push(Action::ScaleTo {
                replicas: to.min(MAX_REPLICAS),
                service: Some(s as u16),
            });
        }
    }
    // Toil automation when hours allow, keeping a postmortem's worth in reserve.
    let automation: &[Investment] = match policy {
        Policy::Balanced => &[
            Investment::AutomateCertificates,
            Investment::AutomateDiskCleanup,
        ],
        Policy::BudgetGuard => &[
            Investment::Runbooks,
            Investment::AutomateRestarts,
            Investment::AutomateCertificates,
            Investment::AutomateDiskCleanup,
        ],
        _ => &[],
    };
    if let Some(next) = automation.iter().find(|i| !team.has(**i)) {
        if free >= next.hours() + POSTMORTEM_HOURS {
            actions.push(Action::Invest { investment: *next });
        }
    }
    actions
}
