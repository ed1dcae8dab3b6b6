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
    /// SRE: run this many replicas of a service (default: the entry) from now on.
    ScaleTo {
        replicas: u32,
        /// Index of the service in the scenario; None = the entry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<u16>,
    },
    /// DevOps: ship the next feature; it may carry a defect.
    ShipFeature,
    /// Either role: undo the most recent deploy still live.
    RollBack,
    /// SRE: switch load shedding of a service on or off.
    SetLoadShedding { service: u16, on: bool },
    /// SRE: switch the circuit breaker callers keep on a service on or off.
    SetCircuitBreaker { service: u16, on: bool },
    /// SRE: let clients and services retry failed calls, or stop all retries.
    SetRetries { on: bool },
    /// SRE: admit at most `rps` requests per second at a service (0 = no limit).
    SetRateLimit { service: u16, rps: u32 },
    /// On-call: acknowledge the open incident (the page stops escalating).
    AcknowledgePage,
}

impl Action {
    /// A fixed byte encoding for the run hash: a tag, then the argument (little-endian).
    /// Never reuse a tag: old hashes would then match new actions.
    pub fn encode(&self) -> [u8; 8] {
        let (tag, argument, service): (u8, u32, u16) = match *self {
            Action::ScaleTo { replicas, service } => (1, replicas, service.map_or(u16::MAX, |s| s)),
            Action::ShipFeature => (2, 0, 0),
            Action::RollBack => (3, 0, 0),
            Action::SetLoadShedding { service, on } => (4, u32::from(on), service),
            Action::SetCircuitBreaker { service, on } => (5, u32::from(on), service),
            Action::SetRetries { on } => (6, u32::from(on), 0),
            Action::SetRateLimit { service, rps } => (7, rps, service),
            Action::AcknowledgePage => (8, 0, 0),
        };
        let mut bytes = [tag, 0, 0, 0, 0, 0, 0, 0];
        bytes[1..5].copy_from_slice(&argument.to_le_bytes());
        bytes[5..7].copy_from_slice(&service.to_le_bytes());
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
    #[error("there is no service number {0} in this scenario")]
    UnknownService(u16),
    #[error("nothing to change: {0}")]
    AlreadySo(String),
    #[error("{0}")]
    NotNow(&'static str),
}
