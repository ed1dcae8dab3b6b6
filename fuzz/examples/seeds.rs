//! Writes the seed corpora of the fuzz targets: real inputs made by the engine itself, so
//! each target starts from texts that get deep (a code whose fingerprint matches reaches the
//! replay; a mutated one rarely would). `scripts/fuzz.sh` runs it when a corpus is empty.
//!
//! Usage: seeds CORPUS_DIR — fills CORPUS_DIR/<target>/ for every target whose directory is
//! missing or empty, and leaves the others alone (a grown corpus is worth more than seeds).

use std::fs;
use std::path::{Path, PathBuf};

use ops_dojo_engine::alert_policy::{self, AlertPolicy};
use ops_dojo_engine::base64url;
use ops_dojo_engine::catalog;
use ops_dojo_engine::clock::TICKS_PER_DAY;
use ops_dojo_engine::scenario::Bounded;
use ops_dojo_engine::share::{self, ResultCode, SavedRun};
use ops_dojo_engine::slo_export::{self, ExportOptions};
use ops_dojo_engine::{Actor, Policy, Role, Scenario, Simulation, StampedAction};

/// One seed file: its name and content.
type Seed = (String, Vec<u8>);

fn main() {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: seeds CORPUS_DIR");
        std::process::exit(2);
    };
    let runs = runs();
    let targets: [(&str, fn(&[Run]) -> Vec<Seed>); 6] = [
        ("scenario_reader", |_| scenario_files()),
        ("openslo_slo", |_| openslo_files()),
        ("share_link", |_| share_links()),
        ("result_code", result_codes),
        ("saved_run", saved_runs),
        ("action_log", action_logs),
    ];
    for (target, seeds) in targets {
        let dir = root.join(target);
        if !is_empty(&dir) {
            println!("{target}: corpus already there, kept");
            continue;
        }
        let seeds = seeds(&runs);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for (name, bytes) in &seeds {
            let path = dir.join(name);
            fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        println!("{target}: {} seeds written", seeds.len());
    }
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none())
}

/// A one-day run of a built-in scenario, and the roles the person played in it.
struct Run {
    id: &'static str,
    sim: Simulation,
    roles: Vec<Role>,
    /// The same run stopped half-way, as the browser saves it.
    half_way: SavedRun,
}

/// For every built-in scenario, one day played three ways: by bots only, by a person in
/// the SRE seat beside a DevOps bot, and by a person in both seats. The person's actions are
/// those a bot chose in a first run, taken again as the person's (runs are deterministic).
fn runs() -> Vec<Run> {
    let mut runs = Vec::new();
    for (n, id) in catalog::ids().enumerate() {
        let policy = Policy::ALL[n % Policy::ALL.len()];
        let partner = Policy::ALL[(n + 1) % Policy::ALL.len()];
        let scenario = one_day(id);
        let bots_only = play(
            &scenario,
            &[(Role::Sre, policy), (Role::Devops, partner)],
            &[],
        );
        let chosen = bots_only.sim.actions().to_vec();
        let sre_actions = as_person(&chosen, |r| r == Some(Role::Sre), Actor::person(Role::Sre));
        let both_actions = as_person(&chosen, |_| true, Actor::ANYONE);
        runs.push(Run { id, ..bots_only });
        runs.push(Run {
            id,
            roles: vec![Role::Sre],
            ..play(&scenario, &[(Role::Devops, partner)], &sre_actions)
        });
        runs.push(Run {
            id,
            roles: Role::ALL.to_vec(),
            ..play(&scenario, &[], &both_actions)
        });
    }
    runs
}

fn one_day(id: &str) -> Scenario {
    let mut scenario = match catalog::load(id) {
        Some(Ok(scenario)) => scenario,
        _ => panic!("built-in scenario {id} does not load"),
    };
    scenario.days = Bounded(1);
    scenario
}

/// The actions of `log` whose actor's role passes `mine`, restamped as taken by `by`.
fn as_person(
    log: &[StampedAction],
    mine: impl Fn(Option<Role>) -> bool,
    by: Actor,
) -> Vec<StampedAction> {
    log.iter()
        .filter(|a| mine(a.by.role.or(a.action.role())))
        .map(|a| StampedAction { by, ..*a })
        .collect()
}

/// Plays `scenario` to its end with `bots` and the person's `actions` (refused ones are
/// skipped: a seed need not be a perfect game), saving it half-way.
fn play(scenario: &Scenario, bots: &[(Role, Policy)], actions: &[StampedAction]) -> Run {
    let mut sim = Simulation::new(scenario.clone(), 7);
    for &(role, policy) in bots {
        sim.add_bot(role, policy);
    }
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| !bots.iter().any(|(b, _)| b == r))
        .collect();
    let mut pending = actions.iter().peekable();
    let mut half_way = None;
    while !sim.is_finished() {
        while let Some(a) = pending.next_if(|a| a.tick <= sim.tick()) {
            let _ = sim.apply_by(a.by, a.action);
        }
        if sim.tick() == TICKS_PER_DAY / 2 {
            half_way = Some(SavedRun::of(&sim, roles.clone()));
        }
        sim.step();
    }
    Run {
        id: "",
        half_way: half_way.unwrap_or_else(|| SavedRun::of(&sim, roles.clone())),
        sim,
        roles,
    }
}

/// Each code twice: as pasted (text) and as its bare content (what the targets wrap).
fn text_and_content(name: &str, text: &str, prefix: &str) -> [Seed; 2] {
    let content = text
        .strip_prefix(prefix)
        .and_then(|b| base64url::decode(b).ok())
        .unwrap_or_default();
    [
        (format!("{name}.txt"), text.as_bytes().to_vec()),
        (format!("{name}.bin"), content),
    ]
}

fn result_codes(runs: &[Run]) -> Vec<Seed> {
    runs.iter()
        .enumerate()
        .flat_map(|(i, run)| {
            let code = ResultCode::of(&run.sim, run.roles.clone()).by("Seed Player");
            text_and_content(&format!("{}-{i}", run.id), &code.encode(), share::PREFIX)
        })
        .collect()
}

fn saved_runs(runs: &[Run]) -> Vec<Seed> {
    runs.iter()
        .enumerate()
        .flat_map(|(i, run)| {
            let end = SavedRun::of(&run.sim, run.roles.clone()).encode();
            let half = run.half_way.encode();
            let mut seeds =
                text_and_content(&format!("{}-{i}-end", run.id), &end, share::SAVED_PREFIX)
                    .to_vec();
            seeds.extend(text_and_content(
                &format!("{}-{i}-half", run.id),
                &half,
                share::SAVED_PREFIX,
            ));
            seeds
        })
        .collect()
}

/// Action logs as `ops-dojo run --write-actions` writes them (pretty JSON).
fn action_logs(runs: &[Run]) -> Vec<Seed> {
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            let json = serde_json::to_string_pretty(run.sim.actions()).expect("plain data");
            (format!("{}-{i}.json", run.id), (json + "\n").into_bytes())
        })
        .collect()
}

fn scenario_files() -> Vec<Seed> {
    catalog::BUILT_IN
        .iter()
        .map(|(id, _, text)| (format!("{id}.toml"), text.as_bytes().to_vec()))
        .collect()
}

/// Every built-in scenario's SLOs as `ops-dojo slos --format openslo` writes them, with each
/// named alert table: SLIs, SLOs and alert policies to mutate.
fn openslo_files() -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (id, file, text) in catalog::BUILT_IN {
        let scenario = Scenario::parse(text, file).unwrap_or_else(|e| panic!("{e}"));
        for policy in AlertPolicy::ALL {
            let mut scenario = scenario.clone();
            alert_policy::apply_policy(&mut scenario, policy);
            let export = slo_export::openslo(&scenario, &ExportOptions::default())
                .unwrap_or_else(|e| panic!("{id}: {e}"));
            seeds.push((format!("{id}-{}.yaml", policy.id()), export.into_bytes()));
        }
    }
    seeds
}

/// Every built-in file as a class link carries it (`embed=` of `ops-dojo link`), as text
/// and as the bare DEFLATE stream.
fn share_links() -> Vec<Seed> {
    catalog::BUILT_IN
        .iter()
        .flat_map(|(id, _, text)| {
            let code = share::pack_scenario(text);
            text_and_content(id, &code, share::SCENARIO_PREFIX)
        })
        .collect()
}
