//! `ops-dojo`: runs and checks Ops Dojo scenarios without a browser.
//!
//! Teachers use it to check scenario files, tests use it to pin runs, and anyone can batch
//! runs. Output is deterministic: the same arguments print the same bytes.

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ops_dojo_engine::clock::format_duration;
use ops_dojo_engine::{catalog, Scenario, Simulation};

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
    /// Run a scenario to its end with no player actions and print a summary.
    Run {
        /// A scenario file (.toml) or the id of a built-in scenario (e.g. first-slo).
        scenario: String,
        /// Seed of the run's random processes (traffic, errors, defects).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check a scenario file and list its problems with file:line:column.
    Validate {
        /// The scenario file.
        file: String,
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
            json,
        } => match load(&scenario) {
            Ok(scenario) => {
                run(scenario, seed, json);
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::Validate { file } => match read_file(&file) {
            Ok(text) => match Scenario::parse(&text, &file) {
                Ok(scenario) => {
                    println!("{file}: ok ({} — {} days)", scenario.title, scenario.days.0);
                    ExitCode::SUCCESS
                }
                Err(error) => fail(&error.to_string()),
            },
            Err(message) => fail(&message),
        },
        Command::List => {
            for scenario in catalog::all().into_iter().flatten() {
                println!(
                    "{:<16} {} ({} days)",
                    scenario.id.0, scenario.title, scenario.days.0
                );
            }
            ExitCode::SUCCESS
        }
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

fn read_file(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read the file: {e}"))
}

fn run(scenario: Scenario, seed: u64, json: bool) {
    let mut sim = Simulation::new(scenario, seed);
    while sim.step().is_some() {}
    let summary = sim.summary();
    if json {
        // Serialising plain numbers and strings cannot fail.
        let text = serde_json::to_string_pretty(&summary).expect("the summary is plain data");
        println!("{text}");
        return;
    }
    let status = sim.slo_status();
    println!("{} — seed {}", sim.scenario().title, summary.seed);
    println!(
        "  simulated      {} ticks of {} s ({} days)",
        summary.ticks,
        summary.tick_seconds,
        sim.scenario().days.0
    );
    println!(
        "  requests       {} total, {} good",
        summary.requests_total, summary.requests_good
    );
    for slo in &summary.slos {
        println!(
            "  SLO            {} ≥ {:.3} %: attained {:.4} %, budget left {:.1} % ({} of {})",
            slo.name,
            slo.target * 100.0,
            slo.attainment * 100.0,
            slo.budget_remaining * 100.0,
            format_duration(status.budget_remaining_seconds),
            format_duration(status.budget_total_seconds),
        );
    }
    println!("  replicas       {}", summary.final_replicas);
    let alerts = &summary.alerts;
    println!(
        "  alerts         {} page(s) ({} at night), {} ticket(s)",
        alerts.pages, alerts.pages_night, alerts.tickets
    );
    println!("  run hash       {}", summary.run_hash);
}
