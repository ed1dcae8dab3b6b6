//! What a player (or, later, a bot) can do, as plain data: an action log stamped with ticks
//! replays to the same run.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::clock::Tick;

/// Most replicas a service may run.
pub const MAX_REPLICAS: u32 = 200;

/// A command to the simulated world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// SRE: run this many replicas from now on.
    ScaleTo { replicas: u32 },
    /// DevOps: ship the next feature; it may carry a defect.
    ShipFeature,
    /// Either role: undo the most recent deploy still live.
    RollBack,
}

impl Action {
    /// A fixed byte encoding for the run hash: a tag, then the argument (little-endian).
    /// Never reuse a tag: old hashes would then match new actions.
    pub fn encode(&self) -> [u8; 5] {
        let (tag, argument): (u8, u32) = match *self {
            Action::ScaleTo { replicas } => (1, replicas),
            Action::ShipFeature => (2, 0),
            Action::RollBack => (3, 0),
        };
        let mut bytes = [tag, 0, 0, 0, 0];
        bytes[1..].copy_from_slice(&argument.to_le_bytes());
        bytes
    }
}

/// An action and the tick it took effect at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StampedAction {
    pub tick: Tick,
    #[serde(flatten)]
    pub action: Action,
}

/// Why an action was refused; the text is shown to the player as is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActionError {
    #[error("replicas must be between 1 and {MAX_REPLICAS}, not {0}")]
    ReplicasOutOfRange(u32),
    #[error("the service already runs {0} replicas")]
    NoChange(u32),
    #[error("there is no live deploy to roll back")]
    NothingToRollBack,
    #[error("the run is over")]
    RunOver,
}
