//! The freeze as a request: while deploys are frozen, DevOps may ask the SRE seat for an
//! exception to ship the next feature, and the SRE approves or declines it. The error
//! budget policy halts releases "except P0 and security fixes" (DOMAIN.md); anything else
//! is a negotiation between the two jobs, and the record keeps how it went.

use serde::Serialize;

use crate::clock::Tick;
use crate::delivery::Strategy;

/// One request for an exception to the freeze.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreezeRequest {
    /// 1-based, over the run.
    pub number: u32,
    pub asked_at: Tick,
    /// The backlog feature DevOps asked to ship.
    pub feature: String,
    /// How it would ship.
    pub strategy: Strategy,
    /// What came of it; None while it waits for the SRE.
    pub answer: Option<Answer>,
}

/// What came of a request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Answer {
    pub at: Tick,
    pub decision: Decision,
    /// The SRE's reasons as the record shows them when answered: the share of the error
    /// budget left (negative when overspent)…
    pub budget_left: f64,
    /// …the burn rate over the last hour (1 = the budget lasts exactly the window)…
    pub burn_rate_1h: f64,
    /// …and whether an incident was open.
    pub incident_open: bool,
}

/// The SRE's decision, or the freeze ending first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The feature shipped through the freeze.
    Approved,
    /// The feature waits for the thaw.
    Declined,
    /// Deploys thawed before the SRE answered: DevOps ships as usual.
    Lapsed,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Declined => "declined",
            Decision::Lapsed => "lapsed (the freeze ended first)",
        }
    }
}

impl Answer {
    /// The reasons on the record, as a clause: "with 12 % of the budget left, burning 0.4×
    /// over the last hour, no incident open".
    pub fn reasons(&self) -> String {
        format!(
            "with {:.0} % of the budget left, burning {:.1}× over the last hour, {}",
            self.budget_left * 100.0,
            self.burn_rate_1h,
            if self.incident_open {
                "an incident open"
            } else {
                "no incident open"
            }
        )
    }
}

/// Every request of a run, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FreezeRequests {
    list: Vec<FreezeRequest>,
}

impl FreezeRequests {
    pub fn all(&self) -> &[FreezeRequest] {
        &self.list
    }

    /// The request waiting for the SRE, if any (at most one waits at a time).
    pub fn waiting(&self) -> Option<&FreezeRequest> {
        self.list.last().filter(|r| r.answer.is_none())
    }

    /// The last request the SRE declined, if the newest answer was a decline: bots wait a
    /// while before asking again.
    pub fn last_declined_at(&self) -> Option<Tick> {
        self.list
            .last()
            .and_then(|r| r.answer)
            .filter(|a| a.decision == Decision::Declined)
            .map(|a| a.at)
    }

    /// Files a request (checked by the caller: none waits). Returns its number.
    pub(crate) fn ask(&mut self, at: Tick, feature: String, strategy: Strategy) -> u32 {
        let number = self.list.len() as u32 + 1;
        self.list.push(FreezeRequest {
            number,
            asked_at: at,
            feature,
            strategy,
            answer: None,
        });
        number
    }

    /// Closes the waiting request with `answer`; returns it, or None when none waits.
    pub(crate) fn answer(&mut self, answer: Answer) -> Option<&FreezeRequest> {
        let waiting = self.list.last_mut().filter(|r| r.answer.is_none())?;
        waiting.answer = Some(answer);
        Some(waiting)
    }
}
