//! `ops-dojo`: runs and checks Ops Dojo scenarios without a browser.
//!
//! Teachers use it to check scenario files, tests use it to pin runs, and anyone can batch
//! runs. Output is deterministic: the same arguments print the same bytes.

use std::fs::File;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` for the program's output (see [`write_out`]).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the program's output (see [`write_out`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_out(format_args!($($arg)*))
    };
}

mod alerts;

use clap::{Parser, Subcommand};
use ops_dojo_engine::alert_policy::{self, AlertPolicy};
use ops_dojo_engine::clock::{format_duration, ClockTime, TICKS_PER_MINUTE};
use ops_dojo_engine::freeze_request::Decision;
use ops_dojo_engine::par::ParRun;
use ops_dojo_engine::play_link::{PlayQuery, Seat, DEFAULT_PARTNER};
use ops_dojo_engine::scenario::Bounded;
use ops_dojo_engine::share::{self, CodeError, ResultCode};
use ops_dojo_engine::slo::{self, BURN_WINDOWS};
use ops_dojo_engine::slo_export::{self, ExportOptions};
use ops_dojo_engine::what_if;
use ops_dojo_engine::{catalog, Actor, Policy, Role, Scenario, Simulation, StampedAction};

#[derive(Parser)]
#[command(
    name = "ops-dojo",
    version,
    about = "Run and check Ops Dojo scenarios headlessly"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario to its end (with no player actions, or those of --actions) and print
    /// a summary.
    Run {
        /// A scenario file (.toml) or the id of a built-in scenario (e.g. first-slo).
        scenario: String,
        /// Seed of the run's random processes (traffic, errors, defects).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Length of the run in simulated days (1–90), instead of the scenario's own. The SLO
        /// window's history before the run stays as the scenario sets it.
        #[arg(long, value_name = "D")]
        days: Option<u32>,
        /// Also write the run minute by minute to this CSV file (traffic, SLI, budget,
        /// burn rates, replicas).
        #[arg(long, value_name = "FILE.csv")]
        timeline: Option<PathBuf>,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
        /// Replay these actions: a JSON array of {"tick": N, "kind": "...", ...} in tick
        /// order, as `--write-actions` writes it.
        #[arg(long, value_name = "FILE.json")]
        actions: Option<PathBuf>,
        /// Write the run's action log (what was applied) to this JSON file.
        #[arg(long, value_name = "FILE.json")]
        write_actions: Option<PathBuf>,
        /// The seat played: devops, sre or both. Its actions come from --actions (only
        /// those of this role are read) or from the --policy bot; a --partner bot plays the
        /// other role. Without --role, --actions is replayed exactly as written.
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// A bot plays the seat: ship-fast, balanced, budget-guard or hands-off.
        #[arg(long, value_name = "NAME")]
        policy: Option<String>,
        /// The bot playing the other role when --role is devops or sre.
        #[arg(long, value_name = "NAME", default_value = "balanced")]
        partner: String,
        /// Print a result code as the last line: the run handed in as text that
        /// `ops-dojo verify` (or the app) replays to check.
        #[arg(long)]
        result_code: bool,
        /// Also run the scenario's par on this seed: both seats hands-off, and the expert's
        /// solution (tests/solutions/), for a built-in scenario as shipped. Two more runs.
        #[arg(long)]
        par: bool,
        /// Also replay the run's key moments each with one thing changed: an action of the
        /// person's left out, or a postmortem's action item shipped when it was filed; prints
        /// what each would have changed (budget, failed requests, features). One run each.
        #[arg(long)]
        what_if: bool,
    },
    /// Replay a result code and check it reproduces the outcome it claims: exit 0 when it
    /// does, 1 when the replay differs, 2 when the code cannot be read.
    Verify {
        /// The code (starts with OD1-), or - to read it from standard input.
        code: String,
    },
    /// Check a scenario file and list its problems with file:line:column.
    Validate {
        /// The scenario file.
        file: String,
    },
    /// Print the link that opens a scenario for anyone, as the app's "Share this run's
    /// link" makes it: a scenario file travels inside the link (compressed), a built-in one
    /// by its id. For a teacher who prepares a class without opening the app.
    Link {
        /// A scenario file (.toml) or the id of a built-in scenario.
        scenario: String,
        /// The app's address, where the link starts (e.g. https://example.org/ops-dojo/).
        #[arg(long, value_name = "URL")]
        app: String,
        /// The seat the class plays: devops, sre or both.
        #[arg(long, default_value = "sre")]
        role: String,
        /// The bot playing the other role (not for --role both).
        #[arg(long, value_name = "NAME", default_value = "balanced")]
        partner: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print a scenario's SLOs for production: as OpenSLO v1 documents, or as Prometheus
    /// recording and burn-rate alerting rules (each SLO's alert table, as the engine runs it).
    Slos {
        /// A scenario file (.toml) or the id of a built-in scenario.
        scenario: String,
        /// openslo or prometheus.
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// Put in front of the placeholder metric names (e.g. myapp_ gives
        /// myapp_requests_total).
        #[arg(long, value_name = "P", default_value = "")]
        metric_prefix: String,
        /// Export every SLO with this alert table instead of the scenario's own: workbook,
        /// pyrra, slo-generator or single-window.
        #[arg(long, value_name = "POLICY")]
        alert_policy: Option<String>,
    },
    /// The alert-policy lab: run a scenario once and print how each alert table (the SRE
    /// Workbook's, Pyrra's, slo-generator's, a single 10-minute window) would have paged on
    /// that run, with precision, recall, detection and reset time.
    Alerts {
        /// A scenario file (.toml), the id of a built-in scenario, or `incidents` (the lab's
        /// incident set).
        scenario: String,
        /// Comma-separated: workbook, pyrra, slo-generator, single-window, own (the rows the
        /// scenario gives its SLO); or all.
        #[arg(long, value_name = "LIST", default_value = "all")]
        policies: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Length of the run in simulated days (1–90), instead of the scenario's own.
        #[arg(long, value_name = "D")]
        days: Option<u32>,
        /// The bot playing both seats (hands-off: nobody acts, every problem runs its course).
        #[arg(long, value_name = "NAME", default_value = "hands-off")]
        bots: String,
        /// Print the table as JSON, every alert that fired included.
        #[arg(long)]
        json: bool,
        /// Bring your own SLO: an OpenSLO v1 file (ratio SLI, rolling window, optionally an
        /// AlertPolicy) that replaces the scenario's SLOs. Give `incidents` as the scenario
        /// for the lab's incident set (a fast outage, a night blip, a slow burn and a
        /// latency regression).
        #[arg(long, value_name = "FILE.yaml")]
        slo: Option<String>,
    },
    /// List the built-in scenarios.
    List,
}

/// Exit code for bad input (missing file, malformed scenario, unknown id).
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            scenario,
            seed,
            days,
            timeline,
            json,
            actions,
            write_actions,
            role,
            policy,
            partner,
            result_code,
            par,
            what_if,
        } => match seats(
            role.as_deref(),
            policy.as_deref(),
            &partner,
            actions.is_some(),
        )
        .and_then(|seats| {
            run(
                &scenario,
                seed,
                days,
                timeline.as_deref(),
                &ActionFiles {
                    read: actions.as_deref(),
                    write: write_actions.as_deref(),
                },
                &seats,
                Report {
                    json,
                    result_code,
                    par,
                    what_if,
                },
            )
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(&message),
        },
        Command::Validate { file } => match read_file(&file) {
            Ok(text) => match Scenario::parse(&text, &file) {
                Ok(scenario) => {
                    outln!("{file}: ok ({} — {} days)", scenario.title, scenario.days.0);
                    ExitCode::SUCCESS
                }
                Err(error) => fail(&error.to_string()),
            },
            Err(message) => fail(&message),
        },
        Command::Verify { code } => verify(&code),
        Command::Link {
            scenario,
            app,
            role,
            partner,
            seed,
        } => match link(&scenario, &app, &role, &partner, seed) {
            Ok(link) => {
                outln!("{link}");
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::Slos {
            scenario,
            format,
            metric_prefix,
            alert_policy,
        } => match slos(&scenario, &format, metric_prefix, alert_policy.as_deref()) {
            Ok(text) => {
                out!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::Alerts {
            scenario,
            policies,
            seed,
            days,
            bots,
            json,
            slo,
        } => match alerts::run(
            &scenario,
            &alerts::LabRun {
                seed,
                days,
                policies: &policies,
                bots: &bots,
                json,
                slo: slo.as_deref(),
            },
        ) {
            Ok(text) => {
                out!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::List => {
            for scenario in catalog::all().into_iter().flatten() {
                outln!(
                    "{:<20} {} ({} days)",
                    scenario.id.0,
                    scenario.title,
                    scenario.days.0
                );
            }
            ExitCode::SUCCESS
        }
    }
}

/// Writes to standard output. A reader that has gone (`ops-dojo list | head -1`) ends the
/// program at once and quietly, as it ends other command-line tools: there is no one left
/// to tell (`println!` would panic with a backtrace). Any other failure to write is said
/// on standard error.
fn write_out(text: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(error) = std::io::stdout().lock().write_fmt(text) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("ops-dojo: cannot write the output: {error}");
        std::process::exit(1);
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("ops-dojo: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// A scenario from a file path, or else from the built-in catalogue by id.
fn load(name: &str) -> Result<Scenario, String> {
    if Path::new(name).exists() || name.ends_with(".toml") {
        let text = read_file(name)?;
        return Scenario::parse(&text, name).map_err(|e| e.to_string());
    }
    match catalog::load(name) {
        Some(parsed) => parsed.map_err(|e| e.to_string()),
        None => Err(format!(
            "{name}: no such scenario file or built-in scenario (built-in: {})",
            catalog::ids().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The export of a scenario's SLOs in `format` (openslo or prometheus).
fn slos(
    scenario: &str,
    format: &str,
    metric_prefix: String,
    alert_policy: Option<&str>,
) -> Result<String, String> {
    let export = match format {
        "openslo" => slo_export::openslo,
        "prometheus" => slo_export::prometheus_rules,
        other => {
            return Err(format!(
                "--format {other:?}: expected openslo or prometheus"
            ))
        }
    };
    let mut parsed = load(scenario)?;
    if let Some(id) = alert_policy {
        let policy = AlertPolicy::parse(id).ok_or_else(|| {
            format!(
                "--alert-policy {id:?}: no such alert table (tables: {})",
                AlertPolicy::ids()
            )
        })?;
        alert_policy::apply_policy(&mut parsed, policy);
    }
    export(&parsed, &ExportOptions { metric_prefix }).map_err(|e| e.to_string())
}

/// The play link of `scenario` for a class (the app's own format, `#/play?…`).
fn link(scenario: &str, app: &str, role: &str, partner: &str, seed: u64) -> Result<String, String> {
    let parsed = load(scenario)?;
    let id = &parsed.id.0;
    let built_in = catalog::load(id).is_some();
    let embed = if catalog::load(scenario).is_some() {
        String::new()
    } else if built_in {
        return Err(format!(
            "{scenario}: the id \"{id}\" belongs to a built-in scenario; give yours another id"
        ));
    } else {
        format!("&embed={}", share::pack_scenario(&read_file(scenario)?))
    };
    let seat =
        Seat::parse(role).ok_or_else(|| format!("--role {role}: expected devops, sre or both"))?;
    // The app refuses a seat the scenario does not offer: so does the link.
    if let Some(missing) = seat.roles().into_iter().find(|r| !parsed.roles.contains(r)) {
        return Err(format!(
            "{scenario}: this scenario is not played as {} (its roles: {})",
            missing.label(),
            parsed
                .roles
                .iter()
                .map(|r| r.id())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // With both seats taken there is no bot, and the link names none.
    let partner = match seat {
        Seat::Both => DEFAULT_PARTNER,
        Seat::One(_) => Policy::parse(partner).ok_or_else(|| {
            let names: Vec<_> = Policy::ALL.iter().map(|p| p.id()).collect();
            format!(
                "--partner {partner}: no such bot (bots: {})",
                names.join(", ")
            )
        })?,
    };
    let base = app.split('#').next().unwrap_or(app);
    let query = PlayQuery::new(id, seat, partner, seed).to_query();
    Ok(format!("{base}#/play?{query}{embed}"))
}

fn read_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read the file: {e}"))
}

/// Who plays what in a run.
struct Seats {
    /// The roles the action log plays (None: the log is replayed exactly, by its actors).
    person: Option<Vec<Role>>,
    bots: Vec<(Role, Policy)>,
}

/// Reads --role, --policy and --partner into seats, or says what is wrong.
fn seats(
    role: Option<&str>,
    policy: Option<&str>,
    partner: &str,
    has_actions: bool,
) -> Result<Seats, String> {
    let parse_policy = |flag: &str, name: &str| {
        Policy::parse(name).ok_or_else(|| {
            let names: Vec<_> = Policy::ALL.iter().map(|p| p.id()).collect();
            format!("{flag} {name}: no such bot (bots: {})", names.join(", "))
        })
    };
    let roles = match role {
        None if policy.is_some() => {
            return Err("--policy needs --role: the seat the bot plays".into())
        }
        None => {
            return Ok(Seats {
                person: None,
                bots: Vec::new(),
            })
        }
        Some(text) => Seat::parse(text)
            .ok_or_else(|| format!("--role {text}: expected devops, sre or both"))?
            .roles(),
    };
    let mut bots = Vec::new();
    match (policy, has_actions) {
        (Some(_), true) => {
            return Err("give --policy or --actions for the seat, not both".into());
        }
        (Some(name), false) => {
            let policy = parse_policy("--policy", name)?;
            bots.extend(roles.iter().map(|&r| (r, policy)));
        }
        (None, _) => {}
    }
    let partner = parse_policy("--partner", partner)?;
    bots.extend(
        Role::ALL
            .into_iter()
            .filter(|r| !roles.contains(r))
            .map(|r| (r, partner)),
    );
    Ok(Seats {
        person: Some(roles),
        bots,
    })
}

/// What `run` prints after the run: the summary as JSON or text, and a result code.
#[derive(Clone, Copy)]
struct Report {
    json: bool,
    result_code: bool,
    /// Also print the scenario's par on the run's seed.
    par: bool,
    /// Also print the run's what-ifs.
    what_if: bool,
}

/// One what-if as the CLI prints it: the replay, its sentence and its differences from the
/// run (replay − run).
#[derive(serde::Serialize)]
struct WhatIfLine {
    #[serde(flatten)]
    what_if: what_if::WhatIf,
    text: String,
    /// Share of the budget.
    budget_difference: f64,
    failed_requests_difference: i64,
    features_difference: i64,
}

/// Where `run` reads an action log from and writes the run's own to.
struct ActionFiles<'a> {
    read: Option<&'a Path>,
    write: Option<&'a Path>,
}

fn run(
    name: &str,
    seed: u64,
    days: Option<u32>,
    timeline: Option<&Path>,
    action_files: &ActionFiles,
    seats: &Seats,
    report: Report,
) -> Result<(), String> {
    let mut scenario = load(name)?;
    if let Some(days) = days {
        scenario.days = bounded(days).map_err(|range| {
            format!(
                "--days {days}: a run lasts a whole number of days from {} to {}",
                range.start(),
                range.end()
            )
        })?;
    }
    let actions = action_files
        .read
        .map(read_actions)
        .transpose()?
        .unwrap_or_default();
    // Opened before the run so a bad path fails at once, not after a 90-day simulation.
    let mut timeline = timeline.map(Timeline::create).transpose()?;
    let mut sim = Simulation::new(scenario.clone(), seed);
    for &(role, policy) in &seats.bots {
        sim.add_bot(role, policy);
    }
    // Playing a seat, the log's actions of the other role are the partner bot's: skipped.
    let actions: Vec<(usize, StampedAction)> = actions
        .into_iter()
        .enumerate()
        .filter_map(|(index, mut stamped)| match &seats.person {
            None => Some((index, stamped)),
            Some(roles) => {
                let role = stamped.by.role.or(stamped.action.role());
                let mine = role.is_none_or(|r| roles.contains(&r));
                mine.then(|| {
                    stamped.by = Seat::of_roles(roles).map_or(Actor::ANYONE, Seat::actor);
                    (index, stamped)
                })
            }
        })
        .collect();
    let mut pending = actions.iter().peekable();
    loop {
        while let Some((index, stamped)) = pending.next_if(|(_, a)| a.tick <= sim.tick()) {
            sim.apply_by(stamped.by, stamped.action).map_err(|e| {
                let path = action_files
                    .read
                    .map_or_else(String::new, |p| p.display().to_string());
                format!("{path}: action {} (tick {}): {e}", index + 1, stamped.tick)
            })?;
        }
        if sim.step().is_none() {
            break;
        }
        if let Some(timeline) = timeline.as_mut() {
            if sim.tick() % TICKS_PER_MINUTE == 0 {
                timeline.write_minute(&sim)?;
            }
        }
    }
    if let Some((index, stamped)) = pending.next() {
        let path = action_files
            .read
            .map_or_else(String::new, |p| p.display().to_string());
        return Err(format!(
            "{path}: action {} is at tick {}, after the run's last tick ({})",
            index + 1,
            stamped.tick,
            sim.tick().saturating_sub(1)
        ));
    }
    let written = timeline.map(Timeline::finish).transpose()?;
    if let Some(path) = action_files.write {
        let text = serde_json::to_string_pretty(sim.actions()).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n")
            .map_err(|e| format!("{}: cannot write the action log: {e}", path.display()))?;
    }
    print_summary(&sim, report, written.as_ref(), &scenario);
    if report.result_code {
        // The person's roles: the seat's, less any a bot played.
        let roles = seats
            .person
            .clone()
            .unwrap_or_else(|| Role::ALL.to_vec())
            .into_iter()
            .filter(|r| !seats.bots.iter().any(|(bot, _)| bot == r))
            .collect::<Vec<_>>();
        if roles.is_empty() {
            return Err("--result-code: a code hands in a person's run, and bots played every seat here; give --role without --policy for the seat the person played".into());
        }
        outln!("{}", ResultCode::of(&sim, roles).encode());
    }
    Ok(())
}

/// `verify`: reads a code, finds its scenario, replays it and compares with the claim.
fn verify(code: &str) -> ExitCode {
    let text = if code == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            return fail(&format!("cannot read the code from standard input: {e}"));
        }
        text
    } else {
        code.to_string()
    };
    let code = match ResultCode::decode(&text) {
        Ok(code) => code,
        Err(error) => return fail(&error.to_string()),
    };
    let scenario = match catalog::load(&code.scenario) {
        Some(Ok(scenario)) => scenario,
        _ => return fail(&CodeError::UnknownScenario(code.scenario.clone()).to_string()),
    };
    match code.verify(scenario) {
        Ok(sim) => {
            let summary = sim.summary();
            let bots: String = code
                .bots
                .iter()
                .map(|(r, p)| format!(", {} by the {} bot", r.label(), p.id()))
                .collect();
            let roles: Vec<_> = code.roles.iter().map(|r| r.label()).collect();
            let person = if roles.is_empty() {
                "bots only".to_string()
            } else {
                format!("{} played by a person", roles.join(" + "))
            };
            outln!(
                "verified: {} seed {}, {person}{bots}; budget left {:.1} %, {} features, run hash {}",
                code.scenario,
                code.seed,
                summary.slos[0].budget_remaining * 100.0,
                summary.features.shipped,
                summary.run_hash
            );
            ExitCode::SUCCESS
        }
        Err(
            error @ (CodeError::Mismatch(_)
            | CodeError::Replay { .. }
            | CodeError::OtherScenario { .. }),
        ) => {
            eprintln!("ops-dojo: not verified: {error}");
            ExitCode::from(1)
        }
        Err(error) => fail(&error.to_string()),
    }
}

/// An action log from a JSON file, read strictly by the engine: every problem names the
/// file, the line and the column (an unknown key, a field the action does not take, actions
/// out of tick order).
fn read_actions(path: &Path) -> Result<Vec<StampedAction>, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{name}: cannot read the action log: {e}"))?;
    ops_dojo_engine::action_log::read(&text).map_err(|e| format!("{name}:{e}"))
}

/// `value` as a `Bounded` of whatever range the field it is assigned to declares, so the
/// CLI checks the same range as the scenario parser without repeating it; else that range.
fn bounded<const MIN: u32, const MAX: u32>(
    value: u32,
) -> Result<Bounded<MIN, MAX>, RangeInclusive<u32>> {
    let range = MIN..=MAX;
    if range.contains(&value) {
        Ok(Bounded(value))
    } else {
        Err(range)
    }
}

/// Decimals of shares (SLI, budget remaining) in the timeline: a minute holds thousands of
/// requests, so 6 decimals show a single failure. A fixed count keeps the file byte-stable.
const SHARE_DECIMALS: usize = 6;
/// Decimals of burn rates in the timeline (multiples of the sustainable rate).
const BURN_DECIMALS: usize = 4;

/// The per-minute CSV that `run --timeline` writes while the run steps.
struct Timeline {
    /// Where the file is, for messages.
    path: PathBuf,
    /// The csv crate rather than hand-joined commas: it checks that every row has as many
    /// fields as the header, quotes any field that would need it, and buffers the writes.
    writer: csv::Writer<File>,
    /// Rows written so far (= simulated minutes).
    minutes: u32,
}

/// What the human summary says about a timeline written.
struct TimelineWritten {
    path: PathBuf,
    /// Rows written (simulated minutes).
    minutes: u32,
}

impl Timeline {
    /// Creates (or truncates) the file and writes the header row.
    fn create(path: &Path) -> Result<Self, String> {
        let writer = csv::Writer::from_path(path).map_err(|e| write_error(path, &e))?;
        let mut timeline = Self {
            path: path.to_path_buf(),
            writer,
            minutes: 0,
        };
        let mut header: Vec<String> = [
            "minute",
            "day",
            "time_of_day",
            "offered_requests",
            "good_requests",
            "capacity_requests",
            "sli",
            "budget_remaining",
        ]
        .map(String::from)
        .into();
        // Named after the engine's own windows (5m … 3d) so the columns follow them.
        header.extend(BURN_WINDOWS.iter().map(|w| format!("burn_{}", w.label)));
        header.push("replicas".into());
        header.extend(["latency_p50_ms", "latency_p90_ms", "latency_p99_ms"].map(String::from));
        timeline.write_row(&header)?;
        Ok(timeline)
    }

    /// Writes the minute that the last simulated tick completed: sums over its ticks, and
    /// the SLO's reading at its end.
    fn write_minute(&mut self, sim: &Simulation) -> Result<(), String> {
        let records = sim.records();
        let ticks = &records[records.len().saturating_sub(TICKS_PER_MINUTE as usize)..];
        let first_tick = sim.tick() - ticks.len() as u32;
        let clock = ClockTime::at(first_tick);
        let sum = |field: fn(&ops_dojo_engine::TickRecord) -> u32| -> u64 {
            ticks.iter().map(|r| u64::from(field(r))).sum()
        };
        let (offered, good, capacity) = (sum(|r| r.offered), sum(|r| r.good), sum(|r| r.capacity));
        let status = sim.slo_status();
        let mut row = vec![
            (first_tick / TICKS_PER_MINUTE).to_string(),
            clock.day.to_string(),
            format!("{:02}:{:02}", clock.hour, clock.minute),
            offered.to_string(),
            good.to_string(),
            capacity.to_string(),
            format!("{:.*}", SHARE_DECIMALS, slo::sli(good, offered)),
            format!("{:.*}", SHARE_DECIMALS, status.budget_remaining),
        ];
        row.extend(
            status
                .burn_rates
                .iter()
                .map(|(_, rate)| format!("{rate:.*}", BURN_DECIMALS)),
        );
        row.push(sim.replicas().to_string());
        // Latency percentiles at the entry, averaged over the minute's ticks.
        for i in 0..3 {
            let mean = ticks
                .iter()
                .map(|r| f64::from(r.latency_ms[i]))
                .sum::<f64>()
                / ticks.len().max(1) as f64;
            row.push(format!("{mean:.1}"));
        }
        self.write_row(&row)?;
        self.minutes += 1;
        Ok(())
    }

    fn write_row(&mut self, row: &[String]) -> Result<(), String> {
        self.writer
            .write_record(row)
            .map_err(|e| write_error(&self.path, &e))
    }

    /// Flushes what is still buffered; a failure here (a full disk) is still an error.
    fn finish(mut self) -> Result<TimelineWritten, String> {
        self.writer
            .flush()
            .map_err(|e| write_error(&self.path, &e))?;
        Ok(TimelineWritten {
            path: self.path,
            minutes: self.minutes,
        })
    }
}

fn write_error(path: &Path, error: &dyn std::fmt::Display) -> String {
    format!("{}: cannot write the timeline: {error}", path.display())
}

fn print_summary(
    sim: &Simulation,
    report: Report,
    timeline: Option<&TimelineWritten>,
    scenario: &Scenario,
) {
    let summary = sim.summary();
    let par = report
        .par
        .then(|| ops_dojo_engine::par::par(sim.scenario(), sim.seed()));
    let own = ParRun::of(sim);
    let what_ifs: Option<Vec<WhatIfLine>> = report.what_if.then(|| {
        what_if::what_ifs(scenario, sim.seed(), sim)
            .into_iter()
            .map(|w| WhatIfLine {
                text: w.sentence(&own),
                budget_difference: w.budget_difference(&own),
                failed_requests_difference: w.outcome.failed_requests as i64
                    - own.failed_requests as i64,
                features_difference: i64::from(w.outcome.features_shipped)
                    - i64::from(own.features_shipped),
                what_if: w,
            })
            .collect()
    });
    if report.json {
        /// The summary, then what was asked for besides: the par (null when not available:
        /// not a built-in scenario as shipped) and the what-ifs.
        #[derive(serde::Serialize)]
        struct WithExtras<'a> {
            #[serde(flatten)]
            summary: &'a ops_dojo_engine::report::Summary,
            #[serde(skip_serializing_if = "Option::is_none")]
            par: Option<Option<ops_dojo_engine::par::Par>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            what_if: Option<Vec<WhatIfLine>>,
        }
        // Serialising plain numbers and strings cannot fail.
        let text = serde_json::to_string_pretty(&WithExtras {
            summary: &summary,
            par,
            what_if: what_ifs,
        })
        .expect("the summary is plain data");
        outln!("{text}");
        return;
    }
    let statuses = sim.slo_statuses();
    outln!("{} — seed {}", sim.scenario().title, summary.seed);
    outln!(
        "  simulated      {} ticks of {} s ({} days)",
        summary.ticks,
        summary.tick_seconds,
        sim.scenario().days.0
    );
    outln!(
        "  requests       {} total, {} good",
        summary.requests_total,
        summary.requests_good
    );
    for (slo, status) in summary.slos.iter().zip(&statuses) {
        outln!(
            "  SLO            {} ≥ {:.3} %: attained {:.4} %, budget left {:.1} % ({} of {})",
            slo.name,
            slo.target * 100.0,
            slo.attainment * 100.0,
            slo.budget_remaining * 100.0,
            format_duration(status.budget_remaining_seconds),
            format_duration(status.budget_total_seconds),
        );
    }
    for objective in &summary.objectives {
        outln!(
            "  objective      {}: {} ({})",
            objective.goal,
            objective.progress.label(),
            objective.measured
        );
    }
    match par {
        Some(Some(par)) => {
            for (who, run) in [("hands-off", par.hands_off), ("expert", par.expert)] {
                outln!(
                    "  par            {who}: budget left {:.1} %, {} features, {} of {} objectives met, {} failed requests",
                    run.budget_left * 100.0,
                    run.features_shipped,
                    run.objectives_met,
                    run.objectives,
                    run.failed_requests
                );
            }
        }
        Some(None) => outln!(
            "  par            none: only a built-in scenario as shipped has an expert solution"
        ),
        None => {}
    }
    if let Some(lines) = &what_ifs {
        if lines.is_empty() {
            outln!("  what if        nothing to replay: no key action was taken");
        }
        for line in lines {
            outln!("  what if        {}", line.text);
        }
    }
    outln!("  replicas       {}", summary.final_replicas);
    let dora = &summary.dora;
    let or_dash = |value: Option<f64>, unit: &str| {
        value.map_or_else(|| "–".to_string(), |v| format!("{v:.1}{unit}"))
    };
    outln!(
        "  delivery       {} deploys ({:.2}/day), lead time {}, change failure {}, recovery {}; tier {}",
        dora.deployments,
        dora.deployment_frequency_per_day,
        or_dash(dora.lead_time_hours_median, " h"),
        or_dash(dora.change_failure_rate.map(|r| r * 100.0), " %"),
        or_dash(dora.recovery_time_minutes_median, " min"),
        dora.tier.map_or("–", |t| t.label())
    );
    outln!(
        "  features       {} shipped, value {} points, {} in the backlog",
        summary.features.shipped,
        summary.features.value,
        summary.features.backlog_left
    );
    outln!(
        "  team           toil {:.1} % of hours; {} incident(s), MTTA {}, MTTR {}",
        summary.team.toil_share * 100.0,
        summary.team.incidents,
        or_dash(summary.incidents.mtta_minutes_median, " min"),
        or_dash(summary.incidents.mttr_minutes_median, " min")
    );
    outln!(
        "  users, cost    {} failed requests, {:.0} impaired minutes; {:.0} replica-hours",
        summary.user_impact.failed_requests,
        summary.user_impact.impaired_minutes,
        summary.cost.replica_hours
    );
    let items = &summary.postmortems.action_items;
    if !items.is_empty() {
        let shipped = items.iter().filter(|i| i.shipped_at.is_some()).count();
        let waiting: Vec<String> = items
            .iter()
            .filter(|i| i.shipped_at.is_none())
            .map(|i| format!("#{} {} {}", i.number, i.priority.label(), i.fix.label()))
            .collect();
        outln!(
            "  action items   {} from postmortems, {shipped} shipped{}",
            items.len(),
            if waiting.is_empty() {
                String::new()
            } else {
                format!("; waiting: {}", waiting.join(", "))
            }
        );
    }
    let requests = &summary.freeze_requests;
    if !requests.is_empty() {
        let count = |d: Decision| {
            requests
                .iter()
                .filter(|r| r.answer.is_some_and(|a| a.decision == d))
                .count()
        };
        outln!(
            "  freeze asks    {} to ship through a freeze: {} approved, {} declined, {} lapsed",
            requests.len(),
            count(Decision::Approved),
            count(Decision::Declined),
            count(Decision::Lapsed)
        );
    }
    if !summary.triage.is_empty() {
        let worst_first = summary.triage.iter().filter(|t| t.worst_first()).count();
        outln!(
            "  triage         {} service(s) worked while several failed, {worst_first} the worst harm first",
            summary.triage.len()
        );
    }
    let alerts = &summary.alerts;
    outln!(
        "  alerts         {} page(s) ({} at night), {} ticket(s)",
        alerts.pages,
        alerts.pages_night,
        alerts.tickets
    );
    if let Some(timeline) = timeline {
        outln!(
            "  timeline       {} ({} minutes)",
            timeline.path.display(),
            timeline.minutes
        );
    }
    outln!("  run hash       {}", summary.run_hash);
}
