//! Scenario files: the TOML a teacher writes, parsed into checked values.
//!
//! Every field is checked while it is read, so an error carries the position of the value
//! that is wrong (`file:line:column: what was expected`), never a panic and never a silent
//! default. The format is versioned (`format = 1`); see `docs/scenario-format.md`.

use serde::{Deserialize, Serialize};
pub use serde_spanned::Spanned;
use thiserror::Error;

mod alerting;
mod delivery;
mod faults;
mod guidance;
pub mod limits;
mod objectives;
mod reader;
mod services;
mod topology;
mod values;

pub use alerting::{AlertPolicy, AlertRuleSpec, Severity, MAX_ALERT_RULES};
pub use delivery::{
    ActionItemSpec, BudgetPolicySpec, DeliverySpec, FixName, FreezeRule, PipelineSpec, Priority,
    TeamSpec,
};
pub use faults::{parse_time_of_day, FaultKind, FaultSpec, RandomFaults};
pub use guidance::{parse_percent, GuidanceSpec, Trigger};
pub use objectives::ObjectiveSpec;
pub use services::{
    AutoscaleSpec, CacheSpec, Distribution, ProtectionSpec, RetryPolicy, ServiceSpec,
};
pub use topology::Topology;
pub use values::{Bounded, Format, HourOfDay, Identifier, NonNegative, Positive, Ratio, Target};

/// The scenario format version this engine reads.
pub const FORMAT_VERSION: u32 = 1;

/// A scenario: the world a run plays in.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version of the file; must be 1.
    pub format: Format,
    /// Short identifier used in links and on the command line, e.g. "first-slo".
    pub id: Identifier,
    pub title: String,
    /// What the player is told before starting (plain text).
    pub briefing: String,
    /// Concepts the scenario teaches, shown on its card.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// 1 (first steps) to 5 (expert).
    pub difficulty: Bounded<1, 5>,
    /// Length of the run in simulated days.
    pub days: Bounded<1, 90>,
    /// Roles that can play it.
    pub roles: Vec<Role>,
    pub traffic: TrafficSpec,
    /// The call graph; users call the entry service (`traffic.entry`, else the first).
    pub services: Vec<ServiceSpec>,
    /// The SLOs, the first one being the headline.
    pub slos: Vec<SloSpec>,
    pub delivery: DeliverySpec,
    #[serde(default)]
    pub team: TeamSpec,
    /// The error budget policy.
    #[serde(default)]
    pub policy: BudgetPolicySpec,
    /// Action items the DevOps backlog starts with (earlier postmortems'). Left out of the
    /// encoding when there are none, so older scenarios keep their fingerprints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action_items: Vec<ActionItemSpec>,
    /// Faults at fixed times.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// Faults drawn at random from the seed.
    #[serde(default)]
    pub random_faults: Option<RandomFaults>,
    /// What the player is asked to achieve (none: a lab or a sandbox).
    #[serde(default)]
    pub objectives: Vec<ObjectiveSpec>,
    /// Steps that guide the player, each shown when its trigger happens.
    #[serde(default)]
    pub guidance: Vec<GuidanceSpec>,
    /// Service names resolved to indices; filled in by `parse`.
    #[serde(skip)]
    topology: Topology,
}

/// Open-loop traffic: rate = base × daily wave × weekday × growth × noise; Poisson counts
/// per tick. Give only `base_rps` for a constant rate.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSpec {
    /// Service users call; default: the first service.
    #[serde(default)]
    pub entry: Option<Spanned<String>>,
    /// Mean arrival rate over a day, requests per second.
    pub base_rps: Positive<1_000_000>,
    /// Relative height of the daily wave: 0 = flat, 0.5 = peak at 1.5 × base, trough 0.5 ×.
    #[serde(default = "zero_ratio")]
    pub diurnal_amplitude: Ratio,
    /// Hour of the day (0–24) when traffic peaks.
    #[serde(default = "noon")]
    pub peak_hour: HourOfDay,
    /// Multipliers for Monday … Sunday (the run starts on a Monday). Default: all 1.
    #[serde(default)]
    pub weekly: Option<[NonNegative<100>; 7]>,
    /// Growth of the daily mean per simulated day, as a share of `base_rps` (0 = none).
    #[serde(default = "zero_ratio")]
    pub growth_per_day: Ratio,
    /// Hour-to-hour wobble: standard deviation of a log-normal factor drawn each hour
    /// (0 = none, 0.1 ≈ ±10 %).
    #[serde(default = "zero_ratio")]
    pub noise: Ratio,
    /// How users' clients retry failed requests. Default: they do not.
    #[serde(default)]
    pub retry: Option<RetryPolicy>,
}

impl TrafficSpec {
    /// A constant rate: no daily wave, no weekly pattern, no growth, no noise.
    pub fn constant(rps: f64) -> Self {
        Self {
            entry: None,
            base_rps: Positive(rps),
            diurnal_amplitude: zero_ratio(),
            peak_hour: noon(),
            weekly: None,
            growth_per_day: zero_ratio(),
            noise: zero_ratio(),
            retry: None,
        }
    }
}

fn zero_ratio() -> Ratio {
    Ratio(0.0)
}

fn noon() -> HourOfDay {
    HourOfDay(12.0)
}

/// What an SLO measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SliKind {
    /// Share of requests that succeed.
    #[default]
    Availability,
    /// Share of requests answered within `threshold_ms` (a request that timed out never is).
    Latency,
}

/// An SLO over a rolling window.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    pub name: String,
    #[serde(default)]
    pub sli: SliKind,
    /// Service whose requests count; default: the entry service.
    #[serde(default)]
    pub service: Option<Spanned<String>>,
    /// Latency SLIs: a request is good when answered within this many milliseconds.
    #[serde(default)]
    pub threshold_ms: Option<Spanned<Positive<3_600_000>>>,
    /// Target share of good requests, e.g. 0.999.
    pub target: Target,
    /// Rolling window in days (the workbook's default is 28).
    #[serde(default = "four_weeks")]
    pub window_days: Bounded<1, 90>,
    /// The burn-rate alert table that pages and tickets for this SLO: "workbook" (the
    /// default), "pyrra", "slo-generator" or "single-window" (see `alert_policy.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_policy: Option<Spanned<String>>,
    /// A table of one's own instead of a named one: one rule per text, e.g.
    /// "page 1h/5m 14.4" (see `scenario/alerting.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_rules: Vec<Spanned<String>>,
}

fn four_weeks() -> Bounded<1, 90> {
    Bounded(28)
}

impl SloSpec {
    /// Latency threshold, seconds (None for availability).
    pub fn threshold_seconds(&self) -> Option<f64> {
        self.threshold_ms.as_ref().map(|t| t.get_ref().0 / 1000.0)
    }
}

/// The player's job in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Ships features through the delivery pipeline.
    Devops,
    /// Keeps the service inside its SLOs.
    Sre,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Devops, Role::Sre];

    pub fn id(self) -> &'static str {
        match self {
            Role::Devops => "devops",
            Role::Sre => "sre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Devops => "DevOps",
            Role::Sre => "SRE",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.id() == text)
    }
}

/// A problem in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{source_name}:{line}:{column}: {message}")]
pub struct ScenarioError {
    /// File name or other label of where the text came from.
    pub source_name: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in characters) of the problem.
    pub column: usize,
    pub message: String,
}

/// Two scenarios are equal when every field is. They are compared as their postcard
/// encodings, the form the fingerprint hashes: exact for a validated scenario (it holds no
/// NaN), and one small function in the page instead of a derived comparison of every spec
/// type. The page compares scenarios only where they are a component's property.
impl PartialEq for Scenario {
    fn eq(&self, other: &Self) -> bool {
        postcard::to_allocvec(self).ok() == postcard::to_allocvec(other).ok()
    }
}

impl Scenario {
    /// Parses and checks a scenario. `source_name` labels errors (usually the file path).
    pub fn parse(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        limits::check_size(text, source_name)?;
        let mut scenario: Scenario = reader::read(text).map_err(|error| {
            let offset = error.span.map_or(0, |span| span.start);
            let (line, column) = line_column(text, offset);
            ScenarioError {
                source_name: source_name.to_string(),
                line,
                column,
                message: error.message.trim().to_string(),
            }
        })?;
        scenario.check_whole(text, source_name)?;
        Ok(scenario)
    }

    /// Checks that need more than one field at a time, and resolves service names.
    fn check_whole(&mut self, text: &str, source_name: &str) -> Result<(), ScenarioError> {
        let error_at = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            ScenarioError {
                source_name: source_name.to_string(),
                line,
                column,
                message,
            }
        };
        let at_key =
            |key: &str, message: String| error_at(find_key(text, key).unwrap_or(0), message);
        if self.roles.is_empty() {
            return Err(at_key(
                "roles",
                "expected at least one role: \"devops\" or \"sre\"".into(),
            ));
        }
        if self.services.is_empty() {
            return Err(at_key(
                "services",
                "expected at least one [[services]] table".into(),
            ));
        }
        if self.slos.is_empty() {
            return Err(at_key(
                "slos",
                "expected at least one [[slos]] table".into(),
            ));
        }
        let table = |name: &str, index: usize| {
            find_table(text, name, index)
                .or_else(|| find_key(text, name))
                .unwrap_or(0)
        };
        let key = |name: &str| find_key(text, name).unwrap_or(0);
        limits::check(self, &error_at, &table, &key)?;
        for service in &self.services {
            if let Some(cv) = &service.service_time_cv {
                if service.service_time != Distribution::Lognormal {
                    return Err(error_at(
                        cv.span().start,
                        "service_time_cv applies only to service_time = \"lognormal\"".into(),
                    ));
                }
            }
        }
        for slo in &self.slos {
            match (slo.sli, &slo.threshold_ms) {
                (SliKind::Latency, None) => {
                    return Err(at_key(
                        "sli",
                        format!("SLO {:?}: a latency SLI needs threshold_ms", slo.name),
                    ))
                }
                (SliKind::Availability, Some(threshold)) => {
                    return Err(error_at(
                        threshold.span().start,
                        "threshold_ms applies only to sli = \"latency\"".into(),
                    ))
                }
                _ => {}
            }
            alerting::check(slo, &error_at, &at_key)?;
        }
        for (i, item) in self.action_items.iter().enumerate() {
            let needs = item.fix.names_a_fault();
            if needs != item.fault.is_some() {
                let key = if needs { "fix" } else { "fault" };
                return Err(error_at(
                    find_table_key(text, "action_items", i, key)
                        .unwrap_or_else(|| table("action_items", i)),
                    if needs {
                        "a prevent or faster_repair action item needs fault = \"<kind>\"".into()
                    } else {
                        "fault applies only to fix = \"prevent\" or \"faster_repair\"".into()
                    },
                ));
            }
        }
        self.topology = Topology::resolve(self).map_err(|e| error_at(e.offset, e.message))?;
        for fault in &self.faults {
            if parse_time_of_day(fault.at.get_ref()).is_none() {
                return Err(error_at(
                    fault.at.span().start,
                    format!(
                        "expected a time of day \"HH:MM\", found {:?}",
                        fault.at.get_ref()
                    ),
                ));
            }
            if let Some(limit) = fault.kind.magnitude_limit() {
                if let Some(magnitude) = fault.magnitude.filter(|m| m.0 > limit) {
                    return Err(error_at(
                        fault.at.span().start,
                        format!(
                            "a {} fault's magnitude is a share of {}; the limit is {limit}, found {}",
                            fault.kind.label(),
                            fault.kind.magnitude_meaning(),
                            magnitude.0
                        ),
                    ));
                }
            }
            let day = fault.day.get_ref().0;
            if day > self.days.0 {
                return Err(error_at(
                    fault.day.span().start,
                    format!(
                        "a fault on day {day} falls after the run's {} days",
                        self.days.0
                    ),
                ));
            }
            match (&fault.service, fault.kind.needs_service()) {
                (None, true) => {
                    return Err(error_at(
                        fault.at.span().start,
                        format!("the {} fault needs service = \"…\"", fault.kind.label()),
                    ))
                }
                (Some(name), false) => {
                    return Err(error_at(
                        name.span().start,
                        "a traffic surge hits the users, not a service: remove service".into(),
                    ))
                }
                (Some(name), true) => {
                    if !self
                        .services
                        .iter()
                        .any(|s| s.name.get_ref() == name.get_ref())
                    {
                        return Err(error_at(
                            name.span().start,
                            format!("no service is named {:?}", name.get_ref()),
                        ));
                    }
                }
                (None, false) => {}
            }
        }
        self.check_timed_steps_and_goals(text, &error_at)?;
        for service in &self.services {
            if let Some(autoscale) = &service.autoscale {
                let (min, max) = (autoscale.min_replicas.0, autoscale.max_replicas.0);
                if min > max {
                    return Err(at_key(
                        "min_replicas",
                        format!("min_replicas ({min}) is above max_replicas ({max})"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Guidance and objectives must fit the run they belong to: a step timed after the last
    /// day would never show, and a goal larger than the backlog could never be met.
    fn check_timed_steps_and_goals(
        &self,
        text: &str,
        error_at: &impl Fn(usize, String) -> ScenarioError,
    ) -> Result<(), ScenarioError> {
        let days = self.days.0;
        for step in &self.guidance {
            if let Trigger::At { day, .. } = *step.when.get_ref() {
                if day > days {
                    return Err(error_at(
                        step.when.span().start,
                        format!(
                            "a guidance step on day {day} falls after the run's {days} days: \
                             expected a time from \"day 1 00:00\" to \"day {days} 23:59\""
                        ),
                    ));
                }
            }
        }
        let backlog = self.delivery.features.0;
        for (index, objective) in self.objectives.iter().enumerate() {
            if let ObjectiveSpec::FeaturesShipped { at_least } = objective {
                if at_least.0 > backlog {
                    // Objectives have no spans (their kind picks their keys), so the
                    // position is found in the text: this objective's `at_least`.
                    let offset = find_table_key(text, "objectives", index, "at_least")
                        .or_else(|| find_key(text, "at_least"))
                        .unwrap_or(0);
                    return Err(error_at(
                        offset,
                        format!(
                            "features_shipped asks for {} features but the backlog has {backlog} \
                             (delivery.features): expected at most {backlog}",
                            at_least.0
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The resolved call graph.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// The service users call.
    pub fn entry(&self) -> &ServiceSpec {
        &self.services[self.topology.entry]
    }

    /// The same world judged by one SLO of someone else's, on the entry service: the
    /// alert lab's bring-your-own SLO. Its alert rules have been checked by their reader.
    pub fn with_only_slo(mut self, mut slo: SloSpec) -> Self {
        slo.service = None;
        self.slos = vec![slo];
        self.topology.slo_service = vec![self.topology.entry];
        self
    }

    /// The headline SLO (the first).
    pub fn primary_slo(&self) -> &SloSpec {
        &self.slos[0]
    }

    /// The first availability SLO on the entry service, if the scenario has one (the
    /// availability chart draws its target).
    pub fn availability_slo(&self) -> Option<&SloSpec> {
        self.slos.iter().enumerate().find_map(|(i, slo)| {
            (slo.sli == SliKind::Availability
                && self.topology.slo_service[i] == self.topology.entry)
                .then_some(slo)
        })
    }

    /// Ticks in the run.
    pub fn run_ticks(&self) -> u32 {
        self.days.0 * crate::clock::TICKS_PER_DAY
    }

    /// Ticks in the SLO window.
    pub fn window_ticks(&self) -> u32 {
        self.primary_slo().window_days.0 * crate::clock::TICKS_PER_DAY
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of the line that assigns `key` inside the `index`-th (from 0) `[[table]]`
/// of the file, if it is written as a table.
fn find_table_key(text: &str, table: &str, index: usize, key: &str) -> Option<usize> {
    let header = format!("[[{table}]]");
    let mut offset = 0;
    let mut tables_seen = 0;
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.starts_with(&header) && {
                tables_seen += 1;
                tables_seen == index + 1
            };
        } else if inside && assigns(trimmed, key) {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// Byte offset of the `index`-th (from 0) `[[table]]` header of the file, if it has one.
fn find_table(text: &str, table: &str, index: usize) -> Option<usize> {
    let header = format!("[[{table}]]");
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(&header) {
            if seen == index {
                return Some(offset + (line.len() - trimmed.len()));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// Whether a line (leading blanks removed) assigns `key`.
fn assigns(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// Byte offset of the first line that assigns `key` (for errors about a whole field).
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if assigns(trimmed, key) {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}
