//! A run being played: the simulated [`World`] plus the bots that hold seats, stepped
//! together. This is what the CLI, the app and the tests drive.
//!
//! The world knows nothing of who plays it; a bot is a reader of the world (it decides from
//! what it sees, [`crate::bots`]) that acts through the same door as a person
//! ([`Simulation::apply_by`]). Keeping the two apart is what keeps the engine's layers
//! acyclic (docs/architecture.md).
//!
//! `Simulation` dereferences to its [`World`], so every read-out (`sim.records()`,
//! `sim.slo_status()`…) reads as before; everything that changes the run goes through
//! the methods here.

use std::ops::Deref;

use crate::action::{Action, ActionError, Actor, Policy, StampedAction};
use crate::bots;
use crate::clock::TICKS_PER_MINUTE;
use crate::report::{AlertSummary, Summary};
use crate::scenario::{Role, Scenario};
use crate::sim::{Event, TickRecord, World};

/// A run in progress and who plays it.
#[derive(Debug, Clone)]
pub struct Simulation {
    world: World,
    /// Bots playing roles, each with its policy.
    bots: Vec<(Role, Policy)>,
}

impl Simulation {
    pub fn new(scenario: Scenario, seed: u64) -> Self {
        Self {
            world: World::new(scenario, seed),
            bots: Vec::new(),
        }
    }

    /// Runs a whole scenario with a log of actions (sorted by tick), each by its actor, and
    /// returns the run. Bots are not added: their actions are in the log.
    pub fn replay(
        scenario: Scenario,
        seed: u64,
        actions: &[StampedAction],
    ) -> Result<Self, ActionError> {
        Self::replay_with(scenario, seed, actions, Err)
    }

    /// As [`Simulation::replay`], but `refused` decides what an action the run refuses does:
    /// `Ok(())` leaves it out and the replay goes on, an error ends it.
    pub fn replay_with(
        scenario: Scenario,
        seed: u64,
        actions: &[StampedAction],
        mut refused: impl FnMut(ActionError) -> Result<(), ActionError>,
    ) -> Result<Self, ActionError> {
        let mut sim = Simulation::new(scenario, seed);
        let mut pending = actions.iter().peekable();
        while !sim.is_finished() {
            while let Some(stamped) = pending.next_if(|a| a.tick <= sim.tick()) {
                if let Err(e) = sim.apply_by(stamped.by, stamped.action) {
                    refused(e)?;
                }
            }
            sim.step();
        }
        Ok(sim)
    }

    /// The world as it stands (also reachable through `Deref`).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Bots playing in this run.
    pub fn bots(&self) -> &[(Role, Policy)] {
        &self.bots
    }

    /// A bot plays `role` with `policy` from now on (before the first tick, for replays).
    pub fn add_bot(&mut self, role: Role, policy: Policy) {
        self.bots.retain(|(r, _)| *r != role);
        self.bots.push((role, policy));
    }

    /// Simulates one tick: bots take their turn (once a simulated minute, before the tick,
    /// on what they can see), then the world steps. Does nothing once the run is over.
    pub fn step(&mut self) -> Option<TickRecord> {
        if self.world.is_finished() {
            return None;
        }
        self.run_bots();
        self.world.step()
    }

    /// Simulates up to `n` ticks; returns how many ran.
    pub fn step_n(&mut self, n: u32) -> u32 {
        let mut ran = 0;
        while ran < n && self.step().is_some() {
            ran += 1;
        }
        ran
    }

    /// Applies an action at the current tick for someone playing both roles.
    pub fn apply(&mut self, action: Action) -> Result<&Event, ActionError> {
        self.world.apply_by(Actor::ANYONE, action)
    }

    /// Applies an action at the current tick for `by`, or says why it cannot be done.
    pub fn apply_by(&mut self, by: Actor, action: Action) -> Result<&Event, ActionError> {
        self.world.apply_by(by, action)
    }

    /// The run so far, as the CLI prints it.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.world)
    }

    /// What the alerting did so far.
    pub fn alert_summary(&self) -> AlertSummary {
        AlertSummary::of(&self.world)
    }

    fn run_bots(&mut self) {
        if self.bots.is_empty() || self.world.tick() % TICKS_PER_MINUTE != 0 {
            return;
        }
        for &(role, policy) in &self.bots {
            for action in bots::decide(&self.world, role, policy) {
                // A refused action is the bot's mistake; the world moves on.
                let _ = self.world.apply_by(Actor::bot(role, policy), action);
            }
        }
    }
}

impl Deref for Simulation {
    type Target = World;

    fn deref(&self) -> &World {
        &self.world
    }
}
