//! `ops-dojo alerts`: the alert-policy lab on the command line. It runs a scenario once and
//! prints, for each alert table, how it would have paged on that very run (the engine's
//! `alert_lab`): the same table the app shows on the debrief.

use ops_dojo_engine::alert_lab::{
    self, LabInput, PolicyReport, SignificantEvent, Table, INCIDENT_SET_ID, SIGNIFICANT_SHARE,
};
use ops_dojo_engine::alert_policy::AlertPolicy;
use ops_dojo_engine::alerts::Severity;
use ops_dojo_engine::openslo_import;
use ops_dojo_engine::ClockTime;
use ops_dojo_engine::{Policy, Role, Simulation};

/// What to run and how to print it.
pub struct LabRun<'a> {
    pub seed: u64,
    pub days: Option<u32>,
    /// Comma-separated policy ids, or "all".
    pub policies: &'a str,
    /// The bot playing both seats.
    pub bots: &'a str,
    pub json: bool,
    /// An OpenSLO v1 file whose SLO replaces the scenario's.
    pub slo: Option<&'a str>,
}

pub fn run(scenario: &str, options: &LabRun) -> Result<String, String> {
    let policies = parse_policies(options.policies)?;
    let bots = Policy::parse(options.bots).ok_or_else(|| {
        let names: Vec<_> = Policy::ALL.iter().map(|p| p.id()).collect();
        format!(
            "--bots {}: no such bot (bots: {})",
            options.bots,
            names.join(", ")
        )
    })?;
    let mut parsed = if scenario == INCIDENT_SET_ID {
        alert_lab::incident_set().map_err(|e| e.to_string())?
    } else {
        crate::load(scenario)?
    };
    let mut notes = Vec::new();
    if let Some(path) = options.slo {
        let text = crate::read_file(path)?;
        let imported = openslo_import::read(&text, path).map_err(|e| e.to_string())?;
        notes = imported.notes.clone();
        parsed = parsed.with_only_slo(imported.slo_spec());
    }
    if let Some(days) = options.days {
        parsed.days = crate::bounded(days).map_err(|range| {
            format!(
                "--days {days}: a run lasts a whole number of days from {} to {}",
                range.start(),
                range.end()
            )
        })?;
    }
    let mut sim = Simulation::new(parsed, options.seed);
    for role in Role::ALL {
        sim.add_bot(role, bots);
    }
    while sim.step().is_some() {}
    type Compared = (usize, Vec<SignificantEvent>, Vec<PolicyReport>);
    let tables: Vec<Compared> = (0..sim.scenario().slos.len())
        .filter_map(|index| {
            let input = LabInput::of(&sim, index)?;
            let spec = &sim.scenario().slos[index];
            let tables: Vec<Table> = policies
                .iter()
                .filter_map(|choice| match choice {
                    // The scenario's own rows, when it has them ("all" includes them).
                    None => Some(Table::of_slo(spec)).filter(|t| t.policy.is_none()),
                    Some(policy) => Some(Table::named(*policy, spec.window_days.0)),
                })
                .collect();
            let mut rows = alert_lab::compare(&input, &tables, sim.tick());
            for row in rows.iter_mut().filter(|r| r.policy.is_none()) {
                if options.slo.is_some() {
                    row.title = "Your AlertPolicy".into();
                }
            }
            Some((
                index,
                alert_lab::significant_events(&input, sim.tick()),
                rows,
            ))
        })
        .collect();
    if options.json {
        let value: Vec<_> = tables
            .iter()
            .map(|(index, events, rows)| {
                serde_json::json!({
                    "slo": sim.scenario().slos[*index].name,
                    "significant_events": events,
                    "policies": rows,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&value)
            .map(|text| text + "\n")
            .map_err(|e| e.to_string());
    }
    let mut out = format!(
        "{} — seed {}, {} days, both seats played by the {} bot\n",
        sim.scenario().title,
        options.seed,
        sim.scenario().days.0,
        bots.id()
    );
    for note in &notes {
        out += &format!("note: {note}\n");
    }
    for (index, events, rows) in &tables {
        let spec = &sim.scenario().slos[*index];
        out += &format!(
            "\nSLO {} ≥ {:.3} % over {} days: {} significant event(s) (each spent {:.0} % of the budget or more)\n",
            spec.name,
            spec.target.0 * 100.0,
            spec.window_days.0,
            events.len(),
            SIGNIFICANT_SHARE * 100.0
        );
        for event in events {
            out += &format!(
                "  {} to {}: {:.1} % of the budget\n",
                when(event.start),
                when(event.end),
                event.budget_spent * 100.0
            );
        }
        out += &format!(
            "  {:<24} {:>5} {:>8} {:>7} {:>9} {:>6} {:>9} {:>9} {:>13}\n",
            "policy",
            "pages",
            "at night",
            "tickets",
            "precision",
            "recall",
            "detection",
            "reset",
            "budget before"
        );
        for row in rows {
            out += &format!(
                "  {:<24} {:>5} {:>8} {:>7} {:>9} {:>6} {:>9} {:>9} {:>13}\n",
                row.title,
                row.pages,
                row.night_pages,
                row.tickets,
                percent(row.precision),
                percent(row.recall),
                minutes(row.detection_minutes),
                minutes(row.reset_minutes),
                row.budget_before_first_page
                    .map_or_else(|| "–".into(), |s| format!("{:.1} %", s * 100.0)),
            );
        }
        // When each table paged: what the on-call would have lived through.
        for row in rows {
            let pages: Vec<String> = row
                .firings
                .iter()
                .filter(|f| f.severity == Severity::Page)
                .map(|f| {
                    format!(
                        "{} {}{}{}",
                        when(f.fired_at),
                        f.rule_name,
                        if f.night { " at night" } else { "" },
                        if f.real {
                            ""
                        } else {
                            " (no significant event)"
                        }
                    )
                })
                .collect();
            if !pages.is_empty() {
                out += &format!("  pages of {}: {}\n", row.title, pages.join("; "));
            }
        }
    }
    out += "\nprecision: pages that fired during a significant event; recall: significant events that paged;\n\
            detection: minutes from an event's start to its first page; reset: minutes from its end until its\n\
            pages resolved (– if one still fired at the end); budget before: the most any event spent before its\n\
            first page.\n";
    Ok(out)
}

/// The tables to compare: None stands for the scenario's own rows ("own").
fn parse_policies(list: &str) -> Result<Vec<Option<AlertPolicy>>, String> {
    if list == "all" {
        return Ok(std::iter::once(None)
            .chain(AlertPolicy::ALL.map(Some))
            .collect());
    }
    let mut policies = Vec::new();
    for id in list.split(',') {
        let id = id.trim();
        let policy = match id {
            "own" => None,
            _ => Some(AlertPolicy::parse(id).ok_or_else(|| {
                format!(
                    "--policies: no alert policy {id:?} (policies: {}, own, or all)",
                    AlertPolicy::ids()
                )
            })?),
        };
        if !policies.contains(&policy) {
            policies.push(policy);
        }
    }
    Ok(policies)
}

/// A tick as the on-call reads it: "day 2 02:41".
fn when(tick: u32) -> String {
    let at = ClockTime::at(tick);
    format!("day {} {:02}:{:02}", at.day, at.hour, at.minute)
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".into(), |s| format!("{:.0} %", s * 100.0))
}

fn minutes(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), |m| format!("{m:.0} min"))
}
