//! What a player or a bot can do, as plain data: an action log stamped with ticks replays
//! to the same run.

use serde::{Deserialize, Serialize};

use crate::clock::Tick;
use crate::delivery::Strategy;
use crate::scenario::Role;
use crate::team::Investment;

pub use crate::error::ActionError;
pub use crate::service::MAX_REPLICAS;

/// A bot's way of playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Ships whatever is ready, all at once; as SRE, scales late and never freezes.
    ShipFast,
    /// Canaries, rolls back what pages, invests a little; scales with the load.
    Balanced,
    /// Protects the error budget first: ships only with budget to spare, freezes early.
    BudgetGuard,
    /// Does nothing at all (the baseline).
    HandsOff,
}

impl Policy {
    pub const ALL: [Policy; 4] = [
        Policy::ShipFast,
        Policy::Balanced,
        Policy::BudgetGuard,
        Policy::HandsOff,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Policy::ShipFast => "ship-fast",
            Policy::Balanced => "balanced",
            Policy::BudgetGuard => "budget-guard",
            Policy::HandsOff => "hands-off",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Policy::ShipFast => "Ship fast",
            Policy::Balanced => "Balanced",
            Policy::BudgetGuard => "Budget guard",
            Policy::HandsOff => "Hands off",
        }
    }

    pub fn parse(text: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.id() == text)
    }
}

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
    /// DevOps: commit the next backlog feature to the pipeline.
    ShipFeature {
        #[serde(default)]
        strategy: Strategy,
    },
    /// Either role: undo the newest live deploy.
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
    /// SRE: autoscale a service towards `target_percent` utilisation, up to
    /// `max_replicas` (0 switches its autoscaler off).
    SetAutoscaler {
        service: u16,
        target_percent: u32,
        max_replicas: u32,
    },
    /// SRE: a rolling restart of a service (clears leaks; caches cool a little).
    Restart { service: u16 },
    /// SRE: move a service's work out of a lost zone onto healthy ones.
    FailOver { service: u16 },
    /// SRE: load a service's cache from a snapshot so it starts warm.
    WarmCache { service: u16 },
    /// SRE: freeze or thaw deploys (error budget policy).
    SetDeployFreeze { on: bool },
    /// On-call: close the last mitigated incident.
    ResolveIncident,
    /// SRE: write the postmortem an incident owes.
    WritePostmortem,
    /// DevOps: turn a feature-flagged deploy on, or off (the kill switch).
    SetFlag { deploy: u32, on: bool },
    /// DevOps: ship a fix for the newest live deploy (skips the canary; allowed in a freeze).
    Hotfix,
    /// Either team: spend hours now on something that pays later.
    Invest { investment: Investment },
    /// DevOps: ship a postmortem's action item (its number); a P0 item may ship in a freeze.
    ShipActionItem { item: u32 },
    /// DevOps, during a freeze: ask the SRE for an exception to ship the next feature.
    AskToShip {
        #[serde(default)]
        strategy: Strategy,
    },
    /// SRE: approve (the feature ships through the freeze) or decline the waiting request.
    AnswerFreezeRequest { approve: bool },
}

impl Action {
    /// A fixed byte encoding for the run hash: a tag, then the argument (little-endian).
    /// Never reuse a tag: old hashes would then match new actions.
    pub fn encode(&self) -> [u8; 12] {
        let Fields {
            tag,
            argument,
            service,
            extra,
        } = self.fields();
        let mut bytes = [0; 12];
        bytes[0] = tag;
        bytes[1..5].copy_from_slice(&argument.to_le_bytes());
        bytes[5..7].copy_from_slice(&service.to_le_bytes());
        bytes[7..11].copy_from_slice(&extra.to_le_bytes());
        bytes
    }

    /// The action as four numbers: the run hash's encoding, and the compact form result
    /// codes and saved runs carry. [`Action::from_fields`] reverses it.
    pub fn fields(&self) -> Fields {
        let (tag, argument, service, extra): (u8, u32, u16, u32) = match *self {
            Action::ScaleTo { replicas, service } => {
                (1, replicas, service.map_or(u16::MAX, |s| s), 0)
            }
            Action::ShipFeature { strategy } => (2, strategy.code(), 0, 0),
            Action::RollBack => (3, 0, 0, 0),
            Action::SetLoadShedding { service, on } => (4, u32::from(on), service, 0),
            Action::SetCircuitBreaker { service, on } => (5, u32::from(on), service, 0),
            Action::SetRetries { on } => (6, u32::from(on), 0, 0),
            Action::SetRateLimit { service, rps } => (7, rps, service, 0),
            Action::AcknowledgePage => (8, 0, 0, 0),
            Action::SetAutoscaler {
                service,
                target_percent,
                max_replicas,
            } => (9, target_percent, service, max_replicas),
            Action::Restart { service } => (10, 0, service, 0),
            Action::FailOver { service } => (11, 0, service, 0),
            Action::WarmCache { service } => (12, 0, service, 0),
            Action::SetDeployFreeze { on } => (13, u32::from(on), 0, 0),
            Action::ResolveIncident => (14, 0, 0, 0),
            Action::WritePostmortem => (15, 0, 0, 0),
            Action::SetFlag { deploy, on } => (16, u32::from(on), 0, deploy),
            Action::Hotfix => (17, 0, 0, 0),
            Action::Invest { investment } => (18, investment.tag(), 0, 0),
            Action::ShipActionItem { item } => (19, item, 0, 0),
            Action::AskToShip { strategy } => (20, strategy.code(), 0, 0),
            Action::AnswerFreezeRequest { approve } => (21, u32::from(approve), 0, 0),
        };
        Fields {
            tag,
            argument,
            service,
            extra,
        }
    }

    /// The action four numbers describe, or None when they describe none: an unknown tag,
    /// a strategy or investment out of range, a switch that is neither 0 nor 1, or a number
    /// the action's kind does not use that is not 0. Each action has exactly one form, so
    /// an edited record cannot carry anything the replay does not check.
    pub fn from_fields(fields: Fields) -> Option<Action> {
        Self::from_fields_loosely(fields).filter(|action| action.fields() == fields)
    }

    /// [`Action::from_fields`] without the check that unused numbers are 0.
    fn from_fields_loosely(fields: Fields) -> Option<Action> {
        let Fields {
            tag,
            argument,
            service,
            extra,
        } = fields;
        let on = match argument {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        };
        Some(match tag {
            1 => Action::ScaleTo {
                replicas: argument,
                service: (service != u16::MAX).then_some(service),
            },
            2 => Action::ShipFeature {
                strategy: Strategy::ALL.into_iter().find(|s| s.code() == argument)?,
            },
            3 => Action::RollBack,
            4 => Action::SetLoadShedding { service, on: on? },
            5 => Action::SetCircuitBreaker { service, on: on? },
            6 => Action::SetRetries { on: on? },
            7 => Action::SetRateLimit {
                service,
                rps: argument,
            },
            8 => Action::AcknowledgePage,
            9 => Action::SetAutoscaler {
                service,
                target_percent: argument,
                max_replicas: extra,
            },
            10 => Action::Restart { service },
            11 => Action::FailOver { service },
            12 => Action::WarmCache { service },
            13 => Action::SetDeployFreeze { on: on? },
            14 => Action::ResolveIncident,
            15 => Action::WritePostmortem,
            16 => Action::SetFlag {
                deploy: extra,
                on: on?,
            },
            17 => Action::Hotfix,
            18 => Action::Invest {
                investment: Investment::ALL.into_iter().find(|i| i.tag() == argument)?,
            },
            19 => Action::ShipActionItem { item: argument },
            20 => Action::AskToShip {
                strategy: Strategy::ALL.into_iter().find(|s| s.code() == argument)?,
            },
            21 => Action::AnswerFreezeRequest { approve: on? },
            _ => return None,
        })
    }

    /// The service the action works on (its index; `entry` for a scale without one), or None
    /// for an action on no service.
    pub fn service(&self, entry: usize) -> Option<usize> {
        let service = match *self {
            Action::ScaleTo { service, .. } => service.map_or(entry, usize::from),
            Action::SetLoadShedding { service, .. }
            | Action::SetCircuitBreaker { service, .. }
            | Action::SetRateLimit { service, .. }
            | Action::SetAutoscaler { service, .. }
            | Action::Restart { service }
            | Action::FailOver { service }
            | Action::WarmCache { service } => usize::from(service),
            _ => return None,
        };
        Some(service)
    }

    /// The role whose job this is; None when either may do it.
    pub fn role(&self) -> Option<Role> {
        match self {
            Action::RollBack => None,
            Action::ShipFeature { .. }
            | Action::SetFlag { .. }
            | Action::Hotfix
            | Action::ShipActionItem { .. }
            | Action::AskToShip { .. } => Some(Role::Devops),
            Action::Invest { investment } => Some(investment.role()),
            _ => Some(Role::Sre),
        }
    }
}

/// An action as numbers (see [`Action::fields`]): which action, then its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    pub tag: u8,
    pub argument: u32,
    pub service: u16,
    pub extra: u32,
}

/// Who took an action: a role (None: someone playing both), and the bot's policy if a bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<Policy>,
}

impl Actor {
    /// Someone playing both roles (or a test): may take any action.
    pub const ANYONE: Actor = Actor {
        role: None,
        bot: None,
    };

    pub fn person(role: Role) -> Self {
        Self {
            role: Some(role),
            bot: None,
        }
    }

    pub fn bot(role: Role, policy: Policy) -> Self {
        Self {
            role: Some(role),
            bot: Some(policy),
        }
    }
}

/// An action, the tick it took effect at, and who took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StampedAction {
    pub tick: Tick,
    #[serde(flatten)]
    pub action: Action,
    #[serde(flatten)]
    pub by: Actor,
}
