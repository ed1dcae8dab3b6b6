//! The alert-policy lab: how each alert table would have done on one run, measured as the
//! SRE Workbook measures alerts (ch. 5, "Alerting on SLOs"): precision, recall, detection
//! time and reset time, plus the budget spent before the first page.
//!
//! Every policy is judged on the same run: the run's per-tick good and valid counts are
//! replayed through [`Alerting`] with each table. The counts do not depend on which table
//! pages, so the comparison is like for like, and for the run's own table the replay gives
//! exactly the alerts the run raised (a test checks it).
//!
//! What counts as real needs a definition the Workbook leaves open. Here a **significant
//! event** is a stretch of the run whose error ratio is above what the SLO allows (burn rate
//! over 1, minute by minute), where quiet gaps shorter than [`MERGE_GAP_MINUTES`] do not
//! split it, and which spends at least [`SIGNIFICANT_SHARE`] of the budget: the share the
//! Workbook's fastest page is built to catch (2 % in an hour). A page is real when it is
//! firing at some moment of a significant event.

use serde::Serialize;

use crate::alert_policy::{self, AlertPolicy};
use crate::alerts::{AlertEventKind, AlertRule, Alerting, Severity};
use crate::clock::{Tick, TICKS_PER_DAY, TICKS_PER_MINUTE};
use crate::incident::median;
use crate::openslo_import::ImportedSlo;
use crate::scenario::{Scenario, ScenarioError, SloSpec};
use crate::session::Simulation;
use crate::slo::{self, RollingCounts};

/// Quiet minutes that do not end a significant event: a burn that stops for less than half
/// an hour and comes back is one problem, not two.
pub const MERGE_GAP_MINUTES: u32 = 30;

/// Share of the SLO period's budget an event must spend to count as significant.
pub const SIGNIFICANT_SHARE: f64 = 0.02;

/// One SLO of a finished run, as the lab reads it.
#[derive(Debug, Clone, Copy)]
pub struct LabInput<'a> {
    /// Good and valid counts per tick, the window's history first.
    pub counts: &'a RollingCounts,
    /// Target share of good events, e.g. 0.999.
    pub target: f64,
    /// The SLO's period, days.
    pub window_days: u32,
}

impl<'a> LabInput<'a> {
    /// SLO `index` (scenario order) of a run; None if the scenario has no such SLO.
    pub fn of(sim: &'a Simulation, index: usize) -> Option<Self> {
        let spec = sim.scenario().slos.get(index)?;
        Some(Self {
            counts: sim.slo_counts(index)?,
            target: spec.target.0,
            window_days: spec.window_days.0,
        })
    }
}

/// An alert table the lab replays: a named policy or rows of one's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// None for a table of one's own.
    pub policy: Option<AlertPolicy>,
    pub title: String,
    pub rules: Vec<AlertRule>,
}

impl Table {
    /// A named policy's table for an SLO period of `window_days`.
    pub fn named(policy: AlertPolicy, window_days: u32) -> Self {
        Self {
            policy: Some(policy),
            title: policy.title().to_string(),
            rules: policy.rules(window_days),
        }
    }

    /// The named policies' tables, in order.
    pub fn all_named(policies: &[AlertPolicy], window_days: u32) -> Vec<Self> {
        policies
            .iter()
            .map(|&policy| Self::named(policy, window_days))
            .collect()
    }

    /// The table a scenario's SLO alerts with in a run.
    pub fn of_slo(spec: &SloSpec) -> Self {
        match alert_policy::policy_of(spec) {
            Some(policy) => Self::named(policy, spec.window_days.0),
            None => Self {
                policy: None,
                title: "The scenario's own table".to_string(),
                rules: alert_policy::rules_for(spec),
            },
        }
    }
}

/// A stretch of the run that spent a significant share of the budget.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SignificantEvent {
    /// First tick of its first burning minute.
    pub start: Tick,
    /// First tick after its last burning minute.
    pub end: Tick,
    /// Share of the period's error budget it spent.
    pub budget_spent: f64,
}

/// One firing of an alert, start to end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Firing {
    pub severity: Severity,
    pub rule_name: String,
    pub fired_at: Tick,
    /// None: still firing when the run ended.
    pub resolved_at: Option<Tick>,
    /// Fired between 22:00 and 07:00.
    pub night: bool,
    /// Firing at some moment of a significant event.
    pub real: bool,
}

/// How one policy did on the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyReport {
    /// The named policy; None for a table of one's own.
    pub policy: Option<AlertPolicy>,
    pub title: String,
    /// Page alerts that fired.
    pub pages: u32,
    /// Pages fired between 22:00 and 07:00.
    pub night_pages: u32,
    /// Ticket alerts that fired.
    pub tickets: u32,
    /// Share of pages that were real (None without pages).
    pub precision: Option<f64>,
    /// Significant events in the run (the same for every policy).
    pub significant_events: u32,
    /// Significant events during which a page fired.
    pub events_paged: u32,
    /// Share of significant events that paged (None without significant events).
    pub recall: Option<f64>,
    /// Median minutes from an event's start to its first page.
    pub detection_minutes: Option<f64>,
    /// Median minutes from an event's end to the resolution of the last page it raised
    /// (None also when a page was still firing at the end of the run).
    pub reset_minutes: Option<f64>,
    /// The largest share of the budget an event spent before its first page.
    pub budget_before_first_page: Option<f64>,
    /// Every alert that fired, in order.
    pub firings: Vec<Firing>,
}

/// The significant events of a run of `run_ticks` ticks.
pub fn significant_events(input: &LabInput, run_ticks: u32) -> Vec<SignificantEvent> {
    let minutes = run_ticks / TICKS_PER_MINUTE;
    let burning = |minute: u32| {
        let end = (minute + 1) * TICKS_PER_MINUTE - 1;
        let (good, valid) = input.counts.window(end, TICKS_PER_MINUTE);
        slo::burn_rate(good, valid, input.target) > 1.0
    };
    let mut stretches: Vec<(u32, u32)> = Vec::new();
    for minute in (0..minutes).filter(|&m| burning(m)) {
        match stretches.last_mut() {
            Some((_, end)) if minute - *end < MERGE_GAP_MINUTES => *end = minute + 1,
            _ => stretches.push((minute, minute + 1)),
        }
    }
    stretches
        .into_iter()
        .map(|(first, after)| {
            let (start, end) = (first * TICKS_PER_MINUTE, after * TICKS_PER_MINUTE);
            SignificantEvent {
                start,
                end,
                budget_spent: budget_share(input, start, end),
            }
        })
        .filter(|event| event.budget_spent >= SIGNIFICANT_SHARE)
        .collect()
}

/// Share of the period's budget spent by the bad events of ticks `start..end`: measured
/// against the valid events of the SLO window that ends at `end`, as the run's budget is.
fn budget_share(input: &LabInput, start: Tick, end: Tick) -> f64 {
    if end <= start {
        return 0.0;
    }
    let (good, valid) = input.counts.window(end - 1, end - start);
    let (_, period_valid) = input
        .counts
        .window(end - 1, input.window_days * TICKS_PER_DAY);
    let allowed = slo::allowed_bad_events(period_valid, input.target);
    if allowed <= 0.0 {
        return 0.0;
    }
    (valid - good) as f64 / allowed
}

/// Replays the alert table `rules` over the run's first `run_ticks` ticks.
pub fn firings(input: &LabInput, rules: &[AlertRule], run_ticks: u32) -> Vec<Firing> {
    let mut alerting = Alerting::new(rules.to_vec());
    let mut firings: Vec<Firing> = Vec::new();
    // Index into `firings` of each rule's open firing.
    let mut open: Vec<Option<usize>> = vec![None; alerting.rules().len()];
    for tick in 0..run_ticks {
        for event in alerting.evaluate(tick, input.counts, input.target) {
            match event.kind {
                AlertEventKind::Fired => {
                    open[event.rule] = Some(firings.len());
                    firings.push(Firing {
                        severity: event.severity,
                        rule_name: event.rule_name,
                        fired_at: tick,
                        resolved_at: None,
                        night: event.night,
                        real: false,
                    });
                }
                AlertEventKind::Resolved => {
                    if let Some(index) = open[event.rule].take() {
                        firings[index].resolved_at = Some(tick);
                    }
                }
            }
        }
    }
    firings
}

/// Whether `firing` is firing at some moment of `event`.
fn overlaps(firing: &Firing, event: &SignificantEvent) -> bool {
    firing.fired_at < event.end && firing.resolved_at.is_none_or(|at| at > event.start)
}

/// The lab's result: how each of `tables` did on the run.
pub fn compare(input: &LabInput, tables: &[Table], run_ticks: u32) -> Vec<PolicyReport> {
    let events = significant_events(input, run_ticks);
    tables
        .iter()
        .map(|table| report(input, table, &events, run_ticks))
        .collect()
}

fn report(
    input: &LabInput,
    table: &Table,
    events: &[SignificantEvent],
    run_ticks: u32,
) -> PolicyReport {
    let mut firings = firings(input, &table.rules, run_ticks);
    for firing in &mut firings {
        firing.real = events.iter().any(|event| overlaps(firing, event));
    }
    let pages: Vec<&Firing> = firings
        .iter()
        .filter(|f| f.severity == Severity::Page)
        .collect();
    let minutes = |ticks: Tick| f64::from(ticks) / f64::from(TICKS_PER_MINUTE);
    let mut detection = Vec::new();
    let mut reset = Vec::new();
    let mut unresolved = false;
    let mut before_first_page: Option<f64> = None;
    let mut events_paged = 0;
    for event in events {
        let raised: Vec<&&Firing> = pages.iter().filter(|f| overlaps(f, event)).collect();
        let Some(first) = raised.iter().map(|f| f.fired_at).min() else {
            continue;
        };
        events_paged += 1;
        detection.push(minutes(first.saturating_sub(event.start)));
        let spent = budget_share(input, event.start, first.max(event.start));
        before_first_page = Some(before_first_page.map_or(spent, |worst| worst.max(spent)));
        match raised
            .iter()
            .map(|f| f.resolved_at)
            .collect::<Option<Vec<_>>>()
        {
            Some(ends) => {
                let last = ends.into_iter().max().unwrap_or(event.end);
                reset.push(minutes(last.saturating_sub(event.end)));
            }
            None => unresolved = true,
        }
    }
    let share = |part: u32, whole: usize| (whole > 0).then(|| f64::from(part) / whole as f64);
    let real_pages = pages.iter().filter(|f| f.real).count() as u32;
    PolicyReport {
        policy: table.policy,
        title: table.title.clone(),
        pages: pages.len() as u32,
        night_pages: pages.iter().filter(|f| f.night).count() as u32,
        tickets: (firings.len() - pages.len()) as u32,
        precision: share(real_pages, pages.len()),
        significant_events: events.len() as u32,
        events_paged,
        recall: share(events_paged, events.len()),
        detection_minutes: median(detection),
        reset_minutes: if unresolved { None } else { median(reset) },
        budget_before_first_page: before_first_page,
        firings,
    }
}

/// The built-in incident set a bring-your-own SLO is judged on: one API, steady traffic,
/// a fast outage (day 1), a night blip (day 2), a slow burn (day 3) and a latency
/// regression (day 5). See `alert_lab/incident_set.toml`; this is that file without its
/// comments (build.rs).
pub const INCIDENT_SET: &str =
    include_str!(concat!(env!("OUT_DIR"), "/scenarios/incident_set.toml"));

/// The name that stands for the incident set where a scenario is asked for (the CLI's
/// `ops-dojo alerts incidents`, the alert lab page's world).
pub const INCIDENT_SET_ID: &str = "incidents";

/// The incident set as a scenario (a test checks that it parses).
pub fn incident_set() -> Result<Scenario, ScenarioError> {
    Scenario::parse(INCIDENT_SET, "incident-set.toml")
}

/// How one SLO of someone else's would have alerted in a world.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnSloRun {
    pub title: String,
    pub seed: u64,
    pub days: u32,
    /// The significant events of the run.
    pub events: Vec<SignificantEvent>,
    /// The SLO's own alert table first (if it has one), then every named table.
    pub reports: Vec<PolicyReport>,
    /// Budget left at the end, as a share of the period's (negative: overspent).
    pub budget_remaining: f64,
}

/// Runs `world` (its traffic and faults) with `slo` as its only SLO and nobody acting,
/// and replays every table on it.
pub fn run_own_slo(world: Scenario, slo: &ImportedSlo, seed: u64) -> OwnSloRun {
    let title = world.title.clone();
    let days = world.days.0;
    let scenario = world.with_only_slo(slo.slo_spec());
    let mut sim = Simulation::new(scenario, seed);
    for role in crate::scenario::Role::ALL {
        sim.add_bot(role, crate::action::Policy::HandsOff);
    }
    while sim.step().is_some() {}
    let mut tables = Vec::new();
    if !slo.rules.is_empty() {
        tables.push(Table {
            policy: None,
            title: "Your AlertPolicy".to_string(),
            rules: alert_policy::rules_for(&sim.scenario().slos[0]),
        });
    }
    tables.extend(Table::all_named(&AlertPolicy::ALL, slo.window_days));
    let Some(input) = LabInput::of(&sim, 0) else {
        // with_only_slo leaves exactly one SLO.
        return OwnSloRun {
            title,
            seed,
            days,
            events: Vec::new(),
            reports: Vec::new(),
            budget_remaining: 0.0,
        };
    };
    OwnSloRun {
        title,
        seed,
        days,
        events: significant_events(&input, sim.tick()),
        reports: compare(&input, &tables, sim.tick()),
        budget_remaining: sim.slo_status().budget_remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::TICKS_PER_HOUR;

    /// 28 clean days of history, then `run_ticks` ticks of 1,000 requests each, of which
    /// `bad(tick)` fail.
    fn counts(run_ticks: u32, bad: impl Fn(Tick) -> u64) -> RollingCounts {
        let history = 28 * TICKS_PER_DAY;
        let mut counts = RollingCounts::clean_history(history, run_ticks, 1000);
        for tick in 0..run_ticks {
            counts.push(1000 - bad(tick), 1000);
        }
        counts
    }

    fn input(counts: &RollingCounts) -> LabInput<'_> {
        LabInput {
            counts,
            target: 0.999,
            window_days: 28,
        }
    }

    #[test]
    fn a_blip_is_not_significant_and_a_long_outage_is() {
        // Budget: 0.1 % of 28 d × 2 ticks/min × 1,000 = 80,640 requests.
        // 5 minutes at 5 % errors (the alerts-that-matter blip): 500 bad, 0.6 %.
        // Two hours at 5 %: 12,000 bad, 14.9 %.
        let run = TICKS_PER_DAY;
        let counts = counts(run, |t| {
            let minute = t / TICKS_PER_MINUTE;
            if (100..105).contains(&minute) || (600..720).contains(&minute) {
                50
            } else {
                0
            }
        });
        let events = significant_events(&input(&counts), run);
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].start, 600 * TICKS_PER_MINUTE);
        assert_eq!(events[0].end, 720 * TICKS_PER_MINUTE);
        let expected = 36_000.0 / 241_920.0;
        assert!((events[0].budget_spent - expected).abs() < 1e-9);
    }

    #[test]
    fn the_single_window_pages_on_the_blip_and_the_workbook_does_not() {
        let run = TICKS_PER_DAY;
        let counts = counts(run, |t| {
            let minute = t / TICKS_PER_MINUTE;
            if (100..105).contains(&minute) || (600..720).contains(&minute) {
                50
            } else {
                0
            }
        });
        let table = compare(
            &input(&counts),
            &Table::all_named(&AlertPolicy::ALL, 28),
            run,
        );
        let by = |p| {
            table
                .iter()
                .find(|r| r.policy == Some(p))
                .expect("every policy is reported")
        };
        let workbook = by(AlertPolicy::Workbook);
        assert_eq!(workbook.precision, Some(1.0), "{workbook:?}");
        assert_eq!(workbook.recall, Some(1.0));
        let single = by(AlertPolicy::SingleWindow);
        assert_eq!(single.pages, 2, "{single:?}");
        assert_eq!(single.precision, Some(0.5));
        // Burn 50 over a 10-minute window reaches 1 within the first minute.
        assert!(single.detection_minutes.expect("the policy paged") <= 1.0);
        // The Workbook's slower page (6 h / 30 m) resolves once its short window has been
        // under the threshold for one more short window: within an hour of the end.
        // slo-generator's 12-hour window stays above 3× until the outage leaves it.
        let generator = by(AlertPolicy::SloGenerator);
        let reset = workbook.reset_minutes.expect("the page resolved");
        assert!((30.0..=61.0).contains(&reset), "{reset}");
        assert!(
            generator.reset_minutes.expect("the page resolved") > 9.0 * 60.0,
            "{generator:?}"
        );
    }

    #[test]
    fn detection_time_and_budget_before_the_page_follow_the_workbook_formula() {
        // A constant burn of 20 from minute 60: the 1 h / 5 m page (13.44) fires once the
        // hour's average reaches 13.44, after 13.44 / 20 of an hour (≈ 40 min), having spent
        // 20 × 40 min / 28 d ≈ 2 % of the budget (DOMAIN.md: burn × long / period at the
        // threshold).
        let run = 4 * TICKS_PER_HOUR;
        let counts = counts(run, |t| if t >= TICKS_PER_HOUR { 20 } else { 0 });
        let table = compare(
            &input(&counts),
            &Table::all_named(&[AlertPolicy::Workbook], 28),
            run,
        );
        let workbook = &table[0];
        let detection = workbook.detection_minutes.expect("the policy paged");
        assert!(
            (detection - 13.44 / 20.0 * 60.0).abs() <= 1.0,
            "{detection}"
        );
        let spent = workbook.budget_before_first_page.expect("the policy paged");
        assert!((spent - 0.02).abs() < 0.001, "{spent}");
        // Still burning at the end: no reset time.
        assert_eq!(workbook.reset_minutes, None);
    }

    #[test]
    fn pyrra_waits_for_its_for_duration() {
        let run = 4 * TICKS_PER_HOUR;
        let counts = counts(run, |t| if t >= TICKS_PER_HOUR { 100 } else { 0 });
        let table = compare(
            &input(&counts),
            &Table::all_named(&[AlertPolicy::Workbook, AlertPolicy::Pyrra], 28),
            run,
        );
        // Burn 100: the 1 h window reaches 14 after 8.4 min, 13.44 after 8.06 min; Pyrra
        // then holds for 2 more minutes.
        let (workbook, pyrra) = (&table[0], &table[1]);
        let gap = pyrra.detection_minutes.expect("the policy paged")
            - workbook.detection_minutes.expect("the policy paged");
        assert!((2.0..=3.0).contains(&gap), "{gap}");
    }
}
