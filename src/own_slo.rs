//! Bring your own SLO: an OpenSLO v1 file someone pasted or loaded, run in the alert lab
//! (`ops_dojo_engine::alert_lab::run_own_slo`) against the built-in incident set or a
//! scenario's traffic and faults, with its own AlertPolicy (if it has one) beside every named
//! alert table. This is the page's side of `ops-dojo alerts <world> --slo FILE.yaml`: what it
//! shows, worked out in a seed worker (`seed_study::start_lab`).

pub use ops_dojo_engine::alert_lab::INCIDENT_SET_ID as INCIDENTS;
use ops_dojo_engine::alert_lab::{self, OwnSloRun, PolicyReport, INCIDENT_SET};
use ops_dojo_engine::clock::ClockTime;
use ops_dojo_engine::slo_export::number;
use ops_dojo_engine::{openslo_import, Scenario};

use crate::format::{percent, span_minutes};
use crate::own_scenarios;

/// The file name errors in a pasted SLO are reported against.
pub const PASTED: &str = "your-slo.yaml";

/// What the lab found, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    /// The SLO as read: name, target and window, e.g. "Checkout ≥ 99.9 % over 28 days".
    pub slo: String,
    /// Its SLI's queries as written, each after its kind ("good: …", "total: …").
    pub queries: Vec<String>,
    /// How the lab read what the file leaves open.
    pub notes: Vec<String>,
    /// The world, seed and days.
    pub world: String,
    /// Budget left at the end, e.g. "-12.3 %".
    pub budget_left: String,
    /// Each significant event: when, and the share of the budget it spent.
    pub events: Vec<String>,
    /// One row per alert table: title, pages (at night), tickets, precision, recall,
    /// detection, reset, budget before a page.
    pub rows: Vec<[String; 8]>,
    /// When each table paged, one line per table.
    pub pages: Vec<String>,
}

/// The world's scenario text: the incident set, or a scenario's file (built in, or loaded
/// in this browser).
pub fn world_text(world: &str) -> Option<String> {
    if world == INCIDENTS {
        return Some(INCIDENT_SET.to_string());
    }
    own_scenarios::text(world)
}

/// Reads the SLO (every mistake with `your-slo.yaml:line:column`) and runs the lab.
pub fn run(world: &str, slo_text: &str, seed: u64) -> Result<LabResult, String> {
    let slo = openslo_import::read(slo_text, PASTED).map_err(|e| e.to_string())?;
    let world = Scenario::parse(world, "world.toml").map_err(|e| e.to_string())?;
    let run = alert_lab::run_own_slo(world, &slo, seed);
    let mut slo_line = format!(
        "{} ≥ {} % over {} days",
        slo.name,
        number(slo.target * 100.0),
        slo.window_days
    );
    if slo.rules.is_empty() {
        slo_line += " (no AlertPolicy in the file: the named tables only)";
    }
    Ok(LabResult {
        slo: slo_line,
        queries: slo
            .queries
            .iter()
            .map(|(kind, query)| format!("{kind}: {query}"))
            .collect(),
        notes: slo.notes,
        world: format!("{}, seed {}, {} days", run.title, run.seed, run.days),
        budget_left: percent(run.budget_remaining, 1),
        events: events(&run),
        rows: run.reports.iter().map(row).collect(),
        pages: run.reports.iter().map(pages).collect(),
    })
}

fn events(run: &OwnSloRun) -> Vec<String> {
    run.events
        .iter()
        .map(|e| {
            format!(
                "{} to {}: {} of the budget",
                ClockTime::at(e.start),
                ClockTime::at(e.end),
                percent(e.budget_spent, 1)
            )
        })
        .collect()
}

/// How a table did, as the cells of a row of the lab's table (`components::lab_table`).
pub fn row(report: &PolicyReport) -> [String; 8] {
    let share = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| percent(v, 0));
    let minutes = |v: Option<f64>| v.map_or_else(|| "–".to_string(), span_minutes);
    [
        report.title.clone(),
        format!("{} ({})", report.pages, report.night_pages),
        report.tickets.to_string(),
        share(report.precision),
        share(report.recall),
        minutes(report.detection_minutes),
        minutes(report.reset_minutes),
        report
            .budget_before_first_page
            .map_or_else(|| "–".to_string(), |v| percent(v, 1)),
    ]
}

/// "Pyrra paged at Day 1 (Mon) · 10:02 (1h/5m), …", or that it never paged.
fn pages(report: &PolicyReport) -> String {
    let pages: Vec<String> = report
        .firings
        .iter()
        .filter(|f| f.severity.id() == "page")
        .map(|f| {
            let mut page = format!("{} ({})", ClockTime::at(f.fired_at), f.rule_name);
            if f.night {
                page += ", at night";
            }
            if !f.real {
                page += ", no significant event";
            }
            page
        })
        .collect();
    if pages.is_empty() {
        format!("{} never paged.", report.title)
    } else {
        format!("{} paged at {}.", report.title, pages.join("; "))
    }
}

impl LabResult {
    /// The result as a flat list of texts, to cross from a worker to the page: the three
    /// single texts, then each list after its length (the rows eight cells each); the pages
    /// are the rest, one per row.
    pub fn to_lines(&self) -> Vec<String> {
        let mut lines = vec![
            self.slo.clone(),
            self.world.clone(),
            self.budget_left.clone(),
        ];
        for list in [&self.queries, &self.notes, &self.events] {
            lines.push(list.len().to_string());
            lines.extend(list.iter().cloned());
        }
        lines.push(self.rows.len().to_string());
        lines.extend(self.rows.iter().flatten().cloned());
        lines.extend(self.pages.iter().cloned());
        lines
    }

    /// What [`LabResult::to_lines`] wrote, read back; `None` if it is not that.
    pub fn from_lines(lines: Vec<String>) -> Option<Self> {
        let mut lines = lines.into_iter();
        let mut next = || lines.next();
        let (slo, world, budget_left) = (next()?, next()?, next()?);
        let mut list = |cells: usize| -> Option<Vec<String>> {
            let count: usize = lines.next()?.parse().ok()?;
            let items: Vec<String> = lines.by_ref().take(count.checked_mul(cells)?).collect();
            (items.len() == count * cells).then_some(items)
        };
        let (queries, notes, events) = (list(1)?, list(1)?, list(1)?);
        let cells = list(8)?;
        let rows: Vec<[String; 8]> = cells
            .chunks(8)
            .filter_map(|row| row.to_vec().try_into().ok())
            .collect();
        let pages: Vec<String> = lines.collect();
        (pages.len() == rows.len()).then_some(Self {
            slo,
            queries,
            notes,
            world,
            budget_left,
            events,
            rows,
            pages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A team's own SLO: 99.5 % over 28 days, paging at 14× over an hour (shared with the
    /// browser test).
    const SLO: &str = include_str!("../tests/e2e/fixtures/checkout.openslo.yaml");

    #[test]
    fn a_pasted_slo_runs_on_the_incident_set_beside_every_named_table() {
        let world = world_text(INCIDENTS).expect("the incident set");
        let result = run(&world, SLO, 1).expect("the lab runs");
        assert!(
            result.slo.starts_with("checkout ≥ 99.5 % over 28 days"),
            "{}",
            result.slo
        );
        assert!(
            result.queries[0].starts_with("good: sum(rate("),
            "{:?}",
            result.queries
        );
        assert_eq!(result.rows.len(), 5, "yours and the four named tables");
        assert_eq!(result.rows[0][0], "Your AlertPolicy");
        assert_eq!(result.rows.len(), result.pages.len());
        assert!(
            !result.events.is_empty(),
            "the incident set has significant events"
        );
        assert!(result.world.contains("seed 1, 5 days"), "{}", result.world);
        // Crossing from a worker loses nothing.
        assert_eq!(
            LabResult::from_lines(result.to_lines()),
            Some(result.clone())
        );
        let mut short = result.to_lines();
        short.pop();
        assert_eq!(LabResult::from_lines(short), None, "a page missing");
        assert_eq!(LabResult::from_lines(vec!["x".into(); 3]), None);
    }

    #[test]
    fn a_mistake_in_the_file_says_where() {
        let world = world_text(INCIDENTS).expect("the incident set");
        let broken = SLO.replace("target: 0.995", "target: [0.995");
        let error = run(&world, &broken, 1).expect_err("refused");
        assert!(error.starts_with("your-slo.yaml:"), "{error}");
        let unknown = SLO.replace(
            "budgetingMethod: Occurrences",
            "budgetingMethod: Timeslices",
        );
        let error = run(&world, &unknown, 1).expect_err("refused");
        assert!(error.contains("Occurrences"), "{error}");
    }

    #[test]
    fn a_world_is_the_incident_set_or_a_scenario() {
        assert!(world_text(INCIDENTS).is_some_and(|t| t.contains("[[faults]]")));
        assert!(world_text("black-friday").is_some());
        assert_eq!(world_text("nowhere"), None);
    }
}
