//! "What if?": a finished run's key moments, each replayed with one thing changed. Runs are
//! deterministic (same scenario, seed and actions, same run), so the difference between a
//! replay and the run is exactly what that one change did: "had you not rolled back at
//! Tue 14:05, 23 % more of the budget would have gone."
//!
//! Three kinds of change: an action of the run left out, a postmortem's action item the
//! run never shipped, shipped as soon as it was filed, and the first service the SRE worked
//! out of the order of harm swapped with the worst one. Everything else replays as logged,
//! bots' actions included; a later action that the changed run refuses (a rollback with
//! nothing left to roll back) is left out and counted.

use serde::Serialize;

use crate::action::{Action, Actor, StampedAction};
use crate::clock::{ClockTime, Tick};
use crate::incident::Postmortem;
use crate::par::ParRun;
use crate::report::count;
use crate::scenario::{Role, Scenario};
use crate::session::Simulation;

/// At most this many what-ifs per run: each is a whole replay.
pub const MOST: usize = 6;

/// What a what-if changes in the run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// The action at `index` in the run's log is left out; `bot`: a bot had taken it.
    Without {
        index: usize,
        tick: Tick,
        action: Action,
        bot: bool,
    },
    /// Action item `item`, never shipped in the run, ships at `tick` (as soon as it could
    /// after it was filed).
    Shipped { item: u32, tick: Tick },
    /// Triage in order of harm: at `tick` the SRE started on a lesser harm (the action at
    /// `index`); the first later action on the worst (at `worst`) is taken at `tick`
    /// instead, and the lesser one at that action's time.
    Reordered {
        tick: Tick,
        index: usize,
        worst: usize,
    },
}

/// One what-if and its replay's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WhatIf {
    #[serde(flatten)]
    pub change: Change,
    /// The replay's outcome.
    pub outcome: ParRun,
    /// Later actions of the log the changed run refused, left out.
    pub skipped: u32,
}

impl WhatIf {
    /// Share of the budget the replay has left beyond the run's (negative: the change cost
    /// budget; for a left-out action, negative means the action saved that much).
    pub fn budget_difference(&self, run: &ParRun) -> f64 {
        self.outcome.budget_left - run.budget_left
    }
}

/// Whether leaving `action` out says something about the run: what was done to mitigate,
/// protect or invest (not routine steps such as acknowledging a page).
fn is_key(action: &Action) -> bool {
    match *action {
        Action::RollBack
        | Action::Hotfix
        | Action::FailOver { .. }
        | Action::Restart { .. }
        | Action::WarmCache { .. }
        | Action::Invest { .. }
        | Action::ShipActionItem { .. }
        | Action::SetAutoscaler { .. }
        | Action::ScaleTo { .. } => true,
        Action::SetFlag { on, .. } => !on,
        Action::SetRetries { on } => !on,
        Action::SetLoadShedding { on, .. } | Action::SetCircuitBreaker { on, .. } => on,
        Action::SetDeployFreeze { on } => on,
        Action::AnswerFreezeRequest { approve } => approve,
        Action::SetRateLimit { rps, .. } => rps > 0,
        Action::ShipFeature { .. }
        | Action::AcknowledgePage
        | Action::ResolveIncident
        | Action::WritePostmortem
        | Action::AskToShip { .. } => false,
    }
}

/// The changes worth replaying for `run`, at most [`MOST`]: the first time the person took
/// each kind of key action (bots' too when no person acted), then up to two action items
/// the run filed and never shipped.
pub fn key_changes(run: &Simulation) -> Vec<Change> {
    let actions = run.actions();
    let person = actions.iter().any(|a| a.by.bot.is_none());
    let mut seen: Vec<u8> = Vec::new();
    let mut changes = Vec::new();
    for (index, stamped) in actions.iter().enumerate() {
        let tag = stamped.action.fields().tag;
        let by_bot = person && stamped.by.bot.is_some();
        if by_bot || !is_key(&stamped.action) || seen.contains(&tag) {
            continue;
        }
        seen.push(tag);
        changes.push(Change::Without {
            index,
            tick: stamped.tick,
            action: stamped.action,
            bot: stamped.by.bot.is_some(),
        });
    }
    // The first time the SRE started on a lesser harm, swapped with the worst (first).
    let entry = run.scenario().topology().entry;
    let reordered = run
        .triage()
        .iter()
        .filter(|t| !t.worst_first())
        .find_map(|step| {
            let worst = step.by_harm.first()?.service;
            let on = |i: &usize, service: usize| actions[*i].action.service(entry) == Some(service);
            let index =
                (0..actions.len()).find(|i| actions[*i].tick == step.tick && on(i, step.worked))?;
            let later = (index + 1..actions.len()).find(|i| on(i, worst))?;
            // Both in the same tick: the order changed nothing the model can see.
            if actions[later].tick == step.tick {
                return None;
            }
            Some(Change::Reordered {
                tick: step.tick,
                index,
                worst: later,
            })
        });
    changes.splice(0..0, reordered);
    let incidents = run.incidents().all();
    let items: Vec<Change> = run
        .action_items()
        .all()
        .iter()
        .filter(|item| item.shipped_at.is_none())
        .filter_map(|item| {
            let incident = incidents.iter().find(|i| i.number == item.incident)?;
            match incident.postmortem {
                Postmortem::Written(tick) => Some(Change::Shipped {
                    item: item.number,
                    tick,
                }),
                _ => None,
            }
        })
        .take(2)
        .collect();
    changes.truncate(MOST - items.len());
    changes.extend(items);
    changes
}

/// Replays `run` (of `scenario` on `seed`) with `change` made; `None` when the change
/// cannot be made (an item that could never ship in the rest of the run).
pub fn replay(scenario: &Scenario, seed: u64, run: &Simulation, change: Change) -> Option<WhatIf> {
    let mut actions: Vec<StampedAction> = run.actions().to_vec();
    // The item to ship as soon as it may (hours, a freeze), from the tick it was filed.
    let mut to_ship = None;
    match change {
        Change::Without { index, .. } => {
            actions.get(index)?;
            actions.remove(index);
        }
        Change::Shipped { item, tick } => to_ship = Some((item, tick)),
        Change::Reordered { tick, index, worst } => {
            let later = actions.get(worst)?.tick;
            actions.get_mut(index)?.tick = later;
            actions[worst].tick = tick;
            crate::order::sort_by_key(&mut actions, |a| a.tick);
        }
    }
    let devops = Actor::person(Role::Devops);
    let mut sim = Simulation::new(scenario.clone(), seed);
    let mut pending = actions.iter().peekable();
    let mut skipped = 0;
    let mut change = change;
    while !sim.is_finished() {
        while let Some(stamped) = pending.next_if(|a| a.tick <= sim.tick()) {
            if sim.apply_by(stamped.by, stamped.action).is_err() {
                skipped += 1;
            }
        }
        if let Some((item, _)) = to_ship.filter(|(_, from)| sim.tick() >= *from) {
            let ship = Action::ShipActionItem { item };
            if sim.apply_by(devops, ship).is_ok() {
                change = Change::Shipped {
                    item,
                    tick: sim.tick(),
                };
                to_ship = None;
            }
        }
        sim.step();
    }
    if to_ship.is_some() {
        return None;
    }
    Some(WhatIf {
        change,
        outcome: ParRun::of(&sim),
        skipped,
    })
}

/// Every what-if of a finished run that can be made, in the order of [`key_changes`].
pub fn what_ifs(scenario: &Scenario, seed: u64, run: &Simulation) -> Vec<WhatIf> {
    key_changes(run)
        .into_iter()
        .filter_map(|change| replay(scenario, seed, run, change))
        .collect()
}

/// What the person did, as the end of "had you not …".
fn done(action: &Action) -> String {
    match *action {
        Action::RollBack => "rolled back".into(),
        Action::Hotfix => "shipped the hotfix".into(),
        Action::FailOver { .. } => "failed over".into(),
        Action::Restart { .. } => "restarted the service".into(),
        Action::WarmCache { .. } => "warmed the cache".into(),
        Action::Invest { investment } => {
            format!("invested in {}", investment.label().to_ascii_lowercase())
        }
        Action::ShipActionItem { item } => format!("shipped action item #{item}"),
        Action::SetAutoscaler {
            max_replicas: 0, ..
        } => "switched the autoscaler off".into(),
        Action::SetAutoscaler { .. } => "set the autoscaler".into(),
        Action::ScaleTo { replicas, .. } => format!("scaled to {replicas} replicas"),
        Action::SetFlag { .. } => "turned the flag off".into(),
        Action::SetRetries { .. } => "stopped retries".into(),
        Action::SetLoadShedding { .. } => "switched load shedding on".into(),
        Action::SetCircuitBreaker { .. } => "switched the circuit breaker on".into(),
        Action::SetDeployFreeze { .. } => "frozen deploys".into(),
        Action::AnswerFreezeRequest { .. } => "approved the exception to the freeze".into(),
        Action::SetRateLimit { .. } => "set a rate limit".into(),
        _ => "acted".into(),
    }
}

impl WhatIf {
    /// The what-if in one sentence, against the run's own outcome `run`: "Had you not rolled
    /// back at Day 2 (Tue) · 14:05, 23 % more of the budget would have gone (1,234 more
    /// failed requests)."
    pub fn sentence(&self, run: &ParRun) -> String {
        let (tick, had) = match self.change {
            Change::Without {
                tick, action, bot, ..
            } => {
                let who = if bot { "the bot" } else { "you" };
                (tick, format!("Had {who} not {}", done(&action)))
            }
            Change::Shipped { item, tick } => (tick, format!("Had action item #{item} shipped")),
            Change::Reordered { tick, .. } => (
                tick,
                "Had the service failing most been worked first".to_string(),
            ),
        };
        let budget = self.budget_difference(run) * 100.0;
        let failed = self.outcome.failed_requests as i64 - run.failed_requests as i64;
        let budget = if budget.abs() < 0.05 {
            "the budget would have ended the same".to_string()
        } else if budget < 0.0 {
            format!("{:.1} % more of the budget would have gone", -budget)
        } else {
            format!("{budget:.1} % more of the budget would be left")
        };
        let features = i64::from(self.outcome.features_shipped) - i64::from(run.features_shipped);
        let failed = match failed {
            0 => "no change in failed requests".to_string(),
            n => format!(
                "{} {} failed requests",
                count(n.unsigned_abs()),
                if n < 0 { "fewer" } else { "more" }
            ),
        };
        let mut text = format!("{had} at {}, {budget} ({failed}", ClockTime::at(tick));
        if features != 0 {
            text += &format!(", {features:+} features");
        }
        if self.skipped > 0 {
            text += &format!("; {} later action(s) could not be taken", self.skipped);
        }
        text + ")."
    }
}
