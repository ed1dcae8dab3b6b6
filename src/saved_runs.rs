//! Runs kept in this browser while they are played, so a reload or a closed tab resumes
//! where the player was. A run is its scenario, seed and actions, so what is kept is small
//! (the engine's `SavedRun`), and resuming replays it exactly. Saved data that cannot be
//! read is set aside, never deleted, and offered for download.

use ops_dojo_engine::share::SavedRun;
use ops_dojo_engine::{Scenario, Simulation};

use crate::own_scenarios;
use crate::route::{query_value, PlayParams, PlayQuery, Seat, DEFAULT_PARTNER};
use crate::storage;

/// Where runs are kept, each under its play link's query.
const PREFIX: &str = "ops-dojo/run/";

/// Where a run is kept: by its link, so the same link finds it again.
fn key(params: &PlayParams) -> String {
    let query = PlayQuery::new(
        &params.scenario.id.0,
        params.seat,
        params.partner,
        params.seed,
    );
    format!("{PREFIX}{}", query.to_query())
}

/// Where saved data that could not be read is set aside.
fn damaged_key(params: &PlayParams) -> String {
    format!("ops-dojo/damaged/{}", key(params))
}

/// What opening a play link found in this browser.
pub enum Opened {
    /// Nothing kept: a new run.
    Fresh,
    /// The kept run, rebuilt up to where it was.
    Resumed(Box<Simulation>),
    /// Something was kept but could not be resumed; the run starts fresh, and `text` (the
    /// kept data, set aside) is offered for download.
    Unreadable { message: String, text: String },
}

/// Looks for the run of `params` in this browser. Reads only: a run that cannot be read is
/// returned, and [`set_aside_unreadable`] keeps it (from an effect, not while the page is set up).
pub fn open(params: &PlayParams) -> Opened {
    let Some(text) = storage::read(&key(params)) else {
        return Opened::Fresh;
    };
    match SavedRun::decode(&text).and_then(|saved| saved.resume(params.scenario.clone())) {
        Ok(sim) => Opened::Resumed(Box::new(sim)),
        Err(error) => Opened::Unreadable {
            message: error.to_string(),
            text,
        },
    }
}

/// Keeps a run that could not be read under its own key, before the new run's saves take
/// its place: nothing is silently lost. The old key is cleared only while it still holds
/// that same text, so a save of the new run that came first is never removed.
pub fn set_aside_unreadable(params: &PlayParams, text: &str) {
    let _ = storage::write(&damaged_key(params), text);
    let key = key(params);
    if storage::read(&key).as_deref() == Some(text) {
        storage::remove(&key);
    }
}

/// Keeps the run as it stands.
pub fn save(params: &PlayParams, sim: &Simulation) -> Result<(), String> {
    storage::write(&key(params), &export(params, sim))
}

/// The run as text (for a file, or for the browser's storage).
pub fn export(params: &PlayParams, sim: &Simulation) -> String {
    SavedRun::of(sim, params.seat.roles()).encode()
}

/// Forgets the run of `params` (starting over).
pub fn forget(params: &PlayParams) {
    storage::remove(&key(params));
}

/// Reads a run file and keeps it under its link, ready to resume; returns the link's query.
pub fn import(text: &str) -> Result<String, String> {
    let saved = SavedRun::decode(text).map_err(|e| e.to_string())?;
    let seat = Seat::of_roles(&saved.roles).ok_or("the saved run names no role to play")?;
    let scenario = match own_scenarios::find(&saved.scenario) {
        Some(Ok(scenario)) => scenario,
        Some(Err(error)) => return Err(error.to_string()),
        None => {
            return Err(format!(
                "the run is of scenario “{}”, which is not in this browser: load its file first",
                saved.scenario
            ))
        }
    };
    let params = PlayParams {
        scenario,
        seat,
        partner: saved
            .bots
            .first()
            .map_or(DEFAULT_PARTNER, |&(_, policy)| policy),
        seed: saved.seed,
    };
    // Checked before it is kept: a run that does not resume is refused now, not later.
    saved
        .resume(params.scenario.clone())
        .map_err(|e| e.to_string())?;
    let key = key(&params);
    set_aside(&key, text.trim());
    storage::write(&key, text.trim())?;
    Ok(PlayQuery::new(&params.scenario.id.0, seat, params.partner, params.seed).to_query())
}

/// A different run already kept under `key` is kept on under a numbered key beside it
/// (`…&replaced=1`), so opening a file or a link never silently loses a run in progress:
/// Compare lists it.
fn set_aside(key: &str, incoming: &str) {
    let Some(kept) = storage::read(key).filter(|kept| kept.trim() != incoming) else {
        return;
    };
    if let Some(free) = (1..100)
        .map(|n| format!("{key}&replaced={n}"))
        .find(|k| storage::read(k).is_none())
    {
        let _ = storage::write(&free, &kept);
    }
}

/// The runs of scenario `id` with `seed` kept in this browser: (storage key, a label naming
/// the seat and the partner bot), in a stable order.
pub fn list(id: &str, seed: u64) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = storage::keys(PREFIX)
        .into_iter()
        .filter_map(|key| {
            let query = key.strip_prefix(PREFIX)?;
            let value = |name: &str| query_value(query, name);
            if value("scenario")? != id || value("seed")?.parse::<u64>().ok()? != seed {
                return None;
            }
            let seat = Seat::parse(&value("role")?)?;
            let label = match (seat.other(), value("partner")) {
                (Some(role), Some(partner)) => format!(
                    "You: {} (bot {}: {})",
                    seat.label(),
                    role.label(),
                    partner.replace('-', " ")
                ),
                _ => format!("You: {}", seat.label()),
            };
            let label = match value("replaced") {
                Some(n) => format!("{label}, kept before an import ({n})"),
                None => label,
            };
            Some((key, label))
        })
        .collect();
    ops_dojo_engine::order::sort_by(&mut found, Ord::cmp);
    found
}

/// The run kept under `key`, rebuilt on `scenario` up to where it was.
pub fn resume_key(key: &str, scenario: Scenario) -> Result<Simulation, String> {
    let text = storage::read(key).ok_or("it is no longer kept in this browser")?;
    SavedRun::decode(&text)
        .and_then(|saved| saved.resume(scenario))
        .map_err(|e| e.to_string())
}

/// A run kept in this browser, as its key names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub key: String,
    pub scenario: String,
    pub seat: Seat,
    pub seed: u64,
}

/// Every run kept in this browser under its own link (runs set aside before an import are
/// left out: they are kept, not the person's latest), in a stable order.
pub fn kept() -> Vec<Kept> {
    let mut found: Vec<Kept> = storage::keys(PREFIX)
        .into_iter()
        .filter_map(|key| {
            let query = key.strip_prefix(PREFIX)?;
            if query_value(query, "replaced").is_some() {
                return None;
            }
            Some(Kept {
                scenario: query_value(query, "scenario")?,
                seat: Seat::parse(&query_value(query, "role")?)?,
                seed: query_value(query, "seed")?.parse().ok()?,
                key,
            })
        })
        .collect();
    ops_dojo_engine::order::sort_by(&mut found, |a, b| a.key.cmp(&b.key));
    found
}
