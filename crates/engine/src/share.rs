//! Result codes: a run handed in as short text. A code holds the scenario's id and
//! fingerprint, the seed, who played what (the bots included), the action log, and the
//! outcome claimed. Because runs are deterministic, replaying the code *is* the check:
//! `verify` reproduces the run and compares it with the claim.
//!
//! Format: `OD1-` then URL-safe base64 (no padding) of raw-deflated JSON. Every way a code
//! can be broken gives an error that says what, never a panic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::action::StampedAction;
use crate::bots::Policy;
use crate::scenario::{Role, Scenario};
use crate::sim::Simulation;

/// What every code starts with; the digit is the format version.
pub const PREFIX: &str = "OD1-";

/// Longest code text read (1 MB), and longest inflated content: a decoder must not be made
/// to allocate without bound by a small hostile input.
const MAX_CODE_CHARS: usize = 1 << 20;
const MAX_INFLATED_BYTES: usize = 8 << 20;

/// The outcome a code claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub run_hash: String,
    /// The headline SLO's budget left at the end (share).
    pub budget_remaining: f64,
    pub features_shipped: u32,
    pub deployments: u32,
    pub pages: u32,
}

impl Claim {
    pub fn of(sim: &Simulation) -> Self {
        let summary = sim.summary();
        Self {
            run_hash: summary.run_hash,
            budget_remaining: summary.slos[0].budget_remaining,
            features_shipped: summary.features.shipped,
            deployments: summary.dora.deployments,
            pages: summary.alerts.pages,
        }
    }
}

/// A finished run, as handed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultCode {
    pub scenario: String,
    /// The first 8 bytes of BLAKE3 over the scenario as parsed, hex: a changed file (a
    /// different target, more traffic) gives another fingerprint.
    pub fingerprint: String,
    pub seed: u64,
    /// The role(s) the person played; the rest were bots.
    pub roles: Vec<Role>,
    /// Bots that played, and their policies (their actions are in the log too).
    pub bots: Vec<(Role, Policy)>,
    pub days: u32,
    pub actions: Vec<StampedAction>,
    pub claim: Claim,
}

/// Why a code could not be read, or did not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("not a result code: it should start with {PREFIX}")]
    Prefix,
    #[error("the code is too long to be a result code ({0} characters)")]
    TooLong(usize),
    #[error("the code is damaged: {0} (was it copied whole?)")]
    Damaged(String),
    #[error("the code is for scenario {0:?}, which is not available here")]
    UnknownScenario(String),
    #[error("the code is for another version of scenario {scenario:?} (fingerprint {code}, this one {here})")]
    OtherScenario {
        scenario: String,
        code: String,
        here: String,
    },
    #[error("the replay refused action {index} (tick {tick}): {reason}")]
    Replay {
        index: usize,
        tick: u32,
        reason: String,
    },
    #[error("the replay does not match the claim: {0}")]
    Mismatch(String),
}

/// The scenario's fingerprint (hex of the first 8 bytes of BLAKE3 over its JSON form).
pub fn fingerprint(scenario: &Scenario) -> String {
    // Serialising plain data cannot fail.
    let bytes = serde_json::to_vec(scenario).expect("a scenario is plain data");
    blake3::hash(&bytes).as_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl ResultCode {
    /// The code of a finished (or stopped) run: the person played `roles`.
    pub fn of(sim: &Simulation, roles: Vec<Role>) -> Self {
        Self {
            scenario: sim.scenario().id.0.clone(),
            fingerprint: fingerprint(sim.scenario()),
            seed: sim.seed(),
            roles,
            bots: sim.bots().to_vec(),
            days: sim.scenario().days.0,
            actions: sim.actions().to_vec(),
            claim: Claim::of(sim),
        }
    }

    /// The code as text.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("a result code is plain data");
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Reads a code (surrounding whitespace and line breaks are ignored, as pasted text has
    /// them).
    pub fn decode(text: &str) -> Result<Self, CodeError> {
        if text.len() > MAX_CODE_CHARS {
            return Err(CodeError::TooLong(text.len()));
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let body = compact.strip_prefix(PREFIX).ok_or(CodeError::Prefix)?;
        let packed = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|e| CodeError::Damaged(format!("not base64 ({e})")))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
            .map_err(|_| CodeError::Damaged("its compressed data is broken".to_string()))?;
        serde_json::from_slice(&json)
            .map_err(|e| CodeError::Damaged(format!("its content is not a result ({e})")))
    }

    /// Replays the code against `scenario` (found by the caller from `self.scenario`) and
    /// returns the replayed run if it reproduces the claim.
    pub fn verify(&self, scenario: Scenario) -> Result<Simulation, CodeError> {
        let mut scenario = scenario;
        // The run's own length (the CLI's --days may have changed it).
        scenario.days = crate::scenario::Bounded(self.days.clamp(1, 90));
        let here = fingerprint(&scenario);
        if here != self.fingerprint {
            return Err(CodeError::OtherScenario {
                scenario: self.scenario.clone(),
                code: self.fingerprint.clone(),
                here,
            });
        }
        let mut sim = Simulation::new(scenario, self.seed);
        let mut pending = self.actions.iter().enumerate().peekable();
        while !sim.is_finished() {
            while let Some((index, stamped)) = pending.next_if(|(_, a)| a.tick <= sim.tick()) {
                sim.apply_by(stamped.by, stamped.action)
                    .map_err(|e| CodeError::Replay {
                        index: index + 1,
                        tick: stamped.tick,
                        reason: e.to_string(),
                    })?;
            }
            sim.step();
        }
        if let Some((index, stamped)) = pending.next() {
            return Err(CodeError::Replay {
                index: index + 1,
                tick: stamped.tick,
                reason: "it comes after the run's end".to_string(),
            });
        }
        let replayed = Claim::of(&sim);
        if replayed != self.claim {
            return Err(CodeError::Mismatch(describe_difference(
                &self.claim,
                &replayed,
            )));
        }
        Ok(sim)
    }
}

/// The first claimed number the replay does not reproduce, in words.
fn describe_difference(claimed: &Claim, replayed: &Claim) -> String {
    if claimed.features_shipped != replayed.features_shipped {
        return format!(
            "it claims {} features shipped, the replay ships {}",
            claimed.features_shipped, replayed.features_shipped
        );
    }
    if claimed.budget_remaining != replayed.budget_remaining {
        return format!(
            "it claims {:.1} % of the budget left, the replay leaves {:.1} %",
            claimed.budget_remaining * 100.0,
            replayed.budget_remaining * 100.0
        );
    }
    if claimed.deployments != replayed.deployments || claimed.pages != replayed.pages {
        return format!(
            "it claims {} deployments and {} pages, the replay has {} and {}",
            claimed.deployments, claimed.pages, replayed.deployments, replayed.pages
        );
    }
    format!(
        "run hash {} claimed, {} replayed",
        claimed.run_hash, replayed.run_hash
    )
}
