//! Result codes: a run handed in as short text. A code holds the scenario's id and
//! fingerprint, the seed, who played what (the bots included), the action log, and the
//! outcome claimed. Because runs are deterministic, replaying the code *is* the check:
//! `verify` reproduces the run and compares it with the claim.
//!
//! Format 2 (`OD2-`): URL-safe base64 (no padding) of postcard bytes. A code carries only
//! the *person's* actions, each in its compact numeric form ([`Action::fields`]); the bots'
//! actions are not in it, because the replay recomputes them from the bots' policies. So a
//! code proves who played what: the person's actions must belong to the seat the code
//! declares, the bot list is exactly the other seats, and a bot's run cannot be handed in
//! as a person's. Every part of a code is checked for its one canonical form (an edited
//! code is refused, or reads as exactly the same claim), and every way a text can be broken
//! gives an error that says what, never a panic. Codes of format 1 (`OD1-`, which carried
//! the bots' actions) are refused with a message saying so.
//!
//! The same packing carries saved runs and share links ([`pack`], [`unpack`]) under their
//! own prefixes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::action::Policy;
use crate::action::{Action, Actor, Fields, StampedAction};
use crate::clock::{Tick, TICK_SECONDS};
use crate::play_link::Seat;
use crate::scenario::{Role, Scenario};
use crate::session::Simulation;

mod compact_actions;
mod person_actions;
mod scenario_link;

pub use scenario_link::{
    pack_scenario, scenario_code, unpack_scenario, MAX_SCENARIO_BYTES, SCENARIO_PREFIX,
};

/// What every code starts with; the digit is the format version. Version 3 counts its
/// actions' times in 30-second ticks (see [`crate::clock::TICK_SECONDS`]).
pub const PREFIX: &str = "OD3-";

/// Prefixes of result codes made by older versions of Ops Dojo, refused with that reason: a
/// code proves a run's numbers, and an older engine's numbers are not this one's (version 2
/// ran 10-second ticks).
const OLDER_PREFIXES: [&str; 2] = ["OD1-", "OD2-"];

/// Longest text read (1 MB): a decoder must not be made to allocate without bound. Postcard
/// itself allocates no more than the bytes it is given can describe.
const MAX_CODE_CHARS: usize = 1 << 20;

/// Longest name kept in a code: enough for "first name + class", short enough for a table.
pub const MAX_PLAYER_CHARS: usize = 40;

/// Longest run a code or saved run may describe, days (the scenario format's limit).
const MAX_DAYS: u32 = 90;

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
    /// Whether two claims are the same bit for bit (`0.0` and `-0.0` are different claims).
    pub fn same_as(&self, other: &Claim) -> bool {
        self.run_hash == other.run_hash
            && self.budget_remaining.to_bits() == other.budget_remaining.to_bits()
            && self.features_shipped == other.features_shipped
            && self.deployments == other.deployments
            && self.pages == other.pages
    }

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
    /// Who handed the run in, as they typed it (not checked: a name, not a proof).
    pub player: String,
    pub scenario: String,
    /// The first 8 bytes of BLAKE3 over the scenario as parsed, hex: a changed file (a
    /// different target, more traffic) gives another fingerprint.
    pub fingerprint: String,
    pub seed: u64,
    /// The role(s) the person played, in [`Role::ALL`] order; the rest were bots.
    pub roles: Vec<Role>,
    /// Bots that played the other seats, and their policies, in [`Role::ALL`] order. Their
    /// actions are not in the code: the replay recomputes them.
    pub bots: Vec<(Role, Policy)>,
    /// Length of the run, days (1–90).
    pub days: u32,
    /// The person's actions, in tick order; `by` is the person's seat (set from `roles`
    /// when read, never carried).
    #[serde(with = "person_actions")]
    pub actions: Vec<StampedAction>,
    pub claim: Claim,
}

/// Why a code could not be read, or did not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("not a {what}: it should start with {prefix}")]
    Prefix {
        what: &'static str,
        prefix: &'static str,
    },
    #[error("the text is too long to be a {what} ({length} characters)")]
    TooLong { what: &'static str, length: usize },
    #[error("the {what} is damaged: {why} (was it copied whole?)")]
    Damaged { what: &'static str, why: String },
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
    #[error("this {what} was made by an older version of Ops Dojo ({found}…); make it again with this version")]
    OlderVersion {
        what: &'static str,
        found: &'static str,
    },
    #[error("the code does not hold: {0}")]
    Refused(String),
}

/// The scenario's fingerprint (hex of the first 8 bytes of BLAKE3 over its postcard form).
pub fn fingerprint(scenario: &Scenario) -> String {
    // Serialising plain data of known sizes cannot fail.
    let bytes = postcard::to_allocvec(scenario).expect("a scenario is plain data");
    blake3::hash(&bytes).as_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl ResultCode {
    /// The code of a finished (or stopped) run: the person played `roles`, and every
    /// action not taken by a bot is theirs.
    pub fn of(sim: &Simulation, roles: Vec<Role>) -> Self {
        Self {
            player: String::new(),
            scenario: sim.scenario().id.0.clone(),
            fingerprint: fingerprint(sim.scenario()),
            seed: sim.seed(),
            roles,
            bots: sim.bots().to_vec(),
            days: sim.scenario().days.0,
            actions: sim
                .actions()
                .iter()
                .filter(|a| a.by.bot.is_none())
                .copied()
                .collect(),
            claim: Claim::of(sim),
        }
    }

    /// Who the person is in the replay: one role, or anyone when they played both (a code
    /// whose roles are no seat is refused by `check_claims` before it replays).
    fn person(&self) -> Actor {
        Seat::of_roles(&self.roles).map_or(Actor::ANYONE, Seat::actor)
    }

    /// Checks that the code is in its one canonical form and that its parts agree: a name
    /// of sane length, a person in at least one seat, bots in exactly the other seats, a
    /// run length the format allows, and actions in tick order that belong to the person's
    /// seat. Anything else was edited (or made by hand) and is refused with the reason.
    fn check_claims(&self) -> Result<(), CodeError> {
        let refuse = |why: String| Err(CodeError::Refused(why));
        if self.player.chars().count() > MAX_PLAYER_CHARS
            || self.player != self.player.trim()
            || self.player.chars().any(char::is_control)
        {
            return refuse(format!(
                "the player's name must be at most {MAX_PLAYER_CHARS} characters of text, without line breaks or spaces around it"
            ));
        }
        // A seat's roles are its one canonical form: non-empty, in `Role::ALL` order, once.
        if Seat::of_roles(&self.roles).is_none() {
            return refuse(
                "it must name the seat the person played (DevOps, SRE or both), each once".into(),
            );
        }
        let open: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| !self.roles.contains(r))
            .collect();
        let bot_seats: Vec<Role> = self.bots.iter().map(|(r, _)| *r).collect();
        if bot_seats != open {
            return refuse(format!(
                "its bots must play exactly the seats the person did not ({}), each once",
                if open.is_empty() {
                    "none: the person played both".to_string()
                } else {
                    open.iter()
                        .map(|r| r.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ));
        }
        let id_ok = !self.scenario.is_empty()
            && self.scenario.len() <= 40
            && self
                .scenario
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let hex_ok = self.fingerprint.len() == 16
            && self
                .fingerprint
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !id_ok || !hex_ok {
            return refuse(
                "its scenario id or fingerprint is not in the form Ops Dojo writes".into(),
            );
        }
        if !(1..=MAX_DAYS).contains(&self.days) {
            return refuse(format!(
                "a run lasts 1 to {MAX_DAYS} days, not {}",
                self.days
            ));
        }
        if !self.claim.budget_remaining.is_finite() {
            return refuse("the budget it claims is not a number".into());
        }
        let run_ticks = self.days * crate::clock::TICKS_PER_DAY;
        let person = self.person();
        let mut previous = 0;
        for (index, stamped) in self.actions.iter().enumerate() {
            let number = index + 1;
            if stamped.tick < previous || stamped.tick >= run_ticks {
                return refuse(format!(
                    "action {number} is at tick {}: actions must be in tick order, inside the run's {} ticks",
                    stamped.tick, run_ticks
                ));
            }
            previous = stamped.tick;
            if let (Some(seat), Some(job)) = (person.role, stamped.action.role()) {
                if seat != job {
                    return refuse(format!(
                        "action {number} is {} work, but the code says the person played {}",
                        job.label(),
                        seat.label()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The same code, handed in under `name` (trimmed, at most [`MAX_PLAYER_CHARS`]).
    pub fn by(self, name: &str) -> Self {
        Self {
            player: name.trim().chars().take(MAX_PLAYER_CHARS).collect(),
            ..self
        }
    }

    /// The code as text.
    pub fn encode(&self) -> String {
        pack(PREFIX, self)
    }

    /// Reads a code (surrounding whitespace and line breaks are ignored, as pasted text has
    /// them) and checks that its parts agree ([`ResultCode::check_claims`]).
    pub fn decode(text: &str) -> Result<Self, CodeError> {
        const WHAT: &str = "result code";
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(8)
            .collect();
        if let Some(found) = OLDER_PREFIXES.into_iter().find(|p| compact.starts_with(p)) {
            return Err(CodeError::OlderVersion { what: WHAT, found });
        }
        let mut code: ResultCode = unpack(PREFIX, WHAT, text)?;
        let person = code.person();
        for stamped in &mut code.actions {
            stamped.by = person;
        }
        code.check_claims()?;
        Ok(code)
    }

    /// Replays the code against `scenario` (found by the caller from `self.scenario`): the
    /// bots play their seats again from their policies, the person's actions are applied
    /// at their ticks, and the replayed run is returned if it reproduces the claim exactly.
    pub fn verify(&self, scenario: Scenario) -> Result<Simulation, CodeError> {
        self.check_claims()?;
        if let Some(role) = self.roles.iter().find(|r| !scenario.roles.contains(r)) {
            return Err(CodeError::Refused(format!(
                "scenario {:?} is not played as {}",
                self.scenario,
                role.label()
            )));
        }
        let mut scenario = scenario;
        // The run's own length (the CLI's --days may have changed it).
        scenario.days = crate::scenario::Bounded(self.days);
        same_scenario(&self.scenario, &self.fingerprint, &scenario)?;
        let mut sim = Simulation::new(scenario, self.seed);
        for &(role, policy) in &self.bots {
            sim.add_bot(role, policy);
        }
        let mut pending = self.actions.iter().enumerate().peekable();
        while !sim.is_finished() {
            apply_due(&mut sim, &mut pending)?;
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
        if !replayed.same_as(&self.claim) {
            return Err(CodeError::Mismatch(describe_difference(
                &self.claim,
                &replayed,
            )));
        }
        Ok(sim)
    }
}

/// What a packed action log starts with (an expert's solution, see `par.rs`). Version 2
/// counts 30-second ticks.
pub const ACTIONS_PREFIX: &str = "ODA2-";

/// An action log as the saved runs carry theirs: each action in its compact form.
#[derive(Serialize, Deserialize)]
struct ActionList {
    #[serde(with = "compact_actions")]
    actions: Vec<StampedAction>,
}

/// Packs an action log as short text (see [`pack`]).
pub fn pack_actions(actions: &[StampedAction]) -> String {
    pack(
        ACTIONS_PREFIX,
        &ActionList {
            actions: actions.to_vec(),
        },
    )
}

/// Reads what [`pack_actions`] wrote.
pub fn unpack_actions(text: &str) -> Result<Vec<StampedAction>, CodeError> {
    unpack::<ActionList>(ACTIONS_PREFIX, "action log", text).map(|list| list.actions)
}

/// What [`SavedRun`] texts start with; the digit is the format version. Version 2 counts
/// 30-second ticks.
pub const SAVED_PREFIX: &str = "ODR2-";

/// Saved runs of version 1 counted 10-second ticks (their prefix, and their tick in seconds).
/// The browser may still hold some: they are read with every time moved onto this version's
/// ticks, so a run in progress resumes at the same simulated moment, with its actions at
/// the same times (to the tick).
const OLDER_SAVED: (&str, u32) = ("ODR1-", 10);

/// A run in progress (or finished) as the browser keeps it: enough to rebuild it exactly,
/// because a run is its scenario, seed and actions. Resuming replays the log up to `tick`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRun {
    pub scenario: String,
    pub fingerprint: String,
    pub seed: u64,
    /// The role(s) the person plays.
    pub roles: Vec<Role>,
    /// Bots that play, and their policies (their actions so far are in the log).
    pub bots: Vec<(Role, Policy)>,
    #[serde(with = "compact_actions")]
    pub actions: Vec<StampedAction>,
    /// How far the run had got, ticks.
    pub tick: Tick,
}

impl SavedRun {
    /// The run as it stands; the person plays `roles`.
    pub fn of(sim: &Simulation, roles: Vec<Role>) -> Self {
        Self {
            scenario: sim.scenario().id.0.clone(),
            fingerprint: fingerprint(sim.scenario()),
            seed: sim.seed(),
            roles,
            bots: sim.bots().to_vec(),
            actions: sim.actions().to_vec(),
            tick: sim.tick(),
        }
    }

    pub fn encode(&self) -> String {
        pack(SAVED_PREFIX, self)
    }

    pub fn decode(text: &str) -> Result<Self, CodeError> {
        let (older, older_tick_seconds) = OLDER_SAVED;
        if text.trim_start().starts_with(older) {
            let saved: Self = unpack(older, "saved run", text)?;
            return Ok(saved.retimed(older_tick_seconds));
        }
        unpack(SAVED_PREFIX, "saved run", text)
    }

    /// The same run with its times (counted in ticks of `tick_seconds`) moved onto this
    /// version's ticks: the tick that holds the same moment, rounding down.
    fn retimed(mut self, tick_seconds: u32) -> Self {
        let moved = |tick: Tick| {
            let seconds = u64::from(tick) * u64::from(tick_seconds);
            crate::sim::saturate(seconds / u64::from(TICK_SECONDS))
        };
        for stamped in &mut self.actions {
            stamped.tick = moved(stamped.tick);
        }
        self.tick = moved(self.tick);
        self
    }

    /// Rebuilds the run on `scenario`: the log replayed up to the saved tick, then the bots
    /// take their seats again and play on from there.
    pub fn resume(&self, scenario: Scenario) -> Result<Simulation, CodeError> {
        same_scenario(&self.scenario, &self.fingerprint, &scenario)?;
        let mut sim = Simulation::new(scenario, self.seed);
        let until = self.tick.min(sim.scenario().run_ticks());
        let mut pending = self.actions.iter().enumerate().peekable();
        while sim.tick() < until {
            apply_due(&mut sim, &mut pending)?;
            sim.step();
        }
        // Actions taken at the saved tick itself (after its step) are due now.
        apply_due(&mut sim, &mut pending)?;
        if let Some((index, stamped)) = pending.next() {
            return Err(CodeError::Replay {
                index: index + 1,
                tick: stamped.tick,
                reason: "it comes after the point the run was saved at".to_string(),
            });
        }
        for &(role, policy) in &self.bots {
            sim.add_bot(role, policy);
        }
        Ok(sim)
    }
}

/// Refuses to replay a record (of scenario `id`, made when it had `fingerprint`) on another
/// version of the scenario: the numbers would not be comparable.
fn same_scenario(id: &str, fingerprint_then: &str, scenario: &Scenario) -> Result<(), CodeError> {
    if id != scenario.id.0 {
        return Err(CodeError::UnknownScenario(id.to_string()));
    }
    let here = fingerprint(scenario);
    if here == fingerprint_then {
        Ok(())
    } else {
        Err(CodeError::OtherScenario {
            scenario: id.to_string(),
            code: fingerprint_then.to_string(),
            here,
        })
    }
}

/// Actions of a log not yet applied, with their place in it (from 0).
type Pending<'a> = std::iter::Peekable<std::iter::Enumerate<std::slice::Iter<'a, StampedAction>>>;

/// Applies every pending action due at the run's current tick, as the live run did; a
/// refusal names the action (from 1) and why.
fn apply_due(sim: &mut Simulation, pending: &mut Pending<'_>) -> Result<(), CodeError> {
    while let Some((index, stamped)) = pending.next_if(|(_, a)| a.tick <= sim.tick()) {
        sim.apply_by(stamped.by, stamped.action)
            .map_err(|e| CodeError::Replay {
                index: index + 1,
                tick: stamped.tick,
                reason: e.to_string(),
            })?;
    }
    Ok(())
}

/// Packs `value` as text: `prefix`, then URL-safe base64 (no padding) of its postcard
/// bytes. Not compressed: a run's code is about 110 bytes of postcard, which no compressor
/// shortens (LZ4 saved nothing, and cost 2.5 KB of shipped wasm). Short, safe in a URL, and whitespace can be added or lost on the way.
pub fn pack<T: Serialize>(prefix: &str, value: &T) -> String {
    // Plain data of known sizes always serialises.
    let bytes = postcard::to_allocvec(value).expect("plain data");
    format!("{prefix}{}", crate::base64url::encode(&bytes))
}

/// Reads what [`pack`] wrote under `prefix`; `what` names it in errors ("result code").
/// Whitespace anywhere is ignored, and the text's size is bounded, so a hostile text cannot
/// make it allocate without limit.
pub fn unpack<T: DeserializeOwned>(
    prefix: &'static str,
    what: &'static str,
    text: &str,
) -> Result<T, CodeError> {
    let bytes = unwrap_base64(prefix, what, text)?;
    let (value, rest) = postcard::take_from_bytes(&bytes).map_err(|e| CodeError::Damaged {
        what,
        why: format!("its content does not read ({e})"),
    })?;
    if !rest.is_empty() {
        return Err(CodeError::Damaged {
            what,
            why: format!("{} bytes follow its end", rest.len()),
        });
    }
    Ok(value)
}

/// The bytes under `prefix`, whitespace ignored, length bounded.
fn unwrap_base64(
    prefix: &'static str,
    what: &'static str,
    text: &str,
) -> Result<Vec<u8>, CodeError> {
    if text.len() > MAX_CODE_CHARS {
        return Err(CodeError::TooLong {
            what,
            length: text.len(),
        });
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let body = compact
        .strip_prefix(prefix)
        .ok_or(CodeError::Prefix { what, prefix })?;
    crate::base64url::decode(body).map_err(|e| CodeError::Damaged {
        what,
        why: format!("not base64 ({e})"),
    })
}

/// Who took an action, in one byte: the role (0 both, 1 DevOps, 2 SRE) in the low two bits,
/// the bot's policy (0 a person, else its place in [`Policy::ALL`] + 1) above.
fn actor_byte(by: Actor) -> u8 {
    let role = by
        .role
        .and_then(|r| Role::ALL.iter().position(|x| *x == r))
        .map_or(0, |i| i as u8 + 1);
    let bot = by
        .bot
        .and_then(|b| Policy::ALL.iter().position(|x| *x == b))
        .map_or(0, |i| i as u8 + 1);
    role | bot << 2
}

fn actor_of(byte: u8) -> Option<Actor> {
    let pick = |index: u8, all: &[_]| match index {
        0 => Some(None),
        i => all.get(usize::from(i) - 1).copied().map(Some),
    };
    Some(Actor {
        role: pick(byte & 0b11, &Role::ALL)?,
        bot: match byte >> 2 {
            0 => None,
            i => Some(*Policy::ALL.get(usize::from(i) - 1)?),
        },
    })
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
