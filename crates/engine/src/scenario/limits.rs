//! What a scenario file may ask for. Every limit exists so that the cost of a run is bounded
//! and known before it starts: a class link of a few hundred characters must not be able
//! to carry a file that takes minutes or gigabytes to play, natively or in a browser tab.
//!
//! The costs they bound (measured with `scripts/bench.sh` and `docs/scenario-format.md`):
//! - time per tick grows with the services (about 60 ns each natively) and is otherwise
//!   fixed, so a run costs at most [`MAX_SERVICES`] services × 90 days of ticks;
//! - memory grows with each SLO's rolling window: two 8-byte running totals per tick of the
//!   window's history and of the run, so [`MAX_SLO_DAYS`] caps the sum of the SLOs' window
//!   and run days (about 138 KB per SLO-day);
//! - checking the call graph walks it without recursion, and [`MAX_CALL_DEPTH`] keeps
//!   retries' amplification and latency sums along a call chain within finite numbers;
//! - every list a file can grow (faults, guidance, objectives, concepts) and every text
//!   has a cap, so reading and drawing the scenario is linear in a bounded size.
//!
//! Each limit is checked where the file gives the value, and the error says the limit.

use super::{line_column, Scenario, ScenarioError};

/// Largest scenario file read, bytes. The largest built-in (black-friday) is 7 KB.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Most services in the call graph.
pub const MAX_SERVICES: usize = 32;
/// Longest chain of calls from the entry, counted in services (the entry is 1).
pub const MAX_CALL_DEPTH: usize = 16;
/// Most SLOs.
pub const MAX_SLOS: usize = 8;
/// Most SLO-days: the sum over SLOs of (window days + run days). The rolling windows keep
/// 16 bytes per SLO per run tick (a window's history costs one week's numbers), so this
/// bounds them well under 20 MB; two SLOs of 90-day windows over a 90-day run take 360.
pub const MAX_SLO_DAYS: u32 = 400;
/// Most faults at fixed times (random faults are capped by `per_week`'s own limit, 50).
pub const MAX_FAULTS: usize = 100;
/// Most guidance steps.
pub const MAX_GUIDANCE_STEPS: usize = 40;
/// Most objectives.
pub const MAX_OBJECTIVES: usize = 20;
/// Most concepts on a card.
pub const MAX_CONCEPTS: usize = 20;
/// Longest texts, in characters: a title, a briefing, a guidance step's text or hint, a
/// name (services, SLOs) and a concept.
pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_BRIEFING_CHARS: usize = 4000;
pub const MAX_STEP_CHARS: usize = 1000;
pub const MAX_NAME_CHARS: usize = 40;
pub const MAX_CONCEPT_CHARS: usize = 60;

/// Refuses a text over [`MAX_FILE_BYTES`] before it is parsed.
pub(super) fn check_size(text: &str, source_name: &str) -> Result<(), ScenarioError> {
    if text.len() <= MAX_FILE_BYTES {
        return Ok(());
    }
    let (line, column) = line_column(text, MAX_FILE_BYTES);
    Err(ScenarioError {
        source_name: source_name.to_string(),
        line,
        column,
        message: format!(
            "the file is {} bytes; the limit is {MAX_FILE_BYTES} bytes (64 KB): the largest built-in scenario is 7 KB",
            text.len()
        ),
    })
}

/// Checks every count and text limit, in the file's order, before anything walks the lists.
/// `at(offset, message)` places an error; `table(name, index)` finds the offset of the
/// `index`-th `[[name]]` table.
pub(super) fn check(
    scenario: &Scenario,
    at: &impl Fn(usize, String) -> ScenarioError,
    table: &impl Fn(&str, usize) -> usize,
    key: &impl Fn(&str) -> usize,
) -> Result<(), ScenarioError> {
    let too_many = |what: &str, found: usize, limit: usize, why: &str| {
        format!("this file asks for {found} {what}; the limit is {limit} ({why})")
    };
    let too_long = |what: &str, found: usize, limit: usize| {
        format!("{what} is {found} characters long; the limit is {limit}")
    };
    let chars = |text: &str| text.chars().count();
    if chars(&scenario.title) > MAX_TITLE_CHARS {
        let n = chars(&scenario.title);
        return Err(at(key("title"), too_long("the title", n, MAX_TITLE_CHARS)));
    }
    if chars(&scenario.briefing) > MAX_BRIEFING_CHARS {
        let n = chars(&scenario.briefing);
        return Err(at(
            key("briefing"),
            too_long("the briefing", n, MAX_BRIEFING_CHARS),
        ));
    }
    if scenario.concepts.len() > MAX_CONCEPTS {
        return Err(at(
            key("concepts"),
            too_many(
                "concepts",
                scenario.concepts.len(),
                MAX_CONCEPTS,
                "a card shows them all",
            ),
        ));
    }
    if let Some(concept) = scenario
        .concepts
        .iter()
        .find(|c| chars(c) > MAX_CONCEPT_CHARS)
    {
        return Err(at(
            key("concepts"),
            too_long(
                &format!("the concept {:?}", shorten(concept)),
                chars(concept),
                MAX_CONCEPT_CHARS,
            ),
        ));
    }
    let mut roles = scenario.roles.clone();
    crate::order::sort_by(&mut roles, Ord::cmp);
    roles.dedup();
    if roles.len() != scenario.roles.len() {
        return Err(at(
            key("roles"),
            "each role is listed once: \"devops\", \"sre\" or both".into(),
        ));
    }
    if let Some(extra) = scenario.services.get(MAX_SERVICES) {
        return Err(at(
            extra.name.span().start,
            too_many(
                "services",
                scenario.services.len(),
                MAX_SERVICES,
                "each one is simulated every tick",
            ),
        ));
    }
    for service in &scenario.services {
        let name = service.name.get_ref();
        if chars(name) > MAX_NAME_CHARS {
            return Err(at(
                service.name.span().start,
                too_long("a service name", chars(name), MAX_NAME_CHARS),
            ));
        }
        if let Some(extra) = service.calls.get(MAX_SERVICES - 1) {
            return Err(at(
                extra.span().start,
                too_many(
                    "calls from one service",
                    service.calls.len(),
                    MAX_SERVICES - 1,
                    "one to each other service",
                ),
            ));
        }
    }
    if scenario.slos.len() > MAX_SLOS {
        return Err(at(
            table("slos", MAX_SLOS),
            too_many(
                "SLOs",
                scenario.slos.len(),
                MAX_SLOS,
                "each keeps its rolling window in memory",
            ),
        ));
    }
    let run_days = scenario.days.0;
    let slo_days: u32 = scenario
        .slos
        .iter()
        .map(|slo| slo.window_days.0 + run_days)
        .sum();
    if slo_days > MAX_SLO_DAYS {
        let windows: u32 = scenario.slos.iter().map(|slo| slo.window_days.0).sum();
        return Err(at(
            key("window_days"),
            format!(
                "this file asks for {} SLOs with {windows} window days in all over a {run_days}-day run: {slo_days} SLO-days (window + run days, summed over SLOs); the limit is {MAX_SLO_DAYS}, which keeps a run's memory near 55 MB. Use fewer SLOs, shorter windows or a shorter run",
                scenario.slos.len()
            ),
        ));
    }
    for (index, slo) in scenario.slos.iter().enumerate() {
        if chars(&slo.name) > MAX_NAME_CHARS * 2 {
            return Err(at(
                table("slos", index),
                too_long("an SLO name", chars(&slo.name), MAX_NAME_CHARS * 2),
            ));
        }
    }
    if let Some(extra) = scenario.faults.get(MAX_FAULTS) {
        return Err(at(
            extra.at.span().start,
            too_many(
                "faults",
                scenario.faults.len(),
                MAX_FAULTS,
                "more than one a day for 90 days",
            ),
        ));
    }
    if let Some(extra) = scenario.guidance.get(MAX_GUIDANCE_STEPS) {
        return Err(at(
            extra.when.span().start,
            too_many(
                "guidance steps",
                scenario.guidance.len(),
                MAX_GUIDANCE_STEPS,
                "a player reads them all",
            ),
        ));
    }
    for step in &scenario.guidance {
        let longest = chars(&step.text).max(step.hint.as_deref().map_or(0, chars));
        if longest > MAX_STEP_CHARS {
            return Err(at(
                step.when.span().start,
                too_long("this step's text or hint", longest, MAX_STEP_CHARS),
            ));
        }
    }
    if scenario.objectives.len() > MAX_OBJECTIVES {
        return Err(at(
            table("objectives", MAX_OBJECTIVES),
            too_many(
                "objectives",
                scenario.objectives.len(),
                MAX_OBJECTIVES,
                "a player checks them all",
            ),
        ));
    }
    Ok(())
}

/// A long text cut for an error message.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(20).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}
