//! Errors the models share: why an action on the world was refused.

use thiserror::Error;

use crate::service::MAX_REPLICAS;

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
    #[error("{0}")]
    Refused(String),
    #[error("that is the {0} team's job: you play the other role")]
    NotYourRole(&'static str),
}
